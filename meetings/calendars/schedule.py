"""A forum's schedule read as Europe/London wall-clock time.

The RRULE is expanded over naive local times and each occurrence is then given the Europe/London
zone, so a 10:00 meeting stays at 10:00 when the clocks change. (Expanding over UTC, or over a
fixed offset, would move it to 09:00 or 11:00 for half the year.)
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError

from meetings.recurrence import check_expansion_is_bounded

LONDON = ZoneInfo("Europe/London")


def local_datetime(day: date, at: time) -> datetime:
    """A wall-clock time in London as an aware datetime.

    A time that does not exist (inside the spring-forward hour) lands an hour later, and an
    ambiguous one (inside the autumn hour) is taken the first time round, which is zoneinfo's
    fold=0; meetings are not held at those hours in practice.
    """
    return datetime.combine(day, at).replace(tzinfo=LONDON)


def occurrences(forum, start_date: date, end_date: date) -> list[datetime]:
    """The forum's scheduled meeting starts from start_date to end_date inclusive.

    A rule stored before the form refused impossible or explosive rules gives no meetings: the
    expansion would otherwise search every year to 9999 for a date that never comes, holding a
    worker (and the forum's calendar) for many seconds.
    """
    try:
        check_expansion_is_bounded(forum.schedule_rrule)
    except ValidationError:
        return []
    anchor = datetime.combine(forum.schedule_starts_on, forum.schedule_time)
    rule = rrulestr(forum.schedule_rrule, dtstart=anchor)
    window_start = datetime.combine(start_date, time.min)
    window_end = datetime.combine(end_date, time.max)
    return [
        naive.replace(tzinfo=LONDON) for naive in rule.between(window_start, window_end, inc=True)
    ]


def upcoming_starts(
    rule_text: str, anchor: datetime, after: datetime, count: int
) -> list[datetime]:
    """Up to `count` naive starts of a checked rule from `after`, looking no further than
    PREVIEW_YEARS ahead, so a preview's work is bounded whatever the rule."""
    horizon = after.replace(year=min(after.year + PREVIEW_YEARS, 9999))
    starts = []
    for naive in rrulestr(rule_text, dtstart=anchor).xafter(after, count=count, inc=True):
        if naive > horizon:
            break
        starts.append(naive)
    return starts


# How far a preview looks ahead.
PREVIEW_YEARS = 10


def meeting_end(start: datetime, minutes: int) -> datetime:
    return start + timedelta(minutes=minutes)

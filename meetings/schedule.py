"""A forum's schedule read as Europe/London wall-clock time, and said in plain words.

The RRULE is expanded over naive local times and each occurrence is then given the Europe/London
zone, so a 10:00 meeting stays at 10:00 when the clocks change. (Expanding over UTC, or over a
fixed offset, would move it to 09:00 or 11:00 for half the year.)
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

LONDON = ZoneInfo("Europe/London")

_DAYS = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
_UNITS = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}


def local_datetime(day: date, at: time) -> datetime:
    """A wall-clock time in London as an aware datetime.

    A time that does not exist (inside the spring-forward hour) lands an hour later, and an
    ambiguous one (inside the autumn hour) is taken the first time round, which is zoneinfo's
    fold=0; meetings are not held at those hours in practice.
    """
    return datetime.combine(day, at).replace(tzinfo=LONDON)


def occurrences(forum, start_date: date, end_date: date) -> list[datetime]:
    """The forum's scheduled meeting starts from start_date to end_date inclusive."""
    anchor = datetime.combine(forum.schedule_starts_on, forum.schedule_time)
    rule = rrulestr(forum.schedule_rrule, dtstart=anchor)
    window_start = datetime.combine(start_date, time.min)
    window_end = datetime.combine(end_date, time.max)
    return [
        naive.replace(tzinfo=LONDON) for naive in rule.between(window_start, window_end, inc=True)
    ]


def meeting_end(start: datetime, minutes: int) -> datetime:
    return start + timedelta(minutes=minutes)


def _parts(rule_text: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in rule_text.split(";") if "=" in part)


def _day_phrase(token: str) -> str:
    day = _DAYS.get(token[-2:], token)
    ordinal = token[:-2]
    if ordinal:
        try:
            return f"the {_ORDINALS[int(ordinal)]} {day}"
        except (KeyError, ValueError):
            return token
    return day


def describe(rule_text: str) -> str:
    """Common rules in words ("Monthly on the second Tuesday"); anything else as written."""
    parts = _parts(rule_text)
    frequency = parts.get("FREQ")
    if frequency not in _UNITS or set(parts) - {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY"}:
        return rule_text
    interval = int(parts.get("INTERVAL", "1") or 1)
    if interval == 1:
        words = {"DAILY": "Daily", "WEEKLY": "Weekly", "MONTHLY": "Monthly", "YEARLY": "Yearly"}[
            frequency
        ]
    elif interval == 2 and frequency == "WEEKLY":
        words = "Fortnightly"
    else:
        words = f"Every {interval} {_UNITS[frequency]}s"
    if "BYDAY" in parts:
        days = [_day_phrase(token) for token in parts["BYDAY"].split(",")]
        words += " on " + " and ".join(days)
    elif "BYMONTHDAY" in parts:
        words += " on day " + parts["BYMONTHDAY"] + " of the month"
    return words

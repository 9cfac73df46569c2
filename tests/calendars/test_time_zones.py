"""Times go out as Europe/London wall-clock times with one fixed, compact VTIMEZONE, so a
series keeps its local time across the clock changes and one-off meetings land on the right
instant, in our reading and in ical.js's."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from meetings import services
from meetings.calendars import ics
from meetings.calendars.schedule import LONDON
from meetings.models import CalendarMessage
from tests.calendars.calendar_mail import icaljs

pytestmark = pytest.mark.django_db

COMPACT_LONDON = (
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/London\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "DTSTART:19700329T010000\r\n"
    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n"
    "TZNAME:BST\r\n"
    "TZOFFSETFROM:+0000\r\n"
    "TZOFFSETTO:+0100\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "DTSTART:19701025T020000\r\n"
    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n"
    "TZNAME:GMT\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0000\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
)


def test_the_time_zone_is_the_fixed_compact_europe_london_and_nothing_longer():
    text = ics.london_timezone().to_ical().decode()
    assert text == COMPACT_LONDON
    whole = ics.as_text(ics.build_calendar([]))
    assert whole.count("BEGIN:VTIMEZONE") == 1
    assert whole.count("BEGIN:DAYLIGHT") == 1 and whole.count("BEGIN:STANDARD") == 1


def test_a_weekly_series_across_both_2026_clock_changes_keeps_its_local_time(
    make_forum, pat, sent, partnership_manager, clock
):
    forum = make_forum(
        name="Thursday operational group",
        kind="operational-working-group",
        schedule_rrule="FREQ=WEEKLY;BYDAY=TH",
        schedule_starts_on=date(2026, 3, 1),
        members=[pat],
    )
    sent(
        services.schedule_series,
        forum=forum,
        start_date=date(2026, 3, 1),
        end_date=date(2026, 11, 30),
        actor=partnership_manager,
    )
    message = CalendarMessage.objects.get()
    assert "DTSTART;TZID=Europe/London:20260305T100000" in message.calendar
    expansion = icaljs(message.calendar, limit=100)
    [event] = expansion["events"]
    instants = [datetime.fromisoformat(moment) for moment in event["occurrences"]]
    ours = list(forum.meetings.order_by("start").values_list("start", flat=True))
    assert instants == ours
    assert {moment.astimezone(LONDON).time() for moment in instants} == {time(10, 0)}
    around_spring = [m for m in instants if date(2026, 3, 19) <= m.date() <= date(2026, 4, 2)]
    assert [m.astimezone(UTC).hour for m in around_spring] == [10, 10, 9]
    around_autumn = [m for m in instants if date(2026, 10, 15) <= m.date() <= date(2026, 10, 29)]
    assert [m.astimezone(UTC).hour for m in around_autumn] == [9, 9, 10]


@pytest.mark.parametrize(
    ("day", "local", "utc"),
    [
        # 29 March 2026: clocks go forward at 01:00 GMT; 10:00 that day is BST.
        (date(2026, 3, 29), time(10, 0), datetime(2026, 3, 29, 9, 0, tzinfo=UTC)),
        (date(2026, 3, 29), time(0, 30), datetime(2026, 3, 29, 0, 30, tzinfo=UTC)),
        # 25 October 2026: clocks go back at 02:00 BST; 10:00 that day is GMT.
        (date(2026, 10, 25), time(10, 0), datetime(2026, 10, 25, 10, 0, tzinfo=UTC)),
        (date(2026, 10, 25), time(0, 30), datetime(2026, 10, 24, 23, 30, tzinfo=UTC)),
    ],
)
def test_single_meetings_on_the_change_days_are_at_the_right_utc_instant(
    marac, sent, partnership_manager, clock, day, local, utc
):
    start = datetime.combine(day, local).replace(tzinfo=LONDON)
    sent(
        services.create_meeting,
        forum=marac,
        start=start,
        end=start + timedelta(minutes=45),
        location="Manchester Town Hall",
        online_url="",
        actor=partnership_manager,
    )
    text = CalendarMessage.objects.first().calendar
    assert f"DTSTART;TZID=Europe/London:{day:%Y%m%d}T{local:%H%M}00" in text
    [event] = icaljs(text)["events"]
    assert datetime.fromisoformat(event["occurrences"][0]) == utc
    assert start.astimezone(UTC) == utc

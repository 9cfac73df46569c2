"""Every calendar Partnerhub writes — each kind of invitation e-mail, both downloads and both
feeds — is read by ical.js (Thunderbird's parser, which this project did not write), and ical.js
expands each series to the same start instants as we do, and as the meetings in the database."""

from datetime import UTC, datetime, timedelta

import pytest
from dateutil.rrule import rrulestr
from django.urls import reverse
from icalendar import Calendar

from core.roles import Role
from meetings import services
from meetings.calendars import feeds
from meetings.calendars.schedule import LONDON
from meetings.models import CalendarMessage, Meeting, MeetingStatus
from tests.calendars.calendar_mail import icaljs

pytestmark = pytest.mark.django_db


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _dates(event, name: str) -> list[datetime]:
    value = event.get(name)
    if value is None:
        return []
    return [
        item.dt for group in (value if isinstance(value, list) else [value]) for item in group.dts
    ]


def our_series(cal: Calendar) -> dict:
    """Each recurring event as we mean it: the rule from DTSTART, less the EXDATEs, with each
    override's start and status in its occurrence's place."""
    series = {}
    for master in cal.events:
        if "RRULE" not in master:
            continue
        uid = str(master["UID"])
        overrides = {
            event.decoded("RECURRENCE-ID"): event
            for event in cal.events
            if str(event["UID"]) == uid and "RECURRENCE-ID" in event
        }
        excluded = set(_dates(master, "EXDATE"))
        rule = rrulestr(master["RRULE"].to_ical().decode(), dtstart=master.decoded("DTSTART"))
        shown = []
        for occurrence in rule:
            if occurrence in excluded:
                continue
            if occurrence in overrides:
                event = overrides[occurrence]
                shown.append([_instant(event.decoded("DTSTART")), str(event["STATUS"])])
            else:
                shown.append([_instant(occurrence), str(master["STATUS"])])
        series[uid] = shown
    return series


def assert_icaljs_reads_it_as_we_wrote_it(text: str) -> dict:
    ours = Calendar.from_ical(text)
    theirs = icaljs(text, limit=100)
    assert theirs["method"] == (str(ours["METHOD"]) if "METHOD" in ours else None)
    assert [
        (e["uid"], e["sequence"], e["recurrenceId"], e["status"]) for e in theirs["events"]
    ] == [
        (
            str(e["UID"]),
            e["SEQUENCE"],
            _instant(e.decoded("RECURRENCE-ID")) if "RECURRENCE-ID" in e else None,
            str(e["STATUS"]),
        )
        for e in ours.events
    ]
    for mine, read in zip(ours.events, theirs["events"], strict=True):
        if "RRULE" not in mine:
            assert read["occurrences"] == [_instant(mine.decoded("DTSTART"))]
    assert theirs["series"] == our_series(ours)
    return theirs


def _live_starts(forum) -> list[str]:
    return [
        _instant(start)
        for start in Meeting.objects.filter(
            forum=forum, original_start__isnull=False, status=MeetingStatus.SCHEDULED
        )
        .order_by("original_start")
        .values_list("start", flat=True)
    ]


def test_every_message_download_and_feed_reads_in_ical_js_as_we_expand_it(
    series, marac, sent, partnership_manager, dana, pat, deputy_user, make_user, police, client
):
    # A meeting on its own: invited, updated, cancelled.
    start = datetime(2026, 2, 3, 14, 0, tzinfo=LONDON)
    one_off = services.create_meeting(
        forum=marac,
        start=start,
        end=start + timedelta(hours=1),
        location="Town Hall",
        online_url="",
        actor=partnership_manager,
    )
    services.reschedule_meeting(
        meeting=one_off,
        start=start + timedelta(days=1),
        end=start + timedelta(days=1, hours=1),
        location="Town Hall",
        online_url="",
        actor=partnership_manager,
    )
    services.cancel_meeting(meeting=one_off, reason="", actor=partnership_manager)
    # The series: one occurrence moved, one cancelled, a person removed, a deputy sent.
    april = series[3]
    moved = datetime(2026, 4, 16, 14, 0, tzinfo=LONDON)
    services.reschedule_meeting(
        meeting=april,
        start=moved,
        end=moved + timedelta(hours=2),
        location=april.location,
        online_url="",
        actor=partnership_manager,
    )
    services.cancel_meeting(meeting=series[2], reason="", actor=partnership_manager)
    services.remove_invitation(
        attendance=series[4].attendances.get(person=pat), actor=partnership_manager
    )
    services.send_deputy(
        attendance=series[5].attendances.get(person=dana), deputy_person=deputy_user, actor=dana
    )

    # Downloads and feeds while the series stands.
    subscriber = make_user(Role.PARTNER, agency=police, full_name="Sue Subscriber")
    services.save_forum(
        forum=marac,
        member_agencies=list(marac.member_agencies.all()),
        members=[*marac.members.all(), subscriber],
        actor=partnership_manager,
    )
    manager = make_user(Role.PARTNERSHIP_MANAGER, full_name="Mo Manager")
    personal = feeds.token_for(services.reset_calendar_feed(user=subscriber, actor=subscriber))
    managers = feeds.token_for(services.reset_calendar_feed(user=manager, actor=manager))
    published = [
        client.get(reverse("meetings:calendar-feed", args=[personal])),
        client.get(reverse("meetings:forum-feed", args=[managers, marac.pk])),
    ]
    client.force_login(subscriber)
    published += [
        client.get(reverse("meetings:meeting-calendar", args=[series[6].pk])),
        client.get(reverse("meetings:forum-calendar", args=[marac.pk])),
    ]
    client.force_login(partnership_manager)
    published.append(client.get(reverse("meetings:meeting-calendar", args=[one_off.pk])))
    live = _live_starts(marac)
    assert len(live) == 11
    for response in published:
        assert response.status_code == 200
        theirs = assert_icaljs_reads_it_as_we_wrote_it(response.content.decode())
        for shown in theirs["series"].values():
            assert [start for start, status in shown if status == "CONFIRMED"] == live

    services.cancel_series(forum=marac, reason="", actor=partnership_manager)

    kinds, series_requests = set(), []
    for message in CalendarMessage.objects.order_by("created_at", "pk"):
        theirs = assert_icaljs_reads_it_as_we_wrote_it(message.calendar)
        cal = Calendar.from_ical(message.calendar)
        has_rule = any("RRULE" in event for event in cal.events)
        kinds.add(
            (
                str(cal["METHOD"]),
                "series" if message.meeting_id is None else "occurrence or single",
                has_rule,
            )
        )
        if message.method == "REQUEST" and has_rule:
            series_requests.append(theirs)
    # The last series REQUEST (to the new member) carries exactly the meetings still planned.
    [shown] = series_requests[-1]["series"].values()
    assert [start for start, _ in shown] == live
    assert kinds >= {
        ("REQUEST", "series", True),
        ("CANCEL", "series", True),
        ("REQUEST", "occurrence or single", False),
        ("CANCEL", "occurrence or single", False),
    }
    assert {m.method for m in CalendarMessage.objects.filter(meeting=one_off)} == {
        "REQUEST",
        "CANCEL",
    }

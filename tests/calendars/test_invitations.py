"""Invitation e-mails Outlook, Google and Apple act on: one per person, the right iTIP method,
a stable UID, a SEQUENCE that only rises, and every rule asserted on the parsed message.
Each kind of message is also compared with its golden file in tests/calendars/golden/."""

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from icalendar import Calendar

from meetings import services
from meetings.calendars.schedule import LONDON
from meetings.models import CalendarMessage, Meeting, Response
from tests.calendars.calendar_mail import (
    NOW,
    ORGANISER,
    by_recipient,
    calendar_of,
    calendar_parts,
    icaljs,
    matches_golden,
    mime_text,
    parsed,
)

pytestmark = pytest.mark.django_db


def _event(message, recurrence_id=None):
    events = calendar_of(message).events
    if recurrence_id is None:
        return events[0]
    return next(
        e for e in events if e.get("RECURRENCE-ID") and e.decoded("RECURRENCE-ID") == recurrence_id
    )


def _attendees(event) -> dict:
    return {str(address).removeprefix("mailto:"): address.params for address in event.attendees}


def _emails(messages) -> set:
    return set(by_recipient(messages))


@pytest.fixture
def one_off(marac, partnership_manager, sent, clock):
    start = datetime(2026, 2, 3, 14, 0, tzinfo=LONDON)
    messages = sent(
        services.create_meeting,
        forum=marac,
        start=start,
        end=start + timedelta(hours=1, minutes=30),
        location="",
        online_url="https://meet.example.org/marac-extra",
        title="Extraordinary MARAC",
        actor=partnership_manager,
    )
    sent.first_messages = messages
    return sent.result


# The first invitation ---------------------------------------------------------------------------


def test_first_invitation_of_a_series_is_one_request_per_member_with_every_part(series, marac):
    messages = mail.outbox
    assert _emails(messages) == {
        "chris@provider.example",
        "dana@police.example",
        "pat@charity.example",
    }
    message = by_recipient(messages)["dana@police.example"]
    raw, inline, attached = calendar_parts(message)

    assert raw.get_content_type() == "multipart/mixed"
    alternative = raw.get_payload()[0]
    assert alternative.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in alternative.get_payload()] == [
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    assert inline[0].get_param("method") == "REQUEST"
    assert inline[0].get_content_charset() == "utf-8"
    # The same calendar twice (the inline part's line ends are the mail's own, CRLF on the wire).
    assert attached[0].get_payload(decode=True).replace(b"\r\n", b"\n") == inline[0].get_payload(
        decode=True
    ).replace(b"\r\n", b"\n")
    cal = calendar_of(message)
    assert cal["METHOD"] == "REQUEST" == inline[0].get_param("method")
    assert "UID" not in cal

    # From is the system address in the forum's name; replies go to the organiser mailbox.
    assert raw["From"] == "Manchester MARAC via Partnerhub <partnerhub@partnerhub.example.org>"
    assert raw["Reply-To"] == ORGANISER
    assert raw["To"] == "Dana Police <dana@police.example>"

    [event] = cal.events
    assert str(event["UID"]) == f"forum-{marac.pk}-series@partnerhub.example.org"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTAMP") == NOW
    assert event["RRULE"].to_ical() == b"FREQ=MONTHLY;UNTIL=20261208T100000Z;BYDAY=2TU"
    assert event.decoded("DTSTART") == datetime(2026, 1, 13, 10, 0, tzinfo=LONDON)
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["ORGANIZER"] == f"mailto:{ORGANISER}"
    assert event["ORGANIZER"].params["CN"] == "Manchester MARAC"
    attendees = _attendees(event)
    assert set(attendees) == {
        "chris@provider.example",
        "dana@police.example",
        "pat@charity.example",
    }
    assert attendees["chris@provider.example"]["ROLE"] == "CHAIR"
    for params in attendees.values():
        assert params["PARTSTAT"] == "NEEDS-ACTION"
        assert params["RSVP"] == "TRUE"
        assert params["CN"]
    assert attendees["dana@police.example"]["ROLE"] == "REQ-PARTICIPANT"
    assert event["CLASS"] == "CONFIDENTIAL"
    assert event["STATUS"] == "CONFIRMED"
    matches_golden("series_first_invitation.eml", mime_text(message))


def test_a_single_meeting_is_invited_on_its_own_uid_with_optional_attendees(
    marac, one_off, sent, partnership_manager, make_user, charity
):
    messages = sent.first_messages
    assert _emails(messages) == {
        "chris@provider.example",
        "dana@police.example",
        "pat@charity.example",
    }
    event = _event(by_recipient(messages)["pat@charity.example"])
    assert str(event["UID"]) == f"meeting-{one_off.pk}@partnerhub.example.org"
    assert "RRULE" not in event and "RECURRENCE-ID" not in event
    assert event["LOCATION"] == "Online"
    assert "https://meet.example.org/marac-extra" in event["DESCRIPTION"]
    matches_golden(
        "single_first_invitation.eml", mime_text(by_recipient(messages)["pat@charity.example"])
    )

    guest = make_user(
        "partner", agency=charity, full_name="Gita Guest", email="gita@charity.example"
    )
    invited = sent(
        services.invite,
        meeting=one_off,
        agency=charity,
        person=guest,
        optional=True,
        actor=partnership_manager,
    )
    assert _emails(invited) == {"gita@charity.example"}
    assert _attendees(_event(invited[0]))["gita@charity.example"]["ROLE"] == "OPT-PARTICIPANT"
    assert _event(invited[0])["SEQUENCE"] == 0


# Updates ----------------------------------------------------------------------------------------


def test_an_update_resends_the_request_with_a_higher_sequence_to_everyone_still_invited(
    one_off, sent, partnership_manager
):
    messages = sent(
        services.reschedule_meeting,
        meeting=one_off,
        start=one_off.start + timedelta(days=1),
        end=one_off.end + timedelta(days=1),
        location="Manchester Town Hall, Room 1",
        online_url=one_off.online_url,
        actor=partnership_manager,
    )
    assert _emails(messages) == {
        "chris@provider.example",
        "dana@police.example",
        "pat@charity.example",
    }
    event = _event(by_recipient(messages)["dana@police.example"])
    assert calendar_of(messages[0])["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"meeting-{one_off.pk}@partnerhub.example.org"
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == datetime(2026, 2, 4, 14, 0, tzinfo=LONDON)
    assert event["LOCATION"] == "Manchester Town Hall, Room 1"
    assert messages[0].subject.startswith("Updated invitation:")
    matches_golden("single_update.eml", mime_text(by_recipient(messages)["dana@police.example"]))


@pytest.mark.parametrize(
    "change",
    ["start", "end", "place", "online link", "title"],
)
def test_every_change_that_matters_raises_the_sequence_by_one(
    one_off, sent, partnership_manager, change
):
    values = {
        "start": one_off.start,
        "end": one_off.end,
        "location": one_off.location,
        "online_url": one_off.online_url,
        "title": one_off.title,
    }
    if change == "start":
        values["start"] -= timedelta(minutes=30)
    elif change == "end":
        values["end"] += timedelta(minutes=30)
    elif change == "place":
        values["location"] = "Manchester Central Library"
    elif change == "online link":
        values["online_url"] = "https://meet.example.org/other"
    else:
        values["title"] = "Extraordinary MARAC (rearranged)"
    messages = sent(
        services.reschedule_meeting, meeting=one_off, actor=partnership_manager, **values
    )
    assert {_event(m)["SEQUENCE"] for m in messages} == {1}


def test_renaming_the_forum_or_moving_its_usual_place_resends_the_series_with_a_higher_sequence(
    series, marac, sent, partnership_manager
):
    marac.schedule_location = "Manchester Central Library"
    messages = sent(
        services.save_forum,
        forum=marac,
        member_agencies=list(marac.member_agencies.all()),
        members=list(marac.members.all()),
        actor=partnership_manager,
    )
    assert {_event(m)["SEQUENCE"] for m in messages} == {1}
    assert {str(_event(m)["LOCATION"]) for m in messages} == {"Manchester Central Library"}
    assert set(Meeting.objects.filter(forum=marac).values_list("location", flat=True)) == {
        "Manchester Central Library"
    }
    marac.name = "Manchester MARAC (City)"
    messages = sent(
        services.save_forum,
        forum=marac,
        member_agencies=list(marac.member_agencies.all()),
        members=list(marac.members.all()),
        actor=partnership_manager,
    )
    assert {_event(m)["SEQUENCE"] for m in messages} == {2}
    assert {str(_event(m)["SUMMARY"]) for m in messages} == {"Manchester MARAC (City)"}


def test_replies_change_nothing_and_send_nothing(series, dana, sent):
    invitation = series[1].attendances.get(person=dana)
    messages = sent(services.respond, attendance=invitation, response=Response.ACCEPTED, actor=dana)
    assert messages == []
    series[1].refresh_from_db()
    assert series[1].sequence == 0
    assert series[1].forum.series_sequence == 0


def test_a_forum_without_an_organiser_mailbox_sends_nothing(
    make_forum, dana, sent, partnership_manager, clock
):
    forum = make_forum(name="Quiet forum", organiser_email="", members=[dana])
    messages = sent(
        services.schedule_series,
        forum=forum,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 3, 31),
        actor=partnership_manager,
    )
    assert messages == []
    assert not CalendarMessage.objects.exists()


# Cancellations ----------------------------------------------------------------------------------


def test_cancelling_a_meeting_sends_cancel_with_the_same_uid_and_the_next_sequence(
    one_off, sent, partnership_manager
):
    messages = sent(
        services.cancel_meeting, meeting=one_off, reason="Chair unwell", actor=partnership_manager
    )
    assert _emails(messages) == {
        "chris@provider.example",
        "dana@police.example",
        "pat@charity.example",
    }
    message = by_recipient(messages)["pat@charity.example"]
    _, inline, _ = calendar_parts(message)
    assert inline[0].get_param("method") == "CANCEL"
    cal = calendar_of(message)
    assert cal["METHOD"] == "CANCEL"
    [event] = cal.events
    assert str(event["UID"]) == f"meeting-{one_off.pk}@partnerhub.example.org"
    assert event["SEQUENCE"] == 1
    assert event["STATUS"] == "CANCELLED"
    assert event.decoded("DTSTART") == one_off.start
    assert event.decoded("DTEND") == one_off.end
    assert event["ORGANIZER"] == f"mailto:{ORGANISER}"
    assert set(_attendees(event)) == {
        "chris@provider.example",
        "dana@police.example",
        "pat@charity.example",
    }
    assert message.subject.startswith("Cancelled:")
    matches_golden("single_cancellation.eml", mime_text(message))


def test_cancelling_the_whole_series_sends_one_cancel_for_the_series_uid(
    series, marac, sent, partnership_manager
):
    messages = sent(
        services.cancel_series, forum=marac, reason="Forum merged", actor=partnership_manager
    )
    assert _emails(messages) == {
        "chris@provider.example",
        "dana@police.example",
        "pat@charity.example",
    }
    message = by_recipient(messages)["chris@provider.example"]
    cal = calendar_of(message)
    assert cal["METHOD"] == "CANCEL"
    [event] = cal.events
    assert str(event["UID"]) == f"forum-{marac.pk}-series@partnerhub.example.org"
    assert "RECURRENCE-ID" not in event
    assert event["SEQUENCE"] == 1
    assert event["STATUS"] == "CANCELLED"
    assert event.decoded("DTSTART") == datetime(2026, 1, 13, 10, 0, tzinfo=LONDON)
    assert "DTEND" in event and "ORGANIZER" in event
    assert len(_attendees(event)) == 3
    matches_golden("series_cancellation.eml", mime_text(message))


def test_one_occurrence_cancelled_sends_cancel_with_its_recurrence_id_and_the_series_survives(
    series, marac, sent, partnership_manager
):
    march = series[2]
    messages = sent(
        services.cancel_meeting, meeting=march, reason="Room unavailable", actor=partnership_manager
    )
    assert len(messages) == 3
    message = by_recipient(messages)["dana@police.example"]
    cal = calendar_of(message)
    assert cal["METHOD"] == "CANCEL"
    [event] = cal.events
    assert str(event["UID"]) == f"forum-{marac.pk}-series@partnerhub.example.org"
    assert event.decoded("RECURRENCE-ID") == datetime(2026, 3, 10, 10, 0, tzinfo=LONDON)
    assert event["RECURRENCE-ID"].params["TZID"] == "Europe/London"
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1
    matches_golden("occurrence_cancellation.eml", mime_text(message))

    # The next request for the series carries the cancelled occurrence as an EXDATE.
    later = sent(
        services.schedule_series,
        forum=marac,
        start_date=date(2027, 1, 1),
        end_date=date(2027, 1, 31),
        actor=partnership_manager,
    )
    master = _event(by_recipient(later)["dana@police.example"])
    assert master["SEQUENCE"] == 2
    exdates = [moment for group in [master["EXDATE"]] for moment in group.dts]
    assert [moment.dt for moment in exdates] == [datetime(2026, 3, 10, 10, 0, tzinfo=LONDON)]
    shown = icaljs(calendar_of(later[0]).to_ical().decode())["series"][str(master["UID"])]
    starts = [start for start, _ in shown]
    assert "2026-03-10T10:00:00.000Z" not in starts
    assert starts[:3] == [
        "2026-01-13T10:00:00.000Z",
        "2026-02-10T10:00:00.000Z",
        "2026-04-14T09:00:00.000Z",
    ]
    assert len(starts) == 12


def test_one_occurrence_moved_sends_request_with_its_recurrence_id_and_later_requests_carry_the_override(
    series, marac, sent, partnership_manager
):
    april = series[3]
    new_start = datetime(2026, 4, 16, 14, 0, tzinfo=LONDON)
    messages = sent(
        services.reschedule_meeting,
        meeting=april,
        start=new_start,
        end=new_start + timedelta(hours=2),
        location=april.location,
        online_url="",
        actor=partnership_manager,
    )
    assert len(messages) == 3
    message = by_recipient(messages)["pat@charity.example"]
    cal = calendar_of(message)
    assert cal["METHOD"] == "REQUEST"
    [event] = cal.events
    assert event.decoded("RECURRENCE-ID") == datetime(2026, 4, 14, 10, 0, tzinfo=LONDON)
    assert event.decoded("DTSTART") == new_start
    assert event["SEQUENCE"] == 1
    assert "RRULE" not in event
    matches_golden("occurrence_moved.eml", mime_text(message))

    later = sent(
        services.schedule_series,
        forum=marac,
        start_date=date(2027, 1, 1),
        end_date=date(2027, 1, 31),
        actor=partnership_manager,
    )
    full = calendar_of(by_recipient(later)["pat@charity.example"])
    master, override = full.events
    assert master["SEQUENCE"] == override["SEQUENCE"] == 2
    assert "EXDATE" not in master
    assert override.decoded("RECURRENCE-ID") == datetime(2026, 4, 14, 10, 0, tzinfo=LONDON)
    assert override.decoded("DTSTART") == new_start
    shown = icaljs(full.to_ical().decode())["series"][str(master["UID"])]
    assert ["2026-04-16T13:00:00.000Z", "CONFIRMED"] in shown
    assert len(shown) == 13


def test_an_occurrence_cannot_move_onto_or_past_its_neighbour(series, partnership_manager):
    april = series[3]
    for day in (date(2026, 3, 10), date(2026, 3, 2), date(2026, 5, 12), date(2026, 5, 20)):
        start = datetime.combine(day, april.start.astimezone(LONDON).time()).replace(tzinfo=LONDON)
        with pytest.raises(services.Refused, match="Choose a day"):
            services.reschedule_meeting(
                meeting=april,
                start=start,
                end=start + timedelta(hours=2),
                location=april.location,
                online_url="",
                actor=partnership_manager,
            )


def test_removing_one_person_sends_that_person_alone_a_cancel(
    series, dana, sent, partnership_manager
):
    may = series[4]
    attendance = may.attendances.get(person=dana)
    messages = sent(services.remove_invitation, attendance=attendance, actor=partnership_manager)
    assert _emails(messages) == {"dana@police.example"}
    cal = calendar_of(messages[0])
    assert cal["METHOD"] == "CANCEL"
    [event] = cal.events
    assert event.decoded("RECURRENCE-ID") == datetime(2026, 5, 12, 10, 0, tzinfo=LONDON)
    assert set(_attendees(event)) == {"dana@police.example"}
    assert event["SEQUENCE"] == 1
    # Their agency keeps a seat, and the occurrence is an override without them from now on.
    assert may.attendances.filter(agency=dana.agency, person__isnull=True).exists()
    matches_golden("attendee_removed.eml", mime_text(messages[0]))


def test_a_member_leaving_the_forum_alone_is_sent_a_cancel_of_the_series(
    series, marac, chair, pat, sent, partnership_manager
):
    messages = sent(
        services.save_forum,
        forum=marac,
        member_agencies=list(marac.member_agencies.all()),
        members=[chair, pat],
        actor=partnership_manager,
    )
    assert _emails(messages) == {"dana@police.example"}
    event = _event(messages[0])
    assert calendar_of(messages[0])["METHOD"] == "CANCEL"
    assert "RECURRENCE-ID" not in event
    assert set(_attendees(event)) == {"dana@police.example"}


def test_a_deputy_is_sent_the_request_delegated_from_the_invitee(
    series, dana, deputy_user, sent, partnership_manager, client
):
    june = series[5]
    attendance = june.attendances.get(person=dana)
    messages = sent(
        services.send_deputy, attendance=attendance, deputy_person=deputy_user, actor=dana
    )
    assert _emails(messages) == {"dee@police.example"}
    cal = calendar_of(messages[0])
    assert cal["METHOD"] == "REQUEST"
    [event] = cal.events
    assert event.decoded("RECURRENCE-ID") == datetime(2026, 6, 9, 10, 0, tzinfo=LONDON)
    attendees = _attendees(event)
    assert attendees["dee@police.example"]["DELEGATED-FROM"] == "mailto:dana@police.example"
    assert attendees["dee@police.example"]["PARTSTAT"] == "NEEDS-ACTION"
    assert attendees["dee@police.example"]["RSVP"] == "TRUE"
    assert attendees["dana@police.example"]["DELEGATED-TO"] == "mailto:dee@police.example"
    assert attendees["dana@police.example"]["PARTSTAT"] == "DELEGATED"
    assert "Dear Dee Deputy" in messages[0].body
    matches_golden("deputy_request.eml", mime_text(messages[0]))

    client.force_login(partnership_manager)
    page = client.get(f"/meetings/{june.pk}/").content.decode()
    assert "Dee Deputy attending as deputy for Dana Police" in page


def test_a_deputy_outside_partnerhub_is_invited_by_e_mail_and_a_replaced_one_is_told(
    series, pat, sent, partnership_manager
):
    july = series[6]
    attendance = july.attendances.get(person=pat)
    sent(
        services.send_deputy,
        attendance=attendance,
        deputy_name="Sam Standin",
        deputy_email="sam@charity.example",
        actor=partnership_manager,
    )
    messages = sent(
        services.send_deputy,
        attendance=attendance,
        deputy_name="Robin Relief",
        deputy_email="robin@charity.example",
        actor=partnership_manager,
    )
    methods = {email: calendar_of(m)["METHOD"] for email, m in by_recipient(messages).items()}
    assert methods == {"sam@charity.example": "CANCEL", "robin@charity.example": "REQUEST"}
    attendance.refresh_from_db()
    assert (attendance.deputy_name, attendance.deputy_email, attendance.response) == (
        "Robin Relief",
        "robin@charity.example",
        Response.DELEGATED,
    )


def test_every_message_about_a_series_carries_a_sequence_no_lower_than_the_one_before(
    series, marac, sent, partnership_manager, dana
):
    sent(services.cancel_meeting, meeting=series[2], reason="", actor=partnership_manager)
    start = series[3].start + timedelta(days=1)
    sent(
        services.reschedule_meeting,
        meeting=series[3],
        start=start,
        end=start + timedelta(hours=2),
        location=series[3].location,
        online_url="",
        actor=partnership_manager,
    )
    sent(
        services.remove_invitation,
        attendance=series[4].attendances.get(person=dana),
        actor=partnership_manager,
    )
    sent(services.cancel_series, forum=marac, reason="", actor=partnership_manager)
    sequences = [
        event["SEQUENCE"]
        for message in CalendarMessage.objects.order_by("created_at", "pk")
        for event in Calendar.from_ical(message.calendar).events
    ]
    assert sequences == sorted(sequences)
    assert sequences[-1] == 4


def test_every_calendar_sent_reads_in_ical_js_as_written(
    series, marac, sent, partnership_manager, dana, deputy_user
):
    sent(services.cancel_meeting, meeting=series[2], reason="", actor=partnership_manager)
    sent(
        services.send_deputy,
        attendance=series[5].attendances.get(person=dana),
        deputy_person=deputy_user,
        actor=dana,
    )
    for message in CalendarMessage.objects.all():
        ours = Calendar.from_ical(message.calendar)
        theirs = icaljs(message.calendar)
        assert theirs["method"] == str(ours["METHOD"])
        assert [(e["uid"], e["sequence"]) for e in theirs["events"]] == [
            (str(e["UID"]), e["SEQUENCE"]) for e in ours.events
        ]
    assert parsed(mail.outbox[0])["Content-Class"] == "urn:content-classes:calendarmessage"


def test_changing_the_pattern_moves_the_meetings_ahead_and_resends_the_series(
    series, marac, sent, partnership_manager
):
    marac.schedule_rrule = "FREQ=MONTHLY;BYDAY=3TU"
    messages = sent(
        services.save_forum,
        forum=marac,
        member_agencies=list(marac.member_agencies.all()),
        members=list(marac.members.all()),
        actor=partnership_manager,
    )
    assert _emails(messages) == {
        "chris@provider.example",
        "dana@police.example",
        "pat@charity.example",
    }
    cal = calendar_of(messages[0])
    master = cal.events[0]
    assert master["SEQUENCE"] == 1
    assert master["RRULE"].to_ical().startswith(b"FREQ=MONTHLY;UNTIL=")
    live = list(
        Meeting.objects.filter(forum=marac, status="scheduled")
        .order_by("start")
        .values_list("start", flat=True)
    )
    assert live[0] == datetime(2026, 1, 20, 10, 0, tzinfo=LONDON)
    shown = icaljs(cal.to_ical().decode())["series"][str(master["UID"])]
    assert [datetime.fromisoformat(start) for start, _ in shown] == live


def test_a_new_member_alone_is_sent_the_series_and_is_invited_to_the_meetings_ahead(
    series, marac, sent, partnership_manager, make_user, charity
):
    newcomer = make_user(
        "partner", agency=charity, full_name="Nia New", email="nia@charity.example"
    )
    messages = sent(
        services.save_forum,
        forum=marac,
        member_agencies=list(marac.member_agencies.all()),
        members=[*marac.members.all(), newcomer],
        actor=partnership_manager,
    )
    assert _emails(messages) == {"nia@charity.example"}
    assert _event(messages[0])["SEQUENCE"] == 0
    assert "nia@charity.example" in _attendees(_event(messages[0]))
    assert Meeting.objects.filter(forum=marac, attendances__person=newcomer).count() == 12

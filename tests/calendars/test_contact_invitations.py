"""A directory contact named on an agency's seat, who has no Partnerhub account, is sent the
same iTIP REQUEST, update and CANCEL as people in Partnerhub, each request with their own signed
link; each kind is compared with its golden file and read by ical.js."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from meetings import links, services
from meetings.calendars.schedule import LONDON
from meetings.models import Attendance, Response
from tests.calendars.calendar_mail import (
    by_recipient,
    calendar_of,
    calendar_parts,
    matches_golden,
    mime_text,
    parsed,
)
from tests.calendars.test_icaljs import assert_icaljs_reads_it_as_we_wrote_it
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

CONTACT = "sam.contact@police.example"


@pytest.fixture
def one_off(marac, partnership_manager, clock):
    start = datetime(2026, 2, 3, 14, 0, tzinfo=LONDON)
    return services.create_meeting(
        forum=marac,
        start=start,
        end=start + timedelta(hours=1, minutes=30),
        location="Manchester Town Hall",
        online_url="",
        title="Extraordinary MARAC",
        actor=partnership_manager,
    )


@pytest.fixture
def contact(police):
    return ContactFactory(agency=police, full_name="Sam Contact", email=CONTACT)


@pytest.fixture
def invited(one_off, police, contact, partnership_manager, sent):
    messages = sent(
        services.invite,
        meeting=one_off,
        agency=police,
        contact=contact,
        actor=partnership_manager,
    )
    sent.first_messages = messages
    return sent.result


def _attendees(message) -> dict:
    [event] = calendar_of(message).events
    return {str(address).removeprefix("mailto:"): address.params for address in event.attendees}


def _link_in(message) -> str:
    body = parsed(message).get_payload()[0].get_payload()[0].get_payload(decode=True).decode()
    return next(line for line in body.splitlines() if "/invitations/" in line)


def test_a_contact_is_sent_the_request_with_their_own_link(invited, sent, one_off):
    [message] = sent.first_messages
    assert by_recipient([message]) == {CONTACT: message}
    assert message.to == ["Sam Contact <sam.contact@police.example>"]
    _, inline, _ = calendar_parts(message)
    assert inline[0].get_param("method") == "REQUEST"
    attendee = _attendees(message)[CONTACT]
    assert attendee["CN"] == "Sam Contact"
    assert attendee["ROLE"] == "REQ-PARTICIPANT"
    assert attendee["PARTSTAT"] == "NEEDS-ACTION"
    # The link in the message is the contact's own, and opens their invitation.
    link = _link_in(message)
    assert link == "https://partnerhub.example.org" + links.invitation_url(invited)
    assert "The agenda and papers are in Partnerhub" not in message.body
    assert_icaljs_reads_it_as_we_wrote_it(calendar_of(message).to_ical().decode())
    matches_golden("contact_first_invitation.eml", mime_text(message))


def test_a_contact_is_sent_the_update_with_a_higher_sequence_and_the_same_link(
    invited, sent, one_off, partnership_manager
):
    first_link = _link_in(sent.first_messages[0])
    messages = sent(
        services.reschedule_meeting,
        meeting=one_off,
        start=one_off.start + timedelta(days=1),
        end=one_off.end + timedelta(days=1),
        location="Manchester Town Hall, Room 2",
        online_url="",
        actor=partnership_manager,
    )
    message = by_recipient(messages)[CONTACT]
    [event] = calendar_of(message).events
    assert event["SEQUENCE"] == 1
    assert message.subject.startswith("Updated invitation:")
    assert _link_in(message) == first_link
    # Everyone else's update lists the contact among the attendees.
    assert CONTACT in _attendees(by_recipient(messages)["dana@police.example"])
    assert_icaljs_reads_it_as_we_wrote_it(calendar_of(message).to_ical().decode())
    matches_golden("contact_update.eml", mime_text(message))


def test_a_contact_is_sent_the_cancellation_without_a_link(
    invited, sent, one_off, partnership_manager
):
    messages = sent(
        services.cancel_meeting, meeting=one_off, reason="Chair unwell", actor=partnership_manager
    )
    message = by_recipient(messages)[CONTACT]
    _, inline, _ = calendar_parts(message)
    assert inline[0].get_param("method") == "CANCEL"
    [event] = calendar_of(message).events
    assert event["STATUS"] == "CANCELLED"
    assert "/invitations/" not in message.body
    assert_icaljs_reads_it_as_we_wrote_it(calendar_of(message).to_ical().decode())
    matches_golden("contact_cancellation.eml", mime_text(message))


def test_a_contact_taken_off_the_meeting_alone_is_sent_a_cancellation(
    invited, sent, partnership_manager, contact
):
    messages = sent(services.remove_invitation, attendance=invited, actor=partnership_manager)
    assert list(by_recipient(messages)) == [CONTACT]
    assert calendar_of(messages[0])["METHOD"] == "CANCEL"
    # The police keep their place through Dana, who is invited by name.
    assert not Attendance.objects.filter(contact=contact).exists()


def test_a_deputy_the_contact_sends_through_their_link_is_invited_delegated_from_them(
    invited, sent, client
):
    token = links.invitation_token(invited)
    messages = sent(
        client.post,
        reverse("meetings:contact-invitation", args=[token]),
        {"deputy-deputy_name": "Kim Deputy", "deputy-deputy_email": "kim@police.example"},
    )
    deputy_message = by_recipient(messages)["kim@police.example"]
    attendees = _attendees(deputy_message)
    assert attendees["kim@police.example"]["DELEGATED-FROM"] == f"mailto:{CONTACT}"
    assert attendees[CONTACT]["PARTSTAT"] == "DELEGATED"
    # The deputy's invitation carries no link: it is the contact's alone.
    assert "/invitations/" not in deputy_message.body
    invited.refresh_from_db()
    assert invited.response == Response.DELEGATED

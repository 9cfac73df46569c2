"""An agency's seat at a forum names its single point of contact in the directory: every
meeting the schedule generates names them, the series invites them as it invites the named
members (so no occurrence becomes an override), and the series request carries their own link
for each meeting ahead."""

from datetime import date

import pytest

from agencies.models import AgencyKind
from meetings import links, services
from meetings.calendars import invitations
from meetings.models import Attendance
from tests.calendars.calendar_mail import NOW, by_recipient, calendar_of
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

CONTACT = "sol.spoc@social-care.example"


@pytest.fixture
def social_care(make_agency, marac):
    agency = make_agency("Manchester Adult Social Care", kind=AgencyKind.ADULT_SOCIAL_CARE)
    marac.member_agencies.add(agency)
    return agency


@pytest.fixture
def spoc(social_care):
    ContactFactory(agency=social_care, full_name="Not First", email="other@social-care.example")
    return ContactFactory(
        agency=social_care,
        full_name="Sol Spoc",
        email=CONTACT,
        is_single_point_of_contact=True,
    )


@pytest.fixture
def generated(marac, spoc, partnership_manager, sent, clock):
    messages = sent(
        services.schedule_series,
        forum=marac,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 6, 30),
        actor=partnership_manager,
    )
    return list(marac.meetings.order_by("start")), messages


def test_every_generated_meeting_names_the_agencys_single_point_of_contact_on_its_seat(
    generated, spoc, social_care, police
):
    meetings, _ = generated
    seats = Attendance.objects.filter(meeting__in=meetings, agency=social_care)
    assert seats.count() == len(meetings)
    assert set(seats.values_list("contact", flat=True)) == {spoc.pk}
    # The police have a named member, so their seat names nobody from the directory.
    assert not Attendance.objects.filter(meeting__in=meetings, contact__agency=police).exists()


def test_the_series_invites_the_contact_so_no_meeting_becomes_an_override(generated, marac):
    plan = invitations.series_plan(marac)
    assert CONTACT in {invitee.email for invitee in plan.invitees}
    assert plan.overrides == []


def test_the_series_request_to_the_contact_carries_their_link_for_each_meeting_ahead(generated):
    meetings, messages = generated
    message = by_recipient(messages)[CONTACT]
    assert f"mailto:{CONTACT}" in calendar_of(message).to_ical().decode()
    ahead = [meeting for meeting in meetings if meeting.start >= NOW]
    assert ahead
    for meeting in ahead:
        attendance = meeting.attendances.get(contact__email=CONTACT)
        assert links.invitation_url(attendance) in message.body


def test_a_single_point_of_contact_without_an_address_leaves_the_seat_open(
    marac, social_care, partnership_manager, sent, clock
):
    ContactFactory(
        agency=social_care,
        full_name="Phone Only",
        email="",
        phone="0161 000 0000",
        is_single_point_of_contact=True,
    )
    sent(
        services.schedule_series,
        forum=marac,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 3, 31),
        actor=partnership_manager,
    )
    seats = Attendance.objects.filter(meeting__forum=marac, agency=social_care)
    assert seats.exists()
    assert not seats.filter(contact__isnull=False).exists()

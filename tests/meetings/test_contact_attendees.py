"""Directory contacts as attendees: an agency's seat names a contact who has no Partnerhub
account; they answer, send a deputy, read the general agenda and comment on circulated minutes
through signed links, which refuse being altered, used after they expire or for another address."""

import base64
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from meetings import links, services
from meetings.calendars.schedule import LONDON
from meetings.models import Attendance, MinutesComment, Refused, Response
from tests.factories import ContactFactory
from tests.meetings.case_items import NOW, SUMMARY
from tests.sample_files import PDF

pytestmark = pytest.mark.django_db

BEFORE = NOW  # 2 February 2026; the meeting is on 10 February at 10:00.
AFTER_MEETING = datetime(2026, 2, 11, 9, 0, tzinfo=LONDON)


@pytest.fixture
def contact(police):
    return ContactFactory(agency=police, full_name="Sam Contact", email="sam@police.example")


@pytest.fixture
def seated(meeting, police, contact, partnership_manager):
    """The police's seat at the 10 February MARAC names Sam, who is not a Partnerhub user."""
    with time_machine.travel(BEFORE, tick=False):
        return services.invite(
            meeting=meeting, agency=police, contact=contact, actor=partnership_manager
        )


def _page(token):
    return reverse("meetings:contact-invitation", args=[token])


# Inviting a contact ---------------------------------------------------------------------------


def test_a_contact_fills_their_agencys_open_seat_and_the_invitation_is_on_record(
    meeting, police, contact, seated, partnership_manager
):
    assert seated.contact == contact and seated.person is None
    assert not seated.is_seat
    assert not Attendance.objects.filter(
        meeting=meeting, agency=police, person=None, contact=None
    ).exists()
    event = AuditEvent.objects.filter(
        object_type="meetings.attendance", object_id=str(seated.pk)
    ).latest("sequence")
    assert event.detail["contact_id"] == contact.pk
    with pytest.raises(Refused, match="Sam Contact is already invited"):
        services.invite(
            meeting=meeting,
            agency=police,
            contact=contact,
            actor=partnership_manager,
        )


def test_a_contact_without_an_email_address_is_refused_with_the_reason(
    meeting, police, partnership_manager
):
    no_address = ContactFactory(agency=police, full_name="Phone Only", email="", phone="0161")
    with pytest.raises(Refused, match="Phone Only has no e-mail address in the directory"):
        services.invite(
            meeting=meeting, agency=police, contact=no_address, actor=partnership_manager
        )
    assert not Attendance.objects.filter(contact=no_address).exists()


def test_the_invite_page_lists_a_contact_without_an_email_address_as_not_invitable(
    meeting, police, partnership_manager_client
):
    no_address = ContactFactory(agency=police, full_name="Phone Only", email="", phone="0161")
    url = reverse("meetings:attendance-invite", args=[meeting.pk])
    page = partnership_manager_client.get(url).content.decode()
    assert "Phone Only, Greater Manchester Police: no e-mail address, so cannot be invited" in page
    response = partnership_manager_client.post(url, {"agency": police.pk, "contact": no_address.pk})
    assert response.status_code == 200
    assert "Phone Only has no e-mail address in the directory" in response.content.decode()
    assert not Attendance.objects.filter(contact=no_address).exists()


def test_a_contact_of_another_agency_is_refused(
    meeting, idva_service, contact, partnership_manager
):
    with pytest.raises(Refused, match="is not a contact of Independent DV Advisers"):
        services.invite(
            meeting=meeting, agency=idva_service, contact=contact, actor=partnership_manager
        )


def test_a_contact_with_a_partnerhub_account_is_invited_as_that_person(
    meeting, police, police_officer, partnership_manager
):
    listed = ContactFactory(agency=police, full_name="Dana Police", user=police_officer)
    attendance = services.invite(
        meeting=meeting, agency=police, contact=listed, actor=partnership_manager
    )
    assert (attendance.person, attendance.contact) == (police_officer, None)


def test_a_seat_given_with_nobody_named_names_the_single_point_of_contact(
    meeting, police, make_agency, marac, partnership_manager
):
    housing = make_agency("Northgate Housing")
    marac.member_agencies.add(housing)
    ContactFactory(agency=housing, full_name="Not First", email="nf@housing.example")
    single = ContactFactory(
        agency=housing,
        full_name="Single Point",
        email="spoc@housing.example",
        is_single_point_of_contact=True,
    )
    seat = services.invite(meeting=meeting, agency=housing, actor=partnership_manager)
    assert seat.contact == single

    # Without an e-mail address the single point of contact cannot be named: the seat stays open.
    quiet = make_agency("Quiet Agency")
    marac.member_agencies.add(quiet)
    ContactFactory(
        agency=quiet, full_name="No Mail", email="", phone="01", is_single_point_of_contact=True
    )
    assert services.invite(meeting=meeting, agency=quiet, actor=partnership_manager).is_seat


# Answering through the link --------------------------------------------------------------------


@pytest.mark.parametrize("answer", [Response.ACCEPTED, Response.DECLINED])
def test_a_contact_answers_through_their_link_on_record_without_an_actor(
    seated, client, contact, answer
):
    token = links.invitation_token(seated)
    with time_machine.travel(BEFORE, tick=False):
        page = client.get(_page(token))
        assert page.status_code == 200
        assert "Will you attend?" in page.content.decode()
        response = client.post(_page(token), {"answer-response": answer})
    assert response.status_code == 302
    seated.refresh_from_db()
    assert seated.response == answer
    event = AuditEvent.objects.filter(
        object_type="meetings.attendance", object_id=str(seated.pk)
    ).latest("sequence")
    assert event.actor_id is None
    assert event.changed_fields == ["response"]
    assert event.detail["contact_id"] == contact.pk
    assert event.actor_label == f"Directory contact {contact.pk} by signed link"


def test_a_contact_sends_a_deputy_through_their_link(seated, client):
    token = links.invitation_token(seated)
    with time_machine.travel(BEFORE, tick=False):
        response = client.post(
            _page(token),
            {"deputy-deputy_name": "Kim Deputy", "deputy-deputy_email": "Kim@Police.example"},
        )
    assert response.status_code == 302
    seated.refresh_from_db()
    assert (seated.response, seated.deputy_name, seated.deputy_email) == (
        Response.DELEGATED,
        "Kim Deputy",
        "kim@police.example",
    )


def test_a_deputy_who_is_already_an_attendee_is_refused(seated, client, partner_user):
    token = links.invitation_token(seated)
    with time_machine.travel(BEFORE, tick=False):
        response = client.post(
            _page(token),
            {
                "deputy-deputy_name": "Already Here",
                "deputy-deputy_email": partner_user.email.upper(),
            },
        )
        assert response.status_code == 200
        assert "is already invited to this meeting" in response.content.decode()
        with pytest.raises(Refused, match="is already invited to this meeting"):
            services.send_deputy_by_link(
                token=token, deputy_name="Already Here", deputy_email=partner_user.email
            )
    seated.refresh_from_db()
    assert seated.response == Response.INVITED and not seated.deputy_name


def test_an_altered_link_is_refused(seated, client):
    token = links.invitation_token(seated)
    altered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    with time_machine.travel(BEFORE, tick=False):
        assert client.get(_page(altered)).status_code == 403
        assert client.post(_page(altered), {"answer-response": "accepted"}).status_code == 403
        with pytest.raises(links.LinkRefused) as refusal:
            services.answer_by_link(token=altered, response=Response.ACCEPTED)
    assert refusal.value.code == "altered"
    # Another attendance's number in a link signed for this one is an altered link too.
    forged = signing.Signer(salt="not-the-salt").sign_object(
        {"a": seated.pk + 1, "c": seated.contact_id, "e": "sam@police.example"}
    )
    with pytest.raises(links.LinkRefused, match="not one Partnerhub sent"):
        links.verify_invitation(forged)
    seated.refresh_from_db()
    assert seated.response == Response.INVITED


def test_a_link_expires_when_the_meeting_ends(seated, client):
    token = links.invitation_token(seated)
    with time_machine.travel(seated.meeting.end + timedelta(minutes=1), tick=False):
        response = client.get(_page(token))
        assert response.status_code == 410
        assert "This link has expired" in response.content.decode()
        with pytest.raises(links.LinkRefused, match="expired"):
            services.answer_by_link(token=token, response=Response.ACCEPTED)


def test_a_link_sent_to_another_address_is_refused(seated, contact, client):
    token = links.invitation_token(seated)
    contact.email = "sam.new@police.example"
    contact.save()
    with time_machine.travel(BEFORE, tick=False):
        response = client.get(_page(token))
        assert response.status_code == 403
        assert "sent to another e-mail address" in response.content.decode()
        # The link made for the new address works.
        assert client.get(_page(links.invitation_token(seated))).status_code == 200


def test_a_link_of_a_contact_taken_off_the_meeting_is_withdrawn(
    seated, client, partnership_manager
):
    token = links.invitation_token(seated)
    with time_machine.travel(BEFORE, tick=False):
        services.remove_invitation(attendance=seated, actor=partnership_manager)
        assert client.get(_page(token)).status_code == 410


def test_an_invitation_link_is_not_a_minutes_link(seated):
    with pytest.raises(links.LinkRefused, match="not one Partnerhub sent"):
        links.verify_minutes(links.invitation_token(seated))


# The agenda through the link ---------------------------------------------------------------------


def test_the_agenda_link_shows_general_items_and_their_papers_never_case_items(
    agreements, seated, listed, client, partnership_manager, officer
):
    general = services.add_agenda_item(
        meeting=seated.meeting, title="Updates from agencies", actor=partnership_manager
    )
    paper = services.add_paper(
        item=general, uploaded=SimpleUploadedFile("updates.pdf", PDF), actor=partnership_manager
    )
    case_paper = services.add_paper(
        item=listed, uploaded=SimpleUploadedFile("risk-assessment.pdf", PDF), actor=officer
    )
    token = links.invitation_token(seated)
    with time_machine.travel(BEFORE, tick=False):
        page = client.get(_page(token)).content.decode()
        assert "Updates from agencies" in page and "updates.pdf" in page
        assert listed.title not in page
        assert SUMMARY not in page
        assert "risk-assessment.pdf" not in page
        assert listed.case.reference not in page
        download = client.get(reverse("meetings:contact-paper", args=[paper.pk, token]))
        assert download.status_code == 200
        refused = client.get(reverse("meetings:contact-paper", args=[case_paper.pk, token]))
        assert refused.status_code == 404
    downloaded = AuditEvent.objects.get(
        object_type="meetings.paper", object_id=str(paper.pk), verb="downloaded"
    )
    assert downloaded.detail["contact_id"] == seated.contact_id


def test_the_invitation_page_runs_a_fixed_number_of_queries(
    seated, client, partnership_manager, django_assert_max_num_queries
):
    token = links.invitation_token(seated)

    def add_items(count):
        for number in range(count):
            item = services.add_agenda_item(
                meeting=seated.meeting, title=f"Item {number}", actor=partnership_manager
            )
            services.add_paper(
                item=item,
                uploaded=SimpleUploadedFile(f"p{number}.pdf", PDF),
                actor=partnership_manager,
            )

    add_items(1)
    with time_machine.travel(BEFORE, tick=False), CaptureQueriesContext(connection) as captured:
        assert client.get(_page(token)).status_code == 200
    budget = len(captured)
    add_items(6)
    with time_machine.travel(BEFORE, tick=False), django_assert_max_num_queries(budget):
        assert client.get(_page(token)).status_code == 200
    assert budget <= 12


# Minutes through the link -------------------------------------------------------------------------


@pytest.fixture
def circulated(seated, partnership_manager, django_capture_on_commit_callbacks):
    mail.outbox = []
    with time_machine.travel(AFTER_MEETING, tick=False):
        minutes = services.write_minutes(
            meeting=seated.meeting, body="## Present\n\nAll agencies.", actor=partnership_manager
        )
        with django_capture_on_commit_callbacks(execute=True):
            return services.circulate_minutes(minutes=minutes, actor=partnership_manager)


def test_circulating_minutes_sends_each_contact_their_own_minutes_link(circulated, seated):
    [message] = [m for m in mail.outbox if "sam@police.example" in m.to[0]]
    assert message.subject.startswith("Minutes for comment:")
    assert reverse("meetings:contact-minutes", args=[links.minutes_token(seated, circulated)]) in (
        message.body
    )


def test_a_contact_comments_on_circulated_minutes_through_their_link(
    circulated, seated, client, contact
):
    url = reverse("meetings:contact-minutes", args=[links.minutes_token(seated, circulated)])
    with time_machine.travel(AFTER_MEETING + timedelta(days=1), tick=False):
        page = client.get(url).content.decode()
        assert "All agencies." in page
        response = client.post(url, {"text": "Our apologies were sent in advance."})
    assert response.status_code == 302
    comment = MinutesComment.objects.get()
    assert (comment.author, comment.contact, comment.author_name) == (None, contact, "Sam Contact")
    event = AuditEvent.objects.get(object_type="meetings.minutescomment", object_id=str(comment.pk))
    assert event.actor_id is None and event.detail["contact_id"] == contact.pk


def test_a_contact_comment_after_the_deadline_or_on_approved_minutes_is_refused(
    circulated, seated, client, partnership_manager
):
    token = links.minutes_token(seated, circulated)
    url = reverse("meetings:contact-minutes", args=[token])
    with time_machine.travel(circulated.comments_close_at + timedelta(minutes=1), tick=False):
        assert client.post(url, {"text": "Too late"}).status_code == 410
        with pytest.raises(links.LinkRefused, match="comments on these minutes closed"):
            services.comment_by_link(token=token, text="Too late")
    with time_machine.travel(AFTER_MEETING + timedelta(days=1), tick=False):
        services.approve_minutes(minutes=circulated, actor=partnership_manager)
        assert client.post(url, {"text": "After approval"}).status_code == 410
        with pytest.raises(links.LinkRefused, match="no longer open for comments"):
            services.comment_by_link(token=token, text="After approval")
    assert not MinutesComment.objects.exists()


def test_minutes_of_a_case_meeting_are_not_shown_through_the_link_but_take_a_comment(
    agreements, seated, discussed, officer, client, django_capture_on_commit_callbacks
):
    minutes = services.current_minutes(seated.meeting)
    with (
        time_machine.travel(AFTER_MEETING, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        circulated = services.circulate_minutes(minutes=minutes, actor=officer)
    url = reverse("meetings:contact-minutes", args=[links.minutes_token(seated, circulated)])
    with time_machine.travel(AFTER_MEETING + timedelta(days=1), tick=False):
        page = client.get(url).content.decode()
        assert circulated.body not in page
        assert "shared with Greater Manchester Police's people signed in" in page
        assert client.post(url, {"text": "General: the venue was too small"}).status_code == 302
    assert MinutesComment.objects.get().contact == seated.contact


def test_the_minutes_page_runs_a_fixed_number_of_queries(
    circulated, seated, client, django_assert_max_num_queries
):
    url = reverse("meetings:contact-minutes", args=[links.minutes_token(seated, circulated)])
    with (
        time_machine.travel(AFTER_MEETING + timedelta(days=1), tick=False),
        django_assert_max_num_queries(8),
    ):
        assert client.get(url).status_code == 200


def test_the_meeting_page_names_the_contact_on_their_agencys_seat(
    seated, partnership_manager_client
):
    page = partnership_manager_client.get(
        reverse("meetings:meeting-detail", args=[seated.meeting_id])
    ).content.decode()
    assert "Sam Contact" in page
    assert "Directory contact: answers through their own link" in page


def test_a_contact_and_a_person_cannot_both_be_named_on_one_invitation(
    meeting, police, contact, police_officer
):
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(
            meeting=meeting, agency=police, person=police_officer, contact=contact
        )


def test_a_comment_names_exactly_one_author(circulated, contact, partner_user):
    for author, named in ((None, None), (partner_user, contact)):
        with pytest.raises(IntegrityError), transaction.atomic():
            MinutesComment.objects.create(
                minutes=circulated, author=author, contact=named, text="x"
            )


def test_naming_a_contact_for_an_open_seat_fills_it(
    meeting, police, contact, partnership_manager_client
):
    seat = Attendance.objects.get(meeting=meeting, agency=police, person=None, contact=None)
    url = reverse("meetings:attendance-fill-seat", args=[seat.pk])
    assert (
        "Sam Contact, Greater Manchester Police"
        in partnership_manager_client.get(url).content.decode()
    )
    with time_machine.travel(BEFORE, tick=False):
        response = partnership_manager_client.post(url, {"contact": contact.pk})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.contact == contact


def test_the_link_of_a_contact_no_longer_in_the_directory_is_withdrawn(seated, contact, client):
    contact.is_active = False
    contact.save()
    with time_machine.travel(BEFORE, tick=False):
        assert client.get(_page(links.invitation_token(seated))).status_code == 410


def test_a_new_forum_member_is_invited_alongside_a_contact_on_their_agencys_seat(
    seated, marac, police_officer, partner_user, partnership_manager
):
    with time_machine.travel(BEFORE, tick=False):
        services.save_forum(
            forum=marac,
            member_agencies=list(marac.member_agencies.all()),
            members=[partner_user, police_officer],
            actor=partnership_manager,
        )
    seated.refresh_from_db()
    assert seated.contact is not None and seated.person is None
    assert Attendance.objects.filter(meeting=seated.meeting, person=police_officer).exists()


def test_a_link_does_not_carry_the_contacts_address(seated):
    """Links end up in proxy logs and browser history: the address is named by its digest."""
    token = links.invitation_token(seated)
    readable = base64.urlsafe_b64decode(token.split(":")[0] + "==").decode(errors="ignore")
    assert seated.contact.email.lower() not in readable.lower()
    with time_machine.travel(BEFORE, tick=False):
        assert links.verify_invitation(token).email == seated.contact.email

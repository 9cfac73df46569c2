"""The case list of a MARAC meeting, circulated by `circulate_case_lists` the set number of
working days ahead: each agency's invited people get the references of the cases shared with
that agency, never names, once per meeting."""

import smtplib
from datetime import date, datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.urls import reverse

from agencies.models import AgencyKind, Contact
from core.roles import Role
from core.working_days import working_days_before, working_days_between
from meetings import services
from meetings.calendars.schedule import LONDON
from meetings.case_lists import circulation_day
from meetings.models import CaseListCirculation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock", "agreements")]

# Five working days before the meeting on Tuesday 10 February 2026.
DUE = datetime(2026, 2, 3, 6, 30, tzinfo=LONDON)


def _circulate() -> str:
    out = StringIO()
    call_command("circulate_case_lists", stdout=out)
    return out.getvalue()


def _mail_to(person):
    return [message for message in mail.outbox if any(person.email in to for to in message.to)]


def test_each_agency_is_sent_only_the_references_of_the_cases_shared_with_it(
    meeting,
    marac,
    make_case,
    make_agency,
    make_user,
    consent,
    attending,
    add_item,
    partner_user,
    partnership_manager,
):
    """Case 2 is listed before adult social care is invited, case 1 after: that agency is
    covered for case 1 only."""
    first, second = make_case(), make_case()
    consent(second, attending)
    add_item(meeting, second)
    social_care = make_agency(
        "Manchester Adult Social Care",
        kind=AgencyKind.ADULT_SOCIAL_CARE,
        information_sharing_agreement_signed_on=date(2025, 1, 1),
        information_sharing_agreement_review_due_on=date(2030, 1, 1),
    )
    marac.member_agencies.add(social_care)
    latecomer = make_user(Role.PARTNER, agency=social_care)
    services.invite(
        meeting=meeting, agency=social_care, person=latecomer, actor=partnership_manager
    )
    consent(first, [*attending, social_care])
    add_item(meeting, first)
    mail.outbox.clear()

    with time_machine.travel(DUE, tick=False):
        assert _circulate() == "Case lists sent: 2.\n"

    (to_latecomer,) = _mail_to(latecomer)
    assert first.reference in to_latecomer.body
    assert second.reference not in to_latecomer.body
    (to_partner,) = _mail_to(partner_user)
    assert first.reference in to_partner.body and second.reference in to_partner.body
    for message in (to_latecomer, to_partner):
        for case in (first, second):
            assert case.family_name not in message.body
            assert case.given_names not in message.body
    assert set(
        CaseListCirculation.objects.filter(meeting=meeting).values_list("agency_id", "case_count")
    ) == {(social_care.pk, 1), (partner_user.agency_id, 2)}


def test_a_case_list_is_sent_once_however_often_the_timer_runs(
    listed, meeting, partner_user, partner_client
):
    mail.outbox.clear()
    with time_machine.travel(DUE, tick=False):
        _circulate()
        assert _circulate() == "Case lists sent: 0.\n"
    with time_machine.travel(datetime(2026, 2, 9, 6, 30, tzinfo=LONDON), tick=False):
        assert _circulate() == "Case lists sent: 0.\n"
    assert len(_mail_to(partner_user)) == 1
    assert CaseListCirculation.objects.filter(meeting=meeting).count() == 1

    page = partner_client.get(reverse("meetings:meeting-detail", args=[meeting.pk]))
    assert "Case list circulated on 3 February 2026 to Partner Charity." in page.content.decode()


def test_a_directory_contact_holding_the_agencys_seat_is_sent_its_list(
    listed, meeting, partner_user, partnership_manager
):
    contact = Contact.objects.create(
        agency=partner_user.agency, full_name="Casey Contact", email="casey@partner.example"
    )
    services.invite(
        meeting=meeting, agency=partner_user.agency, contact=contact, actor=partnership_manager
    )
    mail.outbox.clear()
    with time_machine.travel(DUE, tick=False):
        assert _circulate() == "Case lists sent: 1.\n"
    (message,) = mail.outbox
    assert any(contact.email in to for to in message.to)
    assert listed.case.reference in message.body
    assert listed.case.family_name not in message.body


def test_a_list_the_mail_server_refused_is_sent_on_the_next_run(
    listed, meeting, partner_user, monkeypatch
):
    def refuse(message, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    mail.outbox.clear()
    with time_machine.travel(DUE, tick=False):
        with monkeypatch.context() as refusing:
            refusing.setattr(EmailMessage, "send", refuse)
            assert _circulate() == "Case lists sent: 0.\n"
        assert not CaseListCirculation.objects.filter(meeting=meeting).exists()
        assert _circulate() == "Case lists sent: 1.\n"
    assert len(_mail_to(partner_user)) == 1


def test_nothing_is_sent_before_the_day_or_after_the_meeting_has_started(
    listed, meeting, partner_user, partner_client
):
    page = partner_client.get(reverse("meetings:meeting-detail", args=[meeting.pk]))
    assert (
        "It goes to each attending agency on 3 February 2026, 5 working days before the meeting"
        in page.content.decode()
    )
    mail.outbox.clear()
    with time_machine.travel(datetime(2026, 2, 2, 23, 0, tzinfo=LONDON), tick=False):
        assert _circulate() == "Case lists sent: 0.\n"
    with time_machine.travel(datetime(2026, 2, 10, 10, 30, tzinfo=LONDON), tick=False):
        assert _circulate() == "Case lists sent: 0.\n"
    assert _mail_to(partner_user) == []


def test_an_agency_given_its_first_case_after_the_day_is_sent_the_list_on_the_next_run(
    meeting, case, consent, attending, add_item, partner_user
):
    with time_machine.travel(DUE, tick=False):
        assert _circulate() == "Case lists sent: 0.\n"
    consent(case, attending)
    add_item(meeting, case)
    with time_machine.travel(datetime(2026, 2, 4, 6, 30, tzinfo=LONDON), tick=False):
        assert _circulate() == "Case lists sent: 1.\n"
    assert case.reference in _mail_to(partner_user)[0].body


def test_the_day_is_counted_in_working_days_over_weekends_and_bank_holidays(meetings, settings):
    # Easter 2026: Good Friday 3 April and Easter Monday 6 April are bank holidays.
    assert working_days_before(date(2026, 4, 14), 5) == date(2026, 4, 7)
    assert working_days_before(date(2026, 4, 8), 2) == date(2026, 4, 2)
    assert working_days_before(date(2026, 2, 10), 0) == date(2026, 2, 10)
    for day, count in [(date(2026, 4, 14), 5), (date(2026, 1, 5), 3)]:
        assert working_days_between(working_days_before(day, count), day) == count

    april = meetings[2]
    assert circulation_day(april) == date(2026, 4, 7)
    settings.PARTNERHUB_MARAC_CASE_LIST_WORKING_DAYS = 2
    assert circulation_day(april) == date(2026, 4, 10)

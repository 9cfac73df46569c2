"""Minutes per agency: a general part everyone invited reads, and a part per case item that
reaches only the agencies given that case at the meeting, released through the consent gate
when the minutes are circulated. An agency covered for one case of two reads that case's part
and never the other's: on the page, in the downloaded document and in the querysets."""

import importlib
import io
from datetime import datetime

import pytest
import time_machine
from django.apps import apps as django_apps
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AuditEvent, Verb
from core.roles import Role
from meetings import permissions, services
from meetings.calendars.schedule import LONDON
from meetings.models import MinutesCasePart
from meetings.services import CaseItemRefused
from notifications.models import Notification, NotificationKind
from sharing.models import Disclosure
from sharing.services import revoke_consent
from tests.factories import CaseFactory
from tests.meetings.case_items import MINUTES, affirm

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock", "agreements")]

GENERAL = "Apologies from probation; the pathway review is next month."
SECOND_CASE_MINUTES = "Midwifery will see her alone at every appointment."
AFTER_MEETING = datetime(2026, 2, 10, 12, 0, tzinfo=LONDON)


@pytest.fixture
def second_case(officer):
    return CaseFactory(actor=officer, family_name="Second")


@pytest.fixture
def two_cases(listed, latecomer, meeting, second_case, consent, attending, add_item, officer):
    """Case 1 listed before the latecomer's agency was invited (so never given to it), case 2
    after (given to every agency attending, the latecomer's included); minutes with a part
    for each, written by the officer on both cases."""
    consent(second_case, [*attending, latecomer.agency])
    second = add_item(meeting, second_case)
    services.affirm_confidentiality(meeting=meeting, actor=officer)
    with time_machine.travel(AFTER_MEETING):
        minutes = services.write_minutes(
            meeting=meeting,
            body=GENERAL,
            case_parts={listed.pk: MINUTES, second.pk: SECOND_CASE_MINUTES},
            actor=officer,
        )
    return listed, second, minutes


@pytest.fixture
def circulated(two_cases, officer):
    first, second, minutes = two_cases
    return first, second, services.circulate_minutes(minutes=minutes, actor=officer)


def _page(client, meeting):
    return client.get(reverse("meetings:meeting-detail", args=[meeting.pk])).content.decode()


def _document_text(client, meeting) -> str:
    response = client.get(reverse("meetings:meeting-document", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_an_agency_covered_for_one_case_reads_that_cases_part_and_not_the_others(
    circulated, meeting, latecomer, partner_client, client
):
    first, second, _ = circulated
    client.force_login(latecomer)
    for person in (client, partner_client):
        affirm(person, meeting)

    late = _page(client, meeting)
    covered = _page(partner_client, meeting)

    assert GENERAL in late and SECOND_CASE_MINUTES in late and MINUTES not in late
    assert f"Case {second.case.reference}" in late
    assert f"Case {first.case.reference}" not in late
    assert "One part of these minutes is about a case not shared with you" in late
    assert GENERAL in covered and MINUTES in covered and SECOND_CASE_MINUTES in covered
    readable = permissions.minutes_case_parts_readable_by(latecomer)
    assert set(readable.values_list("agenda_item", flat=True)) == {second.pk}


def test_the_downloaded_document_holds_only_the_parts_the_reader_may_read(
    circulated, meeting, latecomer, partner_client, client
):
    first, second, minutes = circulated
    client.force_login(latecomer)
    for person in (client, partner_client):
        affirm(person, meeting)

    late = _flat(_document_text(client, meeting))
    covered = _flat(_document_text(partner_client, meeting))

    assert GENERAL in late and SECOND_CASE_MINUTES in late
    assert MINUTES not in late and first.case.reference not in late
    assert "Case item (details restricted)" in late
    assert GENERAL in covered and MINUTES in covered and SECOND_CASE_MINUTES in covered
    exported = AuditEvent.objects.filter(verb=Verb.EXPORTED, actor_id=latecomer.pk).get()
    assert exported.detail["case_part_ids"] == [minutes.case_parts.get(agenda_item=second).pk]
    assert exported.detail["case_ids"] == [second.case_id]


def test_someone_who_may_not_see_the_meeting_gets_no_document(
    circulated, meeting, client, make_user
):
    client.force_login(make_user(Role.PARTNER))
    response = client.get(reverse("meetings:meeting-document", args=[meeting.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(verb=Verb.EXPORTED).exists()


def test_circulating_releases_each_case_part_to_the_agencies_given_its_case(
    circulated, attending, latecomer
):
    first, second, minutes = circulated
    parts = {part.agenda_item_id: part for part in minutes.case_parts.all()}
    for item, agencies in [
        (first, attending),
        (second, [*attending, latecomer.agency]),
    ]:
        released = Disclosure.objects.filter(
            source_type="meetings.minutescasepart", source_id=str(parts[item.pk].pk)
        )
        assert sorted(released.values_list("recipient_id", flat=True)) == sorted(
            agency.pk for agency in agencies
        )
        assert {d.case_id for d in released} == {item.case_id}
        assert {d.content.text for d in released} == {parts[item.pk].body}
    # The general part goes to every attendee without a release: it names no case.
    assert not Disclosure.objects.filter(source_type="meetings.minutes").exists()


def test_one_refused_case_part_keeps_every_part_a_draft_and_names_the_agency_and_case(
    two_cases, officer, second_case, latecomer, authority_user
):
    *_, minutes = two_cases
    consent = second_case.consents.get()
    revoke_consent(consent=consent, reason="She withdrew her agreement.", actor=authority_user)

    with pytest.raises(CaseItemRefused) as refused:
        services.circulate_minutes(minutes=minutes, actor=officer)

    assert second_case.reference in str(refused.value)
    assert latecomer.agency.name in str(refused.value)
    minutes.refresh_from_db()
    assert minutes.status == "draft"
    assert not Disclosure.objects.filter(source_type="meetings.minutescasepart").exists()
    refusals = AuditEvent.objects.filter(
        verb=Verb.DISCLOSURE_REFUSED, object_label=second_case.reference
    )
    assert refusals.count() == 4


def test_a_correction_copies_every_case_part_and_changes_only_what_it_is_given(circulated, officer):
    first, second, minutes = circulated
    services.approve_minutes(minutes=minutes, actor=officer)
    correction = services.correct_minutes(
        meeting=minutes.meeting,
        body=GENERAL,
        case_parts={second.pk: "Midwifery and the health visitor will see her alone."},
        reason="Who sees her",
        actor=officer,
    )
    parts = {part.agenda_item_id: part.body for part in correction.case_parts.all()}
    assert parts == {
        first.pk: MINUTES,
        second.pk: "Midwifery and the health visitor will see her alone.",
    }
    approved = {part.agenda_item_id: part.body for part in minutes.case_parts.all()}
    assert approved == {first.pk: MINUTES, second.pk: SECOND_CASE_MINUTES}


def test_the_case_parts_of_approved_minutes_are_locked_in_the_database(circulated, officer):
    _, second, minutes = circulated
    services.approve_minutes(minutes=minutes, actor=officer)
    part = minutes.case_parts.get(agenda_item=second)
    for change in (
        lambda: MinutesCasePart.objects.filter(pk=part.pk).update(body="Rewritten"),
        lambda: MinutesCasePart.objects.filter(pk=part.pk).delete(),
        lambda: MinutesCasePart.objects.create(
            minutes=minutes, agenda_item=minutes.meeting.agenda_items.first(), body="Added"
        ),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    part.refresh_from_db()
    assert part.body == SECOND_CASE_MINUTES


def test_the_form_has_a_text_area_per_case_item_labelled_by_its_reference(
    two_cases, meeting, officer_client
):
    first, second, _ = two_cases
    affirm(officer_client, meeting)
    page = officer_client.get(reverse("meetings:minutes-edit", args=[meeting.pk])).content.decode()
    assert "General part" in page
    for item in (first, second):
        assert f"Case {item.case.reference}" in page
        assert f'name="case_part_{item.pk}"' in page
    assert first.case.family_name not in page


def test_the_meeting_page_reads_its_case_parts_in_a_fixed_number_of_queries(
    circulated, meeting, partner_client, officer, consent, attending, add_item, latecomer
):
    first, second, _ = circulated
    affirm(partner_client, meeting)

    def queries() -> int:
        with CaptureQueriesContext(connection) as counted:
            assert _page(partner_client, meeting)
        return len(counted.captured_queries)

    with_two = queries()
    third_case = CaseFactory(actor=officer, family_name="Third")
    consent(third_case, [*attending, latecomer.agency])
    third = add_item(meeting, third_case)
    with time_machine.travel(AFTER_MEETING):
        minutes = services.write_minutes(
            meeting=meeting,
            body=GENERAL,
            case_parts={first.pk: MINUTES, second.pk: SECOND_CASE_MINUTES, third.pk: "Third."},
            actor=officer,
        )
    services.circulate_minutes(minutes=minutes, actor=officer)
    assert "Third." in _page(partner_client, meeting)
    assert queries() == with_two


def test_a_comment_tells_whoever_keeps_the_minutes(circulated, partner_user, officer, marac):
    *_, minutes = circulated
    services.comment_on_minutes(
        minutes=minutes, text="Our IDVA is named wrongly.", actor=partner_user
    )
    told = Notification.objects.filter(kind=NotificationKind.MINUTES_COMMENTED)
    assert list(told.values_list("recipient", flat=True)) == [officer.pk]
    assert "Our IDVA" not in told.get().message


# Minutes written before they had case parts -----------------------------------------------


@pytest.fixture
def written_whole(listed, latecomer, meeting, second_case, consent, attending, add_item, officer):
    """Minutes of a two-case meeting written, before case parts, as one text carrying both
    cases, and circulated as such minutes were: to the agencies given every case item."""
    consent(second_case, [*attending, latecomer.agency])
    add_item(meeting, second_case)
    services.affirm_confidentiality(meeting=meeting, actor=officer)
    with time_machine.travel(AFTER_MEETING):
        minutes = services.write_minutes(meeting=meeting, body=MINUTES, actor=officer)
    migration = importlib.import_module("meetings.migrations.0010_minutes_case_parts")
    migration.mark_minutes_of_case_meetings(django_apps, None)
    minutes.refresh_from_db()
    assert minutes.general_part_carries_cases
    return services.circulate_minutes(minutes=minutes, actor=officer)


def test_minutes_written_whole_are_read_only_by_those_given_every_case_as_before(
    written_whole, meeting, latecomer, partner_user, partner_client, client, attending
):
    client.force_login(latecomer)
    for person in (client, partner_client):
        affirm(person, meeting)

    assert MINUTES in _page(partner_client, meeting)
    for person in (latecomer, partner_user):
        # The page asks of one meeting what the list of readable versions asks of them all.
        assert set(permissions.minutes_of(person, meeting).versions) == set(
            permissions.minutes_versions_readable_by(person).filter(meeting=meeting)
        )
    late = _page(client, meeting)
    assert MINUTES not in late
    assert "These minutes discuss cases, so they are shown only to people who may see" in late
    assert MINUTES not in _flat(_document_text(client, meeting))
    released = Disclosure.objects.filter(
        source_type="meetings.minutes", source_id=str(written_whole.pk)
    )
    assert set(released.values_list("recipient_id", flat=True)) == {a.pk for a in attending}


def test_a_correction_of_minutes_written_whole_stays_as_private(written_whole, officer, latecomer):
    services.approve_minutes(minutes=written_whole, actor=officer)
    correction = services.correct_minutes(
        meeting=written_whole.meeting, body=MINUTES, reason="Typo", actor=officer
    )
    assert correction.general_part_carries_cases
    services.circulate_minutes(minutes=correction, actor=officer)
    assert not permissions.minutes_versions_readable_by(latecomer).exists()

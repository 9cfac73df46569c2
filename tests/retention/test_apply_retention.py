"""The retention schedule, with time travel: what is due goes, what is held or not yet due
stays, and the record of what was shared, and the audit chain, survive the erasure."""

from datetime import date, datetime
from io import StringIO
from unittest import mock

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command

from audit.models import AuditEvent, Verb
from audit.selectors import check_chain
from sharing.models import (
    Case,
    CaseNote,
    Disclosure,
    EvidenceErasure,
    HouseholdMember,
    ReleasedContent,
)
from sharing.services import retention
from sharing.services.retention import erasure_marker, place_legal_hold
from tests.retention.conftest import LONDON

SIX_YEARS_ON = datetime(2032, 3, 2, 9, 0, tzinfo=LONDON)
THE_DAY_BEFORE = datetime(2032, 3, 1, 9, 0, tzinfo=LONDON)

pytestmark = pytest.mark.django_db


def _run(*arguments) -> str:
    out = StringIO()
    call_command("apply_retention", *arguments, stdout=out)
    return out.getvalue()


def _erasure_events(case):
    return AuditEvent.objects.filter(verb=Verb.ERASED, object_id=str(case.pk))


def test_a_closed_case_six_years_on_loses_its_personal_details_and_released_text(
    make_full_case,
):
    case = make_full_case()
    disclosure = Disclosure.objects.get(case=case)
    digest = disclosure.content_digest
    letter = case.consent_with_letter
    assert default_storage.exists(letter.evidence.name)

    with time_machine.travel(SIX_YEARS_ON):
        _run()

    case.refresh_from_db()
    marker = erasure_marker(date(2032, 3, 2))
    assert (case.given_names, case.family_name) == (marker, marker)
    assert case.date_of_birth is None and case.postcode == ""
    assert case.address == marker
    assert case.personal_details_erased_on == date(2032, 3, 2)
    member = HouseholdMember.objects.get(case=case)
    assert (member.full_name, member.date_of_birth) == (marker, None)
    assert set(CaseNote.objects.filter(case=case).values_list("text", flat=True)) == {marker}
    assert set(case.indicators.values_list("notes", flat=True)) == {marker}
    assert set(case.escalations.values_list("reason", flat=True)) == {marker}
    # The release is still on record, provably what it was, but its text is gone.
    assert Disclosure.objects.get(pk=disclosure.pk).content_digest == digest
    assert not ReleasedContent.objects.filter(disclosure=disclosure).exists()
    # The letter of consent went with the content it supported; its digest stays.
    assert EvidenceErasure.objects.filter(consent=letter).exists()
    assert not default_storage.exists(letter.evidence.name)
    letter.refresh_from_db()
    assert len(letter.evidence_digest) == 64


def test_the_erasure_is_audited_by_reference_and_the_chain_still_verifies(make_full_case):
    case = make_full_case()
    with time_machine.travel(SIX_YEARS_ON):
        _run()

    (event,) = _erasure_events(case)
    assert event.object_label == case.reference
    assert event.actor_label == retention.RETENTION_ACTOR
    assert "given_names" in event.changed_fields and "date_of_birth" in event.changed_fields
    recorded = f"{event.object_label} {event.changed_fields} {event.detail}"
    for value in ("Haddad", "Amina", "1990", "Omar", "Bruising", "letter.pdf"):
        assert value not in recorded
    assert check_chain().intact
    call_command("verify_audit", stdout=StringIO())


def test_nothing_is_erased_the_day_before_it_falls_due(make_full_case):
    case = make_full_case()
    with time_machine.travel(THE_DAY_BEFORE):
        output = _run()

    case.refresh_from_db()
    assert case.family_name == "Haddad" and case.personal_details_erased_on is None
    assert ReleasedContent.objects.filter(disclosure__case=case).exists()
    assert not _erasure_events(case).exists()
    assert "Erased for 0 case(s)" in output


def test_released_text_goes_six_years_on_even_while_the_case_is_open(make_full_case):
    case = make_full_case(closed=False)
    with time_machine.travel(SIX_YEARS_ON):
        _run()

    case.refresh_from_db()
    assert not ReleasedContent.objects.filter(disclosure__case=case).exists()
    assert Disclosure.objects.filter(case=case).exists()
    assert case.family_name == "Haddad" and case.personal_details_erased_on is None


def test_a_case_on_legal_hold_keeps_everything_until_the_hold_is_lifted(make_full_case, manager):
    case = make_full_case()
    place_legal_hold(case=case, reason="Civil claim against the provider", actor=manager)

    with time_machine.travel(SIX_YEARS_ON):
        output = _run()
    case.refresh_from_db()
    assert case.family_name == "Haddad"
    assert ReleasedContent.objects.filter(disclosure__case=case).exists()
    assert f"Held, not erased: {case.reference}" in output

    retention.lift_legal_hold(case=case, reason="The claim was settled", actor=manager)
    with time_machine.travel(SIX_YEARS_ON):
        _run()
    case.refresh_from_db()
    assert case.personal_details_erased_on is not None


def test_a_child_keeps_their_details_until_they_are_25(make_full_case):
    # Ten when the case closed in 2026: six years on they are 16, so the details stay until
    # their 25th birthday on 1 June 2040.
    case = make_full_case(date_of_birth=date(2015, 6, 1))
    with time_machine.travel(SIX_YEARS_ON):
        _run()
    case.refresh_from_db()
    assert case.date_of_birth == date(2015, 6, 1)
    # The released text follows its own period, child or not.
    assert not ReleasedContent.objects.filter(disclosure__case=case).exists()

    with time_machine.travel(datetime(2040, 5, 31, 9, 0, tzinfo=LONDON)):
        _run()
    case.refresh_from_db()
    assert case.personal_details_erased_on is None

    with time_machine.travel(datetime(2040, 6, 1, 9, 0, tzinfo=LONDON)):
        _run()
    case.refresh_from_db()
    assert case.personal_details_erased_on == date(2040, 6, 1)
    assert case.date_of_birth is None


def test_a_dry_run_lists_what_would_go_and_changes_nothing(make_full_case):
    case = make_full_case()
    events_before = AuditEvent.objects.count()
    with time_machine.travel(SIX_YEARS_ON):
        output = _run("--dry-run")

    assert f"Would erase {case.reference}" in output
    assert "personal details" in output and "released content" in output
    case.refresh_from_db()
    assert case.family_name == "Haddad"
    assert ReleasedContent.objects.filter(disclosure__case=case).exists()
    assert default_storage.exists(case.consent_with_letter.evidence.name)
    assert AuditEvent.objects.count() == events_before


def test_a_second_run_erases_nothing_twice(make_full_case):
    case = make_full_case()
    with time_machine.travel(SIX_YEARS_ON):
        _run()
        output = _run()
    assert _erasure_events(case).count() == 1
    assert "Erased for 0 case(s)" in output


def test_a_run_that_fails_on_the_second_case_leaves_it_whole_and_resumes(make_full_case):
    first = make_full_case()
    second = make_full_case(family_name="Karimi")
    real = retention._erase_personal_details
    calls = []

    def fail_on_the_second_case(case, marker):
        calls.append(case.pk)
        erased = real(case, marker)
        if len(calls) == 2:
            # Half-way through the second case: its names are already overwritten in the
            # transaction, its audit event not yet written.
            raise RuntimeError("the machine stopped")
        return erased

    with (
        time_machine.travel(SIX_YEARS_ON),
        mock.patch.object(retention, "_erase_personal_details", fail_on_the_second_case),
        pytest.raises(RuntimeError),
    ):
        _run()

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.personal_details_erased_on is not None
    assert second.family_name == "Karimi" and second.personal_details_erased_on is None
    assert ReleasedContent.objects.filter(disclosure__case=second).exists()
    assert not _erasure_events(second).exists()

    with time_machine.travel(SIX_YEARS_ON):
        _run()
    second.refresh_from_db()
    assert second.personal_details_erased_on is not None
    assert _erasure_events(first).count() == 1
    assert _erasure_events(second).count() == 1
    assert check_chain().intact


def test_retention_periods_come_from_the_settings(make_full_case, settings):
    settings.PARTNERHUB_RETAIN_CLOSED_CASE_YEARS = 8
    settings.PARTNERHUB_RETAIN_RELEASED_CONTENT_YEARS = 8
    case = make_full_case()
    with time_machine.travel(SIX_YEARS_ON):
        _run()
    case.refresh_from_db()
    assert case.personal_details_erased_on is None
    assert Case.objects.get(pk=case.pk).family_name == "Haddad"

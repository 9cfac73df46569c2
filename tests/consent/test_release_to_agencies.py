"""release_to_agencies() gives several agencies the same information all or nothing: every
recipient is checked at the gate first, one uncovered agency means no disclosure to any, and
each refused agency has its own "disclosure refused" event. release_together() does the same
for one text about several cases (a meeting's minutes)."""

import pytest

from agencies.models import AgencyKind
from audit.models import AuditEvent, Verb
from core.authority import NotPermitted
from sharing.models import DataCategory, Disclosure, DisclosureMethod, Purpose
from sharing.services import (
    RefusalReason,
    Release,
    ReleaseRefused,
    release_to_agencies,
    release_together,
)

pytestmark = pytest.mark.django_db

CONTENT = "Name and vulnerabilities of the person discussed."


@pytest.fixture
def agencies(police, make_recipient):
    return {
        "police": police,
        "idva": make_recipient("Independent DV Advisers", kind=AgencyKind.NGO),
        "housing": make_recipient("Salford Housing", kind=AgencyKind.HOUSING_PROVIDER),
        "unagreed": make_recipient("Drop-in Centre", kind=AgencyKind.NGO, agreement=False),
    }


def _release(case, recipients, actor, decision, source=None):
    return release_to_agencies(
        case=case,
        recipients=recipients,
        purpose=Purpose.SAFEGUARDING_REFERRAL,
        categories=[DataCategory.IDENTITY],
        content=CONTENT,
        method=DisclosureMethod.MEETING,
        record_of_decision=decision(),
        actor=actor,
        source=source,
    )


def test_one_uncovered_agency_means_no_disclosure_to_any_and_each_refusal_on_record(
    case, agencies, officer, make_consent, decision
):
    make_consent(case, [agencies["police"], agencies["idva"], agencies["unagreed"]])
    sources_made = []

    with pytest.raises(ReleaseRefused) as refused:
        _release(
            case,
            list(agencies.values()),
            officer,
            decision,
            source=lambda: sources_made.append("made"),
        )

    named = {agency.pk: reason.reason for agency, reason in refused.value.refusals}
    assert named == {
        agencies["housing"].pk: RefusalReason.WRONG_AGENCY,
        agencies["unagreed"].pk: RefusalReason.NO_AGREEMENT,
    }
    assert "Salford Housing" in str(refused.value) and "Drop-in Centre" in str(refused.value)
    assert not Disclosure.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.DISCLOSED).exists()
    assert sources_made == []
    events = AuditEvent.objects.filter(verb=Verb.DISCLOSURE_REFUSED).order_by("sequence")
    assert [event.detail["recipient_id"] for event in events] == [
        agencies["housing"].pk,
        agencies["unagreed"].pk,
    ]
    for event in events:
        # Identifiers and controlled words only: the case reference, never the person's name.
        assert (event.object_type, event.object_label) == ("sharing.case", case.reference)
        assert case.family_name not in str(event.detail)
        assert CONTENT not in str(event.detail)


def test_every_agency_covered_each_gets_one_disclosure_from_the_one_source(
    case, agencies, officer, make_consent, decision, partnership_manager
):
    covered = [agencies["police"], agencies["idva"], agencies["housing"]]
    make_consent(case, covered)

    # The source comes into being once the gate has passed every recipient.
    disclosures = _release(case, covered, officer, decision, source=lambda: partnership_manager)

    assert sorted(d.recipient_id for d in disclosures) == sorted(a.pk for a in covered)
    assert {(d.source_type, d.source_id) for d in disclosures} == {
        ("agencies.user", str(partnership_manager.pk))
    }
    assert {d.content.text for d in disclosures} == {CONTENT}
    assert not AuditEvent.objects.filter(verb=Verb.DISCLOSURE_REFUSED).exists()


def test_someone_who_may_not_disclose_about_the_case_is_refused_before_the_gate(
    case, agencies, make_consent, decision, partnership_manager, partner_user
):
    make_consent(case, [agencies["police"]])
    for actor in (partnership_manager, partner_user):
        with pytest.raises(NotPermitted):
            _release(case, [agencies["police"]], actor, decision)
    assert not Disclosure.objects.exists()


def _together(cases_and_recipients, actor, decision, source=None):
    return release_together(
        releases=[
            Release(
                case=case,
                recipients=tuple(recipients),
                purpose=Purpose.SAFEGUARDING_REFERRAL,
                categories=(DataCategory.IDENTITY,),
                record_of_decision=decision(),
            )
            for case, recipients in cases_and_recipients
        ],
        content=CONTENT,
        method=DisclosureMethod.MEETING,
        actor=actor,
        source=source,
    )


def test_one_case_not_covered_means_no_other_case_reaches_anyone_and_the_refusal_names_it(
    make_case, agencies, manager, make_consent, decision
):
    covered, uncovered = make_case(), make_case()
    make_consent(covered, [agencies["police"], agencies["idva"]])
    make_consent(uncovered, [agencies["police"]])
    sources_made = []

    with pytest.raises(ReleaseRefused) as refused:
        _together(
            [
                (covered, [agencies["police"], agencies["idva"]]),
                (uncovered, [agencies["police"], agencies["idva"]]),
            ],
            manager,
            decision,
            source=lambda: sources_made.append("made"),
        )

    assert [
        (case.pk, agency.pk)
        for case, (agency, _) in zip(
            refused.value.refused_cases, refused.value.refusals, strict=True
        )
    ] == [(uncovered.pk, agencies["idva"].pk)]
    assert not Disclosure.objects.exists()
    assert sources_made == []
    event = AuditEvent.objects.get(verb=Verb.DISCLOSURE_REFUSED)
    assert (event.object_label, event.detail["recipient_id"]) == (
        uncovered.reference,
        agencies["idva"].pk,
    )


def test_every_case_covered_each_reaches_each_of_its_agencies_from_the_one_source(
    make_case, agencies, manager, make_consent, decision, partnership_manager
):
    first, second = make_case(), make_case()
    make_consent(first, [agencies["police"], agencies["idva"]])
    make_consent(second, [agencies["police"]])

    disclosures = _together(
        [(first, [agencies["police"], agencies["idva"]]), (second, [agencies["police"]])],
        manager,
        decision,
        source=lambda: partnership_manager,
    )

    assert sorted((d.case_id, d.recipient_id) for d in disclosures) == sorted(
        [
            (first.pk, agencies["police"].pk),
            (first.pk, agencies["idva"].pk),
            (second.pk, agencies["police"].pk),
        ]
    )
    assert {d.source_id for d in disclosures} == {str(partnership_manager.pk)}


def test_someone_who_may_release_one_case_but_not_the_other_releases_neither(
    make_case, agencies, officer, manager, make_consent, decision
):
    officers_case = make_case()
    other_officers_case = make_case()
    other_officers_case.assigned_officers.set([manager])
    for case in (officers_case, other_officers_case):
        make_consent(case, [agencies["police"]])

    with pytest.raises(NotPermitted):
        _together(
            [(officers_case, [agencies["police"]]), (other_officers_case, [agencies["police"]])],
            officer,
            decision,
        )
    assert not Disclosure.objects.exists()

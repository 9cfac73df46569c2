"""release_to_agencies() gives several agencies the same information all or nothing: every
recipient is checked at the gate first, one uncovered agency means no disclosure to any, and
each refused agency has its own "disclosure refused" event."""

import pytest

from agencies.models import AgencyKind
from audit.models import AuditEvent, Verb
from config.authority import NotPermitted
from sharing.models import DataCategory, Disclosure, DisclosureMethod, Purpose
from sharing.services import RefusalReason, ReleaseRefused, release_to_agencies

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

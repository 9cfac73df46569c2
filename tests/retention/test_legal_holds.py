"""Placing and lifting a legal hold: a safeguarding manager's, with a reason each way, audited."""

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent, Verb
from core.authority import NotPermitted
from sharing.models import LegalHold
from sharing.services.retention import LegalHoldRefused, lift_legal_hold, place_legal_hold
from tests.retention.test_apply_retention import SIX_YEARS_ON, _run

pytestmark = pytest.mark.django_db


def test_a_manager_places_a_hold_from_the_case_page_and_it_is_audited(manager_client, case):
    page = manager_client.get(reverse("sharing:case-detail", args=[case.pk]))
    assert reverse("sharing:legal-hold-place", args=[case.pk]) in page.content.decode()

    answer = manager_client.post(
        reverse("sharing:legal-hold-place", args=[case.pk]), {"reason": "Serious case review"}
    )

    assert answer.status_code == 302
    hold = LegalHold.objects.get(case=case)
    assert hold.is_current and hold.reason == "Serious case review"
    event = AuditEvent.objects.get(verb=Verb.LEGAL_HOLD_PLACED, object_id=str(case.pk))
    assert event.detail == {"legal_hold": hold.pk}
    assert "Serious" not in str(event.detail)
    page = manager_client.get(reverse("sharing:case-detail", args=[case.pk]))
    assert "On legal hold since" in page.content.decode()


def test_lifting_a_hold_without_a_reason_is_refused_at_the_field(manager_client, manager, case):
    place_legal_hold(case=case, reason="Civil claim", actor=manager)

    answer = manager_client.post(
        reverse("sharing:legal-hold-lift", args=[case.pk]), {"reason": " "}
    )

    assert answer.status_code == 200
    assert "Enter why the legal hold is being lifted" in answer.content.decode()
    assert LegalHold.objects.get(case=case).is_current
    assert not AuditEvent.objects.filter(verb=Verb.LEGAL_HOLD_LIFTED).exists()


def test_lifting_a_hold_without_a_reason_is_refused_by_the_service(manager, case):
    place_legal_hold(case=case, reason="Civil claim", actor=manager)

    with pytest.raises(LegalHoldRefused, match="Enter why the legal hold is being lifted"):
        lift_legal_hold(case=case, reason="", actor=manager)

    assert LegalHold.objects.get(case=case).is_current


def test_a_lifted_hold_keeps_its_history_and_is_audited(manager_client, manager, case):
    place_legal_hold(case=case, reason="Civil claim", actor=manager)

    manager_client.post(
        reverse("sharing:legal-hold-lift", args=[case.pk]), {"reason": "The claim was settled"}
    )

    hold = LegalHold.objects.get(case=case)
    assert not hold.is_current and hold.lift_reason == "The claim was settled"
    assert hold.lifted_by == manager
    assert AuditEvent.objects.filter(verb=Verb.LEGAL_HOLD_LIFTED, object_id=str(case.pk)).exists()
    place_legal_hold(case=case, reason="A new claim", actor=manager)
    assert LegalHold.objects.filter(case=case).count() == 2


def test_a_case_cannot_be_held_twice(manager, case):
    place_legal_hold(case=case, reason="Civil claim", actor=manager)
    with pytest.raises(LegalHoldRefused, match="already on legal hold"):
        place_legal_hold(case=case, reason="Another claim", actor=manager)


@pytest.mark.parametrize(
    "persona", ["officer", "authority_user", "compliance_reviewer", "partner_user"]
)
def test_only_a_safeguarding_manager_may_hold_a_case(request, persona, case, manager):
    someone = request.getfixturevalue(persona)
    with pytest.raises(NotPermitted):
        place_legal_hold(case=case, reason="Civil claim", actor=someone)
    place_legal_hold(case=case, reason="Civil claim", actor=manager)
    with pytest.raises(NotPermitted):
        lift_legal_hold(case=case, reason="Settled", actor=someone)
    assert LegalHold.objects.get(case=case).is_current


def test_an_erased_case_page_says_so_and_offers_no_date_of_birth(manager_client, make_full_case):
    case = make_full_case()
    with time_machine.travel(SIX_YEARS_ON):
        _run()
    page = manager_client.get(reverse("sharing:case-detail", args=[case.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "Personal details erased" in text and "Erased under retention" in text
    assert "Haddad" not in text and "1990" not in text

"""An officer escalates a case with a reason; a manager records the decision; the case keeps
the history."""

import pytest

from audit.models import AuditEvent, Verb
from sharing import services
from sharing.models import Escalation, EscalationDecision


@pytest.mark.django_db
def test_an_officer_escalates_and_a_manager_decides(officer_client, manager_client, manager, case):
    response = officer_client.post(
        f"/cases/{case.pk}/escalate/", {"reason": "Risk rising; partner agencies not engaging."}
    )
    assert response.status_code == 302
    escalation = Escalation.objects.get()
    assert AuditEvent.objects.filter(verb=Verb.ESCALATED, object_id=str(case.pk)).exists()

    response = manager_client.post(
        f"/escalations/{escalation.pk}/decide/",
        {"decision": "internal_board", "decision_notes": "List for the next board."},
    )
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert escalation.decision == EscalationDecision.INTERNAL_BOARD
    assert escalation.decided_by == manager
    assert escalation.decided_at is not None


@pytest.mark.django_db
def test_an_escalation_needs_a_reason(officer_client, case):
    response = officer_client.post(f"/cases/{case.pk}/escalate/", {"reason": ""})
    assert response.context["form"].errors["reason"] == ["Enter why you are escalating the case"]
    assert not Escalation.objects.exists()


@pytest.mark.django_db
def test_an_officer_cannot_decide_an_escalation(officer_client, officer, case):
    escalation = services.escalate_case(case=case, reason="Concern", actor=officer)
    assert officer_client.get(f"/escalations/{escalation.pk}/decide/").status_code == 404


@pytest.mark.django_db
def test_a_decision_is_recorded_once(manager, officer, case):
    escalation = services.escalate_case(case=case, reason="Concern", actor=officer)
    services.decide_escalation(
        escalation=escalation, decision="advice_given", notes="", actor=manager
    )
    with pytest.raises(services.EscalationAlreadyDecided):
        services.decide_escalation(
            escalation=escalation, decision="no_further_action", notes="", actor=manager
        )


@pytest.mark.django_db
def test_the_case_page_shows_the_escalation_history(manager_client, manager, officer, case):
    first = services.escalate_case(case=case, reason="First worry", actor=officer)
    services.decide_escalation(
        escalation=first, decision="advice_given", notes="Call the MASH", actor=manager
    )
    services.escalate_case(case=case, reason="Second worry", actor=officer)
    html = manager_client.get(f"/cases/{case.pk}/").content.decode()
    assert "First worry" in html and "Call the MASH" in html and "Second worry" in html
    assert "Record the decision" in html

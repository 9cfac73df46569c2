"""Who sharing tells: the Authority of a consent request, the officer of the decision, the
managers of an escalation and its raiser of the decision, the referrer of the agency's answer.
Each message names the case by its reference alone."""

import pytest
from django.core import mail

from core.roles import Role
from notifications.models import Notification, NotificationKind
from sharing import services
from sharing.models import (
    ConsentUrgency,
    DataCategory,
    EscalationDecision,
    Purpose,
    ReferralStatus,
)
from tests.sharing.referrals import send_with_consent


def told(kind):
    return {
        (n.recipient.email, n.message)
        for n in Notification.objects.filter(kind=kind).select_related("recipient")
    }


@pytest.fixture
def ask(case, idva_service, officer):
    def ask(urgency=ConsentUrgency.STANDARD):
        return services.request_consent(
            case=case,
            recipients=[idva_service],
            purposes=[Purpose.RISK_ASSESSMENT],
            categories=[DataCategory.IDENTITY],
            necessity="The IDVA needs to know for the MARAC.",
            urgency=urgency,
            actor=officer,
        )

    return ask


@pytest.mark.django_db
def test_an_urgent_consent_request_tells_every_authority_decider_and_e_mails_them(
    ask, case, authority_user, make_user, make_agency, django_capture_on_commit_callbacks
):
    colleague = make_user(Role.AUTHORITY, agency=authority_user.agency)
    make_user(Role.COMPLIANCE_REVIEWER)
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(ConsentUrgency.URGENT)
    message = f"Consent requested (urgent) on case {case.reference}"
    assert told(NotificationKind.CONSENT_REQUESTED) == {
        (authority_user.email, message),
        (colleague.email, message),
    }
    assert sorted(email.to[0].split("<")[1][:-1] for email in mail.outbox) == sorted(
        [authority_user.email, colleague.email]
    )
    assert all("/notifications/" in email.body for email in mail.outbox)
    assert Notification.objects.first().url == f"/consent/requests/{request.pk}/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("decision", "kind", "words"),
    [
        ("grant", NotificationKind.CONSENT_GRANTED, "granted"),
        ("refuse", NotificationKind.CONSENT_REFUSED, "refused"),
    ],
)
def test_the_authoritys_decision_tells_the_officer_who_asked(
    ask, case, officer, authority_user, decision, kind, words
):
    request = ask()
    services.decide_consent_request(
        request=request, decision=decision, reason="Not proportionate", actor=authority_user
    )
    assert told(kind) == {
        (officer.email, f"The Authority {words} your consent request on case {case.reference}")
    }


@pytest.mark.django_db
def test_an_escalation_tells_the_managers_and_its_decision_tells_the_officer(
    case, officer, manager, make_user
):
    make_user(Role.SAFEGUARDING_OFFICER)
    escalation = services.escalate_case(case=case, reason="Risk rising", actor=officer)
    assert told(NotificationKind.ESCALATION_RAISED) == {
        (manager.email, f"Case {case.reference} escalated for a manager's decision")
    }
    services.decide_escalation(
        escalation=escalation,
        decision=EscalationDecision.ADVICE_GIVEN,
        notes="Advice given",
        actor=manager,
    )
    assert told(NotificationKind.ESCALATION_DECIDED) == {
        (officer.email, f"A manager decided your escalation of case {case.reference}")
    }


@pytest.mark.django_db
def test_the_agencys_answer_to_a_referral_tells_the_officer_who_made_it(
    case, officer, manager, make_referral
):
    referral = send_with_consent(referral=make_referral(case), actor=officer)
    for status in (ReferralStatus.ACKNOWLEDGED, ReferralStatus.DECLINED, ReferralStatus.CLOSED):
        services.update_referral_status(referral=referral, status=status, actor=manager)
    assert {n.kind for n in Notification.objects.filter(recipient=officer)} == {
        NotificationKind.REFERRAL_ACKNOWLEDGED,
        NotificationKind.REFERRAL_DECLINED,
    }
    assert told(NotificationKind.REFERRAL_DECLINED) == {
        (
            officer.email,
            f"Manchester IDVA Service declined your referral of case {case.reference}",
        )
    }

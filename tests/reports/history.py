"""A year of casework made through the services, with the clock turned to each moment, so the
reports count what the real journeys leave behind: cases opened, indicators identified and
ended, escalations decided, consent asked for and answered, releases made and refused,
referrals sent and answered, cases closed. Deterministic: the same seed makes the same year."""

import contextlib
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import time_machine
from django.utils import timezone

from agencies.models import AgencyKind, LocalAuthority
from reports.periods import Month
from sharing import services
from sharing.models import (
    ClosureReason,
    ConcernSource,
    DataCategory,
    DisclosureMethod,
    EscalationDecision,
    HouseholdType,
    LawfulBasis,
    PersonTold,
    Purpose,
    Referral,
    ReferralKind,
    ReferralStatus,
    SupportType,
    VulnerabilityIndicator,
)
from tests.factories import AgencyFactory, CaseFactory
from tests.sharing.referrals import send_with_consent

REPORT_MONTH = Month(2026, 10)
AUTHORITY_CODES = ("E08000003", "E08000025", "E06000018")  # Manchester, Birmingham, Nottingham
CATEGORIES = [DataCategory.IDENTITY, DataCategory.VULNERABILITIES]


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@dataclass
class History:
    officer: object
    manager: object
    authority: object
    agencies: list = field(default_factory=list)
    cases: list = field(default_factory=list)


def _record(necessity: str):
    return services.DecisionRecord(
        necessity=necessity,
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        special_category_condition="sch1_para18",
        person_told=PersonTold.TOLD,
        categories=tuple(CATEGORIES),
    )


def make_history(*, officer, manager, authority, months=(0, -1, -12, -2), per_month=5, seed=22):
    """Cases whose concerns arrived in each of `months` (offsets from REPORT_MONTH), and what
    happened to each over the following weeks."""
    chance = random.Random(seed)
    history = History(officer=officer, manager=manager, authority=authority)
    agreement = {
        "information_sharing_agreement_signed_on": date(2024, 1, 1),
        "information_sharing_agreement_review_due_on": date(2030, 1, 1),
    }
    history.agencies = [
        AgencyFactory(name=f"Report Police {seed}", kind=AgencyKind.POLICE, **agreement),
        AgencyFactory(name=f"Report NHS Trust {seed}", kind=AgencyKind.NHS_TRUST, **agreement),
        AgencyFactory(name=f"Report Charity {seed}", kind=AgencyKind.NGO, **agreement),
    ]
    unagreed = AgencyFactory(
        name=f"Report Council (no agreement) {seed}", kind=AgencyKind.LOCAL_AUTHORITY_HOUSING
    )
    authorities = list(LocalAuthority.objects.filter(code__in=AUTHORITY_CODES))
    sources = list(ConcernSource.objects.filter(is_active=True)[:4])
    indicators = list(VulnerabilityIndicator.objects.exclude(applies_to="children")[:6])
    kinds = list(ReferralKind.objects.filter(code__in=["idva", "police", "health", "ngo-support"]))

    for offset in months:
        month = REPORT_MONTH.plus(offset)
        for number in range(per_month + chance.randint(0, 2)):
            received = month.first_day + timedelta(days=chance.randint(0, 24))
            with time_machine.travel(at(received), tick=False):
                case = CaseFactory(
                    actor=officer,
                    officers=[officer],
                    given_names=f"Person{offset}{number}",
                    concern_received_on=received,
                    local_authority=chance.choice(authorities),
                    household_type=chance.choice(HouseholdType.values),
                    support_type=chance.choice(SupportType.values),
                    concern_source=chance.choice(sources),
                )
                for indicator in chance.sample(indicators, chance.randint(1, 3)):
                    identified = received + timedelta(days=chance.randint(0, 3))
                    with time_machine.travel(at(identified), tick=False):
                        recorded = services.add_indicator(
                            case=case, indicator=indicator, identified_on=identified, actor=officer
                        )
                    if chance.random() < 0.3:
                        ended = identified + timedelta(days=chance.randint(5, 40))
                        with time_machine.travel(at(ended), tick=False):
                            services.end_indicator(
                                case_indicator=recorded, ended_on=ended, actor=officer
                            )
            history.cases.append(case)
            moment = received + timedelta(days=1)
            if chance.random() < 0.4:
                with time_machine.travel(at(moment), tick=False):
                    escalation = services.escalate_case(
                        case=case, reason="Risk rising", actor=officer
                    )
                if chance.random() < 0.8:
                    with time_machine.travel(
                        at(moment + timedelta(days=chance.randint(0, 20)), 15), tick=False
                    ):
                        services.decide_escalation(
                            escalation=escalation,
                            decision=chance.choice(EscalationDecision.values),
                            notes="Decided.",
                            actor=manager,
                        )
            recipient = chance.choice(history.agencies)
            with time_machine.travel(at(moment, 11), tick=False):
                request = services.request_consent(
                    case=case,
                    recipients=[recipient],
                    purposes=[Purpose.SAFEGUARDING_REFERRAL, Purpose.RISK_ASSESSMENT],
                    categories=CATEGORIES,
                    necessity="The agency needs to know to keep them safe.",
                    actor=officer,
                )
            outcome = chance.choice(["grant", "grant", "narrow", "refuse", None])
            decided = moment + timedelta(days=chance.randint(0, 15))
            consent = None
            if outcome is not None:
                with time_machine.travel(at(decided, 16), tick=False):
                    consent = services.decide_consent_request(
                        request=request,
                        decision=outcome,
                        actor=authority,
                        purposes=[Purpose.SAFEGUARDING_REFERRAL] if outcome == "narrow" else None,
                        reason="Only what is needed." if outcome != "grant" else "",
                        valid_until=at(decided + timedelta(days=120)),
                    )
            if consent is not None:
                for purpose in chance.sample(
                    list(consent.purposes), chance.randint(1, len(consent.purposes))
                ):
                    released = decided + timedelta(days=chance.randint(1, 20))
                    with time_machine.travel(at(released, 12), tick=False):
                        services.disclose(
                            case=case,
                            recipient=recipient,
                            purpose=purpose,
                            categories=CATEGORIES,
                            content="Name and the concern.",
                            method=DisclosureMethod.SECURE_EMAIL,
                            record_of_decision=_record("They need it to act."),
                            actor=officer,
                        )
            if chance.random() < 0.3:
                with (
                    time_machine.travel(at(decided + timedelta(days=2), 13), tick=False),
                    contextlib.suppress(services.DisclosureRefused),
                ):
                    services.disclose(
                        case=case,
                        recipient=unagreed,
                        purpose=Purpose.ACCOMMODATION,
                        categories=CATEGORIES,
                        content="Name.",
                        method=DisclosureMethod.PHONE,
                        record_of_decision=_record("Housing needs it."),
                        actor=officer,
                    )
            if chance.random() < 0.6:
                sent_on = moment + timedelta(days=chance.randint(0, 10))
                with time_machine.travel(at(sent_on, 9), tick=False):
                    referral = services.create_referral(
                        referral=Referral(
                            case=case,
                            agency=chance.choice(history.agencies),
                            kind=chance.choice(kinds),
                            reason="Needs support.",
                        ),
                        actor=officer,
                    )
                    send_with_consent(referral=referral, actor=officer)
                steps = [
                    ReferralStatus.ACKNOWLEDGED,
                    chance.choice(
                        [
                            ReferralStatus.ACCEPTED,
                            ReferralStatus.DECLINED,
                            ReferralStatus.NO_FURTHER_ACTION,
                        ]
                    ),
                ]
                moment_of_step = at(sent_on, 9)
                for step in steps[: chance.randint(0, 2)]:
                    moment_of_step += timedelta(hours=chance.randint(2, 100))
                    with time_machine.travel(moment_of_step, tick=False):
                        services.update_referral_status(
                            referral=referral, status=step, actor=officer
                        )
            if offset != 0 and chance.random() < 0.6:
                closed_on = received + timedelta(days=chance.randint(10, 50))
                with time_machine.travel(at(closed_on, 17), tick=False):
                    services.close_case(
                        case=case, reason=chance.choice(ClosureReason.values), actor=officer
                    )
    return history

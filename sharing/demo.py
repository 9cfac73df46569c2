"""Demo cases for `seed_demo`: service users across the four regions, with indicators, notes,
escalations, referrals in every state, and consents current, expired and revoked with what was
shared under them, all made through the services. Idempotent: a demo case is recognised by its
Authority reference and not made twice."""

from contextlib import suppress
from datetime import date, timedelta
from unittest import mock

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from agencies.models import Agency, AgencyKind, LocalAuthority, ReferralRoute
from core.demo_clock import clock_at
from core.roles import Role
from sharing import selectors, services, snapshots
from sharing.models import (
    Case,
    CaseIndicator,
    CaseStatus,
    ConcernSource,
    ConsentUrgency,
    DataCategory,
    DisclosureMethod,
    EscalationCriterion,
    HouseholdMember,
    LawfulBasis,
    PersonTold,
    Purpose,
    Referral,
    ReferralKind,
    ReferralStatus,
    SpecialCategoryCondition,
    VulnerabilityIndicator,
)
from sharing.services import retention

# The steps after sending that bring a referral to each state.
STEPS_AFTER_SENDING = {
    ReferralStatus.SENT: [],
    ReferralStatus.ACKNOWLEDGED: [ReferralStatus.ACKNOWLEDGED],
    ReferralStatus.ACCEPTED: [ReferralStatus.ACKNOWLEDGED, ReferralStatus.ACCEPTED],
    ReferralStatus.DECLINED: [ReferralStatus.ACKNOWLEDGED, ReferralStatus.DECLINED],
    ReferralStatus.NO_FURTHER_ACTION: [
        ReferralStatus.ACKNOWLEDGED,
        ReferralStatus.NO_FURTHER_ACTION,
    ],
    ReferralStatus.CLOSED: [
        ReferralStatus.ACKNOWLEDGED,
        ReferralStatus.ACCEPTED,
        ReferralStatus.CLOSED,
    ],
}

# Each demo case: who, where, what was identified, and the referrals made (agency kind,
# referral kind, state, follow-up in days from today).
DEMO_CASES = [
    {
        "authority_reference": "DEMO-AS-104233",
        "given_names": "Amina",
        "family_name": "Haddad",
        "date_of_birth": date(1991, 5, 17),
        "sex_or_gender": "Female",
        "nationality": "SY",
        "language": "ara",
        "interpreter_needed": True,
        "support_type": "s95",
        "accommodation_type": "dispersed",
        "address": "14 Elmstead Road",
        "postcode": "M8 8EP",
        "local_authority": "E08000003",
        "household_type": "family",
        "household": [
            ("Omar Haddad", "Son", date(2017, 2, 3)),
            ("Layla Haddad", "Daughter", date(2021, 6, 9)),
        ],
        "concern_source": "housing-officer",
        "days_ago": 40,
        "risk_level": "high",
        "indicators": ["DA", "MH", "CHILD-HARM"],
        "referrals": [
            (AgencyKind.POLICE, "marac", ReferralStatus.ACCEPTED, 14),
            (AgencyKind.CHILDRENS_SERVICES, "child-safeguarding", ReferralStatus.ACKNOWLEDGED, -3),
            (AgencyKind.NGO, "idva", ReferralStatus.DRAFT, 7),
            # Waiting on the partner agency: its "referrals awaiting a response" queue has it.
            (AgencyKind.NGO, "ngo-support", ReferralStatus.SENT, 10),
        ],
        # Heard at MARAC a month ago; a new incident makes this a repeat referral.
        "heard_at_marac_days_ago": 30,
        "marac": {
            "dash_score": 16,
            "professional_judgement": False,
            "escalation_criterion": EscalationCriterion.VISIBLE_HIGH_RISK,
        },
        "note": "Home visit with an Arabic interpreter. Disclosed **controlling behaviour** by "
        "her former partner, who has found the address.\n\n- Safety plan agreed\n- MARAC "
        "referral with a Dash score of 16",
        "escalation": ("Perpetrator has located the property; a move may be needed.", True),
        "consent_for_draft": True,
    },
    {
        "authority_reference": "DEMO-AS-118902",
        "given_names": "Yonas",
        "family_name": "Tesfaye",
        "date_of_birth": date(1988, 11, 2),
        "sex_or_gender": "Male",
        "nationality": "ER",
        "language": "tir",
        "interpreter_needed": True,
        "support_type": "s98",
        "accommodation_type": "contingency",
        "address": "Hotel contingency site, Hagley Road",
        "postcode": "B16 8LB",
        "local_authority": "E08000025",
        "household_type": "single",
        "concern_source": "aire-provider",
        "days_ago": 21,
        "risk_level": "high",
        "indicators": ["MSHT", "TORT"],
        "referrals": [
            (AgencyKind.AIRE_PROVIDER, "nrm", ReferralStatus.SENT, -2),
            (AgencyKind.NHS_TRUST, "mental-health", ReferralStatus.DECLINED, 10),
        ],
        "note": "Reported being made to work unpaid to repay travel debt. Consents to an NRM "
        "referral by a first responder.",
        "escalation": ("Possible exploiters seen near the hotel.", False),
    },
    {
        "authority_reference": "DEMO-AS-120551",
        "given_names": "Maryam",
        "family_name": "Ahmadi",
        "date_of_birth": date(1962, 3, 30),
        "sex_or_gender": "Female",
        "nationality": "AF",
        "language": "prs",
        "interpreter_needed": True,
        "support_type": "s95",
        "accommodation_type": "dispersed",
        "address": "3 Narborough Road",
        "postcode": "LE3 0BR",
        "local_authority": "E06000016",
        "household_type": "single",
        "concern_source": "welfare-check",
        "days_ago": 65,
        "risk_level": "medium",
        "indicators": ["DIS-PHYS", "CARE", "ISOL"],
        "referrals": [
            (AgencyKind.ADULT_SOCIAL_CARE, "adult-safeguarding", ReferralStatus.CLOSED, None),
            (AgencyKind.NGO, "ngo-support", ReferralStatus.NO_FURTHER_ACTION, 5),
        ],
        "note": "Uses a walking frame; first-floor flat with no lift. Care Act assessment "
        "requested.",
    },
    {
        "authority_reference": "DEMO-AS-131076",
        "given_names": "Daniel",
        "family_name": "Okafor",
        "date_of_birth": date(1999, 8, 12),
        "sex_or_gender": "Male",
        "nationality": "NG",
        "language": "eng",
        "interpreter_needed": False,
        "support_type": "s4",
        "accommodation_type": "dispersed",
        "address": "22 Unthank Road",
        "postcode": "NR2 2PA",
        "local_authority": "E10000020",
        "household_type": "single",
        "concern_source": "health",
        "days_ago": 12,
        "risk_level": "medium",
        "indicators": ["SUI", "MOVE-ON"],
        "referrals": [
            (AgencyKind.PRIMARY_CARE, "mental-health", ReferralStatus.ACKNOWLEDGED, 3),
        ],
        "note": "GP reports low mood since the refusal letter. Crisis line numbers given.",
        "escalation": ("Expressed thoughts of self-harm during the welfare call.", False),
    },
    {
        "authority_reference": "DEMO-AS-127340",
        "given_names": "Sara",
        "family_name": "Mohammed",
        "date_of_birth": date(1996, 1, 22),
        "sex_or_gender": "Female",
        "nationality": "SD",
        "language": "ara",
        "interpreter_needed": True,
        "support_type": "s95",
        "accommodation_type": "initial",
        "address": "Initial accommodation, Stoney Street",
        "postcode": "NG1 1LG",
        "local_authority": "E06000018",
        "household_type": "family",
        "household": [("Hawa Mohammed", "Daughter", date(2024, 9, 14))],
        "concern_source": "self-referral",
        "days_ago": 8,
        "risk_level": "low",
        "indicators": ["PREG", "FGM"],
        "referrals": [
            (AgencyKind.NHS_TRUST, "health", ReferralStatus.ACCEPTED, 21),
        ],
        "note": "Pregnant, 30 weeks. Midwife appointment booked.",
    },
    {
        "authority_reference": "DEMO-AS-109876",
        "given_names": "Reza",
        "family_name": "Karimi",
        "date_of_birth": date(1985, 6, 5),
        "sex_or_gender": "Male",
        "nationality": "IR",
        "language": "fas",
        "interpreter_needed": False,
        "support_type": "s95",
        "accommodation_type": "dispersed",
        "address": "7 Foleshill Road",
        "postcode": "CV1 4JJ",
        "local_authority": "E08000026",
        "household_type": "single",
        "concern_source": "resident",
        "days_ago": 120,
        "risk_level": "low",
        "indicators": ["LGBTQI", "HATE"],
        "referrals": [
            (AgencyKind.POLICE, "police", ReferralStatus.CLOSED, None),
        ],
        "note": "Harassed by a housemate. Moved to a single-occupancy property.",
        "closed": "needs_met",
    },
    {
        # Opened by the manager from a report that came in yesterday: nobody holds it yet, so
        # it waits in the manager's "cases without an officer" queue.
        "authority_reference": "DEMO-AS-131540",
        "awaiting_an_officer": True,
        "given_names": "Fatima",
        "family_name": "Noori",
        "date_of_birth": date(1999, 3, 21),
        "sex_or_gender": "Female",
        "nationality": "AF",
        "language": "prs",
        "interpreter_needed": True,
        "support_type": "s95",
        "accommodation_type": "initial",
        "address": "Initial accommodation, Stockport Road",
        "postcode": "M12 4AA",
        "local_authority": "E08000003",
        "household_type": "single",
        "concern_source": "housing-officer",
        "days_ago": 1,
        "risk_level": "medium",
        "indicators": ["MH"],
        "referrals": [],
        "note": "Housing officer reports she seems withdrawn and is not eating.",
    },
    {
        # The demo's person already known: start a new case for "Muhammad Alsayed", born
        # 12 May 1990, and the new-case page finds this one (issue 24's "find the person first").
        "authority_reference": "DEMO-AS-102817",
        "given_names": "Mohammed",
        "family_name": "Al-Sayed",
        "date_of_birth": date(1990, 5, 12),
        "sex_or_gender": "Male",
        "nationality": "Egyptian",
        "language": "Arabic",
        "interpreter_needed": True,
        "support_type": "s95",
        "accommodation_type": "dispersed",
        "address": "31 Lozells Road",
        "postcode": "B19 2TH",
        "local_authority": "E08000025",
        "household_type": "single",
        "concern_source": "housing-officer",
        "days_ago": 60,
        "risk_level": "low",
        "indicators": ["MH"],
        "referrals": [],
        "note": "Struggling to sleep since his appeal hearing; GP registration in hand.",
    },
]


def _agency(kind):
    """An active agency of this kind, preferring one the team may share with today."""
    agencies = Agency.objects.filter(kind=kind, is_active=True).order_by("pk")
    return agencies.with_current_information_sharing_agreement().first() or agencies.first()


PARTNER_NOTES = {
    ReferralStatus.DECLINED: "Outside our service area; the county service has been suggested.",
    ReferralStatus.NO_FURTHER_ACTION: "Support already in place through adult social care.",
}


def _partner_at(agency):
    return (
        get_user_model()
        .objects.filter(groups__name=Role.PARTNER, agency=agency, is_active=True)
        .order_by("pk")
        .first()
    )


def _person(role):
    return get_user_model().objects.filter(groups__name=role, is_active=True).order_by("pk").first()


def seed() -> int:
    """Add the demo cases that are not there yet; returns how many were added."""
    officer = _person(Role.SAFEGUARDING_OFFICER)
    manager = _person(Role.SAFEGUARDING_MANAGER)
    if officer is None or manager is None or _person(Role.AUTHORITY) is None:
        return 0
    authority = _person(Role.AUTHORITY)
    today, now = timezone.localdate(), timezone.now()
    added = 0
    cases = []
    for spec in DEMO_CASES:
        if Case.objects.filter(authority_reference=spec["authority_reference"]).exists():
            continue
        cases.append(
            _seed_case(
                spec, officer=officer, manager=manager, authority=authority, today=today, now=now
            )
        )
        added += 1
    if len(cases) == len(DEMO_CASES):
        _seed_consent_stories(cases, officer=officer, manager=manager, authority=authority, now=now)
        _seed_retention_stories(cases, officer=officer, manager=manager, authority=authority)
    return added


# Closed seven years before the demo's today, so the retention schedule has already erased it.
ERASED_CASE = {
    "authority_reference": "DEMO-AS-044127",
    "given_names": "Yusuf",
    "family_name": "Rahimi",
    "date_of_birth": date(1984, 11, 2),
    "sex_or_gender": "Male",
    "nationality": "AF",
    "language": "prs",
    "interpreter_needed": True,
    "support_type": "s95",
    "accommodation_type": "dispersed",
    "address": "3 Moss Lane",
    "postcode": "M15 5PL",
    "local_authority": "E08000003",
    "household_type": "family",
    "household": [("Maryam Rahimi", "Wife", date(1988, 2, 14))],
    "concern_source": "resident",
    "days_ago": 30,
    "risk_level": "medium",
    "indicators": ["HATE"],
    "referrals": [],
    "note": "Threatened by neighbours after moving in; rehoused by the provider.",
    "closed": "moved_area",
}


def _seed_retention_stories(cases, *, officer, manager, authority):
    """A closed case held for a claim, and one erased under retention long after it closed."""
    held = (
        Case.objects.filter(pk__in=[case.pk for case in cases], status=CaseStatus.CLOSED)
        .order_by("pk")
        .first()
    )
    retention.place_legal_hold(
        case=held,
        reason="Civil claim against the accommodation provider: keep the record until settled.",
        actor=manager,
    )
    long_ago = timezone.now() - relativedelta(years=7)
    with clock_at(long_ago):
        _seed_case(
            ERASED_CASE,
            officer=officer,
            manager=manager,
            authority=authority,
            today=timezone.localdate(),
            now=long_ago,
        )
    # The timer's own run: in the demo only the case closed seven years ago is due.
    retention.apply_retention()


def _seed_case(spec, *, officer, manager, authority, today, now):
    received = today - timedelta(days=spec["days_ago"])
    fields = {
        name: spec[name]
        for name in (
            "authority_reference",
            "given_names",
            "family_name",
            "date_of_birth",
            "sex_or_gender",
            "nationality",
            "language",
            "interpreter_needed",
            "support_type",
            "accommodation_type",
            "address",
            "postcode",
            "household_type",
            "risk_level",
        )
    }
    case = Case(
        **fields,
        local_authority=LocalAuthority.objects.get(code=spec["local_authority"]),
        concern_source=ConcernSource.objects.get(code=spec["concern_source"]),
        concern_received_on=received,
        user_agreement="given",
        user_agreement_on=received,
        user_agreement_method="interpreter" if spec["interpreter_needed"] else "in_person",
    )
    household = [
        HouseholdMember(full_name=name, relationship=relationship, date_of_birth=born)
        for name, relationship, born in spec.get("household", [])
    ]
    # Opened as the form opens a case: household and indicators in the one submission.
    indicators = [
        CaseIndicator(
            indicator=VulnerabilityIndicator.objects.get(code=code), identified_on=received
        )
        for code in spec["indicators"]
    ]
    holder = manager if spec.get("awaiting_an_officer") else officer
    services.open_case(
        case=case,
        officers=[] if spec.get("awaiting_an_officer") else [officer],
        household=household,
        indicators=indicators,
        actor=holder,
    )
    services.add_case_note(case=case, text=spec["note"], actor=holder)
    if "escalation" in spec:
        reason, decided = spec["escalation"]
        escalation = services.escalate_case(case=case, reason=reason, actor=officer)
        if decided:
            services.decide_escalation(
                escalation=escalation,
                decision="manager_action",
                notes="Agreed an emergency move; manager to liaise with the Authority.",
                actor=manager,
            )
    if "heard_at_marac_days_ago" in spec:
        services.record_marac_hearing(
            case=case,
            heard_on=today - timedelta(days=spec["heard_at_marac_days_ago"]),
            actor=officer,
        )
    for agency_kind, referral_kind, state, follow_up_days in spec["referrals"]:
        agency = _agency(agency_kind)
        if agency is None:
            continue
        referral = services.create_referral(
            referral=Referral(
                case=case,
                agency=agency,
                kind=ReferralKind.objects.get(code=referral_kind),
                reason=f"{spec['given_names']} needs support from {agency.name}.",
                urgency="urgent" if spec["risk_level"] == "high" else "routine",
                **(spec.get("marac", {}) if referral_kind == "marac" else {}),
                follow_up_on=(
                    today + timedelta(days=follow_up_days) if follow_up_days is not None else None
                ),
            ),
            indicators=VulnerabilityIndicator.objects.filter(code__in=spec["indicators"]),
            actor=officer,
        )
        if state == ReferralStatus.DRAFT:
            if spec.get("consent_for_draft"):
                # Consent is already there: the draft shows it is covered and can be sent.
                services.grant_consent(
                    case=case,
                    recipients=[agency],
                    purposes=[selectors.purpose_of_referral(referral_kind)],
                    categories=list(selectors.DEFAULT_REFERRAL_CATEGORIES),
                    valid_from=now - timedelta(days=2),
                    valid_until=now + timedelta(days=60),
                    actor=authority,
                )
            continue
        # A referral still waiting after its target for acknowledgement went out days ago:
        # the officer and the agency are chased.
        sent_at = (
            now - timedelta(days=4) if follow_up_days is not None and follow_up_days < 0 else now
        )
        with clock_at(sent_at):
            referral = _send_with_consent(referral, officer=officer, authority=authority, now=now)
        if referral is None:
            continue
        # An agency with its own people in Partnerhub answers there, one sent a secure link
        # answers through it; the team records the answers of the others, given by telephone
        # or e-mail.
        answerer = _partner_at(agency)
        link = referral.secure_links.select_related("contact", "disclosure__consent").first()
        if referral.route == ReferralRoute.OWN_CHANNEL and state != ReferralStatus.SENT:
            services.record_document_sent(
                referral=referral,
                how=f"Secure e-mail (CJSM/NHSmail) to {agency.secure_email or agency.email}",
                sent_at=referral.sent_at,
                actor=officer,
            )
        for step in STEPS_AFTER_SENDING[state]:
            if answerer is not None and step in services.PARTNER_ANSWERS:
                referral = services.answer_referral(
                    referral=referral,
                    status=step,
                    note=PARTNER_NOTES.get(step, ""),
                    actor=answerer,
                )
            elif link is not None and step in services.PARTNER_ANSWERS:
                referral = services.answer_referral_by_link(
                    link=link,
                    opened_at=timezone.now(),
                    status=step,
                    note=PARTNER_NOTES.get(step, ""),
                )
            else:
                referral = services.update_referral_status(
                    referral=referral, status=step, actor=officer
                )
    if "closed" in spec:
        services.close_case(case=case, reason=spec["closed"], actor=officer)
    return case


RELEASED = [DataCategory.IDENTITY, DataCategory.CONTACT_AND_ADDRESS, DataCategory.VULNERABILITIES]


def _decision(necessity, categories=tuple(RELEASED), decided_by=None):
    return services.DecisionRecord(
        necessity=necessity,
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        special_category_condition=SpecialCategoryCondition.SAFEGUARDING,
        person_told=PersonTold.TOLD,
        decided_by=decided_by,
        categories=categories,
    )


def _send_with_consent(referral, *, officer, authority, now, route=None):
    """The Authority consents (unless `authority` is None: a consent is already there), then the
    referral goes out through the gate by `route`, or the one the page would propose. An agency
    without a current information sharing agreement is refused, and the referral stays a
    draft."""
    purpose = selectors.purpose_of_referral(referral.kind.code)
    if authority is not None:
        services.grant_consent(
            case=referral.case,
            recipients=[referral.agency],
            purposes=[purpose],
            categories=RELEASED,
            valid_from=now - timedelta(days=7),
            valid_until=now + timedelta(days=90),
            actor=authority,
        )
    options = services.route_options(referral)
    try:
        return services.send_referral(
            referral=referral,
            actor=officer,
            purpose=purpose,
            categories=RELEASED,
            content=snapshots.compose(referral, RELEASED),
            route=route or services.proposed_route(options, referral.agency),
            record_of_decision=_decision(referral.reason),
        )
    except services.DisclosureRefused:
        return None


def _seed_consent_stories(cases, *, officer, manager, authority, now):
    """Consents in every state, a pending and a refused request, a decision not to share and a
    refusal by the gate, so the demo shows the gate at work. `disclose()` reads the clock itself,
    after taking its locks, so a release made under a consent that has since expired or been
    revoked is made with the demo's clock turned back to while the consent held."""
    police = _agency(AgencyKind.POLICE)
    health = _agency(AgencyKind.NHS_TRUST)
    first, second, third, fourth, fifth = cases[:5]
    if police is not None:
        # Granted for a fortnight, used while it was valid, and now expired.
        with clock_at(now - timedelta(days=20)):
            expired = services.grant_consent(
                case=second, recipients=[police], purposes=[Purpose.CRIME_PREVENTION],
                categories=[DataCategory.IDENTITY], valid_from=now - timedelta(days=20),
                valid_until=now - timedelta(days=6), actor=authority,
            )  # fmt: skip
        with clock_at(now - timedelta(days=18)):
            services.disclose(
                case=second, recipient=police, purpose=Purpose.CRIME_PREVENTION,
                categories=[DataCategory.IDENTITY],
                content="Name and date of birth, to check against a report of exploitation.",
                method=DisclosureMethod.SECURE_EMAIL,
                record_of_decision=_decision("Police checking a report of exploitation.",
                                             (DataCategory.IDENTITY,), manager),
                actor=officer,
            )  # fmt: skip
        services.record_decision_not_to_share(
            case=second, requested_by_agency=police, requested_by_person="DC Jordan Ellis",
            requested_categories=[DataCategory.CASE_HISTORY],
            what_was_asked_for="Her full case history for an unrelated enquiry.",
            reason="Not necessary for their enquiry, and the consent for the police has expired "
            f"(consent {expired.pk}).", actor=manager,
        )  # fmt: skip
        # Used while it was valid, then revoked today.
        with clock_at(now - timedelta(days=20)):
            revoked = services.grant_consent(
                case=third, recipients=[police], purposes=[Purpose.SAFEGUARDING_REFERRAL],
                categories=RELEASED, valid_from=now - timedelta(days=20),
                valid_until=now + timedelta(days=60), actor=authority,
            )  # fmt: skip
        # Sent by secure link while it was valid: once the consent is revoked the link says
        # "withdrawn", while the record of the release stays.
        with clock_at(now - timedelta(days=12)):
            welfare_visit = services.create_referral(
                referral=Referral(
                    case=third, agency=police,
                    kind=ReferralKind.objects.get(code="adult-safeguarding"),
                    reason="A welfare visit by the neighbourhood team.",
                ),
                actor=officer,
            )  # fmt: skip
            _send_with_consent(
                welfare_visit, officer=officer, authority=None, now=now,
                route=ReferralRoute.SECURE_LINK,
            )  # fmt: skip
        services.revoke_consent(
            consent=revoked, reason="The person has moved out of the provider's accommodation.",
            actor=authority,
        )  # fmt: skip
        services.request_consent(
            case=fourth, recipients=[police], purposes=[Purpose.RISK_ASSESSMENT],
            categories=RELEASED, necessity="High-risk domestic abuse: the police need to know "
            "for the MARAC and a safety plan.", urgency=ConsentUrgency.URGENT, actor=officer,
        )  # fmt: skip
    if health is not None:
        services.grant_consent(
            case=first, recipients=[health], purposes=[Purpose.HEALTH_CARE],
            categories=[DataCategory.IDENTITY, DataCategory.HEALTH],
            valid_from=now - timedelta(days=3), valid_until=now + timedelta(days=60), actor=authority,
        )  # fmt: skip
        services.disclose(
            case=first, recipient=health, purpose=Purpose.HEALTH_CARE,
            categories=[DataCategory.IDENTITY, DataCategory.HEALTH],
            content="Name and date of birth; registered with the practice; ongoing treatment.",
            method=DisclosureMethod.PHONE,
            record_of_decision=_decision("Continuity of treatment after a move.",
                                         (DataCategory.IDENTITY, DataCategory.HEALTH), manager),
            actor=officer,
        )  # fmt: skip
        # Granted for the length of a course of treatment, which ends next week: the officer's
        # "consents running out" queue has it.
        services.grant_consent(
            case=first, recipients=[health], purposes=[Purpose.HEALTH_CARE],
            categories=[DataCategory.IDENTITY], valid_from=now - timedelta(days=50),
            valid_until=now + timedelta(days=8), actor=authority,
        )  # fmt: skip
        refused = services.request_consent(
            case=fifth, recipients=[health], purposes=[Purpose.CASE_REVIEW],
            categories=[DataCategory.CASE_HISTORY], necessity="For a practice learning review.",
            actor=officer,
        )  # fmt: skip
        services.decide_consent_request(
            request=refused, decision="refuse", actor=authority,
            reason="A learning review can use anonymised information.",
        )  # fmt: skip
    lapsed = (
        Agency.objects.filter(information_sharing_agreement_review_due_on__lt=now.date())
        .order_by("pk")
        .first()
    )
    if lapsed is not None:
        services.grant_consent(
            case=first, recipients=[lapsed], purposes=[Purpose.SAFEGUARDING_REFERRAL],
            categories=RELEASED, valid_from=now - timedelta(days=1),
            valid_until=now + timedelta(days=30), actor=authority,
        )  # fmt: skip
        # The demo's example of the gate refusing, and the refusal on record: this agency's
        # information sharing agreement is past its review date.
        with suppress(services.DisclosureRefused):
            services.disclose(
                case=first, recipient=lapsed, purpose=Purpose.SAFEGUARDING_REFERRAL,
                categories=RELEASED, content="Referral details.",
                method=DisclosureMethod.SECURE_EMAIL,
                record_of_decision=_decision("Support with accommodation."), actor=officer,
            )  # fmt: skip
    _seed_release_while_agreements_only_warned(first, officer=officer, authority=authority, now=now)


def _seed_release_while_agreements_only_warned(case, *, officer, authority, now):
    """A release to an agency with no information sharing agreement on file, made as a
    deployment set to warn only lets it through: the disclosure records that the agreement was
    not current, which the compliance reviewer's list looks for."""
    unsigned = (
        Agency.objects.filter(is_active=True, information_sharing_agreement_signed_on__isnull=True)
        .order_by("pk")
        .first()
    )
    if unsigned is None:
        return
    services.grant_consent(
        case=case, recipients=[unsigned], purposes=[Purpose.SAFEGUARDING_REFERRAL],
        categories=RELEASED, valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=30), actor=authority,
    )  # fmt: skip
    with mock.patch.object(settings, "PARTNERHUB_AGREEMENT_CHECK", "warn"):
        services.disclose(
            case=case, recipient=unsigned, purpose=Purpose.SAFEGUARDING_REFERRAL,
            categories=RELEASED, content="Name, address and the vulnerabilities identified.",
            method=DisclosureMethod.SECURE_EMAIL,
            record_of_decision=_decision("Support with accommodation."), actor=officer,
        )  # fmt: skip

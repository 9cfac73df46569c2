"""Casework at scale: cases over three years with their indicators, officers and escalations;
the Authority's consents and the requests behind them; and the disclosures made under those
consents, most of them referrals sent to agencies.

Every disclosure is planned inside a consent that covers it (recipient, purpose, categories,
time), and every referral marked sent is written after the disclosure that released it, so the
database's consent gate (sharing/guards.py) accepts each row as it would from the services.
"""

import hashlib
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from agencies.models import ReferralRoute
from audit.models import Verb
from core.roles import Role
from home.scale import vocabulary
from home.scale.tables import insert, next_ids
from home.scale.world import World
from sharing.models import (
    SPECIAL_CATEGORIES,
    AccommodationType,
    AgreementMethod,
    AppliesTo,
    Case,
    CaseIndicator,
    CaseReferenceCounter,
    ClosureReason,
    ConcernSource,
    Consent,
    ConsentRequest,
    ConsentRequestStatus,
    DataCategory,
    Disclosure,
    DisclosureMethod,
    Escalation,
    EscalationDecision,
    LawfulBasis,
    PersonTold,
    Purpose,
    Referral,
    ReferralKind,
    ReferralStatus,
    ReferralStatusChange,
    ReleasedContent,
    SpecialCategoryCondition,
    Urgency,
    VulnerabilityIndicator,
)
from sharing.models.referrals import MARAC_KIND, EscalationCriterion
from sharing.services.cases import REFERENCE_PREFIX
from sharing.services.delivery import ROUTE_METHOD

YEARS_OF_CASEWORK = 3
# Of the referrals, the share that went out; the rest are drafts or drafts withdrawn unsent.
SENT_SHARE = 0.93
WITHDRAWN_AFTER = timedelta(minutes=1)


def _weighted(rng, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _date_of_birth(rng, on: date) -> date:
    age = rng.randint(0, 17) if rng.random() < 0.25 else int(18 + rng.expovariate(1 / 14)) % 70
    year = on.year - age - 1
    # Unknown dates of birth are recorded as 1 January, so that day gathers far more people.
    if rng.random() < 0.08:
        return date(year, 1, 1)
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def fill_cases(world: World) -> None:
    rng, size, today = world.random, world.size, timezone.localdate(world.now)
    officers = world.people[Role.SAFEGUARDING_OFFICER]
    local_authorities = [pk for ids in world.local_authorities_of_region.values() for pk in ids]
    sources = list(ConcernSource.objects.filter(is_active=True).values_list("pk", flat=True))
    start = world.now - timedelta(days=YEARS_OF_CASEWORK * 365)
    span = (world.now - timedelta(hours=2) - start).total_seconds()
    # More cases each year than the last: the moments bunch towards today.
    moments = sorted(
        start + timedelta(seconds=int(span * rng.random() ** 0.8)) for _ in range(size.cases)
    )
    counters = dict(CaseReferenceCounter.objects.values_list("year", "last_number"))
    ids = next_ids(Case, size.cases)
    cases, assignments = [], []
    for pk, created_at in zip(ids, moments, strict=True):
        given_names, family_names, nationality, language = rng.choice(vocabulary.NAME_POOLS)
        year = timezone.localtime(created_at).year
        counters[year] = counters.get(year, 0) + 1
        concern_received_on = timezone.localdate(created_at) - timedelta(days=rng.randrange(10))
        born = _date_of_birth(rng, concern_received_on)
        is_child = (concern_received_on - born).days < 18 * 365
        age_in_days = (world.now - created_at).days
        closing_chance = 0.8 if age_in_days > 365 else 0.5 if age_in_days > 180 else 0.15
        closed_at = None
        if rng.random() < closing_chance:
            closed_at = created_at + timedelta(days=rng.randint(20, 400), hours=rng.randint(1, 8))
            if closed_at >= world.now:
                closed_at = None
        agreement = _weighted(rng, {"given": 6, "refused": 1, "not_asked": 3})
        officer = rng.choice(officers)
        case = {
            "id": pk,
            "reference": f"{REFERENCE_PREFIX}-{year}-{counters[year]:06d}",
            "authority_reference": f"HO-{rng.randrange(10**7):07d}" if rng.random() < 0.6 else "",
            "given_names": rng.choice(given_names),
            "family_name": rng.choice(family_names),
            "date_of_birth": born,
            "sex_or_gender": rng.choice(["Female", "Male"]),
            "nationality": nationality,
            "language": language,
            "interpreter_needed": rng.random() < 0.7,
            "support_type": _weighted(rng, {"s95": 70, "s4": 20, "s98": 10}),
            "accommodation_type": _weighted(
                rng,
                {
                    AccommodationType.DISPERSED: 60,
                    AccommodationType.INITIAL: 15,
                    AccommodationType.CONTINGENCY: 15,
                    AccommodationType.OTHER: 5,
                    AccommodationType.SUBSISTENCE_ONLY: 5,
                },
            ),
            "address": f"{rng.randrange(1, 300)} {rng.choice(vocabulary.TOWNS)} Road",
            "postcode": f"M{rng.randrange(1, 40)} {rng.randrange(1, 9)}AB",
            "local_authority_id": rng.choice(local_authorities),
            "household_type": "family" if is_child or rng.random() < 0.45 else "single",
            "concern_source_id": rng.choice(sources),
            "concern_received_on": concern_received_on,
            "user_agreement": agreement,
            "user_agreement_on": concern_received_on if agreement != "not_asked" else None,
            "user_agreement_method": (
                rng.choice(AgreementMethod.values) if agreement != "not_asked" else ""
            ),
            "risk_level": _weighted(rng, {"low": 45, "medium": 40, "high": 15}),
            "last_heard_at_marac_on": None,
            "status": "closed" if closed_at else "open",
            "closure_reason": rng.choice(ClosureReason.values) if closed_at else "",
            "closed_at": closed_at,
            "created_at": created_at,
            "created_by_id": officer,
        }
        cases.append(case)
        # A tenth of open cases wait for an officer, as the managers' queue shows.
        if closed_at or rng.random() < 0.9:
            assignments.append({"case_id": pk, "user_id": officer})
            if rng.random() < 0.1:
                second = rng.choice(officers)
                if second != officer:
                    assignments.append({"case_id": pk, "user_id": second})
        world.cases.append(
            {
                "id": pk,
                "reference": case["reference"],
                "officer": officer,
                "created_at": created_at,
                "ends_at": closed_at or world.now,
                "is_child": is_child,
                "born": born,
                "concern_received_on": concern_received_on,
            }
        )
        world.record(created_at, officer, Verb.CREATED, "sharing.case", pk, case["reference"], {})
    insert(Case, cases)
    insert(Case.assigned_officers.through, assignments)
    for year, last_number in counters.items():
        CaseReferenceCounter.objects.update_or_create(
            year=year, defaults={"last_number": last_number}
        )
    _fill_indicators(world, today)
    _fill_escalations(world)


def _fill_indicators(world: World, today: date) -> None:
    rng = world.random
    catalogue = list(VulnerabilityIndicator.objects.values_list("pk", "applies_to"))
    for_children = [pk for pk, applies in catalogue if applies != AppliesTo.ADULTS]
    for_adults = [pk for pk, applies in catalogue if applies != AppliesTo.CHILDREN]
    rows = []
    for case in world.cases:
        choices = for_children if case["is_child"] else for_adults
        wanted = min(len(choices), max(1, round(rng.gauss(world.size.indicators_per_case, 1.5))))
        ends = timezone.localdate(case["ends_at"])
        for indicator in rng.sample(choices, wanted):
            identified_on = min(
                case["concern_received_on"] + timedelta(days=rng.randrange(30)), ends, today
            )
            identified_on = max(identified_on, case["born"])
            ended = case["ends_at"] < world.now and rng.random() < 0.5
            rows.append(
                {
                    "case_id": case["id"],
                    "indicator_id": indicator,
                    "identified_on": identified_on,
                    "identified_by_id": case["officer"],
                    "notes": "",
                    "ended_on": ends if ended else None,
                    "created_at": _aware(identified_on, time(10)),
                }
            )
    insert(CaseIndicator, rows)


def _busy_case(world: World) -> dict:
    """The case with a long history of releases: the oldest still open."""
    open_cases = [case for case in world.cases if case["ends_at"] >= world.now]
    busy = min(open_cases, key=lambda case: case["created_at"])
    world.busy_case = busy["id"]
    return busy


def _fill_escalations(world: World) -> None:
    rng, managers = world.random, world.people[Role.SAFEGUARDING_MANAGER]
    rows = []
    escalated = rng.sample(world.cases, max(2, len(world.cases) // 50))
    # The busy case's page shows every part a case can have, at any size.
    busy = _busy_case(world)
    for case in [busy, *(case for case in escalated if case is not busy)]:
        raised_at = world.moment_between(case["created_at"], case["ends_at"])
        decided = case["ends_at"] < world.now or rng.random() < 0.5
        decided_at = raised_at + timedelta(hours=rng.randint(2, 72)) if decided else None
        if decided_at and decided_at >= world.now:
            decided, decided_at = False, None
        rows.append(
            {
                "case_id": case["id"],
                "raised_by_id": case["officer"],
                "raised_at": raised_at,
                "reason": rng.choice(vocabulary.ESCALATION_REASONS),
                "decision": rng.choice(EscalationDecision.values) if decided else "",
                "decision_notes": "Discussed with the officer." if decided else "",
                "decided_by_id": rng.choice(managers) if decided else None,
                "decided_at": decided_at,
            }
        )
        world.record(
            raised_at,
            case["officer"],
            Verb.ESCALATED,
            "sharing.case",
            case["id"],
            case["reference"],
            {},
        )
    insert(Escalation, rows)


def fill_consent_and_disclosures(world: World) -> dict:
    """Consent requests, consents, disclosures with their released content, and referrals with
    their history. Returns how many disclosures were planned, for the tests to compare."""
    rng, size = world.random, world.size
    authority_people = world.people[Role.AUTHORITY]
    open_cases = [case for case in world.cases if case["ends_at"] >= world.now]
    busy = _busy_case(world)
    consents = _plan_consents(world, busy, authority_people)
    requests = _plan_requests(world, consents, open_cases, authority_people)
    sent_referrals = round(size.referrals * SENT_SHARE)
    # A tenth of the busy case's releases are referrals, as on any case with a long history.
    busy_referrals = size.busy_case_disclosures // 10
    others = max(
        0, size.disclosures - (sent_referrals - busy_referrals) - size.busy_case_disclosures
    )
    usable = [consent for consent in consents if consent["case"] is not busy and consent["window"]]
    busy_consents = [consent for consent in consents if consent["case"] is busy]
    plans = [(rng.choice(usable), True) for _ in range(sent_referrals - busy_referrals)]
    plans += [(rng.choice(usable), False) for _ in range(others)]
    plans += [
        (rng.choice(busy_consents), number < busy_referrals)
        for number in range(size.busy_case_disclosures)
    ]
    disclosures, contents, referrals, changes = _plan_releases(world, plans)
    drafts, withdrawn = _plan_drafts(world, busy, open_cases, size.referrals - sent_referrals)

    insert(ConsentRequest, [request["row"] for request in requests])
    insert(
        ConsentRequest.recipients.through,
        [
            {"consentrequest_id": request["row"]["id"], "agency_id": agency}
            for request in requests
            for agency in request["recipients"]
        ],
    )
    insert(Consent, [consent["row"] for consent in consents])
    # Recipients before any disclosure: the database fixes them once a consent is relied on.
    insert(
        Consent.recipients.through,
        [
            {"consent_id": consent["row"]["id"], "agency_id": agency}
            for consent in consents
            for agency in consent["recipients"]
        ],
    )
    insert(Disclosure, disclosures)
    insert(ReleasedContent, contents)
    # Referrals after their disclosures: the database refuses a sent one released by none.
    insert(Referral, referrals + drafts)
    # A draft withdrawn unsent was a draft first: the database accepts it closed only as a
    # change from draft, as withdraw_draft_referral makes it.
    Referral.objects.filter(pk__in=[row["id"] for row in withdrawn]).update(
        status=ReferralStatus.CLOSED, closed_at=F("created_at") + WITHDRAWN_AFTER
    )
    changes += [
        {
            "referral_id": row["id"],
            "from_status": ReferralStatus.DRAFT,
            "to_status": ReferralStatus.CLOSED,
            "changed_at": row["created_at"] + WITHDRAWN_AFTER,
            "changed_by_id": row["created_by_id"],
            "answered_through_id": None,
            "note": "No longer needed.",
        }
        for row in withdrawn
    ]
    insert(ReferralStatusChange, changes)
    return {"disclosures": len(disclosures), "referrals": len(referrals) + len(drafts)}


def _window(world, consent_row) -> tuple | None:
    end = min(consent_row["valid_until"], consent_row["revoked_at"] or world.now, world.now)
    if end - consent_row["valid_from"] < timedelta(minutes=10):
        return None
    return consent_row["valid_from"], end


def _plan_consents(world: World, busy: dict, authority_people: list) -> list[dict]:
    rng, size = world.random, world.size
    ids = iter(next_ids(Consent, size.consents))
    busy_share = max(2, size.busy_case_disclosures // 250)
    candidates = [
        case for case in world.cases if case["ends_at"] - case["created_at"] > timedelta(days=2)
    ]
    planned = []
    for number in range(size.consents):
        case = busy if number < busy_share else rng.choice(candidates)
        pk = next(ids)
        granted_by = rng.choice(authority_people)
        if case is busy:
            # Long consents to several agencies, so the busy case's releases spread over years.
            granted_at = case["created_at"] + timedelta(hours=number + 1)
            valid_until = world.now + timedelta(days=365)
            recipients = rng.sample(world.recipients, min(4, len(world.recipients)))
            purposes = sorted(Purpose.values)
            categories = sorted(DataCategory.values)
        else:
            latest = min(case["ends_at"], world.now) - timedelta(days=1)
            granted_at = world.moment_between(case["created_at"] + timedelta(hours=4), latest)
            valid_until = granted_at + timedelta(days=rng.choice([90, 180, 365]))
            recipients = rng.sample(world.recipients, min(rng.randint(1, 3), len(world.recipients)))
            purposes = sorted(rng.sample(Purpose.values, rng.randint(1, 3)))
            categories = sorted(
                {DataCategory.IDENTITY.value}
                | set(rng.sample(DataCategory.values, rng.randint(1, 4)))
            )
        revoked_at = None
        if case is not busy and rng.random() < 0.06:
            revoked_at = world.moment_between(
                granted_at + timedelta(hours=1), min(valid_until, world.now)
            )
        row = {
            "id": pk,
            "case_id": case["id"],
            "request_id": None,
            "supersedes_id": None,
            "granted_by_official": "",
            "granted_by_user_id": granted_by,
            "granted_at": granted_at,
            "evidence": "",
            "evidence_content_type": "",
            "evidence_digest": "",
            "authority_reference": f"SAF/{pk:07d}",
            "purposes": purposes,
            "categories": categories,
            "valid_from": granted_at,
            "valid_until": valid_until,
            "recorded_by_id": granted_by,
            "recorded_at": granted_at,
            "revoked_at": revoked_at,
            "revoked_by_id": granted_by if revoked_at else None,
            "revocation_reason": "The person withdrew their agreement." if revoked_at else "",
        }
        planned.append(
            {"row": row, "case": case, "recipients": recipients, "window": _window(world, row)}
        )
        world.record(
            granted_at,
            granted_by,
            Verb.CONSENT_GRANTED,
            "sharing.consent",
            pk,
            f"Consent {pk}",
            {"case_id": case["id"]},
        )
        if revoked_at:
            world.record(
                revoked_at,
                granted_by,
                Verb.CONSENT_REVOKED,
                "sharing.consent",
                pk,
                f"Consent {pk}",
                {"case_id": case["id"]},
            )
    return planned


def _request(world, pk, case, recipients, purposes, categories, requested_at, status, decided):
    rng = world.random
    decided_by, decided_at = decided
    return {
        "row": {
            "id": pk,
            "case_id": case["id"],
            "purposes": purposes,
            "categories": categories,
            "necessity": rng.choice(vocabulary.NECESSITY),
            "wanted_until": None,
            "urgency": "urgent" if rng.random() < 0.15 else "standard",
            "requested_by_id": case["officer"],
            "requested_at": requested_at,
            "status": status,
            "decided_by_id": decided_by,
            "decided_at": decided_at,
            "decision_reason": {
                ConsentRequestStatus.REFUSED: "Sharing is not proportionate to the concern.",
                ConsentRequestStatus.NARROWED: "Granted for fewer categories than asked.",
            }.get(status, ""),
        },
        "recipients": recipients,
    }


def _plan_requests(world, consents, open_cases, authority_people) -> list[dict]:
    """Behind each consent, the officer's request it answered; then requests refused, and a
    few still waiting in the Authority's queue."""
    rng = world.random
    refused = max(2, len(consents) // 10)
    pending = max(3, len(consents) // 50)
    ids = iter(next_ids(ConsentRequest, len(consents) + refused + pending))
    requests = []
    for consent in consents:
        row, case = consent["row"], consent["case"]
        status = (
            ConsentRequestStatus.NARROWED if rng.random() < 0.15 else ConsentRequestStatus.GRANTED
        )
        requested_at = max(
            case["created_at"], row["granted_at"] - timedelta(hours=rng.randint(1, 120))
        )
        request = _request(
            world,
            next(ids),
            case,
            consent["recipients"],
            row["purposes"],
            row["categories"],
            requested_at,
            status,
            (row["granted_by_user_id"], row["granted_at"]),
        )
        row["request_id"] = request["row"]["id"]
        requests.append(request)
    for _ in range(refused):
        case = rng.choice(world.cases)
        requested_at = world.moment_between(
            case["created_at"], case["ends_at"] - timedelta(hours=1)
        )
        decided_at = requested_at + timedelta(minutes=30)
        request = _request(
            world,
            next(ids),
            case,
            rng.sample(world.recipients, 1),
            [Purpose.SAFEGUARDING_REFERRAL.value],
            [DataCategory.IDENTITY.value],
            requested_at,
            ConsentRequestStatus.REFUSED,
            (rng.choice(authority_people), decided_at),
        )
        requests.append(request)
        world.record(
            decided_at,
            request["row"]["decided_by_id"],
            Verb.CONSENT_REFUSED,
            "sharing.consentrequest",
            request["row"]["id"],
            f"Consent request {request['row']['id']}",
            {"case_id": case["id"]},
        )
    for _ in range(pending):
        case = rng.choice(open_cases)
        requested_at = world.moment_between(
            max(case["created_at"], world.now - timedelta(days=10)), world.now
        )
        requests.append(
            _request(
                world,
                next(ids),
                case,
                rng.sample(world.recipients, 1),
                [Purpose.SAFEGUARDING_REFERRAL.value],
                [DataCategory.IDENTITY.value],
                requested_at,
                ConsentRequestStatus.PENDING,
                (None, None),
            )
        )
    return requests


def _decision_fields(rng, categories) -> dict:
    special = bool(SPECIAL_CATEGORIES & set(categories))
    told = _weighted(
        rng,
        {
            PersonTold.TOLD: 75,
            PersonTold.NOT_TOLD_RISK: 15,
            PersonTold.NOT_TOLD_INVESTIGATION: 5,
            PersonTold.NOT_TOLD_OTHER: 5,
        },
    )
    return {
        "necessity": rng.choice(vocabulary.NECESSITY),
        "lawful_basis": _weighted(
            rng,
            {
                LawfulBasis.PUBLIC_TASK: 70,
                LawfulBasis.RECOGNISED_LEGITIMATE_INTEREST: 20,
                LawfulBasis.VITAL_INTERESTS: 10,
            },
        ),
        "special_category_condition": rng.choice(
            [SpecialCategoryCondition.SAFEGUARDING, SpecialCategoryCondition.HEALTH_OR_SOCIAL_CARE]
        )
        if special
        else SpecialCategoryCondition.NOT_APPLICABLE,
        "person_told": told,
        "person_not_told_reason": (
            "They could not be reached before the release."
            if told == PersonTold.NOT_TOLD_OTHER
            else ""
        ),
    }


REFERRAL_OUTCOME_WEIGHTS = {
    ReferralStatus.SENT: 8,
    ReferralStatus.ACKNOWLEDGED: 10,
    ReferralStatus.ACCEPTED: 35,
    ReferralStatus.DECLINED: 10,
    ReferralStatus.NO_FURTHER_ACTION: 10,
    ReferralStatus.CLOSED: 27,
}


def _plan_releases(world: World, plans) -> tuple[list, list, list, list]:
    rng, managers = world.random, world.people[Role.SAFEGUARDING_MANAGER]
    kinds = dict(ReferralKind.objects.values_list("code", "pk"))
    agency_rows = world.agencies
    disclosure_ids = iter(next_ids(Disclosure, len(plans)))
    referral_ids = iter(next_ids(Referral, len(plans) + world.size.referrals))
    world.next_referral_ids = referral_ids
    disclosures, contents, referrals, changes = [], [], [], []
    for consent, is_referral in plans:
        row, case = consent["row"], consent["case"]
        recipient = rng.choice(consent["recipients"])
        categories = sorted(rng.sample(row["categories"], rng.randint(1, len(row["categories"]))))
        purpose = rng.choice(row["purposes"])
        disclosed_at = world.moment_between(*consent["window"])
        pk = next(disclosure_ids)
        agency = agency_rows[recipient]
        route = ReferralRoute.PARTNERHUB if agency.get("has_people") else ReferralRoute.OWN_CHANNEL
        method = (
            ROUTE_METHOD[route]
            if is_referral
            else rng.choice(
                [DisclosureMethod.SECURE_EMAIL, DisclosureMethod.MEETING, DisclosureMethod.PHONE]
            )
        )
        referral_id = next(referral_ids) if is_referral else None
        content = (
            f"{case['reference']}: information released to {agency['name']} on "
            f"{timezone.localtime(disclosed_at):%d %B %Y} for {purpose.replace('_', ' ')} "
            f"({', '.join(categories)}). {rng.choice(vocabulary.REFERRAL_REASONS)}"
        )
        disclosures.append(
            {
                "id": pk,
                "case_id": case["id"],
                "consent_id": row["id"],
                "recipient_id": recipient,
                "recipient_contact_id": world.spoc_of_agency.get(recipient)
                if is_referral
                else None,
                "purpose": purpose,
                "categories": categories,
                "method": method,
                **_decision_fields(rng, categories),
                "disclosed_by_id": case["officer"],
                "decided_by_id": rng.choice(managers) if rng.random() < 0.3 else case["officer"],
                "disclosed_at": disclosed_at,
                "agreement_signed_on": agency["signed"],
                "agreement_review_due_on": agency["review"],
                "agreement_status": "current",
                "content_digest": hashlib.sha256(content.encode("utf-8")).hexdigest(),
                "source_type": "sharing.referral" if is_referral else "",
                "source_id": str(referral_id) if is_referral else "",
            }
        )
        contents.append({"disclosure_id": pk, "text": content})
        world.record(
            disclosed_at,
            case["officer"],
            Verb.DISCLOSED,
            "sharing.disclosure",
            pk,
            f"Disclosure {pk}",
            {
                "case_id": case["id"],
                "recipient_id": recipient,
                "consent_id": row["id"],
                "purpose": purpose,
                "categories": categories,
            },
        )
        if is_referral:
            referral, history = _sent_referral(
                world, referral_id, case, recipient, route, disclosed_at, kinds
            )
            referrals.append(referral)
            changes += history
    return disclosures, contents, referrals, changes


def _marac_details(rng) -> dict:
    score = rng.randint(6, 24)
    judgement = score < 14 or rng.random() < 0.2
    criterion = (
        EscalationCriterion.VISIBLE_HIGH_RISK
        if score >= 14
        else EscalationCriterion.PROFESSIONAL_JUDGEMENT
    )
    return {
        "dash_score": score,
        "professional_judgement": judgement,
        "professional_judgement_reason": "Risk escalating quickly." if judgement else "",
        "escalation_criterion": criterion,
    }


def _referral_row(world, pk, case, agency, kinds, created_at) -> dict:
    rng = world.random
    kind_code = "marac" if rng.random() < 0.1 else rng.choice(sorted(set(kinds) - {MARAC_KIND}))
    details = (
        _marac_details(rng)
        if kind_code == MARAC_KIND
        else {
            "dash_score": None,
            "professional_judgement": None,
            "professional_judgement_reason": "",
            "escalation_criterion": "",
        }
    )
    return {
        "id": pk,
        "case_id": case["id"],
        "agency_id": agency,
        "contact_id": world.spoc_of_agency.get(agency),
        "kind_id": kinds[kind_code],
        "reason": rng.choice(vocabulary.REFERRAL_REASONS),
        "urgency": _weighted(rng, {Urgency.ROUTINE: 75, Urgency.URGENT: 20, Urgency.IMMEDIATE: 5}),
        **details,
        "is_repeat_marac": False,
        "status": ReferralStatus.DRAFT,
        "follow_up_on": None,
        "route": "",
        "document_sent_at": None,
        "document_sent_how": "",
        "created_at": created_at,
        "created_by_id": case["officer"],
        "sent_at": None,
        "acknowledge_by": None,
        "acknowledged_at": None,
        "outcome_at": None,
        "closed_at": None,
    }


def _sent_referral(world, pk, case, agency, route, sent_at, kinds):
    rng = world.random
    created_at = max(case["created_at"], sent_at - timedelta(hours=rng.randint(1, 72)))
    row = _referral_row(world, pk, case, agency, kinds, created_at)
    hours = settings.PARTNERHUB_REFERRAL_ACKNOWLEDGEMENT_HOURS[row["urgency"]]
    row.update(
        status=ReferralStatus.SENT,
        sent_at=sent_at,
        route=route,
        acknowledge_by=sent_at + timedelta(hours=hours),
    )
    if route == ReferralRoute.OWN_CHANNEL:
        row.update(
            document_sent_at=sent_at + timedelta(minutes=20),
            document_sent_how="Through the agency's secure portal",
        )
    if rng.random() < 0.3:
        row["follow_up_on"] = timezone.localdate(sent_at) + timedelta(days=14)
    answerers = [pk for pk in world.people[Role.PARTNER] if world.agency_of[pk] == agency]
    answerer = answerers[0] if answerers else case["officer"]
    history = [(ReferralStatus.DRAFT, ReferralStatus.SENT, sent_at, case["officer"])]
    world.record(
        created_at,
        case["officer"],
        Verb.CREATED,
        "sharing.referral",
        pk,
        f"Referral {pk}",
        {"case_id": case["id"], "agency_id": agency},
    )
    target = _weighted(rng, REFERRAL_OUTCOME_WEIGHTS)
    steps = []
    if target != ReferralStatus.SENT:
        steps.append(
            (
                ReferralStatus.ACKNOWLEDGED,
                "acknowledged_at",
                timedelta(hours=rng.randint(1, hours + 24)),
            )
        )
    if target not in (ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED):
        outcome = (
            target
            if target != ReferralStatus.CLOSED
            else rng.choice(
                [ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.NO_FURTHER_ACTION]
            )
        )
        steps.append((outcome, "outcome_at", timedelta(days=rng.randint(1, 14))))
    if target == ReferralStatus.CLOSED:
        steps.append((ReferralStatus.CLOSED, "closed_at", timedelta(days=rng.randint(7, 60))))
    moment = sent_at
    for status, field, delay in steps:
        moment += delay
        if moment >= world.now:
            break
        who = case["officer"] if status == ReferralStatus.CLOSED else answerer
        history.append((row["status"], status, moment, who))
        row["status"], row[field] = status, moment
    changes = []
    for from_status, to_status, at, who in history:
        changes.append(
            {
                "referral_id": pk,
                "from_status": from_status,
                "to_status": to_status,
                "changed_at": at,
                "changed_by_id": who,
                "answered_through_id": None,
                "note": "",
            }
        )
        world.record(
            at,
            who,
            Verb.STATUS_CHANGED,
            "sharing.referral",
            pk,
            f"Referral {pk}",
            {"case_id": case["id"], "agency_id": agency, "from": from_status, "to": to_status},
        )
    return row, changes


def _plan_drafts(world: World, busy, open_cases, count: int) -> tuple[list[dict], list[dict]]:
    """Referrals not sent: most still drafts on open cases, some withdrawn before sending."""
    rng = world.random
    kinds = dict(ReferralKind.objects.values_list("code", "pk"))
    rows, withdrawn = [], []
    for number in range(max(0, count)):
        case = busy if number == 0 else rng.choice(open_cases)
        pk = next(world.next_referral_ids)
        created_at = world.moment_between(case["created_at"], world.now - timedelta(minutes=5))
        row = _referral_row(world, pk, case, rng.choice(world.recipients), kinds, created_at)
        if number and rng.random() < 0.3:
            withdrawn.append(row)
        rows.append(row)
        world.record(
            created_at,
            case["officer"],
            Verb.CREATED,
            "sharing.referral",
            pk,
            f"Referral {pk}",
            {"case_id": case["id"], "agency_id": row["agency_id"]},
        )
    return rows, withdrawn

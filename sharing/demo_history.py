"""Thirteen months of demo casework before today's demo cases, so the reports have trends to
show: each month's new cases, what was escalated, asked of the Authority, referred and closed.

Every step goes through the services with the demo's clock turned to its moment
(core.demo_clock), so timestamps and audit events fall when the story says and nothing happens
after now. The steps of all the cases run in the order of their moments, so the audit log reads
as the months went. Chosen by a random generator with a fixed seed: the same day gives the same
history. A history case's Authority reference starts with HIST-; once one exists the history is
there and nothing is added."""

import calendar
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from agencies.models import Agency, AgencyKind, LocalAuthority, ReferralRoute
from core.demo_clock import clock_at
from core.roles import Role
from core.working_days import is_working_day
from sharing import selectors, services, snapshots
from sharing.models import (
    DASH_HIGH_RISK_SCORE,
    MARAC_KIND,
    AppliesTo,
    Case,
    CaseIndicator,
    ClosureReason,
    ConcernSource,
    ConsentUrgency,
    DataCategory,
    EscalationCriterion,
    EscalationDecision,
    HouseholdMember,
    LawfulBasis,
    PersonTold,
    Referral,
    ReferralKind,
    ReferralStatus,
    RiskLevel,
    SpecialCategoryCondition,
    VulnerabilityIndicator,
)

PREFIX = "HIST-"
SEED = 20251101
MONTHS = 13
# New cases a full month brings; the current month's share follows the days gone.
NEW_CASES_A_MONTH = (6, 13)
# Cases received longer ago than this are the ones the team has mostly closed.
OLDER_THAN = timedelta(days=91)

# (local authority code, postcode districts, weight): places in the demo's four regions.
PLACES = [
    ("E08000003", ["M8", "M9", "M12", "M14"], 5),  # Manchester
    ("E08000006", ["M6", "M7"], 2),  # Salford
    ("E08000001", ["BL1", "BL3"], 2),  # Bolton
    ("E08000025", ["B10", "B11", "B19", "B21"], 5),  # Birmingham
    ("E08000026", ["CV1", "CV6"], 2),  # Coventry
    ("E08000031", ["WV1", "WV10"], 1),  # Wolverhampton
    ("E06000016", ["LE2", "LE5"], 3),  # Leicester
    ("E06000018", ["NG3", "NG7"], 2),  # Nottingham
    ("E06000015", ["DE23", "DE24"], 1),  # Derby
    ("E10000020", ["NR2", "NR3"], 2),  # Norfolk
    ("E06000031", ["PE1"], 2),  # Peterborough
    ("E06000032", ["LU1", "LU4"], 1),  # Luton
]
STREETS = [
    "Victoria Road",
    "Church Street",
    "Albert Road",
    "Station Road",
    "Park Avenue",
    "Queens Road",
    "Mill Lane",
    "Grove Street",
    "Clarence Street",
    "Manor Road",
]

# (nationality and language as ISO codes, whether an interpreter is needed, men's and women's
# given names, family names). None of the names occurs in an agency's, a forum's or a person's name, so the
# suite's scan of notification e-mails for case data finds only what a notice wrongly carries.
PEOPLE = [
    ("AF", "prs", True, ["Farid", "Jawad", "Nasir"], ["Zarmina", "Parwana", "Shabnam"],
     ["Hakimi", "Rezaie", "Sultani", "Wardak"]),
    ("ER", "tir", True, ["Dawit", "Habtom", "Yonatan"], ["Senait", "Mebrat", "Selam"],
     ["Gebremedhin", "Habte", "Kidane", "Berhane"]),
    ("SD", "ara", True, ["Osman", "Khalid", "Elnour"], ["Samia", "Nafisa", "Amani"],
     ["Abdelrahman", "Elamin", "Osmani", "Babiker"]),
    ("IR", "fas", True, ["Arash", "Behzad", "Kaveh"], ["Shirin", "Parisa", "Nasrin"],
     ["Moradi", "Rostami", "Tehrani", "Jafari"]),
    ("SY", "ara", True, ["Bassel", "Fadi", "Majd"], ["Rasha", "Lina", "Ghalia"],
     ["Alkhatib", "Haddadin", "Darwish", "Qassem"]),
    ("IQ", "ckb", True, ["Karwan", "Rebwar", "Shvan"], ["Shilan", "Avin", "Bahar"],
     ["Qadir", "Rasul", "Mahmoud", "Salih"]),
    ("AL", "sqi", True, ["Arben", "Ilir", "Dritan"], ["Blerta", "Elira", "Drita"],
     ["Hoxha", "Krasniqi", "Berisha", "Gashi"]),
    ("VN", "vie", True, ["Quang", "Tuan", "Hieu"], ["Linh", "Thao", "Huong"],
     ["Nguyen", "Phung", "Hoang", "Vuong"]),
    ("NG", "eng", False, ["Chinedu", "Emeka", "Tunde"], ["Ngozi", "Funmi", "Adaeze"],
     ["Adeyemi", "Okonkwo", "Balogun", "Nwosu"]),
    ("PK", "urd", False, ["Imran", "Faisal", "Waqas"], ["Ayesha", "Rabia", "Saima"],
     ["Qureshi", "Chaudhry", "Siddiqui", "Mirza"]),
    ("SO", "som", True, ["Abdirahman", "Liban", "Guled"], ["Hodan", "Ifrah", "Sagal"],
     ["Warsame", "Hersi", "Jama", "Egal"]),
]  # fmt: skip

NOTES = [
    "Welfare visit with an interpreter. Low mood and poor sleep since arriving; GP "
    "registration started.",
    "The housing officer reports shouting at night from the property. Safety plan discussed "
    "and agreed.",
    "Says they were made to work without pay to repay a travel debt. Not ready to speak to the "
    "police yet.",
    "Struggling with the stairs to the flat; occupational therapy assessment requested.",
    "The children are not yet in school; the admissions team has been contacted.",
    "Disclosed torture before arriving; specialist support discussed.",
    "Isolated and not eating regularly; food bank and befriending offered.",
    "Harassed by other residents because of their sexuality. Room move requested.",
    "Missed two appointments; welfare check arranged with the provider.",
    "Pregnant and not yet booked with a midwife; maternity booking made.",
    "Spoke of thoughts of self-harm; crisis line numbers given and the GP told.",
    "Visitors to the property late at night; the person seems frightened of them.",
]

ESCALATION_REASONS = [
    "The risk has grown since the last visit; a manager's view is needed on a move.",
    "Not safe in shared accommodation, and the provider cannot move them this week.",
    "Concerns about exploitation by people visiting the property.",
    "The provider disputes how urgent the repairs affecting their health are.",
    "A child in the household may be at risk of harm.",
]
ESCALATION_NOTES = {
    EscalationDecision.MANAGER_ACTION: "Manager to raise it with the Authority and the provider.",
    EscalationDecision.ADVICE_GIVEN: "Advice given: welfare checks twice a week, review in a "
    "fortnight.",
    EscalationDecision.ESCALATED_FURTHER: "Escalated to operational management for an "
    "emergency move.",
    EscalationDecision.INTERNAL_BOARD: "Listed for the internal safeguarding board.",
    EscalationDecision.NO_FURTHER_ACTION: "The plan in place is proportionate; no further action.",
}

REFUSALS = [
    "Not necessary yet: the provider can meet the need without sharing.",
    "The need can be met with anonymised information; share that instead.",
    "The request does not say what risk sharing would reduce; ask again with it.",
]
NARROWED_TO_ONE_AGENCY = "Granted for the first agency only; the others are not needed yet."
NARROWED_TO_IDENTITY = "Identity and contact details only; vulnerabilities are not needed."
PARTNER_NOTES = {
    ReferralStatus.DECLINED: [
        "Outside our service area; the county service has been suggested.",
        "Does not meet our threshold; advice given to the officer.",
    ],
    ReferralStatus.NO_FURTHER_ACTION: [
        "Support already in place through another service.",
        "Assessed; no further action needed from us.",
    ],
}
WITHDRAWN_DRAFTS = {
    "refused": "The Authority refused consent to share.",
    "not_named": "The Authority's consent did not name this agency.",
    "no_agreement": "The agency has no current information sharing agreement: the person was "
    "given its contact details instead.",
}
NOT_SHARED = [
    ("The full case history, for an unrelated enquiry.", DataCategory.CASE_HISTORY),
    ("Everyone in the household, for a licensing check.", DataCategory.HOUSEHOLD),
    ("Health information, to complete their own assessment.", DataCategory.HEALTH),
]
REVOKED = {
    ClosureReason.MOVED_AREA: "The person has moved out of the provider's accommodation.",
    ClosureReason.LEFT_SUPPORT: "The person has left asylum support.",
}

# Which agencies a kind of referral goes to.
AGENCY_KINDS = {
    "adult-safeguarding": [AgencyKind.ADULT_SOCIAL_CARE],
    "child-safeguarding": [AgencyKind.CHILDRENS_SERVICES],
    "marac": [AgencyKind.POLICE],
    "taf-early-help": [AgencyKind.CHILDRENS_SERVICES, AgencyKind.EDUCATION],
    "health": [AgencyKind.NHS_TRUST, AgencyKind.PRIMARY_CARE, AgencyKind.INTEGRATED_CARE_BOARD],
    "mental-health": [AgencyKind.NHS_TRUST, AgencyKind.PRIMARY_CARE],
    "police": [AgencyKind.POLICE],
    "nrm": [AgencyKind.AIRE_PROVIDER],
    "idva": [AgencyKind.NGO],
    "ngo-support": [AgencyKind.NGO, AgencyKind.FAITH_OR_COMMUNITY],
    "aire-provider": [AgencyKind.AIRE_PROVIDER],
    "prevent": [AgencyKind.POLICE],
    "other": [
        AgencyKind.LOCAL_AUTHORITY_HOUSING,
        AgencyKind.FIRE,
        AgencyKind.PROBATION,
        AgencyKind.OTHER,
    ],
}
REFERRAL_WEIGHTS = {
    "adult-safeguarding": 3,
    "child-safeguarding": 3,
    "marac": 2,
    "taf-early-help": 2,
    "health": 3,
    "mental-health": 3,
    "police": 2,
    "nrm": 1,
    "idva": 2,
    "ngo-support": 3,
    "aire-provider": 1,
    "prevent": 1,
    "other": 2,
}
FOR_FAMILIES = {"child-safeguarding", "taf-early-help"}
FOR_ADULTS = {"adult-safeguarding", "marac", "idva", "nrm"}
CONCERN_WEIGHTS = {"housing-officer": 4, "welfare-check": 4, "aire-provider": 2, "police": 2}
RELEASED = [DataCategory.IDENTITY, DataCategory.CONTACT_AND_ADDRESS, DataCategory.VULNERABILITIES]


class _Deck:
    """Draws from `weights` as from a shuffled deck holding each value `weight` times, dealt
    again when empty: the proportions hold and every value turns up once a deck is dealt."""

    def __init__(self, rng: random.Random, weights: dict):
        self.rng, self.weights, self.cards = rng, weights, []

    def draw(self):
        if not self.cards:
            self.cards = [value for value, weight in self.weights.items() for _ in range(weight)]
            self.rng.shuffle(self.cards)
        return self.cards.pop()


@dataclass
class _Cast:
    officer: object
    manager: object
    authority: object
    partners: dict  # agency id → a partner who answers for it in Partnerhub

    @classmethod
    def find(cls):
        people = get_user_model().objects.filter(is_active=True).order_by("pk")
        officer = people.filter(groups__name=Role.SAFEGUARDING_OFFICER).first()
        manager = people.filter(groups__name=Role.SAFEGUARDING_MANAGER).first()
        authority = people.filter(groups__name=Role.AUTHORITY).first()
        if officer is None or manager is None or authority is None:
            return None
        partners = {}
        for partner in people.filter(groups__name=Role.PARTNER):
            partners.setdefault(partner.agency_id, partner)
        return cls(officer, manager, authority, partners)


def marac_details(rng: random.Random) -> dict:
    """A MARAC referral's DASH score, professional judgement and criterion, as they fall: high
    scores are visible high risk; below 14, professional judgement or potential escalation."""
    score = rng.randint(5, 22)
    if score >= DASH_HIGH_RISK_SCORE:
        return {
            "dash_score": score,
            "professional_judgement": False,
            "escalation_criterion": EscalationCriterion.VISIBLE_HIGH_RISK,
        }
    if rng.random() < 0.6:
        return {
            "dash_score": score,
            "professional_judgement": True,
            "professional_judgement_reason": "Threats and stalking have escalated since the "
            "checklist was completed.",
            "escalation_criterion": EscalationCriterion.PROFESSIONAL_JUDGEMENT,
        }
    return {
        "dash_score": score,
        "professional_judgement": False,
        "escalation_criterion": EscalationCriterion.POTENTIAL_ESCALATION,
    }


@dataclass
class _PlannedReferral:
    kind: ReferralKind
    agency: Agency
    purpose: str
    referral: Referral | None = None


@dataclass
class _Story:
    """One case's life: what the plan decided, and what the steps have made so far."""

    fields: dict  # the case as received; it is made when it is opened, with the clock turned
    household: list
    indicators: list
    note: str
    referrals: list = field(default_factory=list)
    request: object = None
    consent: object = None
    escalation: object = None
    case: Case | None = None


class _Planner:
    """Plans each case's life as steps at moments (choosing everything up front, so the same
    day gives the same plan), and holds the steps that carry it out through the services."""

    def __init__(self, rng: random.Random, today: date, now: datetime, cast: _Cast):
        self.rng, self.today, self.now, self.cast = rng, today, now, cast
        # MARAC details draw from their own sequence, so the rest of the history stays as it was.
        self.marac_rng = random.Random(2326)  # noqa: S311 (demo data, not secrets)
        self.steps = []  # (moment, order, step)
        self.places = {
            code: LocalAuthority.objects.select_related("region").get(code=code)
            for code, _, _ in PLACES
        }
        self.place = _Deck(rng, {code: weight for code, _, weight in PLACES})
        self.districts = {code: districts for code, districts, _ in PLACES}
        sources = ConcernSource.objects.filter(is_active=True).order_by("pk")
        self.source = _Deck(rng, {s: CONCERN_WEIGHTS.get(s.code, 1) for s in sources})
        self.risk = _Deck(rng, {RiskLevel.LOW: 7, RiskLevel.MEDIUM: 9, RiskLevel.HIGH: 4})
        self.closure = _Deck(
            rng,
            {
                ClosureReason.NEEDS_MET: 6,
                ClosureReason.SUPPORT_DISCONTINUED_GRANT: 3,
                ClosureReason.SUPPORT_DISCONTINUED_REFUSAL: 2,
                ClosureReason.MOVED_AREA: 2,
                ClosureReason.LEFT_SUPPORT: 1,
                ClosureReason.TRANSFERRED: 2,
                ClosureReason.DIED: 1,
                ClosureReason.OTHER: 1,
            },
        )
        self.escalation_decision = _Deck(rng, dict.fromkeys(EscalationDecision, 1))
        self.consent_decision = _Deck(rng, {"grant": 14, "narrow": 3, "refuse": 3})
        self.outcome = _Deck(
            rng,
            {
                ReferralStatus.ACCEPTED: 11,
                ReferralStatus.DECLINED: 4,
                ReferralStatus.NO_FURTHER_ACTION: 5,
            },
        )
        indicators = list(VulnerabilityIndicator.objects.filter(is_active=True).order_by("code"))
        self.indicators = {
            child: [
                indicator
                for indicator in indicators
                if indicator.applies_to
                in (AppliesTo.BOTH, AppliesTo.CHILDREN if child else AppliesTo.ADULTS)
            ]
            for child in (False, True)
        }
        self.kinds = {
            kind.code: kind
            for kind in ReferralKind.objects.filter(is_active=True, code__in=REFERRAL_WEIGHTS)
        }
        self._agencies = {}

    # Time ----------------------------------------------------------------------------------

    def at(self, day: date, earliest: int = 9, latest: int = 17) -> datetime:
        minute = self.rng.randrange(earliest * 60, latest * 60)
        return timezone.make_aware(datetime.combine(day, time(minute // 60, minute % 60)))

    def after(self, moment: datetime, *, hours: tuple) -> datetime:
        return moment + timedelta(minutes=self.rng.randint(hours[0] * 60, hours[1] * 60))

    def working_days_after(self, moment: datetime, days: int) -> datetime:
        """A moment in the working day `days` working days after `moment`'s (hours later when
        `days` is 0)."""
        if days == 0:
            return self.after(moment, hours=(1, 5))
        day = timezone.localtime(moment).date()
        while days:
            day += timedelta(days=1)
            days -= is_working_day(day)
        return self.at(day)

    def add(self, moment: datetime, step) -> datetime | None:
        """Plan `step` at `moment`, unless that is still to come; returns the moment planned."""
        if moment >= self.now:
            return None
        self.steps.append((moment, len(self.steps), step))
        return moment

    # Choices -------------------------------------------------------------------------------

    def agency(self, kind: str, place: LocalAuthority) -> Agency | None:
        key = (kind, place.region_id)
        if key not in self._agencies:
            active = Agency.objects.filter(kind=kind, is_active=True).order_by("pk")
            self._agencies[key] = list(active.covering(regions=[place.region_id])) or list(active)
        found = self._agencies[key]
        return self.rng.choice(found) if found else None

    def born(self, received: date, age: int) -> date:
        return date(received.year - age, self.rng.randint(1, 12), self.rng.randint(1, 28))

    def person(self, received: date, number: int) -> tuple[dict, list]:
        rng = self.rng
        nationality, language, interpreted, men, women, families = rng.choice(PEOPLE)
        family_name = rng.choice(families)
        family = rng.random() < 0.4
        child = family and rng.random() < 0.25
        female = rng.random() < 0.5
        age = rng.randint(12, 16) if child else rng.randint(20, 55 if family else 68)
        household = []
        if family:

            def member(relationship, first_names, member_age):
                name = f"{rng.choice(first_names)} {family_name}"
                household.append(
                    HouseholdMember(
                        full_name=name,
                        relationship=relationship,
                        date_of_birth=self.born(received, member_age),
                    )
                )

            if child:
                mother = rng.random() < 0.6
                member("Mother" if mother else "Father", women if mother else men, age + 25)
                for _ in range(rng.randint(0, 2)):
                    sister = rng.random() < 0.5
                    member("Sister" if sister else "Brother", women if sister else men, age - 3)
            else:
                if rng.random() < 0.6:
                    member("Husband" if female else "Wife", men if female else women, age + 2)
                for _ in range(rng.randint(1, 3)):
                    daughter = rng.random() < 0.5
                    member(
                        "Daughter" if daughter else "Son",
                        women if daughter else men,
                        rng.randint(3, max(3, min(16, age - 18))),
                    )
        support = rng.choices(["s95", "s4", "s98"], weights=[7, 2, 1])[0]
        accommodation = {
            "s95": rng.choices(
                ["dispersed", "initial", "contingency", "subsistence_only", "other"],
                weights=[11, 3, 3, 2, 1],
            )[0],
            "s4": rng.choices(["dispersed", "contingency"], weights=[3, 2])[0],
            "s98": rng.choices(["initial", "contingency"], weights=[3, 2])[0],
        }[support]
        street = rng.choice(STREETS)
        address = {
            "initial": f"Initial accommodation, {street}",
            "contingency": f"Contingency hotel, {street}",
            "subsistence_only": f"Staying with friends, {rng.randint(2, 90)} {street}",
        }.get(accommodation, f"{rng.randint(2, 140)} {street}")
        code = self.place.draw()
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        postcode = (
            f"{rng.choice(self.districts[code])} {rng.randint(1, 9)}"
            f"{rng.choice(letters)}{rng.choice(letters)}"
        )
        interpreter = interpreted and rng.random() < 0.8
        fields = {
            "authority_reference": f"{PREFIX}{received:%Y%m}-{number:02d}",
            "given_names": rng.choice(women if female else men),
            "family_name": family_name,
            "date_of_birth": self.born(received, age),
            "sex_or_gender": "Female" if female else "Male",
            "nationality": nationality,
            "language": language,
            "interpreter_needed": interpreter,
            "support_type": support,
            "accommodation_type": accommodation,
            "address": address,
            "postcode": postcode,
            "local_authority": self.places[code],
            "household_type": "family" if family else "single",
            "concern_source": self.source.draw(),
            "concern_received_on": received,
            "user_agreement": "given",
            "user_agreement_on": received,
            "user_agreement_method": "interpreter" if interpreter else "in_person",
            "risk_level": self.risk.draw(),
        }
        return fields, household

    def referral_kinds(self, family: bool, child: bool) -> list[ReferralKind]:
        wanted = self.rng.choices([0, 1, 2], weights=[8, 55, 37])[0]
        allowed = {
            code: weight
            for code, weight in REFERRAL_WEIGHTS.items()
            if code in self.kinds
            and (code not in FOR_FAMILIES or family)
            and (code not in FOR_ADULTS or not child)
        }
        chosen = []
        while len(chosen) < min(wanted, len(allowed)):
            code = self.rng.choices(list(allowed), weights=list(allowed.values()))[0]
            if code not in chosen:
                chosen.append(code)
        return [self.kinds[code] for code in chosen]

    # A case's life -------------------------------------------------------------------------

    def story(self, received: date, number: int) -> bool:
        """Plan one case received on `received`; False when it would open after now."""
        rng = self.rng
        case, household = self.person(received, number)
        child = (received - case["date_of_birth"]).days < 18 * 365
        chosen = rng.sample(self.indicators[child], rng.choice([1, 1, 2, 2, 2, 3, 3, 4]))
        story = _Story(case, household, chosen, note=rng.choice(NOTES))
        opened = self.at(received + timedelta(days=rng.choice([0, 0, 1])))
        if opened >= self.now:
            opened = self.at(received)
        if self.add(opened, lambda: self.open(story)) is None:
            return False
        last = opened
        for planned in self.referral_kinds(case["household_type"] == "family", child):
            agency = self.agency(rng.choice(AGENCY_KINDS[planned.code]), case["local_authority"])
            if agency is not None:
                purpose = selectors.purpose_of_referral(planned.code)
                story.referrals.append(_PlannedReferral(planned, agency, purpose))
        if rng.random() < 0.2:
            last = max(last, self.escalation(story, opened))
        if story.referrals:
            last = max(last, self.consent_and_referrals(story, opened))
        if rng.random() < 0.06:
            last = max(last, self.not_shared(story, opened))
        for position in range(len(chosen)):
            if rng.random() < 0.15:
                ended = self.after(opened, hours=(24 * 14, 24 * 120))
                if self.add(ended, lambda p=position: self.end_indicator(story, p)):
                    last = max(last, ended)
        if received < self.today - OLDER_THAN and rng.random() < 0.62:
            reason = self.closure.draw()
            closing = max(
                self.after(last, hours=(24, 24 * 10)),
                self.after(opened, hours=(24 * 21, 24 * 180)),
            )
            if closing < self.now and reason in REVOKED:
                self.add(closing - timedelta(hours=1), lambda: self.revoke(story, reason))
            self.add(closing, lambda: self.close(story, reason))
        return True

    def escalation(self, story: _Story, opened: datetime) -> datetime:
        raised = self.after(opened, hours=(2, 24 * 10))
        reason = self.rng.choice(ESCALATION_REASONS)
        if self.add(raised, lambda: self.escalate(story, reason)) is None:
            return opened
        if self.rng.random() < 0.85:
            decision = self.escalation_decision.draw()
            decided = self.after(raised, hours=(1, 72))
            if self.add(decided, lambda: self.decide_escalation(story, decision)):
                return decided
        return raised

    def consent_and_referrals(self, story: _Story, opened: datetime) -> datetime:
        rng = self.rng
        urgent = story.fields["risk_level"] == RiskLevel.HIGH
        asked = self.after(opened, hours=(1, 48))
        if self.add(asked, lambda: self.ask_for_consent(story, urgent)) is None:
            return opened
        waited = rng.choice([0, 0, 1, 1, 2] if urgent else [0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 8, 12])
        decided = self.working_days_after(asked, waited)
        decision = self.consent_decision.draw()
        narrowing = rng.random() < 0.5
        refusal = rng.choice(REFUSALS)
        # Some of the last month's requests still wait for the Authority, target or no target.
        if asked > self.now - timedelta(days=30) and rng.random() < 0.3:
            return asked
        if self.add(decided, lambda: self.decide(story, decision, narrowing, refusal)) is None:
            return asked
        last = decided
        for planned in story.referrals:
            sent = self.after(decided, hours=(1, 28))
            withdraw = rng.random() < 0.5
            if self.add(sent, lambda p=planned, w=withdraw: self.send(story, p, w)) is None:
                continue
            last = max(last, sent)
            acknowledged = self.after(sent, hours=(1, 20) if urgent else (3, 96))
            if self.add(
                acknowledged, lambda p=planned: self.answer(p, ReferralStatus.ACKNOWLEDGED)
            ):
                last = max(last, acknowledged)
            else:
                continue
            outcome, note = self.outcome.draw(), ""
            if outcome in PARTNER_NOTES:
                note = rng.choice(PARTNER_NOTES[outcome])
            answered = self.after(acknowledged, hours=(24, 24 * 10))
            if self.add(answered, lambda p=planned, o=outcome, n=note: self.answer(p, o, n)):
                last = max(last, answered)
            else:
                continue
            if rng.random() < 0.45:
                closed = self.after(answered, hours=(24 * 5, 24 * 40))
                if self.add(closed, lambda p=planned: self.answer(p, ReferralStatus.CLOSED)):
                    last = max(last, closed)
        return last

    def not_shared(self, story: _Story, opened: datetime) -> datetime:
        asked_for, category = self.rng.choice(NOT_SHARED)
        kind = self.rng.choice(
            [AgencyKind.POLICE, AgencyKind.LOCAL_AUTHORITY_HOUSING, AgencyKind.EDUCATION]
        )
        agency = self.agency(kind, story.fields["local_authority"])
        moment = self.after(opened, hours=(24 * 3, 24 * 40))
        if agency is None:
            return opened
        return self.add(moment, lambda: self.decline(story, agency, asked_for, category)) or opened

    # The steps, each run with the clock at its moment --------------------------------------

    def open(self, story: _Story) -> None:
        cast = self.cast
        case = story.case = Case(**story.fields)
        story.indicators = [
            CaseIndicator(indicator=indicator, identified_on=case.concern_received_on)
            for indicator in story.indicators
        ]
        # The made-up people now and then share a date of birth and a name's sound; each is
        # someone else, and the case says so, as an officer would.
        services.open_case(
            case=case,
            officers=[cast.officer],
            household=story.household,
            indicators=story.indicators,
            why_new_case="A different person with similar details",
            actor=cast.officer,
        )
        services.add_case_note(case=case, text=story.note, actor=cast.officer)
        marac = any(planned.kind.code == MARAC_KIND for planned in story.referrals)
        if marac and self.marac_rng.random() < 0.3:
            # Heard at MARAC before, elsewhere in the partnership: this referral is a repeat.
            services.record_marac_hearing(
                case=case,
                heard_on=case.concern_received_on - timedelta(days=self.marac_rng.randint(20, 330)),
                actor=cast.officer,
            )
        for planned in story.referrals:
            planned.referral = services.create_referral(
                referral=Referral(
                    case=case,
                    agency=planned.agency,
                    kind=planned.kind,
                    reason=f"{planned.kind.name}: support from {planned.agency.name}.",
                    urgency="urgent" if case.risk_level == RiskLevel.HIGH else "routine",
                    **(marac_details(self.marac_rng) if planned.kind.code == MARAC_KIND else {}),
                ),
                indicators=[each.indicator for each in story.indicators],
                actor=cast.officer,
            )

    def end_indicator(self, story: _Story, position: int) -> None:
        services.end_indicator(
            case_indicator=story.indicators[position],
            ended_on=timezone.localdate(),
            actor=self.cast.officer,
        )

    def escalate(self, story: _Story, reason: str) -> None:
        story.escalation = services.escalate_case(
            case=story.case, reason=reason, actor=self.cast.officer
        )

    def decide_escalation(self, story: _Story, decision: str) -> None:
        services.decide_escalation(
            escalation=story.escalation,
            decision=decision,
            notes=ESCALATION_NOTES[decision],
            actor=self.cast.manager,
        )

    def ask_for_consent(self, story: _Story, urgent: bool) -> None:
        recipients = list(
            {planned.agency.pk: planned.agency for planned in story.referrals}.values()
        )
        story.request = services.request_consent(
            case=story.case,
            recipients=recipients,
            purposes=[planned.purpose for planned in story.referrals],
            categories=RELEASED,
            necessity=f"To refer for {', '.join(p.kind.name for p in story.referrals)}: the "
            "agencies need to know to assess and support.",
            urgency=ConsentUrgency.URGENT if urgent else ConsentUrgency.STANDARD,
            actor=self.cast.officer,
        )

    def decide(self, story: _Story, decision: str, narrowing: bool, refusal: str) -> None:
        authority = self.cast.authority
        if decision == "refuse":
            services.decide_consent_request(
                request=story.request, decision="refuse", reason=refusal, actor=authority
            )
            for planned in story.referrals:
                self.withdraw(planned, WITHDRAWN_DRAFTS["refused"])
            return
        recipients = list(story.request.recipients.order_by("pk"))
        categories, reason = RELEASED, ""
        if decision == "narrow" and len(recipients) > 1 and narrowing:
            recipients, reason = recipients[:1], NARROWED_TO_ONE_AGENCY
        elif decision == "narrow":
            categories = [DataCategory.IDENTITY, DataCategory.CONTACT_AND_ADDRESS]
            reason = NARROWED_TO_IDENTITY
        story.consent = services.decide_consent_request(
            request=story.request,
            decision="grant",
            recipients=recipients,
            categories=categories,
            reason=reason,
            actor=authority,
        )
        for planned in story.referrals:
            if planned.agency not in recipients:
                self.withdraw(planned, WITHDRAWN_DRAFTS["not_named"])

    def withdraw(self, planned: _PlannedReferral, reason: str) -> None:
        planned.referral = services.withdraw_draft_referral(
            referral=planned.referral, reason=reason, actor=self.cast.officer
        )

    def send(self, story: _Story, planned: _PlannedReferral, withdraw_if_refused: bool) -> None:
        referral = planned.referral
        if story.consent is None or referral.status != ReferralStatus.DRAFT:
            return
        categories = [c for c in RELEASED if c in story.consent.categories]
        officer = self.cast.officer
        try:
            planned.referral = services.send_referral(
                referral=referral,
                actor=officer,
                purpose=planned.purpose,
                categories=categories,
                content=snapshots.compose(referral, categories),
                route=services.proposed_route(services.route_options(referral), referral.agency),
                record_of_decision=services.DecisionRecord(
                    necessity=referral.reason,
                    lawful_basis=LawfulBasis.PUBLIC_TASK,
                    special_category_condition=SpecialCategoryCondition.SAFEGUARDING,
                    person_told=PersonTold.TOLD,
                    categories=tuple(categories),
                ),
            )
        except services.DisclosureRefused:
            # The refusal is on record (the compliance report counts them); half the time the
            # officer withdraws the draft, the other half it waits for an agreement.
            if withdraw_if_refused:
                self.withdraw(planned, WITHDRAWN_DRAFTS["no_agreement"])
            return
        if planned.referral.route == ReferralRoute.OWN_CHANNEL:
            agency = planned.agency
            services.record_document_sent(
                referral=planned.referral,
                how=f"Secure e-mail to {agency.secure_email or agency.email}",
                sent_at=planned.referral.sent_at,
                actor=officer,
            )

    def answer(self, planned: _PlannedReferral, status: str, note: str = "") -> None:
        """The agency's answer: in Partnerhub by its own people, through the secure link while
        it works, or given by telephone and recorded by the officer."""
        referral = planned.referral
        if referral is None or referral.status in (ReferralStatus.DRAFT, ReferralStatus.CLOSED):
            return
        now = timezone.now()
        partner = self.cast.partners.get(referral.agency_id)
        link = referral.secure_links.select_related("disclosure", "contact").first()
        if status in services.PARTNER_ANSWERS and partner is not None:
            planned.referral = services.answer_referral(
                referral=referral, status=status, note=note, actor=partner
            )
        elif status in services.PARTNER_ANSWERS and link is not None and link.expires_at > now:
            planned.referral = services.answer_referral_by_link(
                link=link, opened_at=now, status=status, note=note
            )
        else:
            planned.referral = services.update_referral_status(
                referral=referral, status=status, note=note, actor=self.cast.officer
            )

    def decline(self, story: _Story, agency: Agency, asked_for: str, category: str) -> None:
        services.record_decision_not_to_share(
            case=story.case,
            requested_by_agency=agency,
            requested_by_person="Duty officer",
            requested_categories=[category],
            what_was_asked_for=asked_for,
            reason="Not necessary or proportionate for their purpose, and no consent from the "
            "Authority covers it.",
            actor=self.cast.manager,
        )

    def close(self, story: _Story, reason: str) -> None:
        services.close_case(case=story.case, reason=reason, actor=self.cast.officer)

    def revoke(self, story: _Story, reason: str) -> None:
        if story.consent is not None and story.consent.revoked_at is None:
            story.consent = services.revoke_consent(
                consent=story.consent, reason=REVOKED[reason], actor=self.cast.authority
            )


def months_back(today: date, months: int) -> list[date]:
    """The first days of the `months` full months before today's, oldest first, then today's."""
    firsts, first = [], today.replace(day=1)
    for _ in range(months):
        first = (first - timedelta(days=1)).replace(day=1)
        firsts.append(first)
    return [*reversed(firsts), today.replace(day=1)]


def seed() -> int:
    """Lay down the history unless it is there; returns how many cases it added."""
    if Case.objects.filter(authority_reference__startswith=PREFIX).exists():
        return 0
    cast = _Cast.find()
    if cast is None:
        return 0
    today, now = timezone.localdate(), timezone.now()
    rng = random.Random(SEED)  # noqa: S311 - repeatable on purpose, and secret from nobody
    planner = _Planner(rng, today, now, cast)
    added = 0
    for first in months_back(today, MONTHS):
        length = calendar.monthrange(first.year, first.month)[1]
        # Only the days before today: a concern received today belongs to today's demo.
        days = length if first.month != today.month or first.year != today.year else today.day - 1
        count = round(rng.randint(*NEW_CASES_A_MONTH) * days / length)
        for number, day in enumerate(sorted(rng.randint(1, days) for _ in range(count)), 1):
            added += planner.story(first.replace(day=day), number)
    for moment, _, step in sorted(planner.steps, key=lambda planned: planned[:2]):
        with clock_at(moment):
            step()
    return added

"""The retention schedule and legal holds: what is erased about a person, when, and what stops it.

Released content goes six years after its disclosure; a closed case's personal details six years
after closure, or for someone who was a child when the case closed, once they are 25 if that is
later; a consent's uploaded letter or e-mail once nothing it supports remains (below). The
periods are settings (README "Retention and erasure"). A current legal hold stops all of it.

What stays: every disclosure record with its SHA-256 digest of what was released, each consent
with the digest of its evidence file, the case's reference and coded facts, and every audit
event, which hold identifiers and field names, never the erased values. So the hash chain and
its checkpoints verify after an erasure.

Each case is erased in one transaction that re-reads, under the case's lock, what is due: an
interrupted run leaves no half-erased case, and the next run finds done what was done.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.models import Verb
from audit.services import record
from sharing import permissions
from sharing.models import (
    ADULT_AGE,
    Case,
    CaseStatus,
    Consent,
    EvidenceErasure,
    LegalHold,
    ReferralStatusChange,
    ReleasedContent,
    age_on,
)

# How the audit log names the actor of a scheduled erasure: nobody pressed a button.
RETENTION_ACTOR = "retention schedule"


def erasure_marker(on: date) -> str:
    """What an erased free-text field says instead, so a reader knows why it is empty."""
    return f"[erased {on.isoformat()} under retention]"


@dataclass(frozen=True)
class Schedule:
    released_content_years: int
    closed_case_years: int
    child_until_age: int

    @classmethod
    def from_settings(cls) -> "Schedule":
        return cls(
            released_content_years=settings.PARTNERHUB_RETAIN_RELEASED_CONTENT_YEARS,
            closed_case_years=settings.PARTNERHUB_RETAIN_CLOSED_CASE_YEARS,
            child_until_age=settings.PARTNERHUB_RETAIN_CHILD_UNTIL_AGE,
        )

    def released_before(self, today: date) -> datetime:
        """Content released before this moment is due: its sixth anniversary is today or past."""
        first_kept = today - relativedelta(years=self.released_content_years) + timedelta(days=1)
        return timezone.make_aware(datetime.combine(first_kept, time.min))

    def personal_details_due_on(self, case: Case) -> date | None:
        """The day a closed case's personal details fall due; None while it is open."""
        if case.status != CaseStatus.CLOSED or case.closed_at is None:
            return None
        closed_on = timezone.localdate(case.closed_at)
        due = closed_on + relativedelta(years=self.closed_case_years)
        born = case.date_of_birth
        if born is not None and age_on(born, closed_on) < ADULT_AGE:
            due = max(due, born + relativedelta(years=self.child_until_age))
        return due


@dataclass
class CaseErasure:
    """What is due about one case: the disclosures whose content goes, the consents whose
    evidence file goes, and whether its personal details go."""

    case: Case
    released_content: list[int] = field(default_factory=list)
    evidence_files: list[int] = field(default_factory=list)
    personal_details: bool = False

    def __bool__(self) -> bool:
        return bool(self.released_content or self.evidence_files or self.personal_details)

    def describe(self) -> str:
        parts = []
        if self.released_content:
            ids = ", ".join(str(pk) for pk in self.released_content)
            parts.append(f"released content of disclosures {ids}")
        if self.evidence_files:
            ids = ", ".join(str(pk) for pk in self.evidence_files)
            parts.append(f"evidence files of consents {ids}")
        if self.personal_details:
            parts.append("personal details")
        return f"{self.case.reference}: {'; '.join(parts)}"


@dataclass
class RetentionRun:
    today: date
    dry_run: bool
    erasures: list[CaseErasure] = field(default_factory=list)
    held: list[str] = field(default_factory=list)


def is_held(case: Case) -> bool:
    return LegalHold.objects.filter(case=case, lifted_at__isnull=True).exists()


def _plan(case: Case, *, today: date, schedule: Schedule) -> CaseErasure:
    erasure = CaseErasure(case=case)
    erasure.released_content = list(
        ReleasedContent.objects.filter(
            disclosure__case=case, disclosure__disclosed_at__lt=schedule.released_before(today)
        )
        .order_by("disclosure_id")
        .values_list("disclosure_id", flat=True)
    )
    due_on = schedule.personal_details_due_on(case)
    erasure.personal_details = not case.is_erased and due_on is not None and due_on <= today
    details_gone = case.is_erased or erasure.personal_details
    # A letter or e-mail of consent is kept with the content it supports: it goes once every
    # release made under the consent has had its content erased. One never relied on supports
    # nothing released, so it goes with the case's personal details.
    consents = (
        Consent.objects.filter(case=case, erasure__isnull=True).exclude(evidence="").order_by("pk")
    )
    going = set(erasure.released_content)
    for consent in consents:
        released = list(consent.disclosures.values_list("pk", "content__pk"))
        if released:
            due = all(content is None or pk in going for pk, content in released)
        else:
            due = details_gone
        if due:
            erasure.evidence_files.append(consent.pk)
    return erasure


def _candidate_cases(*, today: date, schedule: Schedule):
    content_due = ReleasedContent.objects.filter(
        disclosure__disclosed_at__lt=schedule.released_before(today)
    ).values("disclosure__case_id")
    evidence_left = Consent.objects.filter(erasure__isnull=True).exclude(evidence="").values("case")
    return Case.objects.filter(
        Q(pk__in=content_due)
        | Q(status=CaseStatus.CLOSED, personal_details_erased_on__isnull=True)
        | Q(pk__in=evidence_left)
    ).order_by("pk")


def _erase_personal_details(case: Case, marker: str) -> dict:
    """Names, date of birth, address and the free text written about the person. Coded facts
    (support, accommodation, risk, nationality, language) stay: the reports count them and
    they name nobody once the rest is gone."""
    case.given_names = marker
    case.family_name = marker
    case.date_of_birth = None
    case.address = marker if case.address else ""
    case.postcode = ""
    case.authority_reference = ""
    case.sex_or_gender = ""
    case.personal_details_erased_on = timezone.localdate()
    erased_fields = [
        "given_names",
        "family_name",
        "date_of_birth",
        "address",
        "postcode",
        "authority_reference",
        "sex_or_gender",
        "personal_details_erased_on",
    ]
    case.save(update_fields=erased_fields)
    counts = {
        "household_members": case.household_members.update(
            full_name=marker, relationship=marker, date_of_birth=None
        ),
        "notes": case.notes.update(text=marker, html=marker),
        "indicator_notes": case.indicators.exclude(notes="").update(notes=marker),
        "escalations": case.escalations.update(reason=marker),
        "escalation_decisions": case.escalations.exclude(decision_notes="").update(
            decision_notes=marker
        ),
        "referrals": case.referrals.update(reason=marker),
        "referral_judgements": case.referrals.exclude(professional_judgement_reason="").update(
            professional_judgement_reason=marker
        ),
        "referral_status_notes": ReferralStatusChange.objects.filter(referral__case=case)
        .exclude(note="")
        .update(note=marker),
        "consent_requests": case.consent_requests.update(necessity=marker),
    }
    return {"fields": erased_fields, **{name: n for name, n in counts.items() if n}}


def _erase(erasure: CaseErasure, *, today: date) -> None:
    case = erasure.case
    marker = erasure_marker(today)
    detail: dict = {}
    if erasure.released_content:
        ReleasedContent.objects.filter(disclosure_id__in=erasure.released_content).delete()
        detail["released_content_of_disclosures"] = erasure.released_content
    if erasure.evidence_files:
        files = []
        for consent in Consent.objects.filter(pk__in=erasure.evidence_files):
            EvidenceErasure.objects.create(consent=consent, erased_on=today)
            files.append(consent.evidence.name)
        # Storage is not transactional: the files go once the erasure is on record, and a run
        # that dies between the two leaves a file the next run's sweep removes.
        transaction.on_commit(lambda: _delete_files(files))
        detail["evidence_files_of_consents"] = erasure.evidence_files
    changed_fields = []
    if erasure.personal_details:
        personal = _erase_personal_details(case, marker)
        changed_fields = personal.pop("fields")
        detail["personal_details"] = personal
    record(
        verb=Verb.ERASED,
        target=case,
        actor_label=RETENTION_ACTOR,
        changed_fields=changed_fields,
        detail=detail,
    )


def _delete_files(names) -> None:
    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)


def sweep_erased_evidence_files() -> int:
    """Delete any evidence file whose erasure is on record but whose deletion never happened."""
    names = [
        name
        for name in Consent.objects.filter(erasure__isnull=False).values_list("evidence", flat=True)
        if name and default_storage.exists(name)
    ]
    _delete_files(names)
    return len(names)


def apply_retention(*, dry_run: bool = False, schedule: Schedule | None = None) -> RetentionRun:
    """Erase everything the schedule says is due today, case by case; `dry_run` only lists it.

    Run by the `apply_retention` timer as the system: the schedule, not a person, decides."""
    schedule = schedule or Schedule.from_settings()
    today = timezone.localdate()
    run = RetentionRun(today=today, dry_run=dry_run)
    held_cases = set(
        LegalHold.objects.filter(lifted_at__isnull=True).values_list("case_id", flat=True)
    )
    for candidate in _candidate_cases(today=today, schedule=schedule):
        if candidate.pk in held_cases:
            if _plan(candidate, today=today, schedule=schedule):
                run.held.append(candidate.reference)
            continue
        if dry_run:
            erasure = _plan(candidate, today=today, schedule=schedule)
            if erasure:
                run.erasures.append(erasure)
            continue
        with transaction.atomic():
            # Re-read under the lock: a hold placed or a run finished since the list was made
            # is seen here, so nothing held is erased and nothing is erased twice.
            case = Case.objects.select_for_update().get(pk=candidate.pk)
            if is_held(case):
                run.held.append(case.reference)
                continue
            erasure = _plan(case, today=today, schedule=schedule)
            if erasure:
                _erase(erasure, today=today)
                run.erasures.append(erasure)
    if not dry_run:
        sweep_erased_evidence_files()
    return run


# Legal holds -------------------------------------------------------------------------------


class LegalHoldRefused(ValidationError):
    """A hold that cannot be placed or lifted as asked, with the reason in words for the page."""


def _required_reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise LegalHoldRefused({"reason": f"Enter why the {what}"})
    return reason


def place_legal_hold(*, case: Case, reason: str, actor, ip_address: str | None = None) -> LegalHold:
    permissions.require_hold_case(actor, case)
    reason = _required_reason(reason, "case is being placed on legal hold")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if is_held(case):
            raise LegalHoldRefused("The case is already on legal hold")
        hold = LegalHold.objects.create(
            case=case, reason=reason, placed_by=actor, placed_at=timezone.now()
        )
        record(
            verb=Verb.LEGAL_HOLD_PLACED,
            actor=actor,
            target=case,
            detail={"legal_hold": hold.pk},
            ip_address=ip_address,
        )
    return hold


def lift_legal_hold(*, case: Case, reason: str, actor, ip_address: str | None = None) -> LegalHold:
    permissions.require_hold_case(actor, case)
    reason = _required_reason(reason, "legal hold is being lifted")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        hold = (
            LegalHold.objects.select_for_update().filter(case=case, lifted_at__isnull=True).first()
        )
        if hold is None:
            raise LegalHoldRefused("The case is not on legal hold")
        hold.lifted_by = actor
        hold.lifted_at = timezone.now()
        hold.lift_reason = reason
        hold.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
        record(
            verb=Verb.LEGAL_HOLD_LIFTED,
            actor=actor,
            target=case,
            detail={"legal_hold": hold.pk},
            ip_address=ip_address,
        )
    return hold


def current_legal_hold(case: Case) -> LegalHold | None:
    return LegalHold.objects.filter(case=case, lifted_at__isnull=True).first()

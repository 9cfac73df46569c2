"""The consent gate: the Authority's consents and `disclose()`, the only way information leaves.

Every function here takes the acting person, checks it first (a `require_…` in
sharing/permissions.py, refusing with NotPermitted before anything is written) and writes its
audit event in the same transaction.
The database enforces the same rule as `disclose()` (sharing/guards.py); this layer exists to
refuse first, with a reason a person can act on.
"""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import TextChoices
from django.utils import timezone

from agencies.models import Agency, InformationSharingAgreementStatus
from audit.models import Verb
from audit.services import record
from sharing import permissions
from sharing.evidence import check_evidence
from sharing.models import (
    SPECIAL_CATEGORIES,
    Consent,
    ConsentRequest,
    ConsentRequestStatus,
    CorrectionNotice,
    DataCategory,
    DecisionNotToShare,
    Disclosure,
    PersonTold,
    Purpose,
    ReleasedContent,
    SpecialCategoryCondition,
)


class RefusalReason(TextChoices):
    NO_CONSENT = "no_consent", "There is no consent from the Authority for this case"
    NOT_YET_VALID = "not_yet_valid", "The consent is not valid yet"
    EXPIRED = "expired", "The consent has expired"
    REVOKED = "revoked", "The consent was revoked"
    WRONG_AGENCY = "wrong_agency", "No consent names this agency"
    PURPOSE_NOT_COVERED = "purpose_not_covered", "No consent covers this purpose"
    CATEGORY_NOT_COVERED = "category_not_covered", "No consent covers every category"
    NO_AGREEMENT = "no_agreement", "The agency has no information sharing agreement on file"
    AGREEMENT_OVERDUE = (
        "agreement_overdue",
        "The agency's information sharing agreement is past its review date",
    )
    INCOMPLETE_RECORD = "incomplete_record", "The record of the decision is incomplete"


class DisclosureRefused(Exception):
    """Nothing was released. `reason` is coded; `message` says what is missing in plain words."""

    def __init__(self, reason: RefusalReason, message: str, *, consent=None, missing=()):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.consent = consent
        self.missing = tuple(missing)


class ConsentError(Exception):
    """A consent operation that cannot be done as asked; the message says why."""


# The order in which a consent is checked. The consent that passes the most checks explains the
# refusal best: "expired" is more useful than "wrong agency" when the agency was named.
def _first_failure(consent, *, recipient_id, purpose, categories, at, recipient_ids):
    if recipient_id not in recipient_ids:
        return 0, RefusalReason.WRONG_AGENCY, ()
    if purpose not in consent.purposes:
        return 1, RefusalReason.PURPOSE_NOT_COVERED, ()
    missing = sorted(set(categories) - set(consent.categories))
    if missing:
        return 2, RefusalReason.CATEGORY_NOT_COVERED, missing
    if consent.revoked_at is not None and at >= consent.revoked_at:
        return 3, RefusalReason.REVOKED, ()
    if at < consent.valid_from:
        return 3, RefusalReason.NOT_YET_VALID, ()
    if at >= consent.valid_until:
        return 3, RefusalReason.EXPIRED, ()
    return 4, None, ()


def _describe(reason, consent, recipient, purpose, missing, at) -> str:
    purpose_label = Purpose(purpose).label.lower()
    if reason == RefusalReason.NO_CONSENT:
        return "There is no consent from the Authority for this case. Request consent first."
    if reason == RefusalReason.WRONG_AGENCY:
        return f"No consent from the Authority names {recipient}. Request consent for {recipient}."
    if reason == RefusalReason.PURPOSE_NOT_COVERED:
        return f"No consent for {recipient} covers the purpose “{purpose_label}”."
    if reason == RefusalReason.CATEGORY_NOT_COVERED:
        labels = ", ".join(DataCategory(c).label.lower() for c in missing)
        return f"The consent for {recipient} does not cover: {labels}."
    local = timezone.localtime
    if reason == RefusalReason.REVOKED:
        return (
            f"The consent for {recipient} was revoked on "
            f"{local(consent.revoked_at):%d %B %Y at %H:%M}: {consent.revocation_reason}"
        )
    if reason == RefusalReason.NOT_YET_VALID:
        return f"The consent for {recipient} is valid from {local(consent.valid_from):%d %B %Y at %H:%M}."
    return f"The consent for {recipient} expired on {local(consent.valid_until):%d %B %Y at %H:%M}."


def covering_consent(*, case, recipient, purpose, categories, at=None) -> Consent:
    """The consent that covers this release now (or at `at`), or a refusal that says why none does."""
    at = at or timezone.now()
    best = None
    for consent in case.consents.prefetch_related("recipients").order_by("-granted_at", "-pk"):
        recipient_ids = {agency.pk for agency in consent.recipients.all()}
        rank, reason, missing = _first_failure(
            consent,
            recipient_id=recipient.pk,
            purpose=purpose,
            categories=categories,
            at=at,
            recipient_ids=recipient_ids,
        )
        if reason is None:
            return consent
        if best is None or rank > best[0]:
            best = (rank, reason, missing, consent)
    if best is None:
        raise DisclosureRefused(
            RefusalReason.NO_CONSENT,
            _describe(RefusalReason.NO_CONSENT, None, recipient, purpose, (), at),
        )
    _, reason, missing, consent = best
    raise DisclosureRefused(
        reason,
        _describe(reason, consent, recipient, purpose, missing, at),
        consent=consent,
        missing=missing,
    )


def agreement_refusal(recipient, on) -> DisclosureRefused | None:
    """A refusal when the recipient has no current information sharing agreement, else None."""
    status = recipient.information_sharing_agreement_status(on)
    if status == InformationSharingAgreementStatus.NONE:
        return DisclosureRefused(
            RefusalReason.NO_AGREEMENT,
            f"{recipient} has no information sharing agreement on file.",
        )
    if status == InformationSharingAgreementStatus.REVIEW_OVERDUE:
        return DisclosureRefused(
            RefusalReason.AGREEMENT_OVERDUE,
            f"{recipient}'s information sharing agreement was due for review on "
            f"{recipient.information_sharing_agreement_review_due_on:%d %B %Y}.",
        )
    return None


def agreements_only_warn() -> bool:
    return settings.PARTNERHUB_AGREEMENT_CHECK == "warn"


def check_release(*, case, recipient, purpose: str, categories, at) -> Consent:
    """The gate itself, writing nothing: the consent that covers this release at `at`, or a
    DisclosureRefused naming why not (no covering consent, or a missing or overdue information
    sharing agreement while the setting refuses those). `disclose()` and every caller that
    must check several recipients before releasing to any ask the same question here."""
    consent = covering_consent(
        case=case, recipient=recipient, purpose=purpose, categories=categories, at=at
    )
    agreement_problem = agreement_refusal(recipient, timezone.localdate(at))
    if agreement_problem is not None and not agreements_only_warn():
        raise agreement_problem
    return consent


@dataclass(frozen=True)
class DecisionRecord:
    """What a release record must show (ICO data sharing code; UK GDPR Art. 5(2))."""

    necessity: str
    lawful_basis: str
    special_category_condition: str
    person_told: str
    person_not_told_reason: str = ""
    decided_by: object = None
    categories: tuple = field(default=())

    def problems(self) -> list[str]:
        found = []
        if not self.necessity.strip():
            found.append("Say why sharing is necessary and proportionate")
        if not self.lawful_basis:
            found.append("Choose the lawful basis")
        needs_condition = bool(SPECIAL_CATEGORIES & set(self.categories))
        if needs_condition and self.special_category_condition in {
            "",
            SpecialCategoryCondition.NOT_APPLICABLE,
        }:
            found.append("Health and vulnerability information needs an Article 9 condition")
        if not self.person_told:
            found.append("Say whether the person was told")
        if (
            self.person_told == PersonTold.NOT_TOLD_OTHER
            and not self.person_not_told_reason.strip()
        ):
            found.append("Say why the person was not told")
        return found


def disclose(
    *,
    case,
    recipient,
    purpose: str,
    categories,
    content: str,
    method: str,
    record_of_decision: DecisionRecord,
    actor,
    recipient_contact=None,
    source=None,
    ip_address=None,
) -> Disclosure:
    """Release information about `case` to `recipient`, or refuse with a specific reason."""
    permissions.require_release(actor, case)
    categories = sorted(set(categories))
    problems = record_of_decision.problems() if categories else ["Choose what is being shared"]
    if problems:
        raise DisclosureRefused(RefusalReason.INCOMPLETE_RECORD, ". ".join(problems) + ".")
    try:
        with transaction.atomic():
            # Lock every consent that could cover this release before reading the clock, so a
            # revocation either commits first (and we see it) or waits for us to commit.
            list(
                case.consents.filter(recipients=recipient)
                .select_for_update(no_key=True, of=("self",))
                .values_list("pk", flat=True)
            )
            disclosed_at = timezone.now()
            consent = check_release(
                case=case,
                recipient=recipient,
                purpose=purpose,
                categories=categories,
                at=disclosed_at,
            )
            disclosure = Disclosure.objects.create(
                case=case,
                consent=consent,
                recipient=recipient,
                recipient_contact=recipient_contact,
                purpose=purpose,
                categories=categories,
                method=method,
                necessity=record_of_decision.necessity.strip(),
                lawful_basis=record_of_decision.lawful_basis,
                special_category_condition=record_of_decision.special_category_condition
                or SpecialCategoryCondition.NOT_APPLICABLE,
                person_told=record_of_decision.person_told,
                person_not_told_reason=record_of_decision.person_not_told_reason.strip(),
                disclosed_by=actor,
                decided_by=record_of_decision.decided_by or actor,
                disclosed_at=disclosed_at,
                agreement_signed_on=recipient.information_sharing_agreement_signed_on,
                agreement_review_due_on=recipient.information_sharing_agreement_review_due_on,
                agreement_status=recipient.information_sharing_agreement_status(
                    timezone.localdate(disclosed_at)
                ),
                content_digest=hashlib.sha256(content.encode("utf-8")).hexdigest(),
                source_type=source._meta.label_lower if source is not None else "",
                source_id=str(source.pk) if source is not None else "",
            )
            ReleasedContent.objects.create(disclosure=disclosure, text=content)
            record(
                verb=Verb.DISCLOSED,
                actor=actor,
                target=disclosure,
                detail={
                    "case_id": case.pk,
                    "recipient_id": recipient.pk,
                    "consent_id": consent.pk,
                    "purpose": purpose,
                    "categories": categories,
                },
                ip_address=ip_address,
            )
    except DisclosureRefused as refusal:
        record(
            verb=Verb.DISCLOSURE_REFUSED,
            actor=actor,
            target=case,
            detail={
                "recipient_id": recipient.pk,
                "purpose": purpose,
                "reason": str(refusal.reason),
            },
            ip_address=ip_address,
        )
        raise
    return disclosure


class ReleaseRefused(DisclosureRefused):
    """A release to several agencies refused as a whole: nothing reached any of them.
    `refusals` pairs each agency refused with its own DisclosureRefused, in the order given;
    `refused_cases` gives, in the same order, the case each refusal was about."""

    def __init__(self, refusals, refused_cases=()):
        self.refusals = list(refusals)
        self.refused_cases = list(refused_cases)
        names = ", ".join(str(agency) for agency, _ in self.refusals)
        first = self.refusals[0][1]
        super().__init__(
            first.reason,
            f"Nothing was shared: not every agency is covered ({names}).",
            consent=first.consent,
            missing=first.missing,
        )


@dataclass(frozen=True)
class Release:
    """What one case gives several agencies in a release: to whom, why, which categories, and
    the record of the decision to share."""

    case: object
    recipients: tuple
    purpose: str
    categories: tuple
    record_of_decision: DecisionRecord


def release_to_agencies(
    *,
    case,
    recipients,
    purpose: str,
    categories,
    content: str,
    method: str,
    record_of_decision: DecisionRecord,
    actor,
    source=None,
    ip_address=None,
) -> list[Disclosure]:
    """Release the same information about `case` to several agencies, all or nothing: the one
    case of `release_together`."""
    return release_together(
        releases=[
            Release(
                case=case,
                recipients=tuple(recipients),
                purpose=purpose,
                categories=tuple(categories),
                record_of_decision=record_of_decision,
            )
        ],
        content=content,
        method=method,
        actor=actor,
        source=source,
        ip_address=ip_address,
    )


def release_together(
    *, releases, content: str, method: str, actor, source=None, ip_address=None
) -> list[Disclosure]:
    """Release one text about one or more cases to their agencies, all or nothing: a meeting's
    minutes carry every case discussed, so either each case reaches each of its agencies or
    none reaches any.

    Every (case, agency) is checked at the gate (`check_release`) before anything is written.
    If any is refused, each refusal gets its own "disclosure refused" audit event, no
    disclosure is written to anyone, and ReleaseRefused names each agency with its reason.

    `source` is the record the release comes from, or a function that creates it and returns
    it, called only once every recipient is covered: a refused release then leaves nothing
    behind but its refusals. The refusal events are written in the caller's transaction, so a
    caller that must undo its own writes catches ReleaseRefused inside its transaction and
    raises after it, or the events go with the rest.
    """
    releases = list(releases)
    for release in releases:
        permissions.require_release(actor, release.case)
    for release in releases:
        categories = sorted(set(release.categories))
        problems = (
            release.record_of_decision.problems() if categories else ["Choose what is being shared"]
        )
        if problems:
            raise DisclosureRefused(RefusalReason.INCOMPLETE_RECORD, ". ".join(problems) + ".")
    # The gate judges each agency as stored now: an agreement recorded since the caller loaded
    # it counts, and so does one that lapsed.
    stored = Agency.objects.in_bulk(
        {agency.pk for release in releases for agency in release.recipients}
    )
    wanted = [
        (
            release,
            [stored[pk] for pk in dict.fromkeys(agency.pk for agency in release.recipients)],
            sorted(set(release.categories)),
        )
        for release in releases
    ]
    refusals = []
    disclosures = []
    with transaction.atomic():
        for release, recipients, _ in wanted:
            # The same locks as disclose(): a revocation either commits before the checks below
            # or waits until every disclosure of this release is written.
            list(
                release.case.consents.filter(recipients__in=[agency.pk for agency in recipients])
                .select_for_update(no_key=True, of=("self",))
                .values_list("pk", flat=True)
            )
        at = timezone.now()
        for release, recipients, categories in wanted:
            for recipient in recipients:
                try:
                    check_release(
                        case=release.case,
                        recipient=recipient,
                        purpose=release.purpose,
                        categories=categories,
                        at=at,
                    )
                except DisclosureRefused as refusal:
                    refusals.append((release, recipient, refusal))
        if not refusals:
            try:
                with transaction.atomic():
                    made = source() if callable(source) else source
                    for release, recipients, categories in wanted:
                        for recipient in recipients:
                            disclosures.append(
                                disclose(
                                    case=release.case,
                                    recipient=recipient,
                                    purpose=release.purpose,
                                    categories=categories,
                                    content=content,
                                    method=method,
                                    record_of_decision=release.record_of_decision,
                                    actor=actor,
                                    source=made,
                                    ip_address=ip_address,
                                )
                            )
            except DisclosureRefused as refusal:
                # The gate's answer changed between the check and the write (SQLite takes no
                # row locks): the savepoint undid every disclosure of this release, its source
                # and disclose()'s own refusal event, which is recorded below instead.
                refusals.append((release, recipient, refusal))
                disclosures = []
    for release, recipient, refusal in refusals:
        record(
            verb=Verb.DISCLOSURE_REFUSED,
            actor=actor,
            target=release.case,
            detail={
                "recipient_id": recipient.pk,
                "purpose": release.purpose,
                "reason": str(refusal.reason),
            },
            ip_address=ip_address,
        )
    if refusals:
        raise ReleaseRefused(
            [(recipient, refusal) for _, recipient, refusal in refusals],
            [release.case for release, _, _ in refusals],
        )
    return disclosures


def request_consent(
    *, case, recipients, purposes, categories, necessity, actor, wanted_until=None, ip_address=None
) -> ConsentRequest:
    permissions.require_request_consent(actor, case)
    if not recipients or not purposes or not categories:
        raise ConsentError("Name at least one agency, purpose and category of information")
    if not necessity.strip():
        raise ConsentError("Say why sharing is necessary")
    with transaction.atomic():
        request = ConsentRequest.objects.create(
            case=case,
            purposes=sorted(set(purposes)),
            categories=sorted(set(categories)),
            necessity=necessity.strip(),
            wanted_until=wanted_until,
            requested_by=actor,
            requested_at=timezone.now(),
        )
        request.recipients.set(recipients)
        record(
            verb=Verb.CREATED,
            actor=actor,
            target=request,
            detail={"case_id": case.pk},
            ip_address=ip_address,
        )
    return request


def _create_consent(
    *, case, recipients, purposes, categories, valid_from, valid_until, actor, **grant
):
    if valid_until <= valid_from:
        raise ConsentError("The consent must end after it starts")
    consent = Consent.objects.create(
        case=case,
        purposes=sorted(set(purposes)),
        categories=sorted(set(categories)),
        valid_from=valid_from,
        valid_until=valid_until,
        recorded_by=actor,
        recorded_at=timezone.now(),
        **grant,
    )
    consent.recipients.set(recipients)
    return consent


def grant_consent(
    *,
    case,
    recipients,
    purposes,
    categories,
    valid_from,
    valid_until,
    actor,
    granted_at=None,
    ip_address=None,
) -> Consent:
    """An Authority user grants consent in Partnerhub; the grant itself is the written record."""
    permissions.require_decide_consent(actor, case)
    with transaction.atomic():
        consent = _create_consent(
            case=case,
            recipients=recipients,
            purposes=purposes,
            categories=categories,
            valid_from=valid_from,
            valid_until=valid_until,
            actor=actor,
            granted_by_user=actor,
            granted_at=granted_at or timezone.now(),
        )
        record(
            verb=Verb.CONSENT_GRANTED,
            actor=actor,
            target=consent,
            detail={"case_id": case.pk},
            ip_address=ip_address,
        )
    return consent


def decide_consent_request(
    *,
    request: ConsentRequest,
    decision: str,
    actor,
    valid_until=None,
    recipients=None,
    purposes=None,
    categories=None,
    reason: str = "",
    ip_address=None,
) -> Consent | None:
    """The Authority grants a request as asked, grants part of it (narrows), or refuses it."""
    permissions.require_decide_consent(actor, request.case)
    with transaction.atomic():
        request = ConsentRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != ConsentRequestStatus.PENDING:
            raise ConsentError("This request has already been decided")
        asked_recipients = set(request.recipients.all())
        now = timezone.now()
        if decision == "refuse":
            if not reason.strip():
                raise ConsentError("Give the reason for refusing")
            request.status = ConsentRequestStatus.REFUSED
            consent = None
            verb = Verb.CONSENT_REFUSED
        else:
            recipients = set(recipients) if recipients is not None else asked_recipients
            purposes = set(purposes) if purposes is not None else set(request.purposes)
            categories = set(categories) if categories is not None else set(request.categories)
            if not recipients or not purposes or not categories:
                raise ConsentError("Keep at least one agency, purpose and category")
            if not (
                recipients <= asked_recipients
                and purposes <= set(request.purposes)
                and categories <= set(request.categories)
            ):
                raise ConsentError("A grant can only narrow what was asked, never widen it")
            narrowed = (recipients, purposes, categories) != (
                asked_recipients,
                set(request.purposes),
                set(request.categories),
            )
            if narrowed and not reason.strip():
                raise ConsentError("Give the reason for granting less than was asked")
            consent = _create_consent(
                case=request.case,
                recipients=recipients,
                purposes=purposes,
                categories=categories,
                valid_from=now,
                valid_until=valid_until
                or request.wanted_until
                or now + settings.PARTNERHUB_CONSENT_DEFAULT_VALIDITY,
                actor=actor,
                request=request,
                granted_by_user=actor,
                granted_at=now,
            )
            request.status = (
                ConsentRequestStatus.NARROWED if narrowed else ConsentRequestStatus.GRANTED
            )
            verb = Verb.CONSENT_GRANTED
        request.decided_by = actor
        request.decided_at = now
        request.decision_reason = reason.strip()
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        record(
            verb=verb,
            actor=actor,
            target=consent or request,
            detail={
                "case_id": request.case_id,
                "request_id": request.pk,
                "decision": request.status,
            },
            ip_address=ip_address,
        )
    return consent


def record_written_consent(
    *,
    case,
    recipients,
    purposes,
    categories,
    valid_from,
    valid_until,
    granted_by_official: str,
    granted_at,
    evidence,
    actor,
    authority_reference: str = "",
    request=None,
    ip_address=None,
) -> Consent:
    """Record consent the Authority gave in a letter or e-mail, with that letter as evidence."""
    permissions.require_record_written_consent(actor, case)
    if not granted_by_official.strip():
        raise ConsentError("Name the Authority official who granted consent")
    content_type, digest = check_evidence(evidence)
    with transaction.atomic():
        consent = _create_consent(
            case=case,
            recipients=recipients,
            purposes=purposes,
            categories=categories,
            valid_from=valid_from,
            valid_until=valid_until,
            actor=actor,
            request=request,
            granted_by_official=granted_by_official.strip(),
            granted_at=granted_at,
            evidence=evidence,
            evidence_content_type=content_type,
            evidence_digest=digest,
            authority_reference=authority_reference,
        )
        if request is not None:
            ConsentRequest.objects.filter(
                pk=request.pk, status=ConsentRequestStatus.PENDING
            ).update(
                status=ConsentRequestStatus.GRANTED, decided_at=timezone.now(), decided_by=actor
            )
        record(
            verb=Verb.CONSENT_GRANTED,
            actor=actor,
            target=consent,
            detail={"case_id": case.pk},
            ip_address=ip_address,
        )
    return consent


def revoke_consent(*, consent: Consent, reason: str, actor, ip_address=None) -> Consent:
    permissions.require_decide_consent(actor, consent.case)
    if not reason.strip():
        raise ConsentError("Give the reason for revoking the consent")
    with transaction.atomic():
        # Lock first, then read the clock: a disclosure holding the lock finishes before this
        # revocation's moment, and one that waits sees the revocation.
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.revoked_at is not None:
            raise ConsentError("This consent has already been revoked")
        consent.revoked_at = timezone.now()
        consent.revoked_by = actor
        consent.revocation_reason = reason.strip()
        consent.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        record(
            verb=Verb.CONSENT_REVOKED,
            actor=actor,
            target=consent,
            changed_fields=["revoked_at", "revoked_by", "revocation_reason"],
            detail={"case_id": consent.case_id},
            ip_address=ip_address,
        )
    return consent


def amend_consent(
    *,
    consent: Consent,
    recipients,
    purposes,
    categories,
    valid_until,
    actor,
    reason: str,
    ip_address=None,
) -> Consent:
    """Narrow or extend a consent the Authority granted in Partnerhub: a new version replaces it."""
    permissions.require_decide_consent(actor, consent.case)
    if not reason.strip():
        raise ConsentError("Say why the consent changes")
    with transaction.atomic():
        old = Consent.objects.select_for_update().get(pk=consent.pk)
        if old.revoked_at is not None:
            raise ConsentError("A revoked consent cannot be amended; ask for a new one")
        now = timezone.now()
        replacement = _create_consent(
            case=old.case,
            recipients=recipients,
            purposes=purposes,
            categories=categories,
            valid_from=now,
            valid_until=valid_until,
            actor=actor,
            supersedes=old,
            request=old.request,
            granted_by_user=actor,
            granted_at=now,
        )
        old.revoked_at = now
        old.revoked_by = actor
        old.revocation_reason = f"Replaced by consent {replacement.pk}: {reason.strip()}"
        old.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        record(
            verb=Verb.CONSENT_GRANTED,
            actor=actor,
            target=replacement,
            detail={"case_id": old.case_id, "supersedes": old.pk},
            ip_address=ip_address,
        )
    return replacement


def record_decision_not_to_share(
    *,
    case,
    requested_by_agency,
    what_was_asked_for: str,
    reason: str,
    actor,
    requested_by_person: str = "",
    requested_categories=(),
    lawful_basis_considered: str = "",
    advice_sought: str = "",
    ip_address=None,
) -> DecisionNotToShare:
    # Deciding not to release is for the same people who may decide to release.
    permissions.require_release(actor, case)
    if not reason.strip() or not what_was_asked_for.strip():
        raise ConsentError("Say what was asked for and why it is not being shared")
    with transaction.atomic():
        decision = DecisionNotToShare.objects.create(
            case=case,
            requested_by_agency=requested_by_agency,
            requested_by_person=requested_by_person,
            requested_categories=sorted(set(requested_categories)),
            what_was_asked_for=what_was_asked_for.strip(),
            reason=reason.strip(),
            lawful_basis_considered=lawful_basis_considered,
            advice_sought=advice_sought,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        record(
            verb=Verb.DECIDED_NOT_TO_SHARE,
            actor=actor,
            target=decision,
            detail={"case_id": case.pk},
            ip_address=ip_address,
        )
    return decision


def record_correction_notices(
    *, case, recipients, corrected_fields, how_told: str, told_on, actor, ip_address=None
) -> list[CorrectionNotice]:
    """Record that each agency which received information about the case was told it changed."""
    permissions.require_change_case(actor, case)
    if not how_told.strip():
        raise ConsentError("Say how the agencies were told")
    received = set(case.disclosures.values_list("recipient_id", flat=True))
    strangers = [agency for agency in recipients if agency.pk not in received]
    if strangers:
        raise ConsentError(f"{strangers[0]} has not received information about this case")
    now = timezone.now()
    with transaction.atomic():
        notices = CorrectionNotice.objects.bulk_create(
            CorrectionNotice(
                case=case,
                recipient=agency,
                corrected_fields=sorted(corrected_fields),
                how_told=how_told.strip(),
                told_on=told_on,
                recorded_by=actor,
                recorded_at=now,
            )
            for agency in recipients
        )
        for notice in notices:
            record(
                verb=Verb.CREATED,
                actor=actor,
                target=notice,
                detail={"case_id": case.pk, "recipient_id": notice.recipient_id},
                ip_address=ip_address,
            )
    return notices

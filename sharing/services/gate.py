"""The consent gate itself: whether the Authority's consents and the agency's information
sharing agreement cover a release, and the refusal that says why not when they do not.

Nothing here writes: `disclose()` and the releases in sharing/services/disclosures.py ask
`check_release` before writing anything, and so may any caller that must check several
recipients first. The database enforces the same rule (sharing/guards.py); this layer exists to
refuse first, with a reason a person can act on.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import TextChoices
from django.utils import timezone

from agencies.models import InformationSharingAgreementStatus
from sharing.models import Consent, DataCategory, Purpose


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


AGREEMENT_REASONS = frozenset({RefusalReason.NO_AGREEMENT, RefusalReason.AGREEMENT_OVERDUE})


class DisclosureRefused(Exception):
    """Nothing was released. `reason` is coded; `message` says what is missing in plain words."""

    def __init__(self, reason: RefusalReason, message: str, *, consent=None, missing=()):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.consent = consent
        self.missing = tuple(missing)


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


def _consents_of(case):
    return case.consents.prefetch_related("recipients").order_by("-granted_at", "-pk")


def covering_consent(*, case, recipient, purpose, categories, at=None, consents=None) -> Consent:
    """The consent that covers this release now (or at `at`), or a refusal that says why none does.

    `consents` are the case's consents with their recipients, newest first, when the caller
    already holds them (a page asking about several releases); else they are read."""
    at = at or timezone.now()
    best = None
    for consent in _consents_of(case) if consents is None else consents:
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


@dataclass(frozen=True)
class ConsentCover:
    """What current consent allows of a release before anyone asks for it: the categories it
    covers and those it does not, and the refusal sending would meet now (None when it would
    pass). `consent_would_help` is whether asking the Authority could change the answer: a
    missing information sharing agreement is the agency's to fix, not the Authority's."""

    covered: tuple[str, ...]
    missing: tuple[str, ...]
    refusal: DisclosureRefused | None
    # Whether the covered categories alone could be sent now, when not all of them can.
    covered_can_go: bool

    @property
    def consent_would_help(self) -> bool:
        return bool(self.missing) or (
            self.refusal is not None and self.refusal.reason not in AGREEMENT_REASONS
        )


def consent_cover(*, case, recipient, purpose, categories, at=None, consents=None) -> ConsentCover:
    """Whether current consent covers releasing `categories` to `recipient` for `purpose`: the
    question the gate will ask, asked early so a page can say so before anything is filled in.
    Reads nothing more when `consents` (as for `covering_consent`) are given."""
    at = at or timezone.now()
    consents = list(_consents_of(case) if consents is None else consents)
    named = set()
    for consent in consents:
        if (
            _first_failure(
                consent,
                recipient_id=recipient.pk,
                purpose=purpose,
                categories=(),
                at=at,
                recipient_ids={agency.pk for agency in consent.recipients.all()},
            )[1]
            is None
        ):
            named.update(consent.categories)
    covered = tuple(category for category in categories if category in named)

    def refusal_of(releasing):
        try:
            check_release(
                case=case,
                recipient=recipient,
                purpose=purpose,
                categories=releasing,
                at=at,
                consents=consents,
            )
        except DisclosureRefused as refusal:
            return refusal
        return None

    problem = refusal_of(categories)
    return ConsentCover(
        covered=covered,
        missing=tuple(category for category in categories if category not in named),
        refusal=problem,
        covered_can_go=bool(covered) and (problem is None or refusal_of(covered) is None),
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


def check_release(*, case, recipient, purpose: str, categories, at, consents=None) -> Consent:
    """The gate itself, writing nothing: the consent that covers this release at `at`, or a
    DisclosureRefused naming why not (no covering consent, or a missing or overdue information
    sharing agreement while the setting refuses those). `disclose()` and every caller that
    must check several recipients before releasing to any ask the same question here."""
    consent = covering_consent(
        case=case,
        recipient=recipient,
        purpose=purpose,
        categories=categories,
        at=at,
        consents=consents,
    )
    agreement_problem = agreement_refusal(recipient, timezone.localdate(at))
    if agreement_problem is not None and not agreements_only_warn():
        raise agreement_problem
    return consent

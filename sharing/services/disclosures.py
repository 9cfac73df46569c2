"""Releasing information about a case: `disclose()`, the only way information leaves, the
all-or-nothing releases to several agencies built on it, and the records kept when information
is not released or was corrected after release.

Every function here takes the acting person, checks it first (a `require_…` in
sharing/permissions.py, refusing with NotPermitted before anything is written), asks the gate
(sharing/services/gate.py) and writes its audit event in the same transaction.
"""

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency
from audit.models import Verb
from audit.services import record
from sharing import permissions
from sharing.models import (
    SPECIAL_CATEGORIES,
    CorrectionNotice,
    DecisionNotToShare,
    Disclosure,
    PersonTold,
    ReleasedContent,
    SpecialCategoryCondition,
)
from sharing.services import delivery
from sharing.services.consent import ConsentError
from sharing.services.gate import DisclosureRefused, RefusalReason, check_release


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
                source_type=Disclosure.source_type_of(type(source)) if source is not None else "",
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
    the record of the decision to share. `content` and `source`, when given, are this case's
    own text and the record it comes from, where a release carries a different text per case
    (the case parts of a meeting's minutes) rather than one text about all of them."""

    case: object
    recipients: tuple
    purpose: str
    categories: tuple
    record_of_decision: DecisionRecord
    content: str | None = None
    source: object = None


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
    none reaches any. A release that names its own `content` and `source` gives its agencies
    that text from that record instead (each case part of the minutes to its own agencies),
    still all or nothing with the rest.

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
                                    content=content if release.content is None else release.content,
                                    method=method,
                                    record_of_decision=release.record_of_decision,
                                    actor=actor,
                                    source=made if release.source is None else release.source,
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
        delivery.tell_recipients_of_correction(case, recipients, actor=actor)
    return notices

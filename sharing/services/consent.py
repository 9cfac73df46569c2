"""The Authority's consents: asking for one, its decisions on requests, written consent
recorded from a letter, revocation and amendment.

Every function here takes the acting person, checks it first (a `require_…` in
sharing/permissions.py, refusing with NotPermitted before anything is written) and writes its
audit event in the same transaction.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.models import Verb
from audit.services import record
from sharing import notices, permissions
from sharing.evidence import check_evidence
from sharing.models import Consent, ConsentRequest, ConsentRequestStatus, ConsentUrgency
from sharing.services import delivery


class ConsentError(Exception):
    """A consent operation that cannot be done as asked; the message says why."""


def request_consent(
    *,
    case,
    recipients,
    purposes,
    categories,
    necessity,
    actor,
    wanted_until=None,
    urgency=ConsentUrgency.STANDARD,
    ip_address=None,
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
            urgency=urgency,
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
        notices.consent_requested(request, actor=actor)
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
        notices.consent_decided(request, actor=actor)
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
        delivery.tell_recipients_of_withdrawal(consent, actor=actor)
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

"""Every change to a case, its indicators, escalations and referrals, checked against who acts
(sharing/permissions.py) before anything is written, with its audit event in the same
transaction. `send_referral` is the only way a referral reaches "sent"."""

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from agencies.models import Contact, ReferralRoute
from audit.models import Verb
from audit.services import record
from core.rich_text import render_markdown
from sharing import notices, permissions
from sharing.models import (
    MARAC_KIND,
    Case,
    CaseIndicator,
    CaseNote,
    CaseReferenceCounter,
    CaseStatus,
    Escalation,
    HouseholdMember,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    TransitionRefused,
    VulnerabilityIndicator,
    marac_repeat_window_ends,
)
from sharing.selectors.cases import DEFAULT_REFERRAL_CATEGORIES, purpose_of_referral
from sharing.selectors.matches import likely_matches
from sharing.services import delivery
from sharing.services.disclosures import disclose
from sharing.services.gate import ConsentCover, DisclosureRefused, consent_cover

REFERENCE_PREFIX = "PH"


def next_case_reference(*, year: int) -> str:
    """The next reference in the year, e.g. PH-2026-000123. Call inside a transaction: the
    year's counter row stays locked until it commits, so two cases never share a number."""
    counter, _ = CaseReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{REFERENCE_PREFIX}-{year}-{counter.last_number:06d}"


def open_case(
    *,
    case: Case,
    officers: Iterable,
    household: Iterable[HouseholdMember] = (),
    indicators: Iterable[CaseIndicator] = (),
    why_new_case: str = "",
    actor,
    ip_address: str | None = None,
) -> Case:
    """Save a new, validated case with its household, the vulnerability indicators identified
    so far (unsaved CaseIndicators) and its assigned officers: all of it or, when an indicator
    is refused (ValidationError), none of it.

    A case that may already be open for the person (sharing/selectors/matches.py) is refused
    unless `why_new_case` says why they need another. The opening's audit event names the cases
    it went ahead despite and the note that keeps the reason: the reason is free text about a
    person, so it stays on the case, which can be erased, not in the append-only log.
    """
    officers = list(officers)
    permissions.require_open_case(actor, officers=officers)
    why_new_case = why_new_case.strip()
    with transaction.atomic():
        matches = likely_matches(
            user=actor,
            given_names=case.given_names,
            family_name=case.family_name,
            date_of_birth=case.date_of_birth,
            authority_reference=case.authority_reference,
            postcode=case.postcode,
        )
        if matches and not why_new_case:
            raise ValidationError(
                {
                    "why_new_case": ValidationError(
                        "Enter why you are opening a new case when one may already exist for "
                        "this person",
                        code="why_new_case_required",
                    )
                }
            )
        case.reference = next_case_reference(year=timezone.localdate().year)
        case.created_by = actor
        case.save()
        case.assigned_officers.set(officers)
        for member in household:
            member.case = case
            member.save()
        detail = {}
        if matches:
            references = [match.reference for match in matches]
            note = _note_why_new_case(case, references, why_new_case, actor=actor)
            detail = {"likely_matches": references, "why_new_case_note_id": note.pk}
        record(verb=Verb.CREATED, actor=actor, target=case, detail=detail, ip_address=ip_address)
        for case_indicator in indicators:
            case_indicator.case = case
            _record_indicator(case_indicator, actor=actor, ip_address=ip_address)
    return case


def _note_why_new_case(case: Case, references: list[str], why: str, *, actor) -> CaseNote:
    text = (
        f"Opened as a new case although {', '.join(references)} may be the same person's.\n\n"
        f"Why a new case: {why}"
    )
    return CaseNote.objects.create(
        case=case, author=actor, written_at=case.created_at, text=text, html=render_markdown(text)
    )


def update_case(
    *,
    case: Case,
    changed_fields: Iterable[str],
    officers: Iterable | None = None,
    household_saved: Iterable[HouseholdMember] = (),
    household_removed: Iterable[HouseholdMember] = (),
    actor,
    ip_address: str | None = None,
) -> Case:
    permissions.require_change_case(actor, case)
    if officers is not None:
        permissions.require_assign_officers(actor, case)
    changed = set(changed_fields)
    with transaction.atomic():
        case.save()
        if officers is not None:
            before = set(case.assigned_officers.values_list("pk", flat=True))
            case.assigned_officers.set(officers)
            if before != set(case.assigned_officers.values_list("pk", flat=True)):
                changed.add("assigned_officers")
        for member in household_saved:
            member.case = case
            member.save()
            changed.add("household_members")
        for member in household_removed:
            member.delete()
            changed.add("household_members")
        if changed:
            record(
                verb=Verb.CHANGED,
                actor=actor,
                target=case,
                changed_fields=changed,
                ip_address=ip_address,
            )
    return case


def close_case(*, case: Case, reason: str, actor, ip_address: str | None = None) -> Case:
    permissions.require_change_case(actor, case)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status == CaseStatus.CLOSED:
            return case
        case.status = CaseStatus.CLOSED
        case.closure_reason = reason
        case.closed_at = timezone.now()
        case.save(update_fields=["status", "closure_reason", "closed_at"])
        record(
            verb=Verb.STATUS_CHANGED,
            actor=actor,
            target=case,
            changed_fields=["status", "closure_reason", "closed_at"],
            detail={"status": CaseStatus.CLOSED, "closure_reason": reason},
            ip_address=ip_address,
        )
    return case


def reopen_case(*, case: Case, actor, ip_address: str | None = None) -> Case:
    permissions.require_change_case(actor, case)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status == CaseStatus.OPEN:
            return case
        case.status = CaseStatus.OPEN
        case.closure_reason = ""
        case.closed_at = None
        case.save(update_fields=["status", "closure_reason", "closed_at"])
        record(
            verb=Verb.STATUS_CHANGED,
            actor=actor,
            target=case,
            changed_fields=["status", "closure_reason", "closed_at"],
            detail={"status": CaseStatus.OPEN},
            ip_address=ip_address,
        )
    return case


def add_case_note(*, case: Case, text: str, actor, ip_address: str | None = None) -> CaseNote:
    """Keep the Markdown as typed and store the sanitised HTML made from it: no page ever
    renders a note's HTML that did not pass the sanitiser when it was written."""
    permissions.require_change_case(actor, case)
    with transaction.atomic():
        note = CaseNote.objects.create(
            case=case, author=actor, text=text, html=render_markdown(text)
        )
        record(
            verb=Verb.CREATED,
            actor=actor,
            target=note,
            detail={"case_id": case.pk},
            ip_address=ip_address,
        )
    return note


def add_indicator(
    *,
    case: Case,
    indicator: VulnerabilityIndicator,
    identified_on: date,
    notes: str = "",
    actor,
    ip_address: str | None = None,
) -> CaseIndicator:
    permissions.require_change_case(actor, case)
    case_indicator = CaseIndicator(
        case=case, indicator=indicator, identified_on=identified_on, notes=notes
    )
    with transaction.atomic():
        _record_indicator(case_indicator, actor=actor, ip_address=ip_address)
    return case_indicator


def _record_indicator(case_indicator: CaseIndicator, *, actor, ip_address: str | None) -> None:
    """Save an indicator identified by `actor`, held to CaseIndicator.clean(), with its audit
    event. The caller has checked the actor and holds the transaction."""
    case_indicator.identified_by = actor
    case_indicator.clean()
    case_indicator.save()
    record(
        verb=Verb.CREATED,
        actor=actor,
        target=case_indicator,
        detail={"case_id": case_indicator.case.pk, "indicator": case_indicator.indicator.code},
        ip_address=ip_address,
    )


def end_indicator(
    *, case_indicator: CaseIndicator, ended_on: date, actor, ip_address: str | None = None
) -> CaseIndicator:
    permissions.require_change_case(actor, case_indicator.case)
    with transaction.atomic():
        case_indicator.ended_on = ended_on
        case_indicator.save(update_fields=["ended_on"])
        record(
            verb=Verb.CHANGED,
            actor=actor,
            target=case_indicator,
            changed_fields=["ended_on"],
            detail={"case_id": case_indicator.case_id},
            ip_address=ip_address,
        )
    return case_indicator


def escalate_case(*, case: Case, reason: str, actor, ip_address: str | None = None) -> Escalation:
    permissions.require_escalate(actor, case)
    with transaction.atomic():
        escalation = Escalation.objects.create(case=case, raised_by=actor, reason=reason)
        record(
            verb=Verb.ESCALATED,
            actor=actor,
            target=case,
            detail={"escalation_id": escalation.pk},
            ip_address=ip_address,
        )
        notices.escalation_raised(escalation, actor=actor)
    return escalation


class EscalationAlreadyDecided(Exception):
    pass


def decide_escalation(
    *, escalation: Escalation, decision: str, notes: str, actor, ip_address: str | None = None
) -> Escalation:
    permissions.require_decide_escalation(actor, escalation)
    with transaction.atomic():
        escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
        if escalation.is_decided:
            raise EscalationAlreadyDecided("A decision has already been recorded")
        escalation.decision = decision
        escalation.decision_notes = notes
        escalation.decided_by = actor
        escalation.decided_at = timezone.now()
        escalation.save(update_fields=["decision", "decision_notes", "decided_by", "decided_at"])
        record(
            verb=Verb.CHANGED,
            actor=actor,
            target=escalation,
            changed_fields=["decision", "decision_notes"],
            detail={"case_id": escalation.case_id, "decision": decision},
            ip_address=ip_address,
        )
        notices.escalation_decided(escalation, actor=actor)
    return escalation


def referral_consent_cover(*, case, agency, kind, consents=None) -> ConsentCover:
    """Whether current consent covers a referral of this kind to `agency`, for what a referral
    offers to release unless the officer chooses otherwise: asked before the draft is written
    and before "Send", so nobody fills in a page the gate will refuse."""
    return consent_cover(
        case=case,
        recipient=agency,
        purpose=purpose_of_referral(kind.code),
        categories=DEFAULT_REFERRAL_CATEGORIES,
        consents=consents,
    )


def create_referral(
    *,
    referral: Referral,
    indicators: Iterable[VulnerabilityIndicator] = (),
    actor,
    ip_address: str | None = None,
) -> Referral:
    """Save a validated referral as a draft. Nothing leaves the team until it is sent.

    A MARAC referral must carry its DASH score, professional judgement and criterion, and no
    other kind may; a named contact must work at the agency (ValidationError at the fields,
    nothing saved). Whether it repeats a MARAC
    hearing is worked out for today, so the draft shows it; sending works it out again."""
    permissions.require_refer(actor, referral.case)
    # A contact from another agency would receive what was meant for this one.
    referral.clean()
    referral.check_marac_details()
    if referral.is_marac:
        # The hearing may have been recorded since the caller read the case.
        referral.case.refresh_from_db(fields=["last_heard_at_marac_on"])
    with transaction.atomic():
        referral.status = ReferralStatus.DRAFT
        referral.created_by = actor
        referral.is_repeat_marac = referral.repeats_marac_hearing_on(timezone.localdate())
        referral.save()
        referral.indicators.set(indicators)
        ReferralStatusChange.objects.create(
            referral=referral, from_status="", to_status=ReferralStatus.DRAFT, changed_by=actor
        )
        record(
            verb=Verb.CREATED,
            actor=actor,
            target=referral,
            detail={"case_id": referral.case_id, "agency_id": referral.agency_id},
            ip_address=ip_address,
        )
    return referral


def record_marac_hearing(
    *, case: Case, heard_on: date, actor, ip_address: str | None = None
) -> Case:
    """Record that `case` was heard at a MARAC on `heard_on`, so that a MARAC referral made
    within twelve months of it is flagged as a repeat.

    Meetings calls this when a case item at a MARAC meeting is heard (sharing cannot read
    meetings). The case keeps the latest date only: a date on or before the one held changes
    nothing and records nothing, so calling it again, or for every past hearing in any order
    (a backfill), leaves the latest. Refuses a date in the future (ValidationError) and anyone
    who may not change the case (`NotPermitted`). Referrals already sent keep the flag they
    were sent with; drafts are worked out again for today, and again when they are sent.
    Returns `case`, its `last_heard_at_marac_on` set to the latest date held."""
    permissions.require_record_marac_hearing(actor, case)
    if heard_on > timezone.localdate():
        raise ValidationError(
            "A case cannot have been heard at MARAC on a date in the future",
            code="heard_in_future",
        )
    with transaction.atomic():
        held = (
            Case.objects.select_for_update()
            .values_list("last_heard_at_marac_on", flat=True)
            .get(pk=case.pk)
        )
        if held is not None and heard_on <= held:
            case.last_heard_at_marac_on = held
            return case
        case.last_heard_at_marac_on = heard_on
        Case.objects.filter(pk=case.pk).update(last_heard_at_marac_on=heard_on)
        # A draft shows whether it would repeat this hearing if it were sent today.
        case.referrals.filter(status=ReferralStatus.DRAFT, kind__code=MARAC_KIND).update(
            is_repeat_marac=timezone.localdate() <= marac_repeat_window_ends(heard_on)
        )
        record(
            verb=Verb.CHANGED,
            actor=actor,
            target=case,
            changed_fields=["last_heard_at_marac_on"],
            ip_address=ip_address,
        )
    return case


def check_referral_can_be_sent(referral: Referral) -> None:
    """Refuse, saying why, a referral that cannot go out now: one that is no longer a draft, or
    whose agency or named contact was deactivated after it was drafted."""
    referral.check_can_be_sent()
    agency = referral.agency
    if not agency.is_active:
        raise TransitionRefused(
            f"{agency.name} is no longer active, so the referral cannot be sent. "
            "Draft a new referral to an active agency",
            code="inactive_agency",
        )
    contact = referral.contact
    if contact is not None and not contact.is_active:
        raise TransitionRefused(
            f"{contact.full_name} is no longer an active contact at {agency.name}, so the "
            "referral cannot be sent. Draft a new referral without them or to another contact",
            code="inactive_contact",
        )


def send_referral(
    *,
    referral: Referral,
    actor,
    purpose: str,
    categories,
    content: str,
    route: str,
    record_of_decision,
    note: str = "",
    ip_address: str | None = None,
) -> Referral:
    """Send a draft referral to its agency by `route`: the only way a referral becomes "sent".

    Sending releases information about the person, so it goes through the consent gate inside
    this transaction: if `disclose()` refuses, or the route cannot deliver it
    (sharing/services/delivery.py), the referral stays a draft and nothing is saved. An agency
    or named contact deactivated since the draft is refused before the gate.
    """
    permissions.require_change_referral(actor, referral)
    option = {option.route: option for option in delivery.route_options(referral)}.get(route)
    if option is None or not option.available:
        raise delivery.DeliveryFailed(
            option.why_not if option else "Choose how the referral reaches the agency"
        )
    try:
        with transaction.atomic():
            # The agency and contact rows are locked too, so a deactivation either commits
            # first and is refused here, or waits until the referral has gone out.
            referral = (
                Referral.objects.select_for_update(of=("self", "agency"))
                .select_related("case", "agency", "contact")
                .get(pk=referral.pk)
            )
            if referral.contact_id is not None:
                referral.contact = Contact.objects.select_for_update().get(pk=referral.contact_id)
            check_referral_can_be_sent(referral)
            disclosure = disclose(
                case=referral.case,
                recipient=referral.agency,
                recipient_contact=referral.contact,
                purpose=purpose,
                categories=categories,
                content=content,
                method=delivery.ROUTE_METHOD[route],
                record_of_decision=record_of_decision,
                actor=actor,
                source=referral,
                ip_address=ip_address,
            )
            sent_at = disclosure.disclosed_at
            referral._mark_sent(at=sent_at)
            referral.route = route
            referral.acknowledge_by = sent_at + timedelta(
                hours=settings.PARTNERHUB_REFERRAL_ACKNOWLEDGEMENT_HOURS[referral.urgency]
            )
            # The day it reaches MARAC is the referral's date there; a hearing recorded while
            # it was a draft counts.
            referral.is_repeat_marac = referral.repeats_marac_hearing_on(
                timezone.localdate(sent_at)
            )
            referral.save(
                update_fields=["status", "sent_at", "route", "acknowledge_by", "is_repeat_marac"]
            )
            ReferralStatusChange.objects.create(
                referral=referral,
                from_status=ReferralStatus.DRAFT,
                to_status=ReferralStatus.SENT,
                changed_at=sent_at,
                changed_by=actor,
                note=note,
            )
            record(
                verb=Verb.STATUS_CHANGED,
                actor=actor,
                target=referral,
                changed_fields=["status", "sent_at"],
                detail={
                    "case_id": referral.case_id,
                    "agency_id": referral.agency_id,
                    "from": ReferralStatus.DRAFT,
                    "to": ReferralStatus.SENT,
                    "disclosure_id": disclosure.pk,
                    "route": route,
                },
                ip_address=ip_address,
            )
            delivery.deliver(referral, disclosure, route, actor=actor, ip_address=ip_address)
    except DisclosureRefused as refusal:
        # The refusal's own audit event rolled back with the transaction; keep one on record.
        record(
            verb=Verb.DISCLOSURE_REFUSED,
            actor=actor,
            target=referral,
            # As disclose() records a refusal: which agency, for what purpose, and why.
            detail={
                "case_id": referral.case_id,
                "recipient_id": referral.agency_id,
                "purpose": purpose,
                "reason": str(refusal.reason),
            },
            ip_address=ip_address,
        )
        raise
    return referral


def update_referral_status(
    *, referral: Referral, status: str, actor, note: str = "", ip_address: str | None = None
) -> Referral:
    """Move a sent referral one step along its lifecycle; refuses skips and reversals."""
    permissions.require_change_referral(actor, referral)
    return _move_referral(referral, status, actor=actor, note=note, ip_address=ip_address)


# What a partner agency answers, and the answers that must say why.
PARTNER_ANSWERS = (
    ReferralStatus.ACKNOWLEDGED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.DECLINED,
    ReferralStatus.NO_FURTHER_ACTION,
)
ANSWERS_NEEDING_A_NOTE = (ReferralStatus.DECLINED, ReferralStatus.NO_FURTHER_ACTION)


def answer_referral(
    *, referral: Referral, status: str, actor, note: str = "", ip_address: str | None = None
) -> Referral:
    """The receiving agency's answer, given in Partnerhub by one of its people: acknowledge,
    then accept, decline or no further action. The officer who referred is told."""
    permissions.require_answer_referral(actor, referral)
    _check_answer(status, note)
    return _move_referral(referral, status, actor=actor, note=note.strip(), ip_address=ip_address)


def _check_answer(status: str, note: str) -> None:
    if status not in PARTNER_ANSWERS:
        raise TransitionRefused(
            "Acknowledge the referral, or accept it, decline it or take no further action",
            code="not_an_answer",
        )
    if status in ANSWERS_NEEDING_A_NOTE and not note.strip():
        raise TransitionRefused(
            "Give the reason: the referring officer needs to know why",
            code="note_required",
        )


def answer_referral_by_link(
    *, link, opened_at, status: str, note: str = "", ip_address: str | None = None
) -> Referral:
    """The agency's answer through the secure link sent to it, by the person who opened the
    link with the code sent to its address (`opened_at`, from check_code). The officer who
    referred is told."""
    delivery.require_opened(link, opened_at)
    _check_answer(status, note)
    return _move_referral(
        link.referral, status, actor=None, link=link, note=note.strip(), ip_address=ip_address
    )


def _move_referral(
    referral: Referral, status: str, *, actor, note: str, ip_address, link=None
) -> Referral:
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("case", "agency")
            .get(pk=referral.pk)
        )
        previous = referral.status
        changed_at = timezone.now()
        referral.move_to(status, at=changed_at)
        referral.save(
            update_fields=["status", "acknowledged_at", "outcome_at", "closed_at"],
        )
        ReferralStatusChange.objects.create(
            referral=referral,
            from_status=previous,
            to_status=status,
            changed_at=changed_at,
            changed_by=actor,
            answered_through=link,
            note=note,
        )
        record(
            verb=Verb.STATUS_CHANGED,
            actor=actor,
            actor_label=link.email if link is not None else "",
            target=referral,
            changed_fields=["status"],
            detail={
                "case_id": referral.case_id,
                "from": previous,
                "to": status,
                **({"secure_link_id": link.pk} if link is not None else {}),
            },
            ip_address=ip_address,
        )
        notices.referral_moved(referral, actor=actor)
    return referral


def record_document_sent(
    *, referral: Referral, how: str, sent_at, actor, ip_address: str | None = None
) -> Referral:
    """Record how and when the officer sent the referral's document through the agency's own
    secure channel: the release was recorded when it was sent; this says where it went."""
    permissions.require_change_referral(actor, referral)
    if referral.route != ReferralRoute.OWN_CHANNEL:
        raise TransitionRefused(
            "Only a referral sent as a document is sent through the agency's own channel",
            code="not_a_document",
        )
    if not how.strip():
        raise TransitionRefused("Say how the document was sent", code="how_required")
    # The form asks to the minute, so the minute of the release itself counts.
    if sent_at < referral.sent_at.replace(second=0, microsecond=0) or sent_at > timezone.now():
        raise TransitionRefused(
            "Enter a time between the release and now", code="sent_at_out_of_range"
        )
    with transaction.atomic():
        referral.document_sent_how = how.strip()
        referral.document_sent_at = sent_at
        referral.save(update_fields=["document_sent_how", "document_sent_at"])
        record(
            verb=Verb.CHANGED,
            actor=actor,
            target=referral,
            changed_fields=["document_sent_how", "document_sent_at"],
            detail={"case_id": referral.case_id},
            ip_address=ip_address,
        )
    return referral


def withdraw_draft_referral(
    *, referral: Referral, reason: str, actor, ip_address: str | None = None
) -> Referral:
    """Close a draft that will never be sent, with the reason on its history. Nothing was
    released, so nothing goes through the consent gate; a referral already sent is refused."""
    permissions.require_change_referral(actor, referral)
    if not reason.strip():
        raise TransitionRefused("Enter why the draft is withdrawn", code="reason_required")
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        withdrawn_at = timezone.now()
        referral.withdraw(at=withdrawn_at)
        referral.save(update_fields=["status", "closed_at"])
        ReferralStatusChange.objects.create(
            referral=referral,
            from_status=ReferralStatus.DRAFT,
            to_status=ReferralStatus.CLOSED,
            changed_at=withdrawn_at,
            changed_by=actor,
            note=reason.strip(),
        )
        # The reason is free text about the case: it stays on the referral's history, not in
        # the audit log.
        record(
            verb=Verb.STATUS_CHANGED,
            actor=actor,
            target=referral,
            changed_fields=["status", "closed_at"],
            detail={
                "case_id": referral.case_id,
                "agency_id": referral.agency_id,
                "from": ReferralStatus.DRAFT,
                "to": ReferralStatus.CLOSED,
                "withdrawn": True,
            },
            ip_address=ip_address,
        )
    return referral


class SightRefused(Exception):
    """Sight of a case cannot be given to this person; the message says why."""


def give_sight_of_case(*, case: Case, person, actor, ip_address: str | None = None):
    """Let a colleague outside the case's officers read it (not change it).

    Partner-agency users never get sight of a case: what reaches them is a disclosure, through
    the consent gate.
    """
    permissions.require_give_sight(actor, case)
    if not person.is_active:
        raise SightRefused(f"{person.full_name}'s account is not active")
    if person.has_perm("sharing.view_received_disclosure"):
        raise SightRefused(
            f"{person.full_name} works for a partner agency: share information with their "
            "agency through a disclosure instead"
        )
    with transaction.atomic():
        assign_perm("sharing.view_case", person, case)
        record(
            verb=Verb.PERMISSION_CHANGED,
            actor=actor,
            target=case,
            changed_fields=["people_given_sight"],
            detail={"person_id": person.pk, "granted": "view_case"},
            ip_address=ip_address,
        )


def withdraw_sight_of_case(*, case: Case, person, actor, ip_address: str | None = None):
    permissions.require_give_sight(actor, case)
    with transaction.atomic():
        remove_perm("sharing.view_case", person, case)
        record(
            verb=Verb.PERMISSION_CHANGED,
            actor=actor,
            target=case,
            changed_fields=["people_given_sight"],
            detail={"person_id": person.pk, "withdrawn": "view_case"},
            ip_address=ip_address,
        )

"""Cases on a meeting's agenda: listed and shared through sharing's gate, and the
confidentiality statement people affirm before they are shown."""

import dataclasses
import re

from django.db import transaction

from audit.models import Verb
from audit.services import record
from meetings import permissions
from meetings.models import AgendaItem, ConfidentialityAffirmation, Meeting
from meetings.refusals import CaseItemRefused, Refused
from meetings.selectors import agencies_not_yet_covered, attending_agencies
from meetings.services.agenda import append_agenda_item, open_for_business
from meetings.services.meetings import locked
from sharing.models import DisclosureMethod
from sharing.selectors import disclosures_from
from sharing.services import (
    AGREEMENT_REASONS,
    DecisionRecord,
    ReleaseRefused,
    release_to_agencies,
)


def _case_item_title(case, heading: str) -> str:
    heading = " ".join(heading.split())
    names = {
        word.casefold()
        for word in re.findall(r"\w+", f"{case.given_names} {case.family_name}")
        if len(word) > 1
    }
    if any(word.casefold() in names for word in re.findall(r"\w+", heading)):
        raise Refused("Leave the person's name out of the title: the agenda shows the reference")
    title = f"{case.reference}: {heading}" if heading else case.reference
    return title[: AgendaItem._meta.get_field("title").max_length]


def _recipients(meeting: Meeting, actor) -> list:
    return attending_agencies(meeting.attendances.select_related("agency"), besides=actor.agency_id)


def _check_release(categories, record_of_decision: DecisionRecord) -> DecisionRecord:
    record_of_decision = dataclasses.replace(record_of_decision, categories=tuple(categories))
    problems = record_of_decision.problems() if categories else ["Choose what you are sharing"]
    if problems:
        raise Refused(". ".join(problems) + ".")
    return record_of_decision


def release_at_meeting(
    *, case, agencies, actor, ip_address, **terms
) -> tuple[list, ReleaseRefused | None]:
    """Release at the meeting through sharing's gate, all or nothing. A refusal is returned,
    not raised, so that the caller's transaction keeps its "disclosure refused" events and the
    caller raises once that transaction has ended."""
    try:
        disclosures = release_to_agencies(
            case=case,
            recipients=agencies,
            method=DisclosureMethod.MEETING,
            actor=actor,
            ip_address=ip_address,
            **terms,
        )
    except ReleaseRefused as refusal:
        return [], refusal
    return disclosures, None


def case_item_refused(refusal: ReleaseRefused, what: str) -> CaseItemRefused:
    names = ", ".join(str(agency) for agency, _ in refusal.refusals)
    return CaseItemRefused(
        f"{what}: not every agency is covered ({names})",
        [(agency, reason.message) for agency, reason in refusal.refusals],
        consent_lacking=[
            agency for agency, reason in refusal.refusals if reason.reason not in AGREEMENT_REASONS
        ],
    )


def add_case_item(
    *,
    meeting: Meeting,
    case,
    title: str = "",
    categories,
    purpose: str,
    content: str,
    record_of_decision: DecisionRecord,
    presenter=None,
    actor,
    ip_address: str | None = None,
) -> AgendaItem:
    """Put a case on the agenda: a disclosure to every agency attending, each through the
    consent gate. Every agency is checked before anything is written; if any is not covered
    the item is refused as a whole, naming each agency and why (CaseItemRefused), and each
    refusal is on record."""
    open_for_business(meeting)
    if not meeting.forum.discusses_cases:
        raise Refused(f"{meeting.forum} does not discuss individual cases, so it cannot list one")
    permissions.require_add_case_item(actor, meeting, case)
    title = _case_item_title(case, title)
    content = content.strip()
    if not content:
        raise Refused("Enter the summary shared with the agencies attending")
    categories = sorted(set(categories))
    record_of_decision = _check_release(categories, record_of_decision)
    with transaction.atomic():
        # Invitations change under the same lock, so the agencies checked are those disclosed to.
        meeting = locked(meeting)
        if meeting.agenda_items.filter(case=case).exists():
            raise Refused("This case is already on this meeting's agenda")
        agencies = _recipients(meeting, actor)

        def list_the_case() -> AgendaItem:
            item = append_agenda_item(
                meeting, title=title, description=content, presenter=presenter, case=case
            )
            record(
                verb=Verb.CREATED,
                actor=actor,
                target=item,
                detail={
                    "meeting_id": meeting.pk,
                    "case_id": case.pk,
                    "recipient_ids": [agency.pk for agency in agencies],
                },
                ip_address=ip_address,
            )
            return item

        _, refusal = release_at_meeting(
            case=case,
            agencies=agencies,
            purpose=purpose,
            categories=categories,
            content=content,
            record_of_decision=record_of_decision,
            source=list_the_case,
            actor=actor,
            ip_address=ip_address,
        )
    if refusal is not None:
        raise case_item_refused(refusal, "The case cannot be shared") from refusal
    return meeting.agenda_items.get(case=case)


def share_case_item(
    *,
    item: AgendaItem,
    purpose: str,
    categories,
    record_of_decision: DecisionRecord,
    actor,
    ip_address: str | None = None,
) -> list:
    """Share a listed case with the agencies attending that it was not disclosed to, through
    the same gate and all or nothing. What they are given is the item's summary, unchanged."""
    if item.case_id is None:
        raise Refused("Only a case item is shared")
    permissions.require_work_on_case_item(actor, item)
    meeting = item.meeting
    open_for_business(meeting)
    categories = sorted(set(categories))
    record_of_decision = _check_release(categories, record_of_decision)
    with transaction.atomic():
        locked(meeting)
        agencies = agencies_not_yet_covered(item, besides=actor.agency_id)
        if not agencies:
            raise Refused("Every agency attending has already been given this case")
        disclosures, refusal = release_at_meeting(
            case=item.case,
            agencies=agencies,
            purpose=purpose,
            categories=categories,
            content=item.description,
            record_of_decision=record_of_decision,
            source=item,
            actor=actor,
            ip_address=ip_address,
        )
    if refusal is not None:
        raise case_item_refused(refusal, "The case cannot be shared") from refusal
    return disclosures


def affirm_confidentiality(
    *, meeting: Meeting, actor, ip_address: str | None = None
) -> ConfidentialityAffirmation:
    """Record that this person affirmed the confidentiality statement for this meeting (once)."""
    permissions.require_see_meeting(actor, meeting)
    open_for_business(meeting)
    with transaction.atomic():
        affirmation, created = ConfidentialityAffirmation.objects.get_or_create(
            meeting=meeting, person=actor
        )
        if created:
            record(
                verb=Verb.CREATED,
                actor=actor,
                target=affirmation,
                detail={"meeting_id": meeting.pk},
                ip_address=ip_address,
            )
    return affirmation


def terms_of_listing(item: AgendaItem):
    """The purpose, categories and record of decision the case item was shared on at the
    meeting, or None if it reached no agency there."""
    listing = disclosures_from(AgendaItem, [item.pk]).order_by("disclosed_at", "pk").first()
    if listing is None:
        return None
    return {
        "purpose": listing.purpose,
        "categories": list(listing.categories),
        "record_of_decision": DecisionRecord(
            necessity=listing.necessity,
            lawful_basis=listing.lawful_basis,
            special_category_condition=listing.special_category_condition,
            person_told=listing.person_told,
            person_not_told_reason=listing.person_not_told_reason,
            decided_by=listing.decided_by,
            categories=tuple(listing.categories),
        ),
    }

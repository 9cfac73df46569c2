"""Actions agreed at meetings: given, reassigned, updated, closed and reviewed."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from audit.models import Verb
from audit.services import record
from meetings import notices, permissions
from meetings.models import Action, ActionStatus, ActionUpdate, AgendaItem, Meeting, MeetingStatus
from meetings.refusals import CaseItemRefused, Refused
from meetings.selectors import carried_over_actions
from meetings.services.case_items import case_item_refused, release_at_meeting, terms_of_listing
from meetings.services.minutes import storable
from sharing.selectors import source_of


def _give_case_work(*, item: AgendaItem, owner, agency, description: str, write, actor, ip_address):
    """Give the work of a case item to `owner`/`agency`: `write()` saves the action and returns
    it. Within the team (the actor's own agency) a named owner must be someone who may see the
    case. Another agency is given the action's text through sharing's gate, on the terms the
    case was shared on at the meeting; refused, nothing is written but the refusal events, and
    the refusal is returned for the caller to raise once its transaction has ended."""
    if agency is None or agency.pk == actor.agency_id:
        if owner is not None and not permissions.may_own_case_action(owner, item):
            raise Refused(
                f"{owner.full_name} may not see this case: give the action to someone who may"
            )
        return write(), None
    terms = terms_of_listing(item)
    if terms is None:
        raise CaseItemRefused(
            f"The action cannot be given to {agency}: the case was not shared at this meeting",
            [(agency, "The case was not shared with any agency at this meeting.")],
        )
    disclosures, refusal = release_at_meeting(
        case=item.case,
        agencies=[agency],
        content=description,
        source=write,
        actor=actor,
        ip_address=ip_address,
        **terms,
    )
    if refusal is not None:
        return None, refusal
    return source_of(disclosures[0], Action), None


def _check_owner(owner, owner_agency) -> None:
    if owner is None and owner_agency is None:
        raise Refused("Choose who owns the action: a person, an agency or both")
    if owner is not None and owner_agency is not None and owner.agency_id != owner_agency.pk:
        raise Refused(f"{owner.full_name} does not work for {owner_agency}")


def _check_owning_agency(meeting: Meeting, agenda_item: AgendaItem | None, owner_agency) -> None:
    """A MARAC's action plan for a case names the agency that owns each action: agencies, not
    individuals, answer for it at the next meeting."""
    if (
        owner_agency is None
        and agenda_item is not None
        and agenda_item.case_id is not None
        and meeting.forum.is_marac
    ):
        raise Refused(
            "Choose the agency that owns this action: each action in a MARAC action plan has one"
        )


def create_action(
    *,
    meeting: Meeting,
    description: str,
    due_on: date,
    owner=None,
    owner_agency=None,
    agenda_item: AgendaItem | None = None,
    actor,
    ip_address: str | None = None,
) -> Action:
    """An action from the meeting, perhaps from one of its agenda items. An action on a case
    item owned by another agency is a release of its text to that agency, through the gate:
    refused (CaseItemRefused naming the agency and why), no action is written."""
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise Refused("That agenda item belongs to another meeting")
    if agenda_item is not None:
        agenda_item.meeting = meeting
    permissions.require_give_action(actor, meeting, agenda_item)
    _check_owner(owner, owner_agency)
    if meeting.status == MeetingStatus.CANCELLED:
        raise Refused("This meeting is cancelled")
    owner_agency = owner_agency or (owner.agency if owner is not None else None)
    _check_owning_agency(meeting, agenda_item, owner_agency)

    def write() -> Action:
        action = Action.objects.create(
            meeting=meeting,
            agenda_item=agenda_item,
            description=description,
            owner=owner,
            owner_agency=owner_agency,
            due_on=due_on,
            created_by=actor,
        )
        record(
            verb=Verb.CREATED,
            actor=actor,
            target=action,
            detail={"meeting_id": meeting.pk},
            ip_address=ip_address,
        )
        notices.action_given(action, actor=actor)
        return action

    with transaction.atomic():
        if agenda_item is None or agenda_item.case_id is None:
            return write()
        action, refusal = _give_case_work(
            item=agenda_item,
            owner=owner,
            agency=owner_agency,
            description=description,
            write=write,
            actor=actor,
            ip_address=ip_address,
        )
    if refusal is not None:
        raise case_item_refused(refusal, "The action cannot be given") from refusal
    return action


def reassign_action(
    *, action: Action, owner=None, owner_agency=None, actor, ip_address: str | None = None
) -> Action:
    """Give an open action to someone else. An action on a case item going to an agency that
    does not hold it yet is a release of its text to that agency, through the gate: refused
    (CaseItemRefused naming the agency and why), the action keeps its owner."""
    action = Action.objects.select_related("meeting", "agenda_item", "owner_agency").get(
        pk=action.pk
    )
    permissions.require_give_action(actor, action.meeting, action.agenda_item)
    _check_owner(owner, owner_agency)
    if not action.is_open:
        raise Refused("This action is closed")
    owner_agency = owner_agency or (owner.agency if owner is not None else None)
    _check_owning_agency(action.meeting, action.agenda_item, owner_agency)
    before = {"owner_id": action.owner_id, "owner_agency_id": action.owner_agency_id}

    def write() -> Action:
        action.owner, action.owner_agency = owner, owner_agency
        action.save(update_fields=["owner", "owner_agency"])
        record(
            verb=Verb.CHANGED,
            actor=actor,
            target=action,
            changed_fields=["owner", "owner_agency"],
            detail={
                "from_owner_id": before["owner_id"],
                "from_owner_agency_id": before["owner_agency_id"],
                "owner_id": action.owner_id,
                "owner_agency_id": action.owner_agency_id,
            },
            ip_address=ip_address,
        )
        if action.owner_id != before["owner_id"]:
            notices.action_given(action, actor=actor)
        return action

    item = action.agenda_item
    with transaction.atomic():
        Action.objects.select_for_update().filter(pk=action.pk).get()
        same_agency = owner_agency is not None and owner_agency.pk == before["owner_agency_id"]
        if item is None or item.case_id is None or same_agency:
            return write()
        action, refusal = _give_case_work(
            item=item,
            owner=owner,
            agency=owner_agency,
            description=action.description,
            write=write,
            actor=actor,
            ip_address=ip_address,
        )
    if refusal is not None:
        raise case_item_refused(refusal, "The action cannot be given") from refusal
    return action


def _review_note(meeting: Meeting | None, note: str) -> str:
    if meeting is None:
        return note
    return f"Reviewed at the meeting of {timezone.localtime(meeting.start):%-d %B %Y}: {note}"


def update_action(
    *,
    action: Action,
    note: str,
    in_progress: bool,
    reviewed_at: Meeting | None = None,
    actor,
    ip_address: str | None = None,
) -> ActionUpdate:
    """A dated progress note; it may also mark an open action as in progress. `reviewed_at`
    names the later meeting of the forum where the note was made in its review."""
    permissions.require_write_on_action(actor, action)
    if not note.strip():
        raise Refused("Enter the update")
    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=action.pk)
        if not action.is_open:
            raise Refused("This action is closed")
        changed = []
        if in_progress and action.status == ActionStatus.OPEN:
            action.start_work()
            action.save(update_fields=["status"])
            changed = ["status"]
        update = ActionUpdate.objects.create(
            action=action,
            reviewed_at=reviewed_at,
            note=_review_note(reviewed_at, note.strip()),
            status_after=action.status,
            created_by=actor,
        )
        record(
            verb=Verb.STATUS_CHANGED if changed else Verb.CHANGED,
            actor=actor,
            target=action,
            changed_fields=[*changed, "updates"],
            detail=_action_detail(action, reviewed_at),
            ip_address=ip_address,
        )
    return update


def _action_detail(action: Action, reviewed_at: Meeting | None) -> dict:
    detail = {"status": action.status}
    if action.closure:
        detail["closure"] = action.closure
    if reviewed_at is not None:
        detail["reviewed_at_meeting_id"] = reviewed_at.pk
    return detail


def _closing_note(action: Action, reviewed_at: Meeting | None) -> str:
    reason = f". {action.closure_reason}" if action.closure_reason else ""
    if reviewed_at is None:
        return f"Closed: {action.get_closure_display()}{reason}"
    return _review_note(reviewed_at, f"closed as {action.get_closure_display().lower()}{reason}")


def close_action(
    *,
    action: Action,
    closure: str,
    reason: str,
    reviewed_at: Meeting | None = None,
    actor,
    ip_address: str | None = None,
) -> Action:
    """Close as done, not possible (change of circumstances) or not undertaken (with reason),
    perhaps in the review at a later meeting of the forum (`reviewed_at`)."""
    permissions.require_write_on_action(actor, action)
    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=action.pk)
        action.close(closure=closure, reason=reason, by=actor)
        action.save()
        ActionUpdate.objects.create(
            action=action,
            reviewed_at=reviewed_at,
            note=_closing_note(action, reviewed_at),
            status_after=action.status,
            created_by=actor,
        )
        record(
            verb=Verb.STATUS_CHANGED,
            actor=actor,
            target=action,
            changed_fields=["status", "closure", "closure_reason"],
            detail=_action_detail(action, reviewed_at),
            ip_address=ip_address,
        )
    return action


STILL_OPEN = "still_open"


def review_action(
    *,
    action: Action,
    meeting: Meeting,
    outcome: str,
    note: str = "",
    actor,
    ip_address: str | None = None,
) -> ActionUpdate:
    """Record how an action carried over from an earlier meeting of the forum stands at this
    one: still open (it carries over again), or closed as done, not possible (change of
    circumstances) or not undertaken by the agency (with the reason)."""
    permissions.require_review_actions(actor, meeting)
    permissions.require_write_on_action(actor, action)
    if meeting.status == MeetingStatus.CANCELLED:
        raise Refused("This meeting is cancelled")
    if not meeting.has_started():
        raise Refused("Carried-over actions are reviewed once the meeting has started")
    if not carried_over_actions(meeting).filter(pk=action.pk).exists():
        raise Refused("This action is not carried over to this meeting")
    note = storable(note).strip()
    if outcome == STILL_OPEN:
        return update_action(
            action=action,
            note="still open" + (f". {note}" if note else ""),
            in_progress=False,
            reviewed_at=meeting,
            actor=actor,
            ip_address=ip_address,
        )
    close_action(
        action=action,
        closure=outcome,
        reason=note,
        reviewed_at=meeting,
        actor=actor,
        ip_address=ip_address,
    )
    return action.updates.filter(reviewed_at=meeting).latest("created_at", "pk")

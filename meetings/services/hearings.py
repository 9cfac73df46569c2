"""What a MARAC decided about each case it heard: the outcome, the IDVA allocated and the
agency that referred the case."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from audit.models import Verb
from audit.services import record
from meetings import permissions
from meetings.models import AgendaItem, CaseHearing, HearingOutcome
from meetings.refusals import Refused
from meetings.services.agenda import open_for_business
from meetings.services.minutes import storable
from sharing.services import record_marac_hearing

_RECORDED_FIELDS = (
    "outcome",
    "notes",
    "referring_agency",
    "idva_allocated",
    "idva_agency",
    "idva_name",
)


def _tell_sharing_case_was_heard(item: AgendaItem, heard_on: date, actor) -> None:
    """The one place a hearing reaches sharing, whose repeat-referral rule counts from the
    last MARAC hearing for the same person (docs/decisions/0018)."""
    record_marac_hearing(case=item.case, heard_on=heard_on, actor=actor)


def _check_idva(idva_allocated: bool, idva_agency, idva_name: str) -> None:
    if idva_allocated and idva_agency is None:
        raise Refused("Choose the agency of the IDVA allocated")
    if not idva_allocated and (idva_agency is not None or idva_name):
        raise Refused("Name an IDVA only when one is allocated")


def record_hearing(
    *,
    item: AgendaItem,
    outcome: str,
    referring_agency,
    idva_allocated: bool,
    idva_agency=None,
    idva_name: str = "",
    notes: str = "",
    actor,
    ip_address: str | None = None,
) -> CaseHearing:
    """Record, or correct, the outcome of a case heard at a MARAC, its IDVA allocation and the
    agency that referred it. Only once the meeting has started, and only at a MARAC. When the
    case is first heard (any outcome but adjourned), sharing is told the date of the hearing."""
    if item.case_id is None:
        raise Refused("Only a case item has an outcome")
    permissions.require_record_hearing(actor, item)
    meeting = item.meeting
    if not meeting.forum.is_marac:
        raise Refused(f"{meeting.forum} is not a MARAC, so it records no outcome for a case")
    open_for_business(meeting)
    if not meeting.has_started():
        raise Refused("The outcome is recorded once the meeting has started")
    if outcome not in HearingOutcome.values:
        raise Refused("Choose the outcome for this case")
    if referring_agency is None:
        raise Refused("Choose the agency that referred the case")
    idva_name = " ".join(storable(idva_name).split())
    _check_idva(idva_allocated, idva_agency, idva_name)
    wanted = {
        "outcome": outcome,
        "notes": storable(notes).strip(),
        "referring_agency": referring_agency,
        "idva_allocated": idva_allocated,
        "idva_agency": idva_agency,
        "idva_name": idva_name,
    }
    with transaction.atomic():
        hearing = CaseHearing.objects.select_for_update().filter(agenda_item=item).first()
        heard_before = hearing is not None and hearing.was_heard
        if hearing is None:
            hearing = CaseHearing.objects.create(
                agenda_item=item, recorded_by=actor, recorded_at=timezone.now(), **wanted
            )
            verb, changed = Verb.CREATED, list(_RECORDED_FIELDS)
        else:
            changed = [name for name in _RECORDED_FIELDS if getattr(hearing, name) != wanted[name]]
            if not changed:
                return hearing
            for name in changed:
                setattr(hearing, name, wanted[name])
            hearing.recorded_by, hearing.recorded_at = actor, timezone.now()
            hearing.save()
            verb = Verb.CHANGED
        record(
            verb=verb,
            actor=actor,
            target=hearing,
            changed_fields=changed,
            detail={
                "meeting_id": meeting.pk,
                "agenda_item_id": item.pk,
                "outcome": hearing.outcome,
                "referring_agency_id": hearing.referring_agency_id,
                "idva_allocated": hearing.idva_allocated,
                "idva_agency_id": hearing.idva_agency_id,
            },
            ip_address=ip_address,
        )
        if hearing.was_heard and not heard_before:
            _tell_sharing_case_was_heard(
                item, heard_on=timezone.localdate(meeting.start), actor=actor
            )
    return hearing

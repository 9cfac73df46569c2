"""A meeting's agenda items and their papers."""

from django.db import transaction
from django.db.models import Max

from audit.models import Verb
from audit.services import record
from meetings import links, permissions
from meetings.models import AgendaItem, Meeting, MeetingStatus, Paper
from meetings.papers import check_paper
from meetings.refusals import Refused
from meetings.services.meetings import locked


def open_for_business(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise Refused("This meeting is cancelled")


def append_agenda_item(meeting: Meeting, **fields) -> AgendaItem:
    """A new item at the end of the agenda; the caller holds the meeting's lock."""
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
    return AgendaItem.objects.create(meeting=meeting, position=last + 1, **fields)


def add_agenda_item(
    *,
    meeting: Meeting,
    title: str,
    description: str = "",
    presenter=None,
    actor,
    ip_address: str | None = None,
) -> AgendaItem:
    permissions.require_manage_meetings(actor)
    open_for_business(meeting)
    with transaction.atomic():
        meeting = locked(meeting)
        item = append_agenda_item(
            meeting, title=title, description=description, presenter=presenter
        )
        record(
            verb=Verb.CREATED,
            actor=actor,
            target=item,
            detail={"meeting_id": meeting.pk},
            ip_address=ip_address,
        )
    return item


def change_agenda_item(
    *, item: AgendaItem, changed_fields, actor, ip_address: str | None = None
) -> AgendaItem:
    permissions.require_manage_meetings(actor)
    open_for_business(item.meeting)
    if item.case_id is not None:
        raise Refused("A case item cannot be changed: what it shared is on record")
    with transaction.atomic():
        item.save()
        record(
            verb=Verb.CHANGED,
            actor=actor,
            target=item,
            changed_fields=list(changed_fields),
            ip_address=ip_address,
        )
    return item


def move_agenda_item(
    *, item: AgendaItem, offset: int, actor, ip_address: str | None = None
) -> None:
    """Move an item up (-1) or down (+1) the agenda; the order is renumbered from 1."""
    permissions.require_manage_meetings(actor)
    with transaction.atomic():
        meeting = locked(item.meeting)
        items = list(meeting.agenda_items.order_by("position", "pk"))
        index = next(i for i, other in enumerate(items) if other.pk == item.pk)
        target = index + offset
        if not 0 <= target < len(items):
            return
        items[index], items[target] = items[target], items[index]
        for position, other in enumerate(items, start=1):
            other.position = position
        AgendaItem.objects.bulk_update(items, ["position"])
        record(
            verb=Verb.CHANGED,
            actor=actor,
            target=item,
            changed_fields=["position"],
            ip_address=ip_address,
        )


def add_paper(*, item: AgendaItem, uploaded, actor, ip_address: str | None = None) -> Paper:
    """Store a checked paper for an agenda item (PaperRefused says why one is refused)."""
    permissions.require_add_paper(actor, item)
    open_for_business(item.meeting)
    checked = check_paper(uploaded)
    paper = Paper(
        agenda_item=item,
        original_name=checked.original_name,
        content_type=checked.content_type,
        extension=checked.extension,
        size=checked.size,
        uploaded_by=actor,
    )
    with transaction.atomic():
        paper.file.save(checked.original_name, uploaded, save=False)
        try:
            paper.save()
            record(
                verb=Verb.CREATED,
                actor=actor,
                target=paper,
                detail={"agenda_item_id": item.pk, "content_type": checked.content_type},
                ip_address=ip_address,
            )
        except Exception:
            paper.file.delete(save=False)
            raise
    return paper


def record_paper_download(*, paper: Paper, actor, ip_address: str | None = None) -> None:
    permissions.require_download_paper(actor, paper.agenda_item)
    record(
        verb=Verb.DOWNLOADED,
        actor=actor,
        target=paper,
        detail={"agenda_item_id": paper.agenda_item_id},
        ip_address=ip_address,
    )


def paper_by_link(*, token: str, pk: int, ip_address: str | None = None) -> Paper | None:
    """A general paper of the meeting a contact's invitation link is for, its download on
    record; None for any other paper (a case item's among them). The link is the authority."""
    link = links.verify_invitation(token)
    paper = links.papers_shown_by_link(link).filter(pk=pk).first()
    if paper is None:
        return None
    record(
        verb=Verb.DOWNLOADED,
        actor=None,
        target=paper,
        detail={
            "agenda_item_id": paper.agenda_item_id,
            "contact_id": link.attendance.contact_id,
            "by_link": True,
        },
        ip_address=ip_address,
        actor_label=f"Directory contact {link.attendance.contact_id} by signed link",
    )
    return paper

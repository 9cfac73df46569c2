"""Minutes of a meeting: written as a general part and a part per case item, circulated with
each case part released through the consent gate, commented on, approved and corrected."""

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency
from audit.models import Verb
from audit.services import record
from meetings import links, notices, permissions
from meetings.models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesCasePart,
    MinutesComment,
    MinutesStatus,
)
from meetings.refusals import CaseItemRefused, Refused
from meetings.services.case_items import terms_of_listing
from meetings.services.meetings import locked
from sharing.models import DisclosureMethod
from sharing.selectors import recipients_by_source
from sharing.services import Release, ReleaseRefused, release_together


def current_minutes(meeting: Meeting) -> Minutes | None:
    return meeting.minutes_versions.order_by("-version").first()


def storable(text: str) -> str:
    # NUL cannot be stored in a PostgreSQL text column and never means anything in minutes;
    # the forms already refuse it, this covers every other caller.
    return text.replace("\x00", "")


def _case_parts_wanted(meeting: Meeting, case_parts) -> dict[int, str]:
    """The case parts asked for, by agenda item, each checked to be a case item of this
    meeting. A part left blank means nothing about that case is minuted (`_save_case_parts`
    removes it), so nothing about it is released."""
    if not case_parts:
        return {}
    items = set(meeting.agenda_items.filter(case__isnull=False).values_list("pk", flat=True))
    wanted = {}
    for item_pk, text in case_parts.items():
        if int(item_pk) not in items:
            raise Refused("Minute only the case items of this meeting")
        wanted[int(item_pk)] = storable(text).strip()
    return wanted


def _save_case_parts(minutes: Minutes, wanted: dict[int, str]) -> list[str]:
    """Write the case parts of a draft: a part with text is created or changed, a part left
    blank is removed. Returns the agenda items whose part changed, for the audit event."""
    existing = {part.agenda_item_id: part for part in minutes.case_parts.all()}
    changed = []
    for item_pk, text in wanted.items():
        part = existing.get(item_pk)
        if not text:
            if part is not None:
                part.delete()
                changed.append(item_pk)
        elif part is None:
            MinutesCasePart.objects.create(minutes=minutes, agenda_item_id=item_pk, body=text)
            changed.append(item_pk)
        elif part.body != text:
            part.body = text
            part.save(update_fields=["body"])
            changed.append(item_pk)
    return changed


def write_minutes(
    *,
    meeting: Meeting,
    body: str,
    actor,
    case_parts: dict[int, str] | None = None,
    ip_address: str | None = None,
) -> Minutes:
    """Start or revise the draft: its general part (`body`) and, for case items, a part each
    (`case_parts`, by agenda item; a case item left out keeps the part it has). Approved
    minutes are locked: correct them instead."""
    permissions.require_keep_minutes(actor, meeting)
    body = storable(body)
    if meeting.status == MeetingStatus.CANCELLED:
        raise Refused("This meeting was cancelled, so it has no minutes")
    if not meeting.has_started():
        raise Refused("Minutes can be written once the meeting has started")
    if not body.strip():
        raise Refused("Enter the minutes")
    wanted = _case_parts_wanted(meeting, case_parts)
    with transaction.atomic():
        meeting = locked(meeting)
        minutes = current_minutes(meeting)
        if minutes is None:
            minutes = Minutes.objects.create(meeting=meeting, body=body, created_by=actor)
            verb, changed = Verb.CREATED, []
        else:
            minutes.revise(body)
            minutes.save()
            verb, changed = Verb.CHANGED, ["body", "status"]
        parts_changed = _save_case_parts(minutes, wanted)
        record(
            verb=verb,
            actor=actor,
            target=minutes,
            changed_fields=changed,
            detail={
                "meeting_id": meeting.pk,
                "version": minutes.version,
                "case_parts_changed": parts_changed,
            },
            ip_address=ip_address,
        )
    return minutes


def _transition_minutes(minutes: Minutes, change, actor, ip_address) -> Minutes:
    permissions.require_keep_minutes(actor, minutes.meeting)
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
        change(minutes)
        minutes.save()
        record(
            verb=Verb.STATUS_CHANGED,
            actor=actor,
            target=minutes,
            changed_fields=["status"],
            detail={"status": minutes.status, "version": minutes.version},
            ip_address=ip_address,
        )
        notices.minutes_moved(minutes, actor=actor)
    return minutes


def _minutes_releases(minutes: Minutes) -> list[Release]:
    """What circulating this version releases: each case part to the agencies given its case
    item at the meeting, on the terms the case was shared on there. A general part written
    as one text with every case (`general_part_carries_cases`) goes as such minutes always
    went: each case, with that text, to the agencies given every case item of the meeting."""
    items = list(minutes.meeting.agenda_items.filter(case__isnull=False).select_related("case"))
    if not items:
        return []
    given = recipients_by_source(AgendaItem, [item.pk for item in items])
    agencies = Agency.objects.in_bulk(set().union(*given.values()))
    terms = {item.pk: terms_of_listing(item) for item in items if given[item.pk]}
    parts = {part.agenda_item_id: part for part in minutes.case_parts.all()}
    whole_readers = set.intersection(*given.values())

    def release(item, recipients, **own):
        listing = terms[item.pk]
        return Release(
            case=item.case,
            recipients=tuple(
                sorted((agencies[pk] for pk in recipients), key=lambda agency: agency.name)
            ),
            purpose=listing["purpose"],
            categories=tuple(listing["categories"]),
            record_of_decision=listing["record_of_decision"],
            **own,
        )

    releases = []
    for item in items:
        if minutes.general_part_carries_cases and whole_readers:
            releases.append(release(item, whole_readers))
        part = parts.get(item.pk)
        if part is not None and given[item.pk]:
            releases.append(release(item, given[item.pk], content=part.body, source=part))
    return releases


def circulate_minutes(*, minutes: Minutes, actor, ip_address: str | None = None) -> Minutes:
    """Send the minutes to those who read them. The general part goes to every attendee; each
    case part is a release through sharing's gate to the agencies given that case at the
    meeting, all or nothing: every part reaches each of its agencies, or, if any agency is no
    longer covered for its case, the minutes stay a draft and CaseItemRefused names each
    agency and case and why (each refusal on record)."""
    permissions.require_circulate_minutes(actor, minutes.meeting)
    releases = _minutes_releases(minutes)
    if not releases:
        with transaction.atomic():
            minutes = _transition_minutes(
                minutes, lambda m: m.circulate(by=actor), actor, ip_address
            )
            notices.minutes_to_contacts(minutes)
        return minutes
    circulated = []

    def circulate() -> Minutes:
        circulated.append(
            _transition_minutes(minutes, lambda m: m.circulate(by=actor), actor, ip_address)
        )
        return circulated[0]

    try:
        release_together(
            releases=releases,
            content=minutes.body,
            method=DisclosureMethod.MEETING,
            actor=actor,
            source=circulate,
            ip_address=ip_address,
        )
    except ReleaseRefused as refusal:
        raise _minutes_refused(refusal) from refusal
    notices.minutes_to_contacts(circulated[0])
    return circulated[0]


def _minutes_refused(refusal: ReleaseRefused) -> CaseItemRefused:
    names = ", ".join(
        f"{agency} for {case.reference}"
        for case, (agency, _) in zip(refusal.refused_cases, refusal.refusals, strict=True)
    )
    return CaseItemRefused(
        f"The minutes cannot be circulated: not every agency is still covered ({names}). "
        "They stay a draft; ask the Authority about consent for these agencies",
        [
            (agency, f"{case.reference}: {reason.message}")
            for case, (agency, reason) in zip(refusal.refused_cases, refusal.refusals, strict=True)
        ],
    )


def approve_minutes(*, minutes: Minutes, actor, ip_address: str | None = None) -> Minutes:
    def approve(locked_minutes: Minutes) -> None:
        # Read under the minutes' lock, so a comment cannot slip in between check and approval.
        waiting = locked_minutes.comments.filter(resolved_at__isnull=True).count()
        if waiting:
            raise Refused(
                f"Resolve the {waiting} comment{'s' if waiting != 1 else ''} on these minutes "
                "before approving them"
            )
        locked_minutes.approve(by=actor)

    return _transition_minutes(minutes, approve, actor, ip_address)


def comment_on_minutes(
    *, minutes: Minutes, text: str, actor, ip_address: str | None = None
) -> MinutesComment:
    """An attendee's comment on circulated minutes, while the comment window is open."""
    permissions.require_comment_on_minutes(actor, minutes.meeting)
    return _comment(minutes, text, author=actor, ip_address=ip_address)


def comment_by_link(*, token: str, text: str, ip_address: str | None = None) -> MinutesComment:
    """A directory contact's comment on circulated minutes, through the minutes link sent to
    them (meetings/links.py), which is the authority: it names the attendance, the address and
    the version, and lapses when the comment window closes. The contact comments on the general
    part only: the link page never shows minutes that carry case items."""
    link = links.verify_minutes(token)
    contact = link.attendance.contact
    return _comment(
        link.minutes,
        text,
        contact=contact,
        ip_address=ip_address,
        actor_label=f"Directory contact {contact.pk} by signed link",
    )


def _comment(
    minutes: Minutes,
    text: str,
    *,
    author=None,
    contact=None,
    ip_address: str | None,
    actor_label: str = "",
) -> MinutesComment:
    text = storable(text).strip()
    if not text:
        raise Refused("Enter your comment")
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if minutes.status == MinutesStatus.APPROVED:
            raise Refused("These minutes are approved, so they take no more comments")
        if minutes.status != MinutesStatus.CIRCULATED:
            raise Refused("Minutes take comments once they are circulated")
        if not minutes.takes_comments:
            closed = timezone.localtime(minutes.comments_close_at)
            raise Refused(f"Comments on these minutes closed on {closed:%-d %B %Y at %H:%M}")
        comment = MinutesComment.objects.create(
            minutes=minutes, author=author, contact=contact, text=text
        )
        detail = {"minutes_id": minutes.pk, "meeting_id": minutes.meeting_id}
        if contact is not None:
            detail.update(contact_id=contact.pk, by_link=True)
        record(
            verb=Verb.CREATED,
            actor=author,
            target=comment,
            detail=detail,
            ip_address=ip_address,
            actor_label=actor_label,
        )
        notices.minutes_commented(comment, actor=author)
    return comment


def resolve_minutes_comment(
    *, comment: MinutesComment, resolution: str, actor, ip_address: str | None = None
) -> MinutesComment:
    """Whoever keeps the minutes says how a comment was dealt with."""
    permissions.require_keep_minutes(actor, comment.minutes.meeting)
    with transaction.atomic():
        comment = (
            MinutesComment.objects.select_for_update().select_related("minutes").get(pk=comment.pk)
        )
        if comment.is_resolved:
            raise Refused("This comment is already resolved")
        if comment.minutes.status == MinutesStatus.APPROVED:
            raise Refused("These minutes are approved; record a correction instead")
        comment.resolution = resolution
        comment.resolved_by = actor
        comment.resolved_at = timezone.now()
        comment.save(update_fields=["resolution", "resolved_by", "resolved_at"])
        record(
            verb=Verb.CHANGED,
            actor=actor,
            target=comment,
            changed_fields=["resolution"],
            detail={"minutes_id": comment.minutes_id},
            ip_address=ip_address,
        )
    return comment


def correct_minutes(
    *,
    meeting: Meeting,
    body: str,
    reason: str,
    actor,
    case_parts: dict[int, str] | None = None,
    ip_address: str | None = None,
) -> Minutes:
    """A correction to approved minutes: a new draft version with its reason, carrying a copy
    of every case part of the approved version, changed where `case_parts` says; the approved
    version stays as it was."""
    permissions.require_keep_minutes(actor, meeting)
    body, reason = storable(body), storable(reason)
    if not reason.strip():
        raise Refused("Enter the reason for the correction")
    if not body.strip():
        raise Refused("Enter the corrected minutes")
    wanted = _case_parts_wanted(meeting, case_parts)
    with transaction.atomic():
        meeting = locked(meeting)
        latest = current_minutes(meeting)
        if latest is None or latest.status != MinutesStatus.APPROVED:
            raise Refused("Only approved minutes are corrected; change the draft instead")
        minutes = Minutes.objects.create(
            meeting=meeting,
            version=latest.version + 1,
            body=body,
            correction_reason=reason.strip(),
            general_part_carries_cases=latest.general_part_carries_cases,
            created_by=actor,
        )
        MinutesCasePart.objects.bulk_create(
            MinutesCasePart(minutes=minutes, agenda_item_id=part.agenda_item_id, body=part.body)
            for part in latest.case_parts.all()
        )
        parts_changed = _save_case_parts(minutes, wanted)
        record(
            verb=Verb.CREATED,
            actor=actor,
            target=minutes,
            detail={
                "meeting_id": meeting.pk,
                "version": minutes.version,
                "corrects": latest.pk,
                "case_parts_changed": parts_changed,
            },
            ip_address=ip_address,
        )
    return minutes

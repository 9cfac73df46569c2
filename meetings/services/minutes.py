"""Minutes of a meeting: written, circulated through the consent gate, approved and corrected."""

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


def write_minutes(*, meeting: Meeting, body: str, actor, ip_address: str | None = None) -> Minutes:
    """Start or revise the draft. Approved minutes are locked: correct them instead."""
    permissions.require_keep_minutes(actor, meeting)
    body = storable(body)
    if meeting.status == MeetingStatus.CANCELLED:
        raise Refused("This meeting was cancelled, so it has no minutes")
    if not meeting.has_started():
        raise Refused("Minutes can be written once the meeting has started")
    if not body.strip():
        raise Refused("Enter the minutes")
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
        record(
            verb=verb,
            actor=actor,
            target=minutes,
            changed_fields=changed,
            detail={"meeting_id": meeting.pk, "version": minutes.version},
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


def _minutes_releases(meeting: Meeting) -> list[Release]:
    """What circulating the minutes of a meeting that had case items releases: each case, on
    the terms it was shared on at the meeting, to every agency whose people read the minutes,
    that is the agencies given every case item of the meeting there."""
    items = list(meeting.agenda_items.filter(case__isnull=False).select_related("case"))
    if not items:
        return []
    given = recipients_by_source(AgendaItem, [item.pk for item in items])
    readers = set.intersection(*given.values())
    if not readers:
        return []
    recipients = tuple(Agency.objects.filter(pk__in=readers).order_by("name"))
    releases = []
    for item in items:
        terms = terms_of_listing(item)
        releases.append(
            Release(
                case=item.case,
                recipients=recipients,
                purpose=terms["purpose"],
                categories=tuple(terms["categories"]),
                record_of_decision=terms["record_of_decision"],
            )
        )
    return releases


def circulate_minutes(*, minutes: Minutes, actor, ip_address: str | None = None) -> Minutes:
    """Send the minutes to those who read them. Minutes of a meeting that had case items carry
    every case discussed, so circulating them is a release through sharing's gate, all or
    nothing: each agency given the cases at the meeting is given this version of the minutes,
    or, if any is no longer covered, the minutes stay a draft and CaseItemRefused names each
    agency and why (each refusal on record)."""
    permissions.require_circulate_minutes(actor, minutes.meeting)
    releases = _minutes_releases(minutes.meeting)
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
    *, meeting: Meeting, body: str, reason: str, actor, ip_address: str | None = None
) -> Minutes:
    """A correction to approved minutes: a new draft version with its reason; the approved
    version stays as it was."""
    permissions.require_keep_minutes(actor, meeting)
    body, reason = storable(body), storable(reason)
    if not reason.strip():
        raise Refused("Enter the reason for the correction")
    if not body.strip():
        raise Refused("Enter the corrected minutes")
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
            created_by=actor,
        )
        record(
            verb=Verb.CREATED,
            actor=actor,
            target=minutes,
            detail={"meeting_id": meeting.pk, "version": minutes.version, "corrects": latest.pk},
            ip_address=ip_address,
        )
    return minutes

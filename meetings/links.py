"""Signed links for directory contacts invited to a meeting, who may have no Partnerhub account:
the invitation link (answer, send a deputy, read the general agenda and papers) and the minutes
link (read circulated minutes and comment on them).

A link is signed with django.core.signing, not stored as a digest like sharing's SecureLink:
it goes out in calendar messages whose bodies are themselves stored (CalendarMessage), so a
stored digest would protect nothing the message rows do not already hold, and every update
must carry the same link without writing a row per message. The signature binds the link to one
attendance, one contact and the address it was sent to; each kind of link has its own salt, so
one cannot be passed off as the other. Expiry is read from the record when the link is used
(the meeting's end, or the close of the comment window), so a meeting moved later keeps its
links working and one moved earlier ends them sooner. Changing the contact's address, or
taking them off the meeting, ends their links at once.

What a link opens is narrower than a signed-in page: never a case item, its papers or the
minutes of a meeting that had case items.
"""

import hashlib
from dataclasses import dataclass

from django.core import signing
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem, Attendance, Minutes, MinutesStatus, Paper

INVITATION_SALT = "meetings.links.invitation"
MINUTES_SALT = "meetings.links.minutes"


class LinkRefused(Exception):
    """A link that does not open: `code` says why (altered, expired, other_address, withdrawn)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ContactLink:
    """A verified link: the attendance it is for, the contact it names and the address it was
    sent to, and for a minutes link, the version of the minutes."""

    attendance: Attendance
    email: str
    minutes: Minutes | None = None

    @property
    def contact(self):
        return self.attendance.contact


def _address(email: str) -> str:
    # The link names the address by its digest: a URL ends up in proxy logs and browser
    # history, where a person's e-mail address has no business being.
    return hashlib.sha256(email.lower().encode()).hexdigest()[:32]


def _payload(attendance: Attendance) -> dict:
    return {"a": attendance.pk, "c": attendance.contact_id, "e": _address(attendance.contact.email)}


def _sign(payload: dict, salt: str) -> str:
    # No timestamp: the same attendance always has the same link, so every update carries the
    # link the contact already has; expiry comes from the record instead.
    return signing.Signer(salt=salt).sign_object(payload, compress=True)


def invitation_token(attendance: Attendance) -> str:
    return _sign(_payload(attendance), INVITATION_SALT)


def minutes_token(attendance: Attendance, minutes: Minutes) -> str:
    return _sign({**_payload(attendance), "m": minutes.pk}, MINUTES_SALT)


def invitation_url(attendance: Attendance) -> str:
    return reverse("meetings:contact-invitation", args=[invitation_token(attendance)])


def minutes_url(attendance: Attendance, minutes: Minutes) -> str:
    return reverse("meetings:contact-minutes", args=[minutes_token(attendance, minutes)])


def _signed(token: str, salt: str) -> dict:
    try:
        payload = signing.Signer(salt=salt).unsign_object(token)
    except signing.BadSignature as error:
        raise LinkRefused(
            "altered", "This link is not one Partnerhub sent: check it was copied whole"
        ) from error
    if not isinstance(payload, dict) or not {"a", "c", "e"} <= payload.keys():
        raise LinkRefused("altered", "This link is not one Partnerhub sent")
    return payload


def _attendance(payload: dict) -> Attendance:
    attendance = (
        Attendance.objects.select_related(
            "meeting", "meeting__forum", "agency", "contact", "deputy_person"
        )
        .filter(pk=payload["a"])
        .first()
    )
    if (
        attendance is None
        or attendance.contact_id != payload["c"]
        or not attendance.contact.is_active
    ):
        raise LinkRefused(
            "withdrawn", "This invitation has been withdrawn: ask the organiser if in doubt"
        )
    if _address(attendance.contact.email) != payload["e"]:
        raise LinkRefused(
            "other_address",
            "This link was sent to another e-mail address: use the link in the latest message "
            "sent to you",
        )
    return attendance


def verify_invitation(token: str, *, now=None) -> ContactLink:
    """The invitation link, until the meeting ends."""
    payload = _signed(token, INVITATION_SALT)
    attendance = _attendance(payload)
    if attendance.meeting.end <= (now or timezone.now()):
        raise LinkRefused("expired", "This link has expired: the meeting has ended")
    return ContactLink(attendance=attendance, email=attendance.contact.email)


def verify_minutes(token: str, *, now=None) -> ContactLink:
    """The minutes link, while the version it was sent for takes comments."""
    payload = _signed(token, MINUTES_SALT)
    attendance = _attendance(payload)
    minutes = Minutes.objects.filter(pk=payload.get("m"), meeting=attendance.meeting_id).first()
    if minutes is None:
        raise LinkRefused("altered", "This link is not one Partnerhub sent")
    if minutes.status != MinutesStatus.CIRCULATED or minutes.comments_close_at is None:
        raise LinkRefused(
            "expired", "This link has expired: these minutes are no longer open for comments"
        )
    if minutes.comments_close_at <= (now or timezone.now()):
        raise LinkRefused("expired", "This link has expired: comments on these minutes closed")
    return ContactLink(attendance=attendance, email=attendance.contact.email, minutes=minutes)


# What a link shows: the one encoding -------------------------------------------------------


def agenda_shown_by_link(link: ContactLink) -> QuerySet[AgendaItem]:
    """The general items of the link's meeting, with their papers. A case item is never shown
    through a link, nor its existence: it reaches only people who may see it, signed in."""
    return (
        AgendaItem.objects.filter(meeting_id=link.attendance.meeting_id, case__isnull=True)
        .select_related("presenter")
        .prefetch_related(Prefetch("papers", queryset=Paper.objects.order_by("uploaded_at")))
        .order_by("position", "pk")
    )


def papers_shown_by_link(link: ContactLink) -> QuerySet[Paper]:
    return Paper.objects.filter(
        agenda_item__meeting_id=link.attendance.meeting_id, agenda_item__case__isnull=True
    )


def minutes_shown_by_link(link: ContactLink) -> bool:
    """Whether the link shows the minutes' text: only for a meeting that had no case items,
    since minutes of a case meeting carry every case discussed; those reach the contact's
    agency through its signed-in users and the consent gate."""
    return not AgendaItem.objects.filter(
        meeting_id=link.attendance.meeting_id, case__isnull=False
    ).exists()

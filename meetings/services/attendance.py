"""Who is invited to a meeting, their answers and deputies, and who came."""

from django.db import transaction
from django.utils import timezone

from audit.models import Verb
from audit.services import record
from meetings import links, permissions
from meetings.calendars import ics, invitations
from meetings.models import Attendance, Meeting, MeetingStatus, Response
from meetings.refusals import Refused
from meetings.services.meetings import bump_series, locked


def default_contact(agency):
    """Whom an agency's seat names when nobody is chosen: its single point of contact in the
    directory, if they have an e-mail address to be invited at (else the seat stays open)."""
    return (
        agency.contacts.filter(is_single_point_of_contact=True, is_active=True)
        .exclude(email="")
        .select_related("user")
        .order_by("pk")
        .first()
    )


def invite(
    *,
    meeting: Meeting,
    agency,
    person=None,
    contact=None,
    optional: bool = False,
    actor,
    ip_address: str | None = None,
) -> Attendance:
    """Invite a person in Partnerhub or a contact from the agency's directory entry, or give
    the agency a seat.

    Invitees come from the forum's member agencies; inviting someone from an agency with an
    open seat fills that seat. A contact is invited at their directory e-mail address (one
    without an address can be listed but not invited); a contact who has a Partnerhub account
    is invited as that person. Giving an agency a seat with nobody named names its single point
    of contact when they have an e-mail address and are not invited already
    (`default_contact`); otherwise the seat stays open for the agency to fill.
    """
    permissions.require_manage_meetings(actor)
    if person is not None and contact is not None:
        raise Refused("Choose a person or a contact, not both")
    if meeting.status == MeetingStatus.CANCELLED:
        raise Refused("This meeting is cancelled")
    if not meeting.forum.member_agencies.filter(pk=agency.pk).exists():
        raise Refused(f"{agency} is not a member agency of this forum: add it to the forum first")
    if person is None and contact is None:
        contact = default_contact(agency)
        if (
            contact is not None
            and Attendance.objects.filter(meeting=meeting, contact=contact).exists()
        ):
            contact = None
    if contact is not None:
        if contact.agency_id != agency.pk:
            raise Refused(f"{contact.full_name} is not a contact of {agency}")
        if not contact.is_active:
            raise Refused(f"{contact.full_name} is no longer an active contact of {agency}")
        if contact.user_id is not None and contact.user.is_active:
            person, contact = contact.user, None
        elif not contact.email:
            raise Refused(
                f"{contact.full_name} has no e-mail address in the directory, so they cannot be "
                "invited: add one to their directory entry first"
            )
    if person is not None and person.agency_id != agency.pk:
        raise Refused(f"{person.full_name} does not work for {agency}")
    with transaction.atomic():
        # Invitations to one meeting are changed one at a time: the meeting row is the lock.
        locked(meeting)
        invited_here = Attendance.objects.filter(meeting=meeting)
        if person is not None and invited_here.filter(person=person).exists():
            raise Refused(f"{person.full_name} is already invited")
        if contact is not None and invited_here.filter(contact=contact).exists():
            raise Refused(f"{contact.full_name} is already invited")
        open_seat = invited_here.filter(
            agency=agency, person__isnull=True, contact__isnull=True
        ).first()
        if person is None and contact is None and open_seat is not None:
            raise Refused(f"{agency} already has a seat at this meeting")
        if open_seat is not None:
            open_seat.person = person
            open_seat.contact = contact
            open_seat.is_optional = optional
            open_seat.save(update_fields=["person", "contact", "is_optional", "updated_at"])
            attendance, changed = open_seat, ["contact" if contact else "person", "is_optional"]
        else:
            attendance, changed = (
                Attendance.objects.create(
                    meeting=meeting,
                    agency=agency,
                    person=person,
                    contact=contact,
                    is_optional=optional,
                ),
                [],
            )
        detail = {"meeting_id": meeting.pk, "agency_id": agency.pk}
        if contact is not None:
            detail["contact_id"] = contact.pk
        record(
            verb=Verb.CHANGED if changed else Verb.CREATED,
            actor=actor,
            target=attendance,
            changed_fields=changed,
            detail=detail,
            ip_address=ip_address,
        )
        if person is not None:
            invitations.announce_meeting(meeting, only=[person.email])
        elif contact is not None:
            invitations.announce_meeting(meeting, only=[contact.email])
    return attendance


def _still_ahead(meeting: Meeting, what: str) -> None:
    if meeting.status != MeetingStatus.SCHEDULED:
        raise Refused(f"This meeting is {meeting.get_status_display().lower()}")
    if meeting.has_started():
        raise Refused(f"This meeting has started, so {what}")


def remove_invitation(*, attendance: Attendance, actor, ip_address: str | None = None) -> Meeting:
    """Take a person or a contact off one meeting. They alone are sent a CANCEL; their agency
    keeps a seat."""
    permissions.require_manage_meetings(actor)
    if attendance.is_seat:
        raise Refused("Nobody is named for this seat")
    with transaction.atomic():
        meeting = locked(attendance.meeting)
        _still_ahead(meeting, "invitations can no longer be withdrawn")
        attendance = Attendance.objects.select_related("person", "contact", "deputy_person").get(
            pk=attendance.pk
        )
        addresses = {attendance.invitee_email.lower(), attendance.deputy_address.lower()} - {""}
        loaded = (
            Meeting.objects.prefetch_related(invitations.invitation_attendances())
            .select_related("forum")
            .get(pk=meeting.pk)
        )
        leaving = [
            invitee
            for invitee in ics.meeting_invitees(loaded)
            if invitee.email.lower() in addresses
        ]
        person_id, contact_id = attendance.person_id, attendance.contact_id
        take_off_meeting(attendance)
        meeting.sequence += 1
        meeting.save(update_fields=["sequence", "updated_at"])
        if meeting.is_from_series:
            bump_series(meeting.forum)
        record(
            verb=Verb.CHANGED,
            actor=actor,
            target=meeting,
            changed_fields=["invitations"],
            detail={
                "removed_person_id": person_id,
                "removed_contact_id": contact_id,
                "sequence": meeting.sequence,
            },
            ip_address=ip_address,
        )
        invitations.withdraw_meeting(meeting, invitees=leaving)
    return meeting


def send_deputy(
    *,
    attendance: Attendance,
    deputy_person=None,
    deputy_name: str = "",
    deputy_email: str = "",
    actor,
    ip_address: str | None = None,
) -> Attendance:
    """An invitee's agency sends someone in their place: a person in Partnerhub, or anyone
    with an e-mail address. The deputy is sent the invitation (DELEGATED-FROM the invitee),
    and a deputy sent earlier is told they are no longer needed."""
    permissions.require_answer_for(actor, attendance)
    return _send_deputy(
        attendance,
        deputy_person=deputy_person,
        deputy_name=deputy_name,
        deputy_email=deputy_email,
        actor=actor,
        ip_address=ip_address,
    )


def _send_deputy(
    attendance: Attendance,
    *,
    deputy_person,
    deputy_name: str,
    deputy_email: str,
    actor,
    ip_address: str | None,
    actor_label: str = "",
    detail: dict | None = None,
) -> Attendance:
    if attendance.is_seat:
        raise Refused("Name who fills this seat instead of sending a deputy")
    if deputy_person is not None:
        deputy_name, deputy_email = deputy_person.full_name, ""
        address = deputy_person.email
    else:
        deputy_name, deputy_email = deputy_name.strip(), deputy_email.strip().lower()
        if not deputy_name or not deputy_email:
            raise Refused("Enter the deputy's name and e-mail address")
        address = deputy_email
    with transaction.atomic():
        meeting = locked(attendance.meeting)
        _still_ahead(meeting, "a deputy can no longer be sent")
        attendance = Attendance.objects.select_related("person", "contact", "deputy_person").get(
            pk=attendance.pk
        )
        invitee_email = attendance.invitee_email
        if address.lower() == invitee_email.lower():
            raise Refused("Choose someone other than the person invited")
        _refuse_deputy_already_invited(attendance, address)
        earlier = attendance.deputy_address
        earlier_line = ics.Invitee(attendance.deputy_name, earlier, delegated_from=invitee_email)
        attendance.deputy_person = deputy_person
        attendance.deputy_name = deputy_name
        attendance.deputy_email = deputy_email
        attendance.response = Response.DELEGATED
        attendance.full_clean(exclude=["meeting", "agency", "person", "contact"])
        attendance.save()
        record(
            verb=Verb.CHANGED,
            actor=actor,
            target=attendance,
            changed_fields=["deputy_name", "deputy_person", "deputy_email", "response"],
            detail={"meeting_id": meeting.pk, **(detail or {})},
            ip_address=ip_address,
            actor_label=actor_label,
        )
        if earlier and earlier.lower() != address.lower():
            invitations.withdraw_meeting(meeting, invitees=[earlier_line])
        invitations.announce_meeting(meeting, only=[address])
    return attendance


def _refuse_deputy_already_invited(attendance: Attendance, address: str) -> None:
    """A deputy stands in for someone absent: one already at the meeting (invited, or
    deputising for another invitee) cannot be sent as well."""
    others = (
        Attendance.objects.filter(meeting_id=attendance.meeting_id)
        .exclude(pk=attendance.pk)
        .select_related("person", "contact", "deputy_person")
    )
    for other in others:
        if address.lower() in {other.invitee_email.lower(), other.deputy_address.lower()}:
            raise Refused(
                f"{address} is already invited to this meeting: choose someone who is not"
            )


def respond(
    *, attendance: Attendance, response: str, actor, ip_address: str | None = None
) -> Attendance:
    """The invitee's answer (or a manager's record of it), while the meeting is still ahead."""
    permissions.require_answer_for(actor, attendance)
    return _respond(attendance, response, actor=actor, ip_address=ip_address)


def _respond(
    attendance: Attendance,
    response: str,
    *,
    actor,
    ip_address: str | None,
    actor_label: str = "",
    detail: dict | None = None,
) -> Attendance:
    meeting = attendance.meeting
    if meeting.status == MeetingStatus.CANCELLED:
        raise Refused("This meeting is cancelled")
    if meeting.end <= timezone.now():
        raise Refused("This meeting has ended: record who attended instead")
    if attendance.is_seat:
        raise Refused("Name who will fill this seat before recording a response")
    attendance.response = Response(response)
    with transaction.atomic():
        attendance.save(update_fields=["response", "updated_at"])
        record(
            verb=Verb.CHANGED,
            actor=actor,
            target=attendance,
            changed_fields=["response"],
            detail=detail,
            ip_address=ip_address,
            actor_label=actor_label,
        )
    return attendance


# Answers given through a contact's signed link ---------------------------------------------
# The link is the authority (meetings/links.py): it names one attendance and the address it
# was sent to, and lapses when the meeting ends. There is no signed-in actor, so the audit
# event names the contact and the link instead.

LINK_ANSWERS = (Response.ACCEPTED, Response.DECLINED)


def _link_actor(link: links.ContactLink) -> tuple[str, dict]:
    return (
        f"Directory contact {link.attendance.contact_id} by signed link",
        {"contact_id": link.attendance.contact_id, "by_link": True},
    )


def answer_by_link(*, token: str, response: str, ip_address: str | None = None) -> Attendance:
    """A directory contact accepts or declines through the invitation link sent to them."""
    link = links.verify_invitation(token)
    if response not in LINK_ANSWERS:
        raise Refused("Choose whether you will attend")
    label, detail = _link_actor(link)
    return _respond(
        link.attendance,
        response,
        actor=None,
        ip_address=ip_address,
        actor_label=label,
        detail=detail,
    )


def send_deputy_by_link(
    *, token: str, deputy_name: str, deputy_email: str, ip_address: str | None = None
) -> Attendance:
    """A directory contact names someone to attend in their place through their invitation
    link; the deputy is sent the invitation as any deputy is."""
    link = links.verify_invitation(token)
    label, detail = _link_actor(link)
    return _send_deputy(
        link.attendance,
        deputy_person=None,
        deputy_name=deputy_name,
        deputy_email=deputy_email,
        actor=None,
        ip_address=ip_address,
        actor_label=label,
        detail=detail,
    )


def record_attendance(
    *,
    meeting: Meeting,
    entries: list[tuple[Attendance, str, str, bool]],
    actor,
    ip_address: str | None = None,
) -> Meeting:
    """Record who attended, sent apologies or was absent (attendance, outcome, deputy,
    information sent in advance); recording attendance marks a scheduled meeting held."""
    permissions.require_manage_meetings(actor)
    with transaction.atomic():
        meeting = locked(meeting)
        if meeting.status == MeetingStatus.CANCELLED:
            raise Refused("This meeting was cancelled, so nobody attended it")
        if not meeting.has_started():
            raise Refused("Attendance can be recorded once the meeting has started")
        for attendance, outcome, deputy_name, sent_in_advance in entries:
            if attendance.meeting_id != meeting.pk:
                raise Refused("That invitation belongs to another meeting")
            attendance.outcome = outcome
            attendance.deputy_name = deputy_name.strip()
            if not attendance.deputy_name:
                attendance.deputy_email = ""
                attendance.deputy_person = None
            attendance.sent_information_in_advance = sent_in_advance
            attendance.clean()
            attendance.save(
                update_fields=[
                    "outcome",
                    "deputy_name",
                    "deputy_email",
                    "deputy_person",
                    "sent_information_in_advance",
                    "updated_at",
                ]
            )
        if meeting.status == MeetingStatus.SCHEDULED:
            meeting.mark_held()
            meeting.save(update_fields=["status", "updated_at"])
        record(
            verb=Verb.CHANGED,
            actor=actor,
            target=meeting,
            changed_fields=["attendance"],
            detail={"recorded": len(entries)},
            ip_address=ip_address,
        )
    return meeting


def take_off_meeting(attendance: Attendance) -> None:
    """Take a person off a meeting; their agency keeps a seat unless someone else from it is
    still invited."""
    others = Attendance.objects.filter(
        meeting_id=attendance.meeting_id, agency_id=attendance.agency_id
    ).exclude(pk=attendance.pk)
    if others.exists():
        attendance.delete()
        return
    attendance.person = None
    attendance.contact = None
    attendance.response = Response.INVITED
    attendance.is_optional = False
    attendance.deputy_name = ""
    attendance.deputy_email = ""
    attendance.deputy_person = None
    attendance.save()

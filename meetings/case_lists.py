"""The case list of a MARAC meeting, circulated for `circulate_case_lists`: a set number of
working days before each meeting (PARTNERHUB_MARAC_CASE_LIST_WORKING_DAYS), each attending
agency's invited people are sent the references of the cases on its agenda that were shared
with that agency through the gate, so they can research their records. References only, never
names. Each agency is sent it once per meeting (`CaseListCirculation`), so a rerun sends
nothing twice; an agency given no case yet is sent nothing until it is given one."""

import logging
import smtplib
from datetime import date, timedelta
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from audit.models import Verb
from audit.services import record
from core.working_days import working_days_before
from meetings import permissions
from meetings.models import MARAC, CaseListCirculation, Meeting, MeetingStatus, Response
from meetings.selectors import attending_agencies
from notifications.delivery import KIND_HEADER, absolute

KIND = "marac_case_list"

logger = logging.getLogger(__name__)


def circulation_day(meeting: Meeting) -> date:
    """The day a meeting's case list is due to go: that many working days before it."""
    return working_days_before(
        timezone.localdate(meeting.start), settings.PARTNERHUB_MARAC_CASE_LIST_WORKING_DAYS
    )


def meetings_due(now) -> list[Meeting]:
    """MARAC meetings still to come whose case list is due by today."""
    today = timezone.localdate(now)
    # A meeting N working days away is never more than 2N + 14 calendar days away, however the
    # weekends and bank holidays fall.
    horizon = today + timedelta(days=2 * settings.PARTNERHUB_MARAC_CASE_LIST_WORKING_DAYS + 14)
    upcoming = Meeting.objects.filter(
        forum__kind__code=MARAC,
        status=MeetingStatus.SCHEDULED,
        start__gt=now,
        start__date__lte=horizon,
    ).select_related("forum")
    return [meeting for meeting in upcoming if circulation_day(meeting) <= today]


def _addresses(attendances) -> list[str]:
    addresses = {}
    for attendance in attendances:
        if attendance.response == Response.DECLINED:
            continue
        person = attendance.person
        if person is not None and person.is_active and person.email:
            addresses[person.email.lower()] = formataddr((person.full_name, person.email))
        # A directory contact holds the agency's seat as its member: the references were
        # shared with their agency, so its list goes to them too.
        contact = attendance.contact
        if contact is not None and contact.is_active and contact.email:
            addresses[contact.email.lower()] = formataddr((contact.full_name, contact.email))
        if attendance.response == Response.DELEGATED and attendance.deputy_address:
            addresses[attendance.deputy_address.lower()] = formataddr(
                (attendance.deputy_name, attendance.deputy_address)
            )
    return [addresses[key] for key in sorted(addresses)]


def _message(meeting: Meeting, agency, references: list[str], to: list[str]) -> EmailMessage:
    local = timezone.localtime(meeting.start)
    body = render_to_string(
        "meetings/email/case_list.txt",
        {
            "forum_name": meeting.forum.name,
            "agency_name": agency.name,
            "when": f"{local:%A %-d %B %Y, %H:%M}",
            "references": references,
            "page": absolute(reverse("meetings:meeting-detail", args=[meeting.pk])),
        },
    )
    return EmailMessage(
        subject=f"Partnerhub: case list for {meeting.forum.name}, {local:%-d %B %Y}",
        body=body,
        to=to,
        headers={KIND_HEADER: KIND, "Auto-Submitted": "auto-generated"},
    )


def circulate_case_list(meeting: Meeting) -> int:
    """Send the meeting's case list to each attending agency not sent it yet: how many were
    sent."""
    attendances = list(
        meeting.attendances.select_related("agency", "person", "deputy_person", "contact")
    )
    sent = 0
    for agency in attending_agencies(attendances, besides=None):
        items = list(
            permissions.case_items_given_to_agency(agency)
            .filter(meeting=meeting)
            .select_related("case")
            .order_by("position", "pk")
        )
        to = _addresses(seat for seat in attendances if seat.agency_id == agency.pk)
        if not items or not to:
            continue
        references = [item.case.reference for item in items]
        try:
            with transaction.atomic():
                circulation = CaseListCirculation.objects.create(
                    meeting=meeting,
                    agency=agency,
                    case_count=len(items),
                    recipient_count=len(to),
                )
                record(
                    verb=Verb.CREATED,
                    target=circulation,
                    actor_label="circulate_case_lists",
                    detail={
                        "meeting_id": meeting.pk,
                        "agency_id": agency.pk,
                        "agenda_item_ids": [item.pk for item in items],
                    },
                )
                # Sent before the record commits: a mail server that refuses it rolls the record
                # back, so the next run sends it again rather than never. A second copy of the
                # timer running at the same moment waits on the unique constraint, then skips.
                _message(meeting, agency, references, to).send()
        except IntegrityError:
            continue
        except (OSError, smtplib.SMTPException):
            logger.exception(
                "Case list for meeting %s to agency %s not sent", meeting.pk, agency.pk
            )
            continue
        sent += 1
    return sent


def circulate_case_lists(now=None) -> int:
    now = now or timezone.now()
    return sum(circulate_case_list(meeting) for meeting in meetings_due(now))

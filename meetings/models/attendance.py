"""Who is invited to a meeting, for which agency, who answered and who came."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from meetings.models.meetings import Meeting


class Response(models.TextChoices):
    INVITED = "invited", "Invited"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    TENTATIVE = "tentative", "Tentative"
    DELEGATED = "delegated", "Sending a deputy"


class Outcome(models.TextChoices):
    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


class Attendance(models.Model):
    """One invitation to a meeting: a named person, a directory contact of the agency (who need
    not use Partnerhub, and answers through a signed link: meetings/links.py), or an agency's
    seat still to be filled.

    Attendance is recorded by agency seat, as at a MARAC: the person came, a deputy came for
    them, they sent apologies (perhaps with their information in advance), or nobody came.
    A deputy named before the meeting (a person in Partnerhub or anyone with an e-mail
    address) is sent the calendar invitation in the invitee's place.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="meeting_attendances"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_attendances",
    )
    contact = models.ForeignKey(
        "agencies.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_attendances",
    )
    response = models.CharField(max_length=16, choices=Response.choices, default=Response.INVITED)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    is_optional = models.BooleanField("attendance is optional", default=False)
    deputy_name = models.CharField(
        "deputy", max_length=150, blank=True, help_text="Who attended in their place."
    )
    deputy_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_deputyships",
    )
    deputy_email = models.EmailField("deputy's e-mail address", blank=True)
    sent_information_in_advance = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency__name", "person__full_name"]
        indexes = [
            models.Index(fields=["agency", "meeting"]),
            # Who attended each meeting, read from the index alone: the partnership report asks
            # it of every meeting held in a year, to tell whether each was quorate.
            models.Index(
                fields=["meeting", "agency"],
                condition=Q(outcome=Outcome.ATTENDED),
                name="attendance_attended_seats",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="attendance_one_invitation_per_person",
            ),
            models.UniqueConstraint(
                fields=["meeting", "contact"],
                condition=Q(contact__isnull=False),
                name="attendance_one_invitation_per_contact",
            ),
            models.UniqueConstraint(
                fields=["meeting", "agency"],
                condition=Q(person__isnull=True, contact__isnull=True),
                name="attendance_one_open_seat_per_agency",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=True) | Q(contact__isnull=True),
                name="attendance_names_a_person_or_a_contact",
            ),
            # A deputy is named before the meeting (no outcome yet) or as having attended.
            models.CheckConstraint(
                condition=Q(deputy_name="") | Q(outcome__in=["", Outcome.ATTENDED]),
                name="attendance_deputy_only_when_attending",
            ),
            models.CheckConstraint(
                condition=(Q(deputy_email="") & Q(deputy_person__isnull=True)) | ~Q(deputy_name=""),
                name="attendance_deputy_address_has_a_name",
            ),
            models.CheckConstraint(
                condition=Q(sent_information_in_advance=False) | Q(outcome=Outcome.APOLOGIES),
                name="attendance_information_in_advance_only_with_apologies",
            ),
        ]

    def __str__(self):
        who = self.invitee_name or f"{self.agency} seat"
        return f"{who} at {self.meeting}"

    @property
    def is_seat(self) -> bool:
        """Nobody named yet: neither a person in Partnerhub nor a directory contact."""
        return self.person_id is None and self.contact_id is None

    @property
    def invitee_name(self) -> str:
        if self.person_id:
            return self.person.full_name
        if self.contact_id:
            return self.contact.full_name
        return ""

    @property
    def invitee_email(self) -> str:
        """Where the invitee's calendar messages go: their Partnerhub address, or the address
        the directory holds for the contact."""
        if self.person_id:
            return self.person.email
        if self.contact_id:
            return self.contact.email
        return ""

    @property
    def deputy_address(self) -> str:
        """Where the deputy's invitation goes: their Partnerhub address or the one given."""
        if self.deputy_person_id:
            return self.deputy_person.email
        return self.deputy_email

    def clean(self):
        if self.deputy_name and self.outcome not in ("", Outcome.ATTENDED):
            raise ValidationError({"deputy_name": "A deputy can be named only when they attended"})
        if self.sent_information_in_advance and self.outcome != Outcome.APOLOGIES:
            raise ValidationError(
                {
                    "sent_information_in_advance": (
                        "Information in advance goes with apologies: choose apologies first"
                    )
                }
            )

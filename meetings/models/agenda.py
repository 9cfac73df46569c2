"""A meeting's agenda: its items (a case item among them), their papers, and the
confidentiality statement people affirm before case items are shown."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from meetings.models.meetings import Meeting


def _paper_path(instance, filename):
    # Never the uploader's file name: it could carry a path or a name that identifies someone.
    return f"meetings/papers/{uuid.uuid4().hex}{instance.extension}"


class AgendaItem(models.Model):
    """One item on a meeting's agenda.

    A case item links a case: listing it disclosed the case to every agency attending, through
    the consent gate (`meetings.services.add_case_item`). Its title is the case reference, never
    the person's name, and its description is the summary released; both are shown only to
    the people `meetings.permissions.case_items_shown` allows.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Markdown.")
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items_presented",
    )
    case = models.ForeignKey(
        "sharing.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )

    class Meta:
        ordering = ["meeting", "position", "pk"]
        permissions = [("add_case_item", "Can put a case on a meeting's agenda")]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "case"],
                condition=Q(case__isnull=False),
                name="agenda_item_one_listing_per_case",
            ),
        ]

    def __str__(self):
        # Labels reach forms, the admin and the audit log: a case item never names its case there.
        if self.case_id:
            return f"{self.position}. Case item"
        return f"{self.position}. {self.title}"

    @property
    def audit_label(self) -> str:
        return f"Agenda item {self.pk} at meeting {self.meeting_id}"

    @property
    def is_case_item(self) -> bool:
        return self.case_id is not None


CONFIDENTIALITY_STATEMENT = (
    "The information discussed at this meeting is confidential. It is shared only to protect "
    "the people discussed, and I will use it only for that purpose. I will not share it with "
    "anyone outside this meeting except as my agency's information sharing agreement and the "
    "law allow, and I will keep any notes I take secure."
)


class ConfidentialityAffirmation(models.Model):
    """A person's affirmation of the confidentiality statement at one meeting.

    As at a MARAC, everyone affirms at every meeting; case items stay hidden from a person on
    screen until they have.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="affirmations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="confidentiality_affirmations",
    )
    affirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "affirmed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="affirmation_one_per_person_per_meeting"
            ),
        ]

    def __str__(self):
        return f"{self.person} affirmed confidentiality at {self.meeting}"


class Paper(models.Model):
    """A paper for an agenda item, stored through Django's storage API."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    file = models.FileField(upload_to=_paper_path, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    @property
    def audit_label(self) -> str:
        return f"Paper {self.pk} on agenda item {self.agenda_item_id}"

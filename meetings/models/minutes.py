"""Minutes of a meeting, written, circulated, approved and corrected as versions."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from meetings.models.meetings import Meeting
from meetings.refusals import Refused


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CIRCULATED = "circulated", "Circulated"
    APPROVED = "approved", "Approved"


class Minutes(models.Model):
    """One version of a meeting's minutes, written in Markdown: a general part (`body`), which
    every attendee reads, and one case part (`MinutesCasePart`) for each case item discussed,
    which reaches only the agencies given that case.

    Approved minutes are locked (the database refuses to change or remove them or their case
    parts); a correction is a new version carrying its reason and a copy of every part, and
    every earlier version is kept.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes_versions")
    version = models.PositiveSmallIntegerField(default=1)
    body = models.TextField()
    # Minutes written before they had case parts were one text carrying every case discussed.
    # Where the meeting had case items, that text is now the general part but is read only as
    # the whole minutes were (`meetings.permissions.minutes_versions_readable_by`); corrections
    # of it keep the mark, since they start from the same text.
    general_part_carries_cases = models.BooleanField(default=False)
    status = models.CharField(
        max_length=16, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    correction_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    circulated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    circulated_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # Circulating opens a window for attendees' comments; the chair resolves each before approving.
    comments_close_at = models.DateTimeField("comments close", null=True, blank=True)

    class Meta:
        verbose_name_plural = "minutes"
        ordering = ["meeting", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="minutes_one_per_version"),
            models.CheckConstraint(
                condition=~Q(status=MinutesStatus.APPROVED)
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="minutes_approval_names_who_and_when",
            ),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(correction_reason=""),
                name="minutes_correction_has_a_reason",
            ),
        ]

    def __str__(self):
        return f"Minutes of {self.meeting}, version {self.version}"

    @property
    def audit_label(self) -> str:
        return f"Minutes of meeting {self.meeting_id}, version {self.version}"

    @property
    def is_locked(self) -> bool:
        return self.status == MinutesStatus.APPROVED

    def revise(self, body: str) -> None:
        """Change the general part (the case parts are changed alongside, by the service); any
        change returns the minutes to draft."""
        if self.is_locked:
            raise Refused("Approved minutes are locked: record a correction instead")
        self.body = body
        # What was circulated must be what people approve, so a change calls for re-circulating.
        self.status = MinutesStatus.DRAFT
        self.circulated_by = None
        self.circulated_at = None

    def circulate(self, *, by, now=None) -> None:
        if self.status != MinutesStatus.DRAFT:
            raise Refused("Only draft minutes can be circulated")
        self.status = MinutesStatus.CIRCULATED
        self.circulated_by = by
        self.circulated_at = now or timezone.now()
        self.comments_close_at = self.circulated_at + timedelta(
            days=settings.PARTNERHUB_MINUTES_COMMENT_DAYS
        )

    @property
    def takes_comments(self) -> bool:
        return (
            self.status == MinutesStatus.CIRCULATED
            and self.comments_close_at is not None
            and timezone.now() < self.comments_close_at
        )

    def approve(self, *, by, now=None) -> None:
        if self.status != MinutesStatus.CIRCULATED:
            raise Refused("Minutes must be circulated before they are approved")
        self.status = MinutesStatus.APPROVED
        self.approved_by = by
        self.approved_at = now or timezone.now()


class MinutesCasePart(models.Model):
    """What a version of the minutes says about one case item.

    A row per case item rather than headed sections inside one text: each part is released
    through the consent gate on its own (a `Disclosure` names the part as its source), so who
    reads it is a join on that disclosure, and no one's reading depends on parsing headings the
    writer might mistype. A part belongs to its version and locks with it.
    """

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="case_parts")
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem", on_delete=models.PROTECT, related_name="minutes_parts"
    )
    body = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "agenda_item"], name="minutes_one_part_per_case_item"
            ),
        ]

    def __str__(self):
        return f"Part of {self.minutes} on agenda item {self.agenda_item_id}"

    @property
    def audit_label(self) -> str:
        return f"Case part of {self.minutes.audit_label}, agenda item {self.agenda_item_id}"


class MinutesComment(models.Model):
    """An attendee's comment on circulated minutes, and how the chair resolved it. Minutes are
    approved only once every comment on that version is resolved. The author is a person in
    Partnerhub, or a directory contact invited to the meeting who wrote through their link."""

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact = models.ForeignKey(
        "agencies.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField()
    written_at = models.DateTimeField(default=timezone.now)
    resolution = models.TextField("how it was resolved", blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["written_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, resolved_by__isnull=True, resolution="")
                | (Q(resolved_at__isnull=False, resolved_by__isnull=False) & ~Q(resolution="")),
                name="minutes_comment_resolution_is_complete",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="minutes_comment_has_text"),
            models.CheckConstraint(
                condition=Q(author__isnull=False, contact__isnull=True)
                | Q(author__isnull=True, contact__isnull=False),
                name="minutes_comment_has_one_author",
            ),
        ]

    def __str__(self):
        return f"Comment {self.pk} on {self.minutes}"

    @property
    def audit_label(self) -> str:
        return f"Comment on minutes of meeting {self.minutes.meeting_id}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def author_name(self) -> str:
        return self.author.full_name if self.author_id else self.contact.full_name

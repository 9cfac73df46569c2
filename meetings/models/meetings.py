"""Meetings of a forum, one-off or generated from its schedule."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from meetings.models.forums import PLAIN_URL, Forum
from meetings.refusals import Refused


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(models.Model):
    """One meeting of a forum, either on its own or one occurrence of the forum's schedule."""

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="meetings")
    # Calendar identity is the primary key and the site's domain (calendars/ics.py); the
    # SEQUENCE rises with every change that matters to an invitation and never goes down.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    title = models.CharField(max_length=200, blank=True)
    start = models.DateTimeField()
    end = models.DateTimeField()
    original_start = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="The occurrence of the forum's schedule this meeting was generated for.",
    )
    location = models.CharField(max_length=255, blank=True)
    online_url = models.URLField(
        "online joining link", max_length=500, blank=True, validators=[PLAIN_URL]
    )
    status = models.CharField(
        max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    cancellation_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["forum", "start"]), models.Index(fields=["start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(location="") | ~Q(online_url=""), name="meeting_has_a_place"
            ),
            # Generating the same period twice finds the occurrence already there.
            models.UniqueConstraint(
                fields=["forum", "original_start"],
                condition=Q(original_start__isnull=False),
                name="meeting_one_per_occurrence",
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.start)
        return f"{self.display_title}, {local:%-d %B %Y %H:%M}"

    @property
    def display_title(self) -> str:
        return self.title or self.forum.name

    @property
    def audit_label(self) -> str:
        # The forum and the date, never the meeting's own title: a title is free text.
        return f"{self.forum.name}, {timezone.localtime(self.start):%-d %B %Y}"

    @property
    def is_from_series(self) -> bool:
        return self.original_start is not None

    @property
    def is_moved(self) -> bool:
        return self.original_start is not None and self.original_start != self.start

    def has_started(self, now=None) -> bool:
        return self.start <= (now or timezone.now())

    def cancel(self, reason: str = "") -> None:
        if self.status == MeetingStatus.CANCELLED:
            raise Refused("This meeting is already cancelled")
        if self.status == MeetingStatus.HELD:
            raise Refused("This meeting has been held, so it cannot be cancelled")
        self.status = MeetingStatus.CANCELLED
        self.cancellation_reason = reason
        self.sequence += 1

    def mark_held(self, now=None) -> None:
        if self.status != MeetingStatus.SCHEDULED:
            raise Refused(f"A {self.get_status_display().lower()} meeting cannot be marked held")
        if not self.has_started(now):
            raise Refused("A meeting can be marked held only once it has started")
        self.status = MeetingStatus.HELD

    def move(
        self, *, start, end, location: str, online_url: str, title: str | None = None
    ) -> list[str]:
        """Change time, place or title; returns the names of the fields that changed."""
        if self.status != MeetingStatus.SCHEDULED:
            raise Refused(f"A {self.get_status_display().lower()} meeting cannot be changed")
        if end <= start:
            raise Refused("The meeting must end after it starts")
        if not location and not online_url:
            raise Refused("Enter a place or an online joining link")
        wanted = {"start": start, "end": end, "location": location, "online_url": online_url}
        if title is not None:
            wanted["title"] = title
        changed = [name for name, value in wanted.items() if getattr(self, name) != value]
        for name in changed:
            setattr(self, name, wanted[name])
        if changed:
            self.sequence += 1
        return changed

"""Actions agreed at meetings, who owns them, and their updates and reviews."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from meetings.models.agenda import AgendaItem
from meetings.models.meetings import Meeting
from meetings.refusals import Refused


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class Closure(models.TextChoices):
    """How an action ended, in the words MARAC action tracking uses."""

    DONE = "done", "Done"
    NOT_POSSIBLE = "not_possible", "Not possible – change of circumstances"
    NOT_UNDERTAKEN = "not_undertaken", "Not undertaken by the agency"


class ActionQuerySet(models.QuerySet):
    def still_open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: date | None = None):
        return self.still_open().filter(due_on__lt=today or timezone.localdate())


class Action(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_actions",
    )
    owner_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_actions",
    )
    due_on = models.DateField("due date")
    status = models.CharField(
        max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closure = models.CharField(max_length=16, choices=Closure.choices, blank=True)
    closure_reason = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | Q(owner_agency__isnull=False),
                name="action_has_an_owner",
            ),
            models.CheckConstraint(
                condition=(Q(status__in=OPEN_STATUSES) & Q(closure=""))
                | (Q(status=ActionStatus.DONE) & Q(closure=Closure.DONE))
                | (
                    Q(status=ActionStatus.CANCELLED)
                    & Q(closure__in=[Closure.NOT_POSSIBLE, Closure.NOT_UNDERTAKEN])
                ),
                name="action_closure_matches_status",
            ),
            models.CheckConstraint(
                condition=~Q(closure=Closure.NOT_UNDERTAKEN) | ~Q(closure_reason=""),
                name="action_not_undertaken_has_a_reason",
            ),
        ]

    def __str__(self):
        return self.description[:80]

    @property
    def audit_label(self) -> str:
        return f"Action {self.pk} at meeting {self.meeting_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())

    def start_work(self) -> None:
        if self.status != ActionStatus.OPEN:
            raise Refused("Only an open action can be marked in progress")
        self.status = ActionStatus.IN_PROGRESS

    def close(self, *, closure: str, reason: str, by, now=None) -> None:
        if not self.is_open:
            raise Refused("This action is already closed")
        closure = Closure(closure)
        if closure == Closure.NOT_UNDERTAKEN and not reason.strip():
            raise Refused("Enter why the agency did not undertake the action")
        self.status = ActionStatus.DONE if closure == Closure.DONE else ActionStatus.CANCELLED
        self.closure = closure
        self.closure_reason = reason.strip()
        self.closed_by = by
        self.closed_at = now or timezone.now()


class ActionUpdate(models.Model):
    """A dated note on an action's progress, kept in order.

    An update made at a later meeting of the forum, where carried-over actions are reviewed,
    names that meeting, so its page shows how each carried-over action stood there.
    """

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    reviewed_at = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_reviews",
        help_text="The meeting at which the action was reviewed, for a review.",
    )
    note = models.TextField()
    status_after = models.CharField(max_length=16, choices=ActionStatus.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["action", "created_at", "pk"]

    def __str__(self):
        return f"Update on action {self.action_id} at {self.created_at:%Y-%m-%d}"

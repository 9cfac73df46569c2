"""MARAC, as SafeLives describes it: the outcome of each case heard, with its IDVA allocation
and the agency that referred it, and the case list circulated to each agency ahead of a
meeting."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from meetings.models.agenda import AgendaItem
from meetings.models.meetings import Meeting


class HearingOutcome(models.TextChoices):
    ACTION_PLAN_AGREED = "action_plan_agreed", "Action plan agreed"
    NO_FURTHER_ACTION = "no_further_action", "No further multi-agency action"
    TRANSFERRED = "transferred", "Referred to another MARAC (transfer)"
    ADJOURNED = "adjourned", "Adjourned to the next meeting"


# An adjourned case was listed but not heard: it does not count as a MARAC hearing for the
# repeat rule until a later meeting hears it.
HEARD_OUTCOMES = (
    HearingOutcome.ACTION_PLAN_AGREED,
    HearingOutcome.NO_FURTHER_ACTION,
    HearingOutcome.TRANSFERRED,
)


class CaseHearing(models.Model):
    """What a MARAC decided about one case on its agenda: the outcome, whether an independent
    domestic violence adviser (IDVA) is allocated and who, and the agency that referred the
    case. Shown only to those shown the case item (`meetings.permissions.case_items_shown_to`):
    the notes and the IDVA are part of the case's record."""

    agenda_item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="hearing")
    outcome = models.CharField(max_length=24, choices=HearingOutcome.choices)
    notes = models.TextField(blank=True)
    referring_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="marac_hearings_referred",
        help_text="The agency that referred the case to the MARAC.",
    )
    idva_allocated = models.BooleanField("an IDVA is allocated")
    idva_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="marac_hearings_with_idva",
        verbose_name="the IDVA's agency",
    )
    idva_name = models.CharField("the IDVA's name", max_length=150, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(idva_allocated=True, idva_agency__isnull=False)
                | Q(idva_allocated=False, idva_agency__isnull=True, idva_name=""),
                name="case_hearing_idva_named_only_when_allocated",
            ),
        ]

    def __str__(self):
        return f"Outcome of agenda item {self.agenda_item_id}: {self.get_outcome_display()}"

    @property
    def audit_label(self) -> str:
        return f"Outcome of agenda item {self.agenda_item_id}"

    @property
    def was_heard(self) -> bool:
        return self.outcome in HEARD_OUTCOMES


class CaseListCirculation(models.Model):
    """That a MARAC meeting's case list went to one agency: once per meeting and agency, so a
    timer run again sends nothing twice. Which cases it named is in the audit event."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="case_list_circulations"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    case_count = models.PositiveSmallIntegerField()
    recipient_count = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["meeting", "sent_at", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "agency"], name="case_list_circulated_once_per_agency"
            ),
        ]

    def __str__(self):
        return f"Case list for {self.meeting} sent to {self.agency}"

    @property
    def audit_label(self) -> str:
        return f"Case list for meeting {self.meeting_id} sent to agency {self.agency_id}"

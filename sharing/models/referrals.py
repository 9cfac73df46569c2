"""Referrals: a case referred to an agency, its lifecycle one step at a time, and its history.

Sending a referral releases information about the person, so it happens only in
`sharing.services.send_referral`, behind the consent gate.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from agencies.models import Agency, ReferralRoute
from sharing.models.cases import Case, ReferralKind, VulnerabilityIndicator


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    CLOSED = "closed", "Closed"


# The lifecycle, one step at a time: draft → sent → acknowledged → an outcome → closed.
REFERRAL_TRANSITIONS: dict[str, set[str]] = {
    ReferralStatus.DRAFT: {ReferralStatus.SENT},
    ReferralStatus.SENT: {ReferralStatus.ACKNOWLEDGED},
    ReferralStatus.ACKNOWLEDGED: {
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
        ReferralStatus.NO_FURTHER_ACTION,
    },
    ReferralStatus.ACCEPTED: {ReferralStatus.CLOSED},
    ReferralStatus.DECLINED: {ReferralStatus.CLOSED},
    ReferralStatus.NO_FURTHER_ACTION: {ReferralStatus.CLOSED},
    ReferralStatus.CLOSED: set(),
}
REFERRAL_OUTCOMES = {
    ReferralStatus.ACCEPTED,
    ReferralStatus.DECLINED,
    ReferralStatus.NO_FURTHER_ACTION,
}


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    URGENT = "urgent", "Urgent (within 24 hours)"
    IMMEDIATE = "immediate", "Immediate risk to life"


# MARAC, as SafeLives describes it: the DASH risk identification checklist has 24 questions, and
# 14 or more answered "yes" is visible high risk.
MARAC_KIND = "marac"
DASH_HIGHEST_SCORE = 24
DASH_HIGH_RISK_SCORE = 14


class EscalationCriterion(models.TextChoices):
    """The SafeLives criteria on which a case is referred to MARAC."""

    VISIBLE_HIGH_RISK = "visible_high_risk", "Visible high risk (a DASH score of 14 or more)"
    PROFESSIONAL_JUDGEMENT = "professional_judgement", "Professional judgement"
    POTENTIAL_ESCALATION = (
        "potential_escalation",
        "Potential escalation (3 or more police call-outs in 12 months)",
    )


def marac_detail_errors(
    *,
    is_marac: bool,
    dash_score: int | None,
    professional_judgement: bool | None,
    professional_judgement_reason: str,
    escalation_criterion: str,
) -> dict[str, str]:
    """What is wrong with a referral's MARAC details, by field: a MARAC referral needs its DASH
    score, whether professional judgement was used (and why, if it was) and its criterion; any
    other kind records none of them. The form and `create_referral` both ask this."""
    if not is_marac:
        recorded = {
            "dash_score": dash_score is not None,
            "professional_judgement": professional_judgement is not None,
            "professional_judgement_reason": bool(professional_judgement_reason),
            "escalation_criterion": bool(escalation_criterion),
        }
        return {
            name: "Only a MARAC referral records this. Choose MARAC as the kind, or leave it out"
            for name, is_recorded in recorded.items()
            if is_recorded
        }
    errors = {}
    if dash_score is None:
        errors["dash_score"] = "Enter the DASH risk checklist score, from 0 to 24"
    elif not 0 <= dash_score <= DASH_HIGHEST_SCORE:
        errors["dash_score"] = "The DASH risk checklist score must be a number from 0 to 24"
    if professional_judgement is None:
        errors["professional_judgement"] = (
            "Say whether professional judgement was used to refer the case"
        )
    elif professional_judgement and not professional_judgement_reason.strip():
        errors["professional_judgement_reason"] = (
            "Enter why, in your professional judgement, the case should go to MARAC"
        )
    elif not professional_judgement and professional_judgement_reason:
        errors["professional_judgement_reason"] = (
            "Give a reason only when professional judgement was used"
        )
    if not escalation_criterion:
        errors["escalation_criterion"] = "Choose the criterion for referral to MARAC"
    elif (
        escalation_criterion == EscalationCriterion.VISIBLE_HIGH_RISK
        and dash_score is not None
        and dash_score < DASH_HIGH_RISK_SCORE
    ):
        errors["escalation_criterion"] = (
            f"Visible high risk needs a DASH score of 14 or more, and this one is {dash_score}. "
            "Choose professional judgement or potential escalation, or check the score"
        )
    elif (
        escalation_criterion == EscalationCriterion.PROFESSIONAL_JUDGEMENT
        and professional_judgement is False
    ):
        errors["escalation_criterion"] = (
            "Professional judgement can be the criterion only when it was used. Choose another "
            "criterion, or say that professional judgement was used"
        )
    return errors


class TransitionRefused(ValidationError):
    """A status change the referral lifecycle does not allow; the message says why."""


def active_agency(agency_id):
    if not Agency.objects.filter(pk=agency_id, is_active=True).exists():
        raise ValidationError(
            "This agency is no longer active. Choose an active agency", code="inactive_agency"
        )


class Referral(models.Model):
    """A referral of a case to an agency. Sending releases information about the person, so it
    happens only in `sharing.services.send_referral`, behind the consent gate."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="referrals",
        validators=[active_agency],
        verbose_name="agency referred to",
    )
    contact = models.ForeignKey(
        "agencies.Contact",
        on_delete=models.PROTECT,
        related_name="referrals",
        null=True,
        blank=True,
        verbose_name="named contact",
    )
    kind = models.ForeignKey(
        ReferralKind, on_delete=models.PROTECT, related_name="referrals", verbose_name="kind"
    )
    reason = models.TextField("reason for referral")
    indicators = models.ManyToManyField(
        VulnerabilityIndicator,
        related_name="referrals",
        blank=True,
        verbose_name="indicators it concerns",
    )
    urgency = models.CharField(max_length=12, choices=Urgency.choices, default=Urgency.ROUTINE)
    # What a MARAC referral records (and only a MARAC referral: see `check_marac_details`).
    dash_score = models.PositiveSmallIntegerField(
        "DASH risk checklist score",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(DASH_HIGHEST_SCORE)],
    )
    professional_judgement = models.BooleanField(
        "professional judgement used", null=True, blank=True
    )
    professional_judgement_reason = models.TextField(
        "why, in your professional judgement", blank=True
    )
    escalation_criterion = models.CharField(
        "criterion for referral to MARAC",
        max_length=24,
        choices=EscalationCriterion.choices,
        blank=True,
    )
    # Worked out by the services when the referral is drafted and again when it is sent, from
    # the case's last MARAC hearing: the date it is sent is the referral's date at MARAC.
    is_repeat_marac = models.BooleanField("repeat MARAC referral", default=False, editable=False)
    status = models.CharField(
        max_length=20,
        choices=ReferralStatus.choices,
        default=ReferralStatus.DRAFT,
        editable=False,
    )
    follow_up_on = models.DateField("follow-up date", null=True, blank=True)
    route = models.CharField(
        "how it reached the agency",
        max_length=16,
        choices=ReferralRoute.choices,
        blank=True,
        editable=False,
    )
    document_sent_at = models.DateTimeField(
        "when the document was sent", null=True, blank=True, editable=False
    )
    document_sent_how = models.CharField(
        "how the document was sent", max_length=300, blank=True, editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    acknowledge_by = models.DateTimeField(
        "acknowledgement due by", null=True, blank=True, editable=False
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False)
    outcome_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "follow_up_on"]),
            # The reports count a month's referrals sent out of years of them, and time the
            # answers, from the index alone on PostgreSQL.
            models.Index(
                fields=["sent_at"],
                include=["agency", "acknowledged_at", "acknowledge_by", "outcome_at"],
                name="referral_sent",
            ),
            # Every page's navigation counts the overdue referrals: those still open are a
            # fraction of all there have been.
            models.Index(
                fields=["follow_up_on"],
                condition=~models.Q(status="closed"),
                name="referral_open_follow_up",
            ),
            # And an officer's, among the referrals of their own cases.
            models.Index(
                fields=["case", "follow_up_on"],
                condition=~models.Q(status="closed"),
                name="referral_open_by_case",
            ),
        ]
        constraints = [
            # Sent once past "draft", except a draft withdrawn before it was ever sent: closed,
            # never sent.
            models.CheckConstraint(
                condition=models.Q(status="draft", sent_at__isnull=True)
                | models.Q(status="closed", sent_at__isnull=True, closed_at__isnull=False)
                | (~models.Q(status="draft") & models.Q(sent_at__isnull=False)),
                name="referral_sent_at_set_once_sent_or_withdrawn",
            ),
            models.CheckConstraint(
                condition=models.Q(document_sent_at__isnull=True, document_sent_how="")
                | (
                    models.Q(route=ReferralRoute.OWN_CHANNEL, document_sent_at__isnull=False)
                    & ~models.Q(document_sent_how="")
                ),
                name="referral_document_sending_says_how_and_when",
            ),
            models.CheckConstraint(
                condition=models.Q(dash_score__isnull=True)
                | models.Q(dash_score__gte=0, dash_score__lte=DASH_HIGHEST_SCORE),
                name="referral_dash_score_from_0_to_24",
            ),
            # A MARAC referral's details are recorded together or not at all.
            models.CheckConstraint(
                condition=models.Q(
                    dash_score__isnull=True,
                    professional_judgement__isnull=True,
                    professional_judgement_reason="",
                    escalation_criterion="",
                    is_repeat_marac=False,
                )
                | (
                    models.Q(dash_score__isnull=False, professional_judgement__isnull=False)
                    & ~models.Q(escalation_criterion="")
                ),
                name="referral_marac_details_together",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(professional_judgement=True)
                    & ~models.Q(professional_judgement_reason="")
                )
                | models.Q(professional_judgement=False, professional_judgement_reason="")
                | models.Q(professional_judgement__isnull=True, professional_judgement_reason=""),
                name="referral_professional_judgement_says_why",
            ),
            models.CheckConstraint(
                condition=~models.Q(escalation_criterion=EscalationCriterion.VISIBLE_HIGH_RISK)
                | models.Q(dash_score__gte=DASH_HIGH_RISK_SCORE),
                name="referral_visible_high_risk_scores_14_or_more",
            ),
            models.CheckConstraint(
                condition=~models.Q(escalation_criterion=EscalationCriterion.PROFESSIONAL_JUDGEMENT)
                | models.Q(professional_judgement=True),
                name="referral_professional_judgement_criterion_used_it",
            ),
        ]

    def __str__(self):
        return f"Referral of {self.case} to {self.agency}" if self.agency_id else "Referral"

    def clean(self):
        if self.contact_id and self.agency_id and self.contact.agency_id != self.agency_id:
            raise ValidationError(
                {"contact": "Choose a contact who works at the agency referred to"}
            )

    @property
    def is_marac(self) -> bool:
        return self.kind_id is not None and self.kind.code == MARAC_KIND

    @property
    def is_high_risk(self) -> bool:
        return self.dash_score is not None and self.dash_score >= DASH_HIGH_RISK_SCORE

    def check_marac_details(self) -> None:
        """Refuse, at each field, a MARAC referral without its DASH score, professional
        judgement and criterion, or another kind of referral with any of them."""
        errors = marac_detail_errors(
            is_marac=self.is_marac,
            dash_score=self.dash_score,
            professional_judgement=self.professional_judgement,
            professional_judgement_reason=self.professional_judgement_reason,
            escalation_criterion=self.escalation_criterion,
        )
        if errors:
            raise ValidationError(errors)

    def repeats_marac_hearing_on(self, day: date) -> bool:
        """Whether a MARAC referral made on `day` is a repeat: within twelve months of the
        case's last MARAC hearing (that day included, and the same date a year on)."""
        heard_on = self.case.last_heard_at_marac_on
        return (
            self.is_marac
            and heard_on is not None
            and heard_on <= day <= self.case.marac_repeat_window_ends
        )

    @property
    def is_unacknowledged_past_target(self) -> bool:
        return (
            self.status == ReferralStatus.SENT
            and self.acknowledge_by is not None
            and self.acknowledge_by < timezone.now()
        )

    @property
    def is_overdue(self) -> bool:
        return (
            self.follow_up_on is not None
            and self.status != ReferralStatus.CLOSED
            and self.follow_up_on < timezone.localdate()
        )

    def allowed_next(self) -> list[str]:
        """The statuses a person may move this referral to by hand (sending is not one)."""
        return [
            value
            for value in ReferralStatus.values
            if value in REFERRAL_TRANSITIONS[self.status] and value != ReferralStatus.SENT
        ]

    def check_transition(self, to: str) -> None:
        if to == ReferralStatus.SENT and self.status == ReferralStatus.DRAFT:
            raise TransitionRefused(
                "A referral is sent with ‘Send referral’, which checks the Authority's consent",
                code="send_through_service",
            )
        if to not in REFERRAL_TRANSITIONS[self.status]:
            current = ReferralStatus(self.status).label.lower()
            target = ReferralStatus(to).label.lower() if to in ReferralStatus.values else to
            allowed = [ReferralStatus(value).label.lower() for value in self.allowed_next()]
            hint = f"; it can move to {' or '.join(allowed)}" if allowed else ""
            raise TransitionRefused(
                f"A {current} referral cannot move to {target}{hint}",
                code="transition_refused",
            )

    def move_to(self, to: str, *, at=None) -> None:
        """Change the status by hand (not sending), stamping when. The caller saves and records
        the history row."""
        self.check_transition(to)
        self._set_status(to, at or timezone.now())

    def check_can_be_sent(self) -> None:
        if self.status != ReferralStatus.DRAFT:
            raise TransitionRefused(
                f"Only a draft referral can be sent; this one is {self.get_status_display().lower()}",
                code="transition_refused",
            )

    @property
    def was_withdrawn(self) -> bool:
        """Closed as a draft: nothing about the person ever reached the agency."""
        return self.status == ReferralStatus.CLOSED and self.sent_at is None

    def withdraw(self, *, at) -> None:
        """Close a draft that will not be sent (its agency or contact was deactivated since, or
        it is no longer needed). The caller saves and records the history row with the reason."""
        if self.status != ReferralStatus.DRAFT:
            raise TransitionRefused(
                f"Only a draft referral can be withdrawn; this one is {self.get_status_display().lower()}",
                code="transition_refused",
            )
        self._set_status(ReferralStatus.CLOSED, at)

    def _mark_sent(self, *, at) -> None:
        # Only sharing.services.send_referral calls this, inside the consent gate's transaction.
        self.check_can_be_sent()
        self._set_status(ReferralStatus.SENT, at)

    def _set_status(self, to: str, at) -> None:
        self.status = to
        if to == ReferralStatus.SENT:
            self.sent_at = at
        elif to == ReferralStatus.ACKNOWLEDGED:
            self.acknowledged_at = at
        elif to in REFERRAL_OUTCOMES:
            self.outcome_at = at
        elif to == ReferralStatus.CLOSED:
            self.closed_at = at


class ReferralStatusChange(models.Model):
    """Who moved a referral from one status to the next, and when: its history."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    # Someone at an agency without Partnerhub users, answering through the secure link sent to
    # them: who they are is the link's addressee.
    answered_through = models.ForeignKey(
        "sharing.SecureLink", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        indexes = [models.Index(fields=["changed_at"], name="referral_status_changed")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(changed_by__isnull=False, answered_through__isnull=True)
                | models.Q(changed_by__isnull=True, answered_through__isnull=False),
                name="referral_status_change_names_who_changed_it",
            ),
        ]

    def __str__(self):
        return f"{self.referral_id}: {self.from_status or 'new'} → {self.to_status}"

    @property
    def changed_by_name(self) -> str:
        if self.answered_through_id is not None:
            return f"{self.answered_through.addressee}, by secure link"
        return self.changed_by.full_name

"""Forums (MARAC, TAF, strategic boards): their kind, members and the schedule their
meetings follow."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from meetings.recurrence import normalise_rrule, validate_rrule

# The kind code of a MARAC (loaded by a migration): its case items have an outcome, an IDVA
# allocation and an action plan, and its case list goes to the agencies ahead of each meeting.
MARAC = "marac"


class ForumLevel(models.TextChoices):
    STRATEGIC = "strategic", "Strategic"
    TACTICAL = "tactical", "Tactical"
    OPERATIONAL = "operational", "Operational"
    LOCALITY = "locality", "Locality"


class ForumKind(models.Model):
    """Reference data: the kinds of forum the team sits on, loaded by a migration.

    A forum copies its level and whether it discusses individual cases from its kind when it is
    set up; both stay editable on the forum, because local arrangements differ.
    """

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100, unique=True)
    default_level = models.CharField(max_length=16, choices=ForumLevel.choices)
    discusses_cases = models.BooleanField("discusses individual cases")
    typical_rhythm = models.CharField(max_length=100, blank=True)
    is_active = models.BooleanField("in use", default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def audit_label(self) -> str:
        return self.name


PLAIN_URL = URLValidator(schemes=["https", "http"])


class Forum(models.Model):
    """A standing body that meets: a MARAC, an SMP board, a locality forum…"""

    name = models.CharField(max_length=200)
    kind = models.ForeignKey(ForumKind, on_delete=models.PROTECT, related_name="forums")
    level = models.CharField(max_length=16, choices=ForumLevel.choices)
    discusses_cases = models.BooleanField("discusses individual cases")
    region = models.ForeignKey(
        "agencies.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="forums"
    )
    local_authority = models.ForeignKey(
        "agencies.LocalAuthority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forums",
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forums_chaired",
    )
    coordinating_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forums_coordinated",
    )
    member_agencies = models.ManyToManyField("agencies.Agency", related_name="forums", blank=True)
    # The agencies without which the forum cannot decide: a meeting is quorate when someone
    # attended (in person or as a deputy) for each of them.
    quorum_agencies = models.ManyToManyField(
        "agencies.Agency",
        related_name="+",
        blank=True,
        verbose_name="agencies needed for quorum",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="forums", blank=True, verbose_name="named members"
    )
    terms_of_reference = models.TextField(blank=True, help_text="Markdown.")
    # The default schedule: an RFC 5545 RRULE read over Europe/London wall-clock time from
    # DTSTART (schedule_starts_on at schedule_time), so meetings stay at 10:00 across the
    # clock changes.
    schedule_rrule = models.CharField(
        "recurrence rule", max_length=255, blank=True, validators=[validate_rrule]
    )
    schedule_starts_on = models.DateField("series starts on", null=True, blank=True)
    schedule_time = models.TimeField("start time", null=True, blank=True)
    schedule_duration_minutes = models.PositiveSmallIntegerField(
        "duration in minutes", null=True, blank=True
    )
    schedule_location = models.CharField("usual place", max_length=255, blank=True)
    schedule_online_url = models.URLField(
        "usual online joining link", max_length=500, blank=True, validators=[PLAIN_URL]
    )
    organiser_email = models.EmailField(
        "organiser mailbox",
        blank=True,
        help_text="A monitored shared mailbox that sends the calendar invitations.",
    )
    is_active = models.BooleanField("active", default=True)
    # The schedule goes to calendars as one recurring event (docs/decisions/0007). Its
    # SEQUENCE rises with every change to the series or to one of its occurrences, so every
    # message about any part of it carries a number no lower than the last one sent.
    series_sequence = models.PositiveIntegerField(default=0, editable=False)
    series_cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        # The forum form builds the common schedules; a rule it cannot build is written by
        # hand, and only by someone who knows what Outlook and the calendars make of it.
        permissions = [("write_schedule_rule", "Can write a forum's recurrence rule by hand")]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="forum_name_unique_ignoring_case"),
            models.CheckConstraint(
                condition=Q(region__isnull=True) | Q(local_authority__isnull=True),
                name="forum_region_or_local_authority",
            ),
            models.CheckConstraint(
                condition=Q(schedule_rrule="")
                | Q(
                    schedule_starts_on__isnull=False,
                    schedule_time__isnull=False,
                    schedule_duration_minutes__gt=0,
                ),
                name="forum_schedule_complete",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def audit_label(self) -> str:
        return self.name

    def clean(self):
        self.schedule_rrule = normalise_rrule(self.schedule_rrule)
        if self.region_id and self.local_authority_id:
            raise ValidationError(
                {"local_authority": "Choose a region or a local authority, not both"}
            )
        if self.schedule_rrule:
            errors = {}
            if self.schedule_starts_on is None:
                errors["schedule_starts_on"] = "Enter the date the series starts"
            if self.schedule_time is None:
                errors["schedule_time"] = "Enter the time meetings start"
            if not self.schedule_duration_minutes:
                errors["schedule_duration_minutes"] = "Enter how long meetings last, in minutes"
            if not self.schedule_location and not self.schedule_online_url:
                errors["schedule_location"] = "Enter the usual place or an online joining link"
            if errors:
                raise ValidationError(errors)

    @property
    def is_marac(self) -> bool:
        return self.kind.code == MARAC

    @property
    def has_schedule(self) -> bool:
        return bool(self.schedule_rrule)

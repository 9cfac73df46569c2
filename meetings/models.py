"""Forums, their meetings, who is invited and who came, agendas, minutes and actions.

Times are stored in UTC and shown in Europe/London. A meeting generated from its forum's
schedule keeps the occurrence it was generated for (`original_start`), so moving or cancelling
it never breaks the series and calendars can name it by RECURRENCE-ID.
"""

import re
import uuid
from datetime import date, datetime

from dateutil.rrule import rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from meetings.schedule import check_expansion_is_bounded, check_outlook_can_store


class Refused(Exception):
    """A change the rules do not allow; the message says why, for the person who asked."""


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


_PLAIN_URL = URLValidator(schemes=["https", "http"])
# The time of day comes from the schedule's start time, so a rule may not move it.
_TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND", "DTSTART")
# One RRULE value and nothing else: no further lines (EXDATE, RDATE) smuggled in.
_RRULE_CHARACTERS = re.compile(r"[A-Z0-9=;,+\-]+")


def normalise_rrule(value: str) -> str:
    value = (value or "").strip().upper()
    return value.removeprefix("RRULE:")


def validate_rrule(value: str) -> None:
    """Accept an RFC 5545 RRULE value (without DTSTART) that repeats at most daily, at the
    schedule's one start time (so never twice a day), in a form Outlook can store."""
    rule_text = normalise_rrule(value)
    if not rule_text:
        return
    if "RDATE" in rule_text or "EXDATE" in rule_text:
        raise ValidationError(
            "Enter a repeating rule only: add a meeting on an extra date as a single meeting, "
            "and cancel one you do not need"
        )
    if any(part in rule_text for part in _TIME_PARTS):
        raise ValidationError(
            "Enter a rule without a time of day: the start time is set separately"
        )
    malformed = ValidationError(
        "Enter a recurrence rule in RFC 5545 form, like FREQ=MONTHLY;BYDAY=2TU"
    )
    if not _RRULE_CHARACTERS.fullmatch(rule_text):
        raise malformed
    anchor = datetime(2000, 1, 1, 10, 0)
    try:
        rule = rrulestr(rule_text, dtstart=anchor)
    except (ValueError, TypeError):
        raise malformed from None
    # Every check that needs no expansion comes first: expanding an impossible rule
    # (FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30) searches every hour to the year 9999.
    check_expansion_is_bounded(rule_text)
    check_outlook_can_store(rule_text)
    if rule.after(anchor, inc=True) is None:
        raise ValidationError("Enter a rule that produces at least one meeting")


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
        "usual online joining link", max_length=500, blank=True, validators=[_PLAIN_URL]
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
    def has_schedule(self) -> bool:
        return bool(self.schedule_rrule)


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(models.Model):
    """One meeting of a forum, either on its own or one occurrence of the forum's schedule."""

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="meetings")
    # Calendar identity is the primary key and the site's domain (meetings.calendar); the
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
        "online joining link", max_length=500, blank=True, validators=[_PLAIN_URL]
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
    """One invitation to a meeting: a named person, or an agency's seat still to be filled.

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
        indexes = [models.Index(fields=["agency", "meeting"])]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="attendance_one_invitation_per_person",
            ),
            models.UniqueConstraint(
                fields=["meeting", "agency"],
                condition=Q(person__isnull=True),
                name="attendance_one_open_seat_per_agency",
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
        who = self.person.full_name if self.person_id else f"{self.agency} seat"
        return f"{who} at {self.meeting}"

    @property
    def is_seat(self) -> bool:
        return self.person_id is None

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


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CIRCULATED = "circulated", "Circulated"
    APPROVED = "approved", "Approved"


class Minutes(models.Model):
    """One version of a meeting's minutes, written in Markdown.

    Approved minutes are locked (the database refuses to change or remove them); a correction
    is a new version carrying its reason, and every earlier version is kept.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes_versions")
    version = models.PositiveSmallIntegerField(default=1)
    body = models.TextField()
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

    def approve(self, *, by, now=None) -> None:
        if self.status != MinutesStatus.CIRCULATED:
            raise Refused("Minutes must be circulated before they are approved")
        self.status = MinutesStatus.APPROVED
        self.approved_by = by
        self.approved_at = now or timezone.now()


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


class CalendarMethod(models.TextChoices):
    REQUEST = "REQUEST", "Invitation or update"
    CANCEL = "CANCEL", "Cancellation"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Not delivered"


class CalendarMessage(models.Model):
    """One calendar e-mail (an iTIP REQUEST or CANCEL) to one person.

    Written in the same transaction as the change it announces, and sent afterwards by a
    task, so a mail server that is down loses neither the change nor the message. The calendar
    is stored as it was built at the change, so a late delivery still says what was decided
    then, with the SEQUENCE of that moment.
    """

    MAX_ATTEMPTS = 5

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="calendar_messages")
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calendar_messages",
        help_text="Empty for a message about the forum's whole series.",
    )
    method = models.CharField(max_length=8, choices=CalendarMethod.choices)
    sequence = models.PositiveIntegerField()
    recipient_email = models.EmailField()
    recipient_name = models.CharField(max_length=150, blank=True)
    reply_to = models.EmailField(blank=True)
    subject = models.CharField(max_length=255)
    text_body = models.TextField()
    html_body = models.TextField()
    calendar = models.TextField()
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["forum", "status"]),
        ]

    def __str__(self):
        return f"{self.get_method_display()} to {self.recipient_email}: {self.subject}"


class CalendarFeed(models.Model):
    """A person's secret calendar subscription address.

    Only a SHA-256 hash of the token is looked up; the token itself is derived from a random
    nonce and the site's secret key, so the person's page can show the address again while
    the database alone cannot produce it. A new nonce (a reset) kills the old address at once.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    nonce = models.CharField(max_length=64)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Calendar feed of {self.user}"

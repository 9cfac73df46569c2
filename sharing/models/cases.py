"""Cases: vulnerable service users, the indicators identified and escalations (referrals are in
`referrals.py`).

Reference lists (indicators, concern sources, referral kinds) are loaded by migration and
retired, never deleted, once used: every foreign key to them is PROTECT.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from guardian.models import UserObjectPermissionBase

from core import iso_codes

ADULT_AGE = 18
OLDEST_PLAUSIBLE_AGE = 120


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def marac_repeat_window_ends(heard_on: date) -> date:
    """The last day on which a new MARAC referral repeats a hearing on `heard_on`: the same
    calendar date a year on (28 February for a hearing on 29 February)."""
    return heard_on + relativedelta(years=1)


class ReferenceData(models.Model):
    """A list administrators extend and retire; `is_active` off keeps old records readable."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("in use", default=True)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    @property
    def audit_label(self) -> str:
        return self.name


class AppliesTo(models.TextChoices):
    ADULTS = "adults", "Adults"
    CHILDREN = "children", "Children"
    BOTH = "both", "Adults and children"


class IndicatorCategory(models.TextChoices):
    HEALTH = "health", "Health"
    MENTAL_HEALTH = "mental_health", "Mental health"
    DISABILITY = "disability", "Disability"
    CARE = "care", "Care and support"
    ABUSE = "abuse", "Abuse and violence"
    EXPLOITATION = "exploitation", "Exploitation"
    HARASSMENT = "harassment", "Harassment and hate"
    RISK = "risk", "Risk to or from others"
    CHILDREN = "children", "Children"
    SOCIAL = "social", "Isolation and housing"


class VulnerabilityIndicator(ReferenceData):
    category = models.CharField(max_length=32, choices=IndicatorCategory.choices)
    applies_to = models.CharField(max_length=16, choices=AppliesTo.choices)
    description = models.TextField(blank=True)

    class Meta(ReferenceData.Meta):
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class ConcernSource(ReferenceData):
    """Where a concern about a service user came from (the monthly report counts these)."""


class ReferralKind(ReferenceData):
    pass


class SupportType(models.TextChoices):
    SECTION_4 = "s4", "Section 4(2)"
    SECTION_95 = "s95", "Section 95"
    SECTION_98 = "s98", "Section 98"


class AccommodationType(models.TextChoices):
    INITIAL = "initial", "Initial accommodation"
    CONTINGENCY = "contingency", "Contingency accommodation"
    DISPERSED = "dispersed", "Dispersed accommodation"
    OTHER = "other", "Other accommodation"
    SUBSISTENCE_ONLY = "subsistence_only", "Subsistence only"


class HouseholdType(models.TextChoices):
    SINGLE = "single", "Single adult"
    FAMILY = "family", "Family"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class UserAgreement(models.TextChoices):
    GIVEN = "given", "Agreed to be referred"
    REFUSED = "refused", "Did not agree"
    NOT_ASKED = "not_asked", "Not asked yet"


class AgreementMethod(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "By phone"
    INTERPRETER = "interpreter", "Through an interpreter"
    WRITING = "writing", "In writing"
    ADVOCATE = "advocate", "Through a carer, parent or advocate"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ClosureReason(models.TextChoices):
    NEEDS_MET = "needs_met", "Safeguarding needs met"
    SUPPORT_DISCONTINUED_GRANT = (
        "discontinued_grant",
        "Support discontinued after a grant of status",
    )
    SUPPORT_DISCONTINUED_REFUSAL = (
        "discontinued_refusal",
        "Support discontinued after a final refusal",
    )
    MOVED_AREA = "moved_area", "Moved to another area or provider"
    LEFT_SUPPORT = "left_support", "Left asylum support"
    TRANSFERRED = "transferred", "Transferred to a statutory agency"
    DIED = "died", "Died"
    OTHER = "other", "Other"


class CaseReferenceCounter(models.Model):
    """The last case number issued in a year; locked while the next is taken."""

    year = models.PositiveSmallIntegerField(unique=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class Case(models.Model):
    """A service user the team is safeguarding. The reference stands in for the name wherever
    the name need not appear."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    authority_reference = models.CharField("the Authority's reference", max_length=40, blank=True)
    given_names = models.CharField("given names", max_length=150)
    family_name = models.CharField("family name", max_length=150)
    # Empty only once retention has erased it (`personal_details_erased_on`); forms require it.
    date_of_birth = models.DateField("date of birth", null=True)
    sex_or_gender = models.CharField(
        "sex or gender", max_length=60, blank=True, help_text="As recorded by the Authority."
    )
    # Codes: a country's ISO 3166-1 alpha-2 and a language's ISO 639-3. A case recorded before
    # they were chosen from a list may hold the words typed instead, shown as they are.
    nationality = models.CharField(max_length=100, blank=True)
    language = models.CharField("main language", max_length=100, blank=True)
    interpreter_needed = models.BooleanField("needs an interpreter", default=False)
    support_type = models.CharField(max_length=8, choices=SupportType.choices)
    accommodation_type = models.CharField(max_length=20, choices=AccommodationType.choices)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    local_authority = models.ForeignKey(
        "agencies.LocalAuthority", on_delete=models.PROTECT, related_name="cases"
    )
    household_type = models.CharField(max_length=8, choices=HouseholdType.choices)
    concern_source = models.ForeignKey(
        ConcernSource,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name="where the concern came from",
    )
    concern_received_on = models.DateField("date the concern was received")
    # The person's own agreement informs the referral; it never replaces the Authority's consent.
    user_agreement = models.CharField(
        "service user's agreement to referral",
        max_length=12,
        choices=UserAgreement.choices,
        default=UserAgreement.NOT_ASKED,
    )
    user_agreement_on = models.DateField("date they were asked", null=True, blank=True)
    user_agreement_method = models.CharField(
        "how they were asked", max_length=12, choices=AgreementMethod.choices, blank=True
    )
    risk_level = models.CharField(max_length=8, choices=RiskLevel.choices)
    # Kept here because a MARAC referral must know whether it is a repeat, and sharing cannot
    # read the meetings that heard the case: meetings tells it, through
    # `sharing.services.record_marac_hearing`.
    last_heard_at_marac_on = models.DateField(
        "last heard at MARAC on", null=True, blank=True, editable=False
    )
    assigned_officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="assigned_cases", blank=True
    )
    status = models.CharField(
        max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN, editable=False
    )
    closure_reason = models.CharField(
        max_length=24, choices=ClosureReason.choices, blank=True, editable=False
    )
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    personal_details_erased_on = models.DateField(
        "personal details erased on", null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("view_all_cases", "Can see every case, assigned or not")]
        indexes = [
            models.Index(fields=["status", "risk_level"]),
            models.Index(fields=["family_name", "given_names"]),
            # The case lists' order: a page of 50 reads 50 rows, not a sort of every case.
            models.Index(fields=["-created_at", "-id"], name="case_newest_first"),
            # The reports count a month's new and closed cases out of years of them.
            models.Index(fields=["concern_received_on"], name="case_concern_received"),
            models.Index(fields=["closed_at"], name="case_closed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open", closure_reason="", closed_at__isnull=True)
                | (
                    models.Q(status="closed", closed_at__isnull=False)
                    & ~models.Q(closure_reason="")
                ),
                name="case_closed_with_reason_and_time",
            ),
            models.CheckConstraint(
                condition=models.Q(user_agreement="not_asked")
                | models.Q(user_agreement_on__isnull=False) & ~models.Q(user_agreement_method=""),
                name="case_user_agreement_has_date_and_method",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def audit_label(self) -> str:
        return self.reference

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}"

    @property
    def nationality_name(self) -> str:
        return iso_codes.country_name(self.nationality)

    @property
    def language_name(self) -> str:
        return iso_codes.language_name(self.language)

    @property
    def age(self) -> int | None:
        """None once retention has erased the date of birth."""
        return self.date_of_birth and age_on(self.date_of_birth, timezone.localdate())

    @property
    def is_child(self) -> bool:
        return self.date_of_birth is not None and self.age < ADULT_AGE

    @property
    def is_erased(self) -> bool:
        return self.personal_details_erased_on is not None

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    @property
    def marac_repeat_window_ends(self) -> date | None:
        """The last day a new MARAC referral repeats the case's last hearing, if it had one."""
        heard_on = self.last_heard_at_marac_on
        return heard_on and marac_repeat_window_ends(heard_on)

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.date_of_birth and self.date_of_birth > today:
            errors["date_of_birth"] = "Date of birth must be in the past"
        elif (
            self.date_of_birth
            and self.household_type == HouseholdType.SINGLE
            and age_on(self.date_of_birth, today) < ADULT_AGE
        ):
            errors["household_type"] = (
                "A child cannot be the head of a single household. Choose family, or check the "
                "date of birth"
            )
        if self.concern_received_on and self.concern_received_on > today:
            errors["concern_received_on"] = "Date the concern was received must be in the past"
        if self.user_agreement != UserAgreement.NOT_ASKED:
            if not self.user_agreement_on:
                errors["user_agreement_on"] = "Enter the date they were asked"
            elif self.user_agreement_on > today:
                errors["user_agreement_on"] = "Date they were asked must be in the past"
            if not self.user_agreement_method:
                errors["user_agreement_method"] = "Choose how they were asked"
        if errors:
            raise ValidationError(errors)


class HouseholdMember(models.Model):
    """Someone who lives with the service user as part of their supported household."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="household_members")
    full_name = models.CharField("full name", max_length=200)
    relationship = models.CharField(
        "relationship to the service user", max_length=60, help_text="For example, son or wife."
    )
    # Empty only once retention has erased the household's details; forms require it.
    date_of_birth = models.DateField("date of birth", null=True)

    class Meta:
        ordering = ["date_of_birth", "pk"]

    def __str__(self):
        return f"{self.full_name} ({self.relationship})"

    @property
    def age(self) -> int | None:
        return self.date_of_birth and age_on(self.date_of_birth, timezone.localdate())

    @property
    def is_child(self) -> bool:
        return self.date_of_birth is not None and self.age < ADULT_AGE

    def clean(self):
        today = timezone.localdate()
        if self.date_of_birth and self.date_of_birth > today:
            raise ValidationError({"date_of_birth": "Date of birth must be in the past"})
        if self.date_of_birth and age_on(self.date_of_birth, today) > OLDEST_PLAUSIBLE_AGE:
            raise ValidationError(
                {
                    "date_of_birth": f"Date of birth must be within the last {OLDEST_PLAUSIBLE_AGE} years"
                }
            )


class CaseIndicator(models.Model):
    """One vulnerability identified on a case, from when it was identified until it stopped
    applying. Ended rather than deleted, so the history stays."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="indicators")
    indicator = models.ForeignKey(
        VulnerabilityIndicator, on_delete=models.PROTECT, related_name="case_indicators"
    )
    identified_on = models.DateField("date identified")
    identified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)
    ended_on = models.DateField("date it stopped applying", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["identified_on", "pk"]
        indexes = [models.Index(fields=["identified_on"], name="case_indicator_identified")]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "indicator"],
                condition=models.Q(ended_on__isnull=True),
                name="case_indicator_once_while_current",
                violation_error_message="This indicator is already recorded on the case",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("identified_on")),
                name="case_indicator_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} on {self.case_id}"

    def clean(self):
        # The indicator page and the form that opens a case both hold a date to these rules;
        # the services check them again, so a command or a test is held to them too.
        if self.identified_on is None:
            return
        if self.identified_on > timezone.localdate():
            raise ValidationError({"identified_on": "Date identified must be today or in the past"})
        born = self.case.date_of_birth
        if born and self.identified_on < born:
            raise ValidationError(
                {"identified_on": "Date identified must be on or after the person's date of birth"}
            )

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class CaseNote(models.Model):
    """A dated note on a case. Markdown as typed, and the sanitised HTML made from it on the way
    in, which is all a page ever shows."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    text = models.TextField()
    html = models.TextField(editable=False)

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self):
        return f"Note on {self.case_id} at {self.written_at:%Y-%m-%d %H:%M}"


class EscalationDecision(models.TextChoices):
    MANAGER_ACTION = "manager_action", "Manager takes action"
    ADVICE_GIVEN = "advice_given", "Advice given to the officer"
    ESCALATED_FURTHER = "escalated_further", "Escalated to operational management"
    INTERNAL_BOARD = "internal_board", "Referred to the internal safeguarding board"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class Escalation(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="escalations")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    decision = models.CharField(max_length=24, choices=EscalationDecision.choices, blank=True)
    decision_notes = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "pk"]
        permissions = [("decide_escalation", "Can record the decision on an escalation")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision="", decided_by__isnull=True, decided_at__isnull=True)
                | (
                    ~models.Q(decision="")
                    & models.Q(decided_by__isnull=False, decided_at__isnull=False)
                ),
                name="escalation_decision_has_who_and_when",
            ),
        ]

    def __str__(self):
        return f"Escalation of {self.case_id} at {self.raised_at:%Y-%m-%d %H:%M}"

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)


class CaseUserObjectPermission(UserObjectPermissionBase):
    """django-guardian's per-case grants, with a real foreign key so that "the cases this person
    was given sight of" is one join, not a text comparison per row."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="person_grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "person's sight of a case"

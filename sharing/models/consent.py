"""The Authority's written consents, the disclosures made under them, and decisions not to share.

A disclosure row is the permanent record that something was released, to whom, why and under
which consent; the database refuses to insert one that no consent covers and refuses to change
or delete one afterwards (hand-written triggers, sharing/guards.py). The released text itself
lives in `ReleasedContent` so that retention can erase it while the record stays verifiable by
its digest.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

__all__ = [
    "SPECIAL_CATEGORIES",
    "Consent",
    "ConsentRequest",
    "ConsentRequestStatus",
    "ConsentUrgency",
    "CorrectionNotice",
    "DataCategory",
    "DecisionNotToShare",
    "Disclosure",
    "DisclosureMethod",
    "LawfulBasis",
    "PersonTold",
    "Purpose",
    "ReleasedContent",
    "SpecialCategoryCondition",
]


class Purpose(models.TextChoices):
    SAFEGUARDING_REFERRAL = "safeguarding_referral", "Safeguarding referral"
    RISK_ASSESSMENT = "risk_assessment", "Multi-agency risk assessment (e.g. MARAC)"
    CARE_AND_SUPPORT = "care_and_support", "Care and support assessment"
    HEALTH_CARE = "health_care", "Health care"
    CRIME_PREVENTION = "crime_prevention", "Preventing or detecting crime"
    MODERN_SLAVERY = "modern_slavery", "Modern slavery / NRM referral"
    ACCOMMODATION = "accommodation", "Accommodation and move-on"
    EARLY_HELP = "early_help", "Early help / team around the family"
    CASE_REVIEW = "case_review", "Case review"


class DataCategory(models.TextChoices):
    IDENTITY = "identity", "Identity"
    CONTACT_AND_ADDRESS = "contact_address", "Contact and address"
    IMMIGRATION_AND_SUPPORT = "immigration_support", "Immigration and support status"
    HEALTH = "health", "Health"
    VULNERABILITIES = "vulnerabilities", "Vulnerabilities"
    HOUSEHOLD = "household", "Household"
    CASE_HISTORY = "case_history", "Case history"


# Categories that are special-category data under UK GDPR Article 9 and so need a condition.
SPECIAL_CATEGORIES = frozenset({DataCategory.HEALTH, DataCategory.VULNERABILITIES})


class LawfulBasis(models.TextChoices):
    """UK GDPR Article 6. The Authority's consent is permission to release, not a lawful basis."""

    PUBLIC_TASK = "public_task", "Public task – Art. 6(1)(e)"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation – Art. 6(1)(c)"
    VITAL_INTERESTS = "vital_interests", "Vital interests – Art. 6(1)(d)"
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests – Art. 6(1)(f)"
    RECOGNISED_LEGITIMATE_INTEREST = (
        "recognised_legitimate_interest",
        "Recognised legitimate interest: safeguarding – Art. 6(1)(ea)",
    )
    CONSENT = "consent", "The person's consent – Art. 6(1)(a)"


class SpecialCategoryCondition(models.TextChoices):
    """UK GDPR Article 9 with DPA 2018 Schedule 1, for special-category data."""

    NOT_APPLICABLE = "not_applicable", "Not applicable: no special-category data"
    SAFEGUARDING = (
        "sch1_para18",
        "Safeguarding of children and of individuals at risk – DPA 2018 Sch. 1 para 18",
    )
    UNLAWFUL_ACTS = "sch1_para10", "Preventing or detecting unlawful acts – DPA 2018 Sch. 1 para 10"
    VITAL_INTERESTS = "art9_2c", "Vital interests where consent cannot be given – Art. 9(2)(c)"
    HEALTH_OR_SOCIAL_CARE = "art9_2h", "Health or social care – Art. 9(2)(h)"
    EXPLICIT_CONSENT = "art9_2a", "The person's explicit consent – Art. 9(2)(a)"


class PersonTold(models.TextChoices):
    TOLD = "told", "Yes, the person was told"
    NOT_TOLD_RISK = "not_told_risk", "No: telling them would put them or others at risk"
    NOT_TOLD_INVESTIGATION = (
        "not_told_investigation",
        "No: telling them would prejudice a police investigation",
    )
    NOT_TOLD_OTHER = "not_told_other", "No: another reason (given below)"


class DisclosureMethod(models.TextChoices):
    SECURE_EMAIL = "secure_email", "Secure e-mail"
    MEETING = "meeting", "At a meeting"
    PHONE = "phone", "Phone"
    PORTAL = "portal", "Partnerhub portal"
    SECURE_LINK = "secure_link", "Secure link with a one-time code"
    DOCUMENT = "document", "Document through the agency's own secure channel"


class ConsentRequestStatus(models.TextChoices):
    PENDING = "pending", "Awaiting the Authority"
    GRANTED = "granted", "Granted as asked"
    NARROWED = "narrowed", "Granted in part"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ConsentUrgency(models.TextChoices):
    STANDARD = "standard", "Standard"
    URGENT = "urgent", "Urgent"


class ConsentRequest(models.Model):
    """An officer's request to the Authority for consent to share about one case."""

    case = models.ForeignKey(
        "sharing.Case", on_delete=models.PROTECT, related_name="consent_requests"
    )
    recipients = models.ManyToManyField("agencies.Agency", related_name="+")
    purposes = models.JSONField(default=list)
    categories = models.JSONField(default=list)
    necessity = models.TextField("why sharing is necessary")
    wanted_until = models.DateTimeField("consent wanted until", null=True, blank=True)
    urgency = models.CharField(
        max_length=10, choices=ConsentUrgency.choices, default=ConsentUrgency.STANDARD
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=ConsentRequestStatus.choices, default=ConsentRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        # The reports count a month's requests made and decided out of years of them, from the
        # index alone on PostgreSQL: it carries every column they group by.
        indexes = [
            models.Index(
                fields=["requested_at"], include=["status"], name="consent_request_requested"
            ),
            models.Index(
                fields=["decided_at"],
                include=["status", "urgency", "requested_at"],
                name="consent_request_decided",
            ),
            # The Authority's queue and every officer's "waiting for the Authority" count the
            # few requests pending among the many decided.
            models.Index(
                fields=["case"],
                condition=Q(status=ConsentRequestStatus.PENDING),
                name="consent_request_pending",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ConsentRequestStatus.PENDING, decided_at__isnull=True)
                | (~Q(status=ConsentRequestStatus.PENDING) & Q(decided_at__isnull=False)),
                name="consent_request_decided_when_not_pending",
            ),
            models.CheckConstraint(
                condition=~Q(status=ConsentRequestStatus.REFUSED) | ~Q(decision_reason=""),
                name="consent_request_refusal_has_reason",
            ),
            # The outcome is a decision on record (ICO decision record): who made it and, when
            # the Authority gave less than was asked, why. Lawful basis, condition and telling
            # the person belong to each disclosure made under it (ADR 9).
            models.CheckConstraint(
                condition=~Q(status=ConsentRequestStatus.NARROWED) | ~Q(decision_reason=""),
                name="consent_request_narrowing_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=ConsentRequestStatus.PENDING) | Q(decided_by__isnull=False),
                name="consent_request_outcome_names_decision_maker",
            ),
            models.CheckConstraint(
                condition=~Q(necessity=""), name="consent_request_states_necessity"
            ),
        ]

    def __str__(self):
        return f"Consent request for {self.case} ({self.get_status_display()})"


class Consent(models.Model):
    """The Authority's written consent to release information about one case.

    Its grant (who, when, evidence, scope, dates) never changes once written: the database
    refuses. Narrowing or extending creates a new version that `supersedes` this one, which is
    revoked. Revocation is the only update, and it is final.
    """

    case = models.ForeignKey("sharing.Case", on_delete=models.PROTECT, related_name="consents")
    request = models.ForeignKey(
        ConsentRequest, on_delete=models.PROTECT, related_name="consents", null=True, blank=True
    )
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, related_name="superseded_by", null=True, blank=True
    )
    granted_by_official = models.CharField(
        "Authority official who granted it",
        max_length=200,
        blank=True,
        help_text="Name and role, as written on the letter or e-mail.",
    )
    granted_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text="An Authority user who granted it in Partnerhub; the grant is then the record.",
    )
    granted_at = models.DateTimeField()
    evidence = models.FileField(upload_to="consent-evidence/%Y/%m/", blank=True)
    evidence_content_type = models.CharField(max_length=100, blank=True)
    evidence_digest = models.CharField(max_length=64, blank=True)
    authority_reference = models.CharField("the Authority's reference", max_length=100, blank=True)
    recipients = models.ManyToManyField("agencies.Agency", related_name="consents")
    purposes = models.JSONField()
    categories = models.JSONField()
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    revocation_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-granted_at"]
        permissions = [("grant_consent", "Can grant or refuse consent on behalf of the Authority")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("valid_from")),
                name="consent_ends_after_it_starts",
            ),
            # Written evidence: either a named official's letter or e-mail is on file, or an
            # Authority user granted it in Partnerhub.
            models.CheckConstraint(
                condition=(~Q(granted_by_official="") & ~Q(evidence=""))
                | Q(granted_by_user__isnull=False),
                name="consent_has_written_evidence",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True, revocation_reason="")
                | (
                    Q(revoked_at__isnull=False, revoked_by__isnull=False) & ~Q(revocation_reason="")
                ),
                name="consent_revocation_is_complete",
            ),
        ]

    def __str__(self):
        return f"Consent {self.pk} for {self.case}"

    @property
    def granted_by(self) -> str:
        return (
            self.granted_by_official
            or (self.granted_by_user and self.granted_by_user.full_name)
            or ""
        )

    def state_at(self, moment) -> str:
        if self.revoked_at is not None and moment >= self.revoked_at:
            return "revoked"
        if moment < self.valid_from:
            return "not yet valid"
        if moment >= self.valid_until:
            return "expired"
        return "current"


class Disclosure(models.Model):
    """One release of information about a case to one recipient agency, and the decision behind it.

    Created only by `sharing.services.disclose()`; the database refuses any insert that no consent
    covers, and any update or delete.
    """

    case = models.ForeignKey("sharing.Case", on_delete=models.PROTECT, related_name="disclosures")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="disclosures")
    recipient = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="disclosures_received"
    )
    recipient_contact = models.ForeignKey(
        "agencies.Contact", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    purpose = models.CharField(max_length=32, choices=Purpose.choices)
    categories = models.JSONField()
    method = models.CharField(max_length=16, choices=DisclosureMethod.choices)
    necessity = models.TextField("why sharing is necessary and proportionate")
    lawful_basis = models.CharField(max_length=32, choices=LawfulBasis.choices)
    special_category_condition = models.CharField(
        max_length=16, choices=SpecialCategoryCondition.choices
    )
    person_told = models.CharField(max_length=32, choices=PersonTold.choices)
    person_not_told_reason = models.TextField(blank=True)
    disclosed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    disclosed_at = models.DateTimeField()
    agreement_signed_on = models.DateField("information sharing agreement signed", null=True)
    agreement_review_due_on = models.DateField(
        "information sharing agreement review due", null=True
    )
    agreement_status = models.CharField(max_length=16)
    content_digest = models.CharField("SHA-256 of the released content", max_length=64)
    source_type = models.CharField(max_length=50, blank=True)
    source_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-disclosed_at"]
        permissions = [
            ("view_received_disclosure", "Can see what was disclosed to their own agency"),
        ]
        indexes = [
            models.Index(fields=["case", "disclosed_at"]),
            models.Index(fields=["recipient", "disclosed_at"]),
            # The disclosure log's order: its first page reads 50 rows, not a sort of them all.
            # The consent report counts a period's releases by agreement from it alone.
            models.Index(
                fields=["-disclosed_at", "-id"],
                include=["agreement_status"],
                name="disclosure_newest_first",
            ),
            # Compliance's queue of releases let through without a current agreement (not
            # InformationSharingAgreementStatus.CURRENT): few or none, found (and counted on the
            # reviewer's home page) without reading every release.
            models.Index(
                fields=["-disclosed_at", "-id"],
                condition=~Q(agreement_status="current"),
                name="disclosure_without_agreement",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(necessity=""), name="disclosure_states_necessity"),
            models.CheckConstraint(
                condition=Q(person_told=PersonTold.TOLD)
                | ~Q(person_told=PersonTold.NOT_TOLD_OTHER)
                | ~Q(person_not_told_reason=""),
                name="disclosure_other_reason_for_not_telling_is_given",
            ),
            models.CheckConstraint(
                condition=Q(content_digest__regex=r"^[0-9a-f]{64}$"),
                name="disclosure_content_digest_is_sha256",
            ),
            # The coded parts of the decision record. That special-category data needs a real
            # condition depends on the categories, so a trigger enforces it (sharing/guards.py).
            models.CheckConstraint(
                condition=Q(lawful_basis__in=LawfulBasis.values),
                name="disclosure_lawful_basis_is_coded",
            ),
            models.CheckConstraint(
                condition=Q(special_category_condition__in=SpecialCategoryCondition.values),
                name="disclosure_special_category_condition_is_coded",
            ),
            models.CheckConstraint(
                condition=Q(person_told__in=PersonTold.values),
                name="disclosure_person_told_is_coded",
            ),
        ]

    def __str__(self):
        return f"Disclosure {self.pk} of {self.case} to {self.recipient}"

    @property
    def withdrawn_at(self):
        """When the Authority withdrew its consent to what this released, or None: its consent
        was revoked outright, or amended into a version that no longer names the recipient.
        The record of the release stays either way; the recipient stops seeing the content."""
        consent = self.consent
        while consent.revoked_at is not None:
            replacement = Consent.objects.filter(
                supersedes=consent, recipients=self.recipient_id
            ).first()
            if replacement is None:
                return consent.revoked_at
            consent = replacement
        return None

    @staticmethod
    def source_type_of(model) -> str:
        """How a disclosure names the kind of record it was released from (`source_type`);
        the database triggers in sharing/guards.py spell a referral's the same way."""
        return model._meta.label_lower


class ReleasedContent(models.Model):
    """Exactly what was released. Erasable by retention; the disclosure keeps its digest."""

    disclosure = models.OneToOneField(
        Disclosure, on_delete=models.PROTECT, primary_key=True, related_name="content"
    )
    text = models.TextField()

    def __str__(self):
        return f"Content of disclosure {self.disclosure_id}"


class DecisionNotToShare(models.Model):
    """A recorded decision not to share (or to share in part), with reasons."""

    case = models.ForeignKey(
        "sharing.Case", on_delete=models.PROTECT, related_name="decisions_not_to_share"
    )
    requested_by_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+"
    )
    requested_by_person = models.CharField("who asked", max_length=200, blank=True)
    requested_categories = models.JSONField(default=list)
    what_was_asked_for = models.TextField()
    reason = models.TextField()
    lawful_basis_considered = models.CharField(
        max_length=32, choices=LawfulBasis.choices, blank=True
    )
    advice_sought = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="decision_not_to_share_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(what_was_asked_for=""),
                name="decision_not_to_share_says_what_was_asked",
            ),
            # Optional, because "no lawful basis applies" is itself a reason not to share (ADR 9).
            models.CheckConstraint(
                condition=Q(lawful_basis_considered__in=[*LawfulBasis.values, ""]),
                name="decision_not_to_share_lawful_basis_is_coded",
            ),
        ]

    def __str__(self):
        return f"Decision not to share {self.case} with {self.requested_by_agency}"


class CorrectionNotice(models.Model):
    """A record that a recipient of earlier information was told of a correction (UK GDPR Art. 19)."""

    case = models.ForeignKey(
        "sharing.Case", on_delete=models.PROTECT, related_name="correction_notices"
    )
    recipient = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    corrected_fields = models.JSONField(default=list)
    how_told = models.CharField("how they were told", max_length=200)
    told_on = models.DateField("date they were told")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(how_told=""), name="correction_notice_says_how"),
        ]

    def __str__(self):
        return f"{self.recipient} told of a correction to {self.case}"

"""The directory's data: agencies, and the people who sign in, each belonging to one agency."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Sector(models.TextChoices):
    STATUTORY = "statutory", "Statutory"
    VOLUNTARY = "voluntary", "Voluntary"
    AUTHORITY = "authority", "The Authority"
    PROVIDER = "provider", "Provider"


class AgencyKind(models.TextChoices):
    AUTHORITY = "authority", "The Authority"
    HOUSING_PROVIDER = "housing_provider", "Housing provider"
    AIRE_PROVIDER = "aire_provider", "AIRE provider"
    CHILDRENS_SERVICES = "childrens_services", "Local authority children's services"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    LOCAL_AUTHORITY_HOUSING = "la_housing", "Local authority housing"
    POLICE = "police", "Police"
    NHS_TRUST = "nhs_trust", "NHS trust"
    INTEGRATED_CARE_BOARD = "icb", "Integrated care board"
    PRIMARY_CARE = "primary_care", "Primary care"
    PROBATION = "probation", "Probation"
    EDUCATION = "education", "Education"
    FIRE = "fire", "Fire and rescue"
    STRATEGIC_MIGRATION_PARTNERSHIP = "smp", "Strategic Migration Partnership"
    NGO = "ngo", "NGO / voluntary"
    FAITH_OR_COMMUNITY = "faith_community", "Faith or community group"
    OTHER = "other", "Other"


SECTOR_OF_KIND = {
    AgencyKind.AUTHORITY: Sector.AUTHORITY,
    AgencyKind.HOUSING_PROVIDER: Sector.PROVIDER,
    AgencyKind.AIRE_PROVIDER: Sector.VOLUNTARY,
    AgencyKind.CHILDRENS_SERVICES: Sector.STATUTORY,
    AgencyKind.ADULT_SOCIAL_CARE: Sector.STATUTORY,
    AgencyKind.LOCAL_AUTHORITY_HOUSING: Sector.STATUTORY,
    AgencyKind.POLICE: Sector.STATUTORY,
    AgencyKind.NHS_TRUST: Sector.STATUTORY,
    AgencyKind.INTEGRATED_CARE_BOARD: Sector.STATUTORY,
    AgencyKind.PRIMARY_CARE: Sector.STATUTORY,
    AgencyKind.PROBATION: Sector.STATUTORY,
    AgencyKind.EDUCATION: Sector.STATUTORY,
    AgencyKind.FIRE: Sector.STATUTORY,
    AgencyKind.STRATEGIC_MIGRATION_PARTNERSHIP: Sector.STATUTORY,
    AgencyKind.NGO: Sector.VOLUNTARY,
    AgencyKind.FAITH_OR_COMMUNITY: Sector.VOLUNTARY,
    AgencyKind.OTHER: Sector.VOLUNTARY,
}


class ReferralRoute(models.TextChoices):
    """How a referral reaches the agency: the referral form proposes the agency's own choice."""

    PARTNERHUB = "partnerhub", "In Partnerhub: the agency's own users read and answer it here"
    SECURE_LINK = "secure_link", "Secure link: an e-mail with a link, opened with a one-time code"
    OWN_CHANNEL = (
        "own_channel",
        "A document we send through the agency's own secure channel (a portal, CJSM, NHSmail)",
    )


class InformationSharingAgreementStatus(models.TextChoices):
    CURRENT = "current", "Current"
    REVIEW_OVERDUE = "overdue", "Past its review date"
    NONE = "none", "None on file"


class AgencyQuerySet(models.QuerySet):
    def with_current_information_sharing_agreement(self, on: date | None = None):
        on = on or timezone.localdate()
        return self.filter(
            information_sharing_agreement_signed_on__lte=on,
            information_sharing_agreement_review_due_on__gte=on,
        )

    def with_information_sharing_agreement_status(self, status: str, on: date | None = None):
        on = on or timezone.localdate()
        if status == InformationSharingAgreementStatus.CURRENT:
            return self.with_current_information_sharing_agreement(on)
        if status == InformationSharingAgreementStatus.REVIEW_OVERDUE:
            return self.filter(information_sharing_agreement_review_due_on__lt=on)
        return self.filter(
            models.Q(information_sharing_agreement_signed_on__isnull=True)
            | models.Q(information_sharing_agreement_signed_on__gt=on)
        )

    def covering(self, *, local_authorities=(), regions=()):
        return self.filter(covers(local_authorities=local_authorities, regions=regions))

    def serving(self, local_authority):
        """Agencies that work in this local authority: those covering it, and those that name no
        area at all, which work everywhere (a national helpline, the Single Competent Authority)."""
        named_area = models.Exists(
            Agency.local_authorities.through.objects.filter(agency_id=models.OuterRef("pk"))
        ) | models.Exists(Agency.regions.through.objects.filter(agency_id=models.OuterRef("pk")))
        return self.filter(covers(local_authorities=[local_authority]) | ~models.Q(named_area))


def covers(*, local_authorities=(), regions=()) -> models.Q:
    """Whether an agency works in any of these places, as an expression usable in SQL.

    An agency covers a local authority when it names it, or names its whole region; it covers a
    region when it names the region or any local authority in it. Either argument may be a list
    of objects or ids, or a subquery of ids, so "my areas" costs no extra query.
    """
    local_authority_ids = _ids(local_authorities)
    region_ids = _ids(regions)
    named_local_authority = Agency.local_authorities.through.objects.filter(
        agency_id=models.OuterRef("pk")
    ).filter(
        models.Q(localauthority_id__in=local_authority_ids)
        | models.Q(localauthority__region_id__in=region_ids)
    )
    named_region = Agency.regions.through.objects.filter(agency_id=models.OuterRef("pk")).filter(
        models.Q(region_id__in=region_ids)
        | models.Q(region__local_authorities__in=local_authority_ids)
    )
    return models.Q(models.Exists(named_local_authority)) | models.Q(models.Exists(named_region))


def _ids(values):
    if isinstance(values, models.QuerySet):
        return values
    return [getattr(value, "pk", value) for value in values]


class Agency(models.Model):
    """A partner organisation in the directory: who it is, where it works, how to reach it."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=AgencyKind.choices)
    sector = models.CharField(max_length=16, choices=Sector.choices, editable=False)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="part of",
        help_text="For example, a MASH within a council.",
    )
    local_authorities = models.ManyToManyField(
        "LocalAuthority",
        blank=True,
        related_name="agencies",
        verbose_name="local authorities covered",
    )
    regions = models.ManyToManyField(
        "Region",
        blank=True,
        related_name="agencies",
        verbose_name="whole regions covered",
    )
    address = models.TextField(blank=True)
    phone = models.CharField("phone number", max_length=40, blank=True)
    email = models.EmailField("general e-mail address", blank=True)
    secure_email = models.EmailField(
        "secure e-mail address",
        blank=True,
        help_text="Where case information may be sent, for example a .gov.uk or .nhs.net address.",
    )
    website = models.URLField(blank=True)
    services = models.TextField("services offered", blank=True)
    referral_route = models.CharField(
        "preferred referral route", max_length=16, choices=ReferralRoute.choices, blank=True
    )
    how_to_refer = models.TextField("how to refer", blank=True)
    referral_criteria = models.TextField("referral criteria", blank=True)
    out_of_hours = models.TextField("out-of-hours route", blank=True)
    information_sharing_agreement_signed_on = models.DateField(
        "information sharing agreement signed on", null=True, blank=True
    )
    information_sharing_agreement_review_due_on = models.DateField(
        "information sharing agreement review due on", null=True, blank=True
    )
    is_active = models.BooleanField("active", default=True)
    notes = models.TextField(blank=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]
        permissions = [
            ("import_directory", "Can import agencies and contacts from a CSV file"),
            ("change_own_agency", "Can change their own agency's details and contacts"),
        ]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="agency_name_unique_ignoring_case"),
            # An agreement on file always has both dates, and is reviewed after it was signed.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        information_sharing_agreement_signed_on__isnull=True,
                        information_sharing_agreement_review_due_on__isnull=True,
                    )
                    | models.Q(
                        information_sharing_agreement_signed_on__isnull=False,
                        information_sharing_agreement_review_due_on__isnull=False,
                        information_sharing_agreement_review_due_on__gt=models.F(
                            "information_sharing_agreement_signed_on"
                        ),
                    )
                ),
                name="agency_agreement_has_signed_and_later_review_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")),
                name="agency_is_not_its_own_parent",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The sector follows from the kind; it is stored so lists can filter on it in SQL.
        self.sector = SECTOR_OF_KIND[AgencyKind(self.kind)]
        if kwargs.get("update_fields") is not None and "kind" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sector"}
        super().save(*args, **kwargs)

    @property
    def audit_label(self) -> str:
        return self.name

    def areas_summary(self, limit: int = 4) -> str:
        """The areas covered, in a few words for a list (uses prefetched areas when present)."""
        names = [f"{region.name} (whole region)" for region in self.regions.all()]
        names += [local_authority.name for local_authority in self.local_authorities.all()]
        if len(names) > limit:
            return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
        return ", ".join(names)

    def information_sharing_agreement_status(
        self, on: date | None = None
    ) -> InformationSharingAgreementStatus:
        on = on or timezone.localdate()
        signed, review_due = (
            self.information_sharing_agreement_signed_on,
            self.information_sharing_agreement_review_due_on,
        )
        if signed is None or signed > on:
            return InformationSharingAgreementStatus.NONE
        if review_due is not None and review_due < on:
            return InformationSharingAgreementStatus.REVIEW_OVERDUE
        return InformationSharingAgreementStatus.CURRENT

    def has_current_information_sharing_agreement(self, on: date | None = None) -> bool:
        """Whether an agreement signed by `on` and not yet past its review date is on file.

        The consent gate refuses disclosures to an agency without one.
        """
        return self.information_sharing_agreement_status(on) == (
            InformationSharingAgreementStatus.CURRENT
        )


class Contact(models.Model):
    """A named person at an agency. They may or may not sign in to Partnerhub."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="contacts")
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    email = models.EmailField("e-mail address", blank=True)
    phone = models.CharField("phone number", max_length=40, blank=True)
    is_single_point_of_contact = models.BooleanField(
        "single point of contact",
        default=False,
        help_text="The person partners should contact first at this agency.",
    )
    is_active = models.BooleanField("active", default=True)
    user = models.ForeignKey(
        "User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directory_entries",
        verbose_name="Partnerhub account",
    )

    class Meta:
        ordering = ["-is_single_point_of_contact", "full_name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="", phone=""),
                name="contact_has_email_or_phone",
            ),
        ]

    def __str__(self):
        return f"{self.full_name}, {self.agency}" if self.agency_id else self.full_name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("A person needs an e-mail address to sign in")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their e-mail address; every person belongs to one agency."""

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="staff", null=True)
    # What a person was given as a member of one agency (a calendar feed address) must not outlive
    # their membership, so the start of the current one is kept when they move. Empty means the
    # membership began with the account: nothing of theirs can be older than that.
    agency_since = models.DateTimeField(
        "member of this agency since", null=True, blank=True, editable=False
    )
    is_active = models.BooleanField("active", default=True)
    is_staff = models.BooleanField(
        "administration site access",
        default=False,
        help_text="Whether this person may use Django's administration site.",
    )
    date_joined = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(
        "last deactivated at", null=True, blank=True, editable=False
    )
    assigned_local_authorities = models.ManyToManyField(
        "LocalAuthority",
        blank=True,
        related_name="partnership_managers",
        verbose_name="my areas",
        help_text="The local authorities a partnership manager looks after.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        permissions = [("invite_user", "Can invite a person to Partnerhub")]
        constraints = [
            # Sign-in ignores case, so two people must not hold one address in different cases.
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ignoring_case"),
        ]

    def __str__(self):
        return f"{self.full_name} <{self.email}>"

    @property
    def audit_label(self) -> str:
        return self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def role_names(self) -> list[str]:
        return [group.name for group in self.groups.all()]


class Invitation(models.Model):
    """A single-use, expiring link that lets an invited person set their first password.

    Only a digest of the token is stored, so a copy of the database cannot be used to accept
    someone else's invitation.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="invitations_sent", null=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.user.email}"


class Region(models.Model):
    """An English region (ONS code E12…), with its Strategic Migration Partnership."""

    code = models.CharField("ONS code", max_length=9, unique=True)
    name = models.CharField(max_length=100, unique=True)
    is_active = models.BooleanField("in use", default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def audit_label(self) -> str:
        return self.name


class LocalAuthority(models.Model):
    """An upper-tier local authority (one with social-care duties), by its ONS code.

    Reference data loaded by migration; retired (is_active off) rather than deleted once used.
    """

    code = models.CharField("ONS code", max_length=9, unique=True)
    name = models.CharField(max_length=100)
    ons_name = models.CharField(
        "ONS spelling", max_length=100, blank=True, help_text="Where ONS spells it differently."
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="local_authorities")
    is_active = models.BooleanField("in use", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self):
        return self.name

    @property
    def audit_label(self) -> str:
        return self.name

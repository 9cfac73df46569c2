"""The directory's data: agencies, and the people who sign in, each belonging to one agency."""

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


class Agency(models.Model):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=AgencyKind.choices)
    sector = models.CharField(max_length=16, choices=Sector.choices, editable=False)
    is_active = models.BooleanField("active", default=True)

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="agency_name_unique_ignoring_case"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The sector follows from the kind; it is stored so lists can filter on it in SQL.
        self.sector = SECTOR_OF_KIND[AgencyKind(self.kind)]
        super().save(*args, **kwargs)


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
    is_active = models.BooleanField("active", default=True)
    is_staff = models.BooleanField(
        "administration site access",
        default=False,
        help_text="Whether this person may use Django's administration site.",
    )
    date_joined = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        permissions = [("invite_user", "Can invite a person to Partnerhub")]

    def __str__(self):
        return f"{self.full_name} <{self.email}>"

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

"""One factory per main record, for every test. Records whose valid state a service creates
(a case opened, a consent granted, a referral drafted, a forum or meeting set up) are made
through that service, so they carry the audit events and checks a page would have given them
and the database guards accept them."""

from datetime import date, time, timedelta

import factory
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from agencies.models import Agency, AgencyKind, Contact, LocalAuthority, User
from core.roles import Role
from meetings import services as meeting_services
from meetings.models import Forum, ForumKind, Meeting
from sharing import services as sharing_services
from sharing.models import (
    AccommodationType,
    Case,
    ConcernSource,
    Consent,
    DataCategory,
    HouseholdType,
    Purpose,
    Referral,
    ReferralKind,
    RiskLevel,
    SupportType,
    Urgency,
)

TEST_PASSWORD = "correct-horse-battery-staple"
ANOTHER_PERSON = "Another person with the same details, for the test"
ALL_CATEGORIES = [choice.value for choice in DataCategory]


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda number: f"Test agency {number}")
    kind = AgencyKind.NGO

    class Params:
        # Agencies a case may be shared with need a current information sharing agreement.
        with_agreement = factory.Trait(
            information_sharing_agreement_signed_on=date(2025, 1, 1),
            information_sharing_agreement_review_due_on=date(2030, 1, 1),
        )


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    agency = factory.SubFactory(AgencyFactory)
    full_name = "Jo Bloggs"
    email = factory.LazyAttribute(
        lambda contact: f"{contact.full_name.lower().replace(' ', '.')}@example.org"
    )


class UserFactory(DjangoModelFactory):
    """A person who signs in, with the roles given (`roles=[Role.PARTNER]`) and, unless
    `mfa=False`, a second factor, as every person must have where it is required."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda number: f"person{number}@example.org")
    full_name = factory.Sequence(lambda number: f"Test Person {number}")
    agency = factory.SubFactory(AgencyFactory, kind=AgencyKind.HOUSING_PROVIDER)

    @classmethod
    def _create(cls, model_class, *args, **fields):
        return model_class.objects.create_user(password=TEST_PASSWORD, **fields)

    @factory.post_generation
    def roles(user, create, roles, **kwargs):
        if roles:
            user.groups.set(Group.objects.filter(name__in=[Role(role).value for role in roles]))

    @factory.post_generation
    def mfa(user, create, mfa, **kwargs):
        if mfa is not False:
            TOTP.activate(user, generate_totp_secret())


class CaseFactory(DjangoModelFactory):
    """A case opened through `open_case` by `actor` (an officer unless given), assigned to
    `officers` (the actor unless given). Cases made with the same values are different people
    to the tests, and say so when `open_case` asks (`why_new_case`)."""

    class Meta:
        model = Case

    given_names = "Amina"
    family_name = "Haddad"
    date_of_birth = date(1990, 5, 17)
    sex_or_gender = "Female"
    nationality = "SY"
    language = "ara"
    interpreter_needed = True
    support_type = SupportType.SECTION_95
    accommodation_type = AccommodationType.DISPERSED
    address = "12 Cheetham Hill Road"
    postcode = "M8 8EP"
    local_authority = factory.LazyFunction(lambda: LocalAuthority.objects.get(code="E08000003"))
    household_type = HouseholdType.SINGLE
    concern_source = factory.LazyFunction(lambda: ConcernSource.objects.get(code="housing-officer"))
    concern_received_on = date(2026, 1, 2)
    risk_level = RiskLevel.MEDIUM
    actor = factory.SubFactory(UserFactory, roles=[Role.SAFEGUARDING_OFFICER])
    officers = factory.LazyAttribute(lambda case: [case.actor])

    @classmethod
    def _create(cls, model_class, *args, actor, officers, why_new_case=ANOTHER_PERSON, **fields):
        case = model_class(**fields)
        case.full_clean(exclude=["reference", "created_by"])
        return sharing_services.open_case(
            case=case, officers=officers, why_new_case=why_new_case, actor=actor
        )


class ConsentFactory(DjangoModelFactory):
    """Consent granted in Partnerhub by an Authority user through `grant_consent`, current from
    a day ago for thirty days unless told otherwise."""

    class Meta:
        model = Consent

    case = factory.SubFactory(CaseFactory)
    recipients = factory.LazyFunction(list)
    purposes = (Purpose.SAFEGUARDING_REFERRAL,)
    categories = ALL_CATEGORIES
    valid_from = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    valid_until = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    granted_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    actor = factory.SubFactory(
        UserFactory,
        roles=[Role.AUTHORITY],
        agency=factory.SubFactory(AgencyFactory, kind=AgencyKind.AUTHORITY),
    )

    @classmethod
    def _create(cls, model_class, *args, recipients, purposes, categories, **fields):
        return sharing_services.grant_consent(
            recipients=list(recipients),
            purposes=list(purposes),
            categories=list(categories),
            **fields,
        )


class ReferralFactory(DjangoModelFactory):
    """A draft referral to an IDVA service, made through `create_referral` by `actor` (the
    case's first officer unless given)."""

    class Meta:
        model = Referral

    case = factory.SubFactory(CaseFactory)
    agency = factory.SubFactory(AgencyFactory, name="Manchester IDVA Service")
    kind = factory.LazyFunction(lambda: ReferralKind.objects.get(code="idva"))
    reason = "Disclosed domestic abuse by a former partner."
    urgency = Urgency.URGENT
    actor = factory.LazyAttribute(lambda referral: referral.case.assigned_officers.first())

    @classmethod
    def _create(cls, model_class, *args, actor, **fields):
        return sharing_services.create_referral(referral=model_class(**fields), actor=actor)


class ForumFactory(DjangoModelFactory):
    """A forum set up through `save_forum`: a monthly MARAC (second Tuesday, 10:00) unless
    told otherwise. Level and case discussion follow the kind, as the forum form sets them."""

    class Meta:
        model = Forum

    name = factory.Sequence(lambda number: f"Test forum {number}")
    kind = factory.LazyFunction(lambda: ForumKind.objects.get(code="marac"))
    level = factory.LazyAttribute(lambda forum: forum.kind.default_level)
    discusses_cases = factory.LazyAttribute(lambda forum: forum.kind.discusses_cases)
    schedule_rrule = "FREQ=MONTHLY;BYDAY=2TU"
    schedule_starts_on = date(2026, 1, 1)
    schedule_time = time(10, 0)
    schedule_duration_minutes = 120
    schedule_location = "Manchester Town Hall, Committee Room 2"
    member_agencies = factory.LazyFunction(list)
    members = factory.LazyFunction(list)
    actor = factory.SubFactory(UserFactory, roles=[Role.PARTNERSHIP_MANAGER])

    @classmethod
    def _create(cls, model_class, *args, member_agencies, members, actor, **fields):
        return meeting_services.save_forum(
            forum=model_class(**fields),
            member_agencies=list(member_agencies),
            members=list(members),
            actor=actor,
        )


class MeetingFactory(DjangoModelFactory):
    """A meeting outside any schedule, made through `create_meeting`, which invites the forum's
    members as the page does."""

    class Meta:
        model = Meeting

    forum = factory.SubFactory(ForumFactory)
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    end = factory.LazyAttribute(lambda meeting: meeting.start + timedelta(hours=2))
    location = "Manchester Town Hall, Committee Room 2"
    online_url = ""
    actor = factory.SubFactory(UserFactory, roles=[Role.PARTNERSHIP_MANAGER])

    @classmethod
    def _create(cls, model_class, *args, **fields):
        return meeting_services.create_meeting(**fields)


def case_values(**overrides) -> dict:
    """The case factory's values for the fields a person fills in, as a form would carry them."""
    values = factory.build(dict, FACTORY_CLASS=CaseFactory, actor=None, officers=None)
    del values["actor"], values["officers"]
    return {**values, **overrides}

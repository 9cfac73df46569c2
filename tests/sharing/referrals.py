"""Sending referrals in tests about the referral lifecycle rather than about the consent gate:
the Authority's consent and the agency's agreement are put in place first."""

from datetime import date, timedelta

from django.utils import timezone

from agencies.models import AgencyKind, ReferralRoute, User
from core.roles import Role
from sharing import services
from sharing.models import DataCategory, LawfulBasis, PersonTold, Purpose
from tests.factories import AgencyFactory, ConsentFactory, UserFactory

RELEASE_CATEGORIES = [DataCategory.IDENTITY, DataCategory.VULNERABILITIES]


def release_fields(**overrides) -> dict:
    """The send form's fields for a routine referral."""
    fields = {
        "purpose": Purpose.SAFEGUARDING_REFERRAL,
        "categories": RELEASE_CATEGORIES,
        "content": "Name, date of birth and the concern, as agreed with the person.",
        "route": ReferralRoute.OWN_CHANNEL,
        "necessity": "The agency needs to know to offer support.",
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
        "special_category_condition": "sch1_para18",
        "person_told": PersonTold.TOLD,
    }
    fields.update(overrides)
    # The text was composed for exactly the categories sent, as the page's own round trip does.
    fields.setdefault("composed_for", ",".join(sorted(fields["categories"])))
    return fields


def authority_person() -> User:
    """Someone at the Authority to grant consent: only the Authority speaks for itself."""
    person = User.objects.filter(groups__name=Role.AUTHORITY, is_active=True).first()
    if person is None:
        person = UserFactory(
            email="consent.granter@example.org",
            full_name="Grace Granter",
            agency=AgencyFactory(name="The Authority (consent)", kind=AgencyKind.AUTHORITY),
            roles=[Role.AUTHORITY],
            mfa=False,
        )
    return person


def allow_sharing(referral):
    """An information sharing agreement for the agency and a consent covering the referral."""
    agency = referral.agency
    if not agency.has_current_information_sharing_agreement():
        type(agency).objects.filter(pk=agency.pk).update(
            information_sharing_agreement_signed_on=date(2025, 1, 1),
            information_sharing_agreement_review_due_on=date(2030, 1, 1),
        )
        agency.refresh_from_db()
    ConsentFactory(
        case=referral.case,
        recipients=[agency],
        categories=RELEASE_CATEGORIES,
        valid_from=timezone.now() - timedelta(minutes=1),
        granted_at=None,
        actor=authority_person(),
    )


def send_with_consent(*, referral, actor, note="", route=ReferralRoute.OWN_CHANNEL, content=None):
    allow_sharing(referral)
    data = release_fields(route=route, **({"content": content} if content else {}))
    record_of_decision = services.DecisionRecord(
        necessity=data["necessity"],
        lawful_basis=data["lawful_basis"],
        special_category_condition=data["special_category_condition"],
        person_told=data["person_told"],
        categories=tuple(data["categories"]),
    )
    return services.send_referral(
        referral=referral,
        actor=actor,
        note=note,
        purpose=data["purpose"],
        categories=data["categories"],
        content=data["content"],
        route=data["route"],
        record_of_decision=record_of_decision,
    )


def send_without_agreement(referral, officer):
    """Send a referral to an agency with no current information sharing agreement: only
    allowed while PARTNERHUB_AGREEMENT_CHECK is "warn"."""
    ConsentFactory(
        case=referral.case,
        recipients=[referral.agency],
        categories=RELEASE_CATEGORIES,
        valid_from=timezone.now() - timedelta(minutes=1),
        granted_at=None,
        actor=authority_person(),
    )
    data = release_fields()
    return services.send_referral(
        referral=referral,
        actor=officer,
        purpose=data["purpose"],
        categories=data["categories"],
        content=data["content"],
        route=data["route"],
        record_of_decision=services.DecisionRecord(
            necessity=data["necessity"],
            lawful_basis=data["lawful_basis"],
            special_category_condition=data["special_category_condition"],
            person_told=data["person_told"],
            categories=tuple(data["categories"]),
        ),
    )

"""Reads for the directory pages and exports, each a fixed number of queries at any size."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core.exceptions import FieldDoesNotExist
from django.db.models import BooleanField, ExpressionWrapper, Prefetch, QuerySet
from django.utils import timezone

from agencies.models import Agency, Contact, LocalAuthority, User, covers
from agencies.permissions import agencies_editable_by, can_manage_directory, can_view_contacts
from audit.selectors import events_about

HISTORY_LENGTH = 50
# An information sharing agreement is listed for review this long before its review date: time
# to agree the new one before the consent gate stops releases to the agency.
AGREEMENT_REVIEW_NOTICE_DAYS = 30


def _my_areas(user: User):
    return User.assigned_local_authorities.through.objects.filter(user_id=user.pk).values(
        "localauthority_id"
    )


def directory_for(*, user: User, agencies: QuerySet[Agency]) -> QuerySet[Agency]:
    """The (already filtered) agencies as the list shows them: the person's areas first."""
    return (
        agencies.select_related("parent")
        .prefetch_related(
            "regions",
            Prefetch("local_authorities", LocalAuthority.objects.only("name", "region_id")),
        )
        .annotate(
            in_my_areas=ExpressionWrapper(
                covers(local_authorities=_my_areas(user)), output_field=BooleanField()
            )
        )
        .order_by("-in_my_areas", "name", "pk")
    )


def agency_page(*, user: User, agency: Agency, with_history: bool) -> dict:
    """Everything the agency page shows, in one query per section."""
    contacts = []
    if can_view_contacts(user):
        contacts = list(agency.contacts.select_related("user").order_by(*Contact._meta.ordering))
    history = []
    if with_history:
        events = events_about(agency, *contacts).order_by("-sequence")[:HISTORY_LENGTH]
        history = [
            {
                "event": event,
                "is_contact": event.object_type == "agencies.contact",
                "fields": [_field_label(event.object_type, name) for name in event.changed_fields],
            }
            for event in events
        ]
    return {
        "contacts": [contact for contact in contacts if contact.is_active],
        "inactive_contacts": [contact for contact in contacts if not contact.is_active],
        "local_authorities": list(agency.local_authorities.select_related("region")),
        "regions": list(agency.regions.all()),
        "children": list(agency.children.all()),
        "history": history,
    }


def agencies_for_export(agencies: QuerySet[Agency]) -> QuerySet[Agency]:
    return agencies.select_related("parent").prefetch_related(
        "regions", Prefetch("local_authorities", LocalAuthority.objects.only("name"))
    )


def _field_label(object_type: str, name: str) -> str:
    model = Contact if object_type == "agencies.contact" else Agency
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def email_address_taken(email: str, *, by_other_than: User | None = None) -> bool:
    """Whether someone (other than `by_other_than`) signs in with this address, whatever its
    case: as their account's address, or as one allauth keeps for them."""
    people = User.objects.filter(email__iexact=email)
    addresses = EmailAddress.objects.filter(email__iexact=email)
    if by_other_than is not None:
        people = people.exclude(pk=by_other_than.pk)
        addresses = addresses.exclude(user_id=by_other_than.pk)
    return people.exists() or addresses.exists()


def agreements_falling_due(*, on=None) -> QuerySet[Agency]:
    """Active agencies whose information sharing agreement is past its review date or reaches
    it within the notice period, the earliest review first."""
    on = on or timezone.localdate()
    return Agency.objects.filter(
        is_active=True,
        information_sharing_agreement_review_due_on__lte=on
        + timedelta(days=AGREEMENT_REVIEW_NOTICE_DAYS),
    ).order_by("information_sharing_agreement_review_due_on", "name", "pk")


def agreements_due_for_review(*, user: User, on=None) -> QuerySet[Agency]:
    """The agreements falling due that this person keeps: for those who manage the directory,
    the agencies they may edit."""
    if not can_manage_directory(user):
        return Agency.objects.none()
    return agreements_falling_due(on=on).filter(pk__in=agencies_editable_by(user).values("pk"))

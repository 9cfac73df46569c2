"""Who may see and change what in the directory: the one place views, templates and exports ask.

Partnership managers and administrators manage every entry. A partner agency's own people may
keep their own agency's details and contacts up to date, and nothing else. The rule needs only
the person's permissions (cached on the user) and their agency id, so it costs no query per row.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from agencies.models import Agency, Contact
from config.authority import require


def can_view_directory(user) -> bool:
    return user.has_perm("agencies.view_agency")


def can_view_contacts(user) -> bool:
    return user.has_perm("agencies.view_contact")


def can_manage_directory(user) -> bool:
    """Create any agency, change any entry, deactivate, import."""
    return user.has_perm("agencies.change_agency")


def can_create_agency(user) -> bool:
    return user.has_perm("agencies.add_agency")


def can_import_directory(user) -> bool:
    return user.has_perm("agencies.import_directory")


def can_edit_agency(user, agency: Agency) -> bool:
    if can_manage_directory(user):
        return True
    return (
        user.has_perm("agencies.change_own_agency")
        and user.agency_id is not None
        and user.agency_id == agency.pk
    )


def can_edit_contacts(user, agency: Agency) -> bool:
    if user.has_perm("agencies.change_contact") and user.has_perm("agencies.add_contact"):
        return True
    return can_edit_agency(user, agency)


def can_manage_areas_of(user, person) -> bool:
    """Administrators assign any partnership manager's areas; a partnership manager, their own."""
    if user.has_perm("agencies.change_user"):
        return True
    return user.pk == person.pk and user.has_perm("agencies.change_agency")


def can_change_roles_of(user, person) -> bool:
    """Administrators give people their roles and the administration site, never themselves:
    nobody widens their own rights. Superuser is not given here at all (createsuperuser)."""
    return user.has_perm("agencies.change_user") and user.pk != person.pk


def require_may_change_roles_of(user, person) -> None:
    require(can_change_roles_of(user, person), user, "change this person's roles")


def can_change_account(user, person) -> bool:
    """A superuser's account is changed by another superuser only, so an administrator cannot
    take it over (by giving it their own e-mail address, then resetting its password)."""
    return user.has_perm("agencies.change_user") and (user.is_superuser or not person.is_superuser)


def require_may_change_account(user, person) -> None:
    require(can_change_account(user, person), user, "change this person's account")


def agency_for_viewing(user, pk) -> Agency:
    if not can_view_directory(user):
        raise Http404
    return get_object_or_404(Agency.objects.select_related("parent"), pk=pk)


def agency_for_editing(user, pk) -> Agency:
    """The agency, if this person may change it; otherwise a 404 that confirms nothing."""
    agency = get_object_or_404(Agency.objects.select_related("parent"), pk=pk)
    if not can_edit_agency(user, agency):
        raise Http404
    return agency


def agency_for_contact_editing(user, pk) -> Agency:
    agency = get_object_or_404(Agency, pk=pk)
    if not can_edit_contacts(user, agency):
        raise Http404
    return agency


def contact_for_editing(user, agency_pk, pk) -> Contact:
    contact = get_object_or_404(
        Contact.objects.select_related("agency"), pk=pk, agency_id=agency_pk
    )
    if not can_edit_contacts(user, contact.agency):
        raise Http404
    return contact

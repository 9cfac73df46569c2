"""Who may see and change what in the directory: the one place views, templates and exports ask.

Partnership managers and administrators manage every entry. A partner agency's own people may
keep their own agency's details and contacts up to date, and nothing else. The rule needs only
the person's permissions (cached on the user) and their agency id, so it costs no query per row.
"""

from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from agencies.models import Agency, Contact
from core.authority import require

# What an agency's own people may change about their entry, in the order their form asks (the
# rest is the partnership managers': its name, kind, areas, agreement dates and notes).
OWN_AGENCY_FIELDS = (
    "address",
    "phone",
    "email",
    "secure_email",
    "referral_route",
    "website",
    "services",
    "how_to_refer",
    "referral_criteria",
    "out_of_hours",
)


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


def agencies_editable_by(user) -> QuerySet[Agency]:
    """The entries this person may change: every one for the directory's managers, their own
    agency's for a person holding `change_own_agency`, none otherwise."""
    if can_manage_directory(user):
        return Agency.objects.all()
    if user.has_perm("agencies.change_own_agency") and user.agency_id is not None:
        return Agency.objects.filter(pk=user.agency_id)
    return Agency.objects.none()


def can_edit_agency(user, agency: Agency) -> bool:
    # The same answer as `agencies_editable_by`, without a query: the rule needs only the
    # person's permissions and agency id (tests/agencies/test_service_authority.py holds the two
    # to agreement).
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


def can_invite(user) -> bool:
    return user.has_perm("agencies.invite_user")


def can_manage_people(user) -> bool:
    """Deactivate, reactivate and move people between agencies: administrators."""
    return user.has_perm("agencies.change_user")


# The checks every write service makes first, raising the shared refusal.


def require_create_agency(user) -> None:
    require(can_create_agency(user), user, "add an agency to the directory")


def require_edit_agency(user, agency: Agency, fields) -> None:
    require(can_edit_agency(user, agency), user, "change this agency's entry")
    if not can_manage_directory(user):
        require(
            set(fields) <= set(OWN_AGENCY_FIELDS),
            user,
            "change an agency's name, kind, areas or notes",
        )


def require_manage_directory(user) -> None:
    require(can_manage_directory(user), user, "deactivate or reactivate a directory entry")


def require_edit_contacts(user, agency: Agency) -> None:
    require(can_edit_contacts(user, agency), user, "change this agency's contacts")


def require_import_directory(user) -> None:
    require(can_import_directory(user), user, "import into the directory")


def require_invite(user) -> None:
    require(can_invite(user), user, "invite a person")


def require_manage_people(user) -> None:
    require(can_manage_people(user), user, "deactivate, reactivate or move a person")


def require_manage_areas_of(user, person) -> None:
    require(can_manage_areas_of(user, person), user, "assign areas to this person")


def people_who_keep_the_directory() -> list:
    """Those told when an agency's information sharing agreement falls due for review."""
    return list(
        ModelBackend().with_perm("agencies.change_agency", is_active=True, include_superusers=False)
    )

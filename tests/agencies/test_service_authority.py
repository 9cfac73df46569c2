"""Every directory write service checks who acts, whoever calls it: a page, the administration
site, an import, a command or a shell. A refusal is the shared `NotPermitted` and writes nothing.

The table: each persona against each service, allowed or refused."""

import pytest
from django.contrib.auth.models import Group

from agencies import imports, permissions, services
from agencies.models import Agency, AgencyKind, Contact, LocalAuthority, User
from audit.models import AuditEvent
from core.authority import NotPermitted
from core.roles import Role

PERSONAS = (
    "administrator",
    "partnership_manager",
    "officer",
    "manager",
    "authority_user",
    "compliance_reviewer",
    "partner_user",
    "other_partner",
)

DIRECTORY_MANAGERS = {"administrator", "partnership_manager"}
# The partner persona belongs to the agency the services act on (`subject`).
OWN_AGENCY = DIRECTORY_MANAGERS | {"partner_user"}
ADMINISTRATORS = {"administrator"}


@pytest.fixture
def other_partner(make_user, make_agency):
    return make_user(Role.PARTNER, agency=make_agency("Another Charity"), full_name="Olu Other")


@pytest.fixture
def subject(partner_user):
    """The partner persona's own agency, with one contact."""
    agency = partner_user.agency
    Contact.objects.create(agency=agency, full_name="Chris Contact", email="chris@example.org")
    return agency


def _contact(agency):
    return agency.contacts.get()


IMPORT_CSV = "name,kind\nImported Refugee Network,NGO / voluntary\n"

SERVICES = {
    "create an agency": (
        DIRECTORY_MANAGERS,
        lambda actor, agency, people: services.create_agency(
            actor=actor, values={"name": "New Agency", "kind": AgencyKind.NGO}
        ),
    ),
    "change an agency's details": (
        OWN_AGENCY,
        lambda actor, agency, people: services.update_agency(
            agency=agency, actor=actor, values={"phone": "0161 000 1234"}
        ),
    ),
    "rename an agency": (
        DIRECTORY_MANAGERS,
        lambda actor, agency, people: services.update_agency(
            agency=agency, actor=actor, values={"name": "Renamed Charity"}
        ),
    ),
    "deactivate an agency": (
        DIRECTORY_MANAGERS,
        lambda actor, agency, people: services.deactivate_agency(agency=agency, actor=actor),
    ),
    "add a contact": (
        OWN_AGENCY,
        lambda actor, agency, people: services.create_contact(
            agency=agency,
            actor=actor,
            values={"full_name": "Dana Duty", "email": "dana@example.org"},
        ),
    ),
    "change a contact": (
        OWN_AGENCY,
        lambda actor, agency, people: services.update_contact(
            contact=_contact(agency), actor=actor, values={"job_title": "Duty manager"}
        ),
    ),
    "deactivate a contact": (
        OWN_AGENCY,
        lambda actor, agency, people: services.deactivate_contact(
            contact=_contact(agency), actor=actor
        ),
    ),
    "invite a person": (
        ADMINISTRATORS,
        lambda actor, agency, people: services.invite_person(
            full_name="Nia New",
            email="nia.new@example.org",
            agency=agency,
            roles=[Group.objects.get(name=Role.PARTNER)],
            invited_by=actor,
        ),
    ),
    "deactivate a person": (
        ADMINISTRATORS,
        lambda actor, agency, people: services.deactivate_person(
            person=people["officer"], actor=actor
        ),
    ),
    "move a person to another agency": (
        ADMINISTRATORS,
        lambda actor, agency, people: services.move_person(
            person=people["officer"], agency=agency, actor=actor
        ),
    ),
    "assign a partnership manager's areas": (
        # Administrators assign anyone's; a partnership manager only their own (the target here).
        DIRECTORY_MANAGERS,
        lambda actor, agency, people: services.assign_areas(
            person=people["partnership_manager"],
            local_authorities=list(LocalAuthority.objects.filter(name="Salford")),
            actor=actor,
        ),
    ),
    "import agencies": (
        DIRECTORY_MANAGERS,
        lambda actor, agency, people: imports.carry_out(
            what=imports.AGENCIES, text=IMPORT_CSV, actor=actor
        ),
    ),
}


def _footprint():
    return (
        AuditEvent.objects.count(),
        Agency.objects.count(),
        Contact.objects.count(),
        User.objects.count(),
        list(Agency.objects.order_by("pk").values_list("name", "phone", "is_active")),
        list(Contact.objects.order_by("pk").values_list("job_title", "is_active")),
        list(User.objects.order_by("pk").values_list("agency_id", "is_active")),
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("service", SERVICES)
def test_each_directory_service_is_allowed_only_to_the_roles_it_names(
    request, persona, service, subject
):
    people = {name: request.getfixturevalue(name) for name in PERSONAS}
    allowed, call = SERVICES[service]
    actor = people[persona]
    if persona in allowed:
        call(actor, subject, people)
        return
    before = _footprint()
    with pytest.raises(NotPermitted):
        call(actor, subject, people)
    assert _footprint() == before


def test_a_partner_cannot_rename_their_own_agency_even_with_allowed_fields_alongside(
    partner_user, subject
):
    with pytest.raises(NotPermitted):
        services.update_agency(
            agency=subject, actor=partner_user, values={"phone": "0161 1", "name": "Other name"}
        )
    subject.refresh_from_db()
    assert subject.name == "Partner Charity"


def test_a_partnership_manager_cannot_assign_another_managers_areas(partnership_manager, make_user):
    colleague = make_user(Role.PARTNERSHIP_MANAGER)
    with pytest.raises(NotPermitted):
        services.assign_areas(
            person=colleague,
            local_authorities=list(LocalAuthority.objects.filter(name="Salford")),
            actor=partnership_manager,
        )
    assert not colleague.assigned_local_authorities.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_agencies_a_person_may_edit_agree_with_the_yes_or_no_check(
    request, persona, subject, make_agency
):
    person = request.getfixturevalue(persona)
    make_agency("Unrelated Agency")
    editable = set(permissions.agencies_editable_by(person).values_list("pk", flat=True))
    for agency in Agency.objects.all():
        assert permissions.can_edit_agency(person, agency) == (agency.pk in editable)

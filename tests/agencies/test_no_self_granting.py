"""Nobody widens their own rights: an administrator cannot make themselves a superuser, give
themselves a role or the administration site, and superuser is not given from the admin at all."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from agencies import services
from agencies.models import User
from audit.models import Verb
from core.authority import NotPermitted
from core.roles import Role
from tests.agencies.admin_site import _url, admin_change, events_about

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_administrator(make_user):
    return make_user(Role.ADMINISTRATOR, is_staff=True, full_name="Alex Administrator")


@pytest.fixture
def staff_client(staff_administrator):
    client = Client()
    client.force_login(staff_administrator)
    return client


def _form_fields(client, person) -> set[str]:
    page = client.get(_url(User, "change", person.pk))
    assert page.status_code == 200
    return set(page.context["adminform"].form.fields)


def test_an_administrator_ticking_superuser_and_roles_on_their_own_account_gets_nothing(
    staff_client, staff_administrator
):
    manager_role = Group.objects.get(name=Role.SAFEGUARDING_MANAGER.value)
    admin_change(
        staff_client,
        staff_administrator,
        is_superuser="on",
        groups=[manager_role.pk],
        is_staff="on",
        user_permissions=[1, 2, 3],
        job_title="Lead administrator",
    )
    staff_administrator.refresh_from_db()
    assert staff_administrator.is_superuser is False
    assert staff_administrator.role_names == [Role.ADMINISTRATOR.value]
    assert not staff_administrator.user_permissions.exists()
    assert staff_administrator.job_title == "Lead administrator"
    assert Verb.PERMISSION_CHANGED not in {e.verb for e in events_about(staff_administrator)}


def test_ones_own_roles_and_administration_site_access_are_shown_not_offered(
    staff_client, staff_administrator, officer
):
    own = _form_fields(staff_client, staff_administrator)
    assert own.isdisjoint({"is_superuser", "is_staff", "groups", "user_permissions"})
    someone_else = _form_fields(staff_client, officer)
    assert {"is_staff", "groups"} <= someone_else
    assert someone_else.isdisjoint({"is_superuser", "user_permissions"})


def test_not_even_a_superuser_makes_another_person_a_superuser_in_the_admin(
    admin_site_client, officer
):
    assert "is_superuser" not in _form_fields(admin_site_client, officer)
    admin_change(admin_site_client, officer, is_superuser="on")
    officer.refresh_from_db()
    assert officer.is_superuser is False


def test_an_administrator_still_gives_someone_else_a_role_on_record(
    staff_client, staff_administrator, officer
):
    admin_change(
        staff_client, officer, groups=[Group.objects.get(name=Role.SAFEGUARDING_MANAGER.value).pk]
    )
    assert officer.role_names == [Role.SAFEGUARDING_MANAGER.value]
    [event] = events_about(officer)
    assert (event.verb, event.actor, event.changed_fields) == (
        Verb.PERMISSION_CHANGED,
        staff_administrator,
        ["groups"],
    )


def test_the_role_service_refuses_the_actors_own_account(staff_administrator):
    with pytest.raises(NotPermitted):
        services.change_roles(
            person=staff_administrator,
            actor=staff_administrator,
            roles=list(Group.objects.all()),
            is_staff=True,
        )
    assert staff_administrator.role_names == [Role.ADMINISTRATOR.value]
    assert events_about(staff_administrator) == []


def test_the_role_service_refuses_someone_who_may_not_change_people(officer, manager):
    with pytest.raises(NotPermitted):
        services.change_roles(person=officer, actor=manager, is_staff=True)
    officer.refresh_from_db()
    assert officer.is_staff is False


def test_an_administrator_cannot_change_a_superusers_account(staff_client, site_administrator):
    page = staff_client.get(_url(User, "change", site_administrator.pk))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    response = staff_client.post(
        _url(User, "change", site_administrator.pk),
        {"email": "alex@example.org", "full_name": "Root Admin"},
    )
    assert response.status_code == 403
    site_administrator.refresh_from_db()
    assert site_administrator.email != "alex@example.org"

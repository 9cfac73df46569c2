"""Administrators change people's e-mail addresses, on record and never to one someone else
signs in with; allauth's own copies of the old address stop signing in."""

import importlib

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.db import IntegrityError, transaction
from django.test import Client

from agencies import services
from agencies.models import User
from audit.models import Verb
from core.authority import NotPermitted
from core.roles import Role
from tests.agencies.admin_site import _shown, _url, admin_change, events_about
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_administrator(make_user):
    return make_user(Role.ADMINISTRATOR, is_staff=True, full_name="Alex Administrator")


@pytest.fixture
def staff_client(staff_administrator):
    client = Client()
    client.force_login(staff_administrator)
    return client


def _password_accepted(address: str) -> bool:
    response = Client().post("/accounts/login/", {"login": address, "password": TEST_PASSWORD})
    return response.status_code == 302


def test_an_administrators_change_of_address_is_audited_by_field_name_only(
    staff_client, staff_administrator, officer, mailoutbox, django_capture_on_commit_callbacks
):
    old_address = officer.email
    EmailAddress.objects.create(user=officer, email=old_address, verified=True, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        admin_change(staff_client, officer, email="Sam.Officer@Example.org")

    officer.refresh_from_db()
    assert officer.email == "sam.officer@example.org"
    [event] = events_about(officer)
    assert (event.verb, event.actor, event.changed_fields, event.detail) == (
        Verb.CHANGED,
        staff_administrator,
        ["email"],
        {},
    )
    assert _password_accepted("sam.officer@example.org")
    assert not _password_accepted(old_address)
    [notice] = mailoutbox
    assert notice.to == [old_address]
    assert "An administrator has changed the e-mail address you sign in" in notice.body


@pytest.mark.parametrize("written", [str, str.upper], ids=["as written", "in capitals"])
def test_an_address_someone_else_holds_is_refused_in_the_admin(
    staff_client, officer, manager, written
):
    url = _url(User, "change", officer.pk)
    form = staff_client.get(url).context["adminform"].form
    response = staff_client.post(url, {**_shown(form), "email": written(manager.email)})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == [
        "Someone else already signs in with this e-mail address"
    ]
    officer.refresh_from_db()
    assert officer.email != manager.email
    assert events_about(officer) == []


def test_an_address_allauth_keeps_for_someone_else_is_refused_too(
    staff_administrator, officer, manager
):
    EmailAddress.objects.create(user=manager, email="manager.old@example.org")
    with pytest.raises(services.EmailAddressTaken):
        services.change_email(
            person=officer, email="Manager.Old@example.org", actor=staff_administrator
        )
    officer.refresh_from_db()
    assert officer.email != "manager.old@example.org"


def test_only_an_administrator_changes_an_address(officer, manager):
    with pytest.raises(NotPermitted):
        services.change_email(person=officer, email="new@example.org", actor=officer)
    with pytest.raises(NotPermitted):
        services.change_email(person=officer, email="new@example.org", actor=manager)
    officer.refresh_from_db()
    assert officer.email != "new@example.org"


def test_two_accounts_never_hold_one_address_in_different_cases(officer):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=officer.pk).update(email="x@example.org")
        User.objects.create(email="X@Example.org", full_name="Someone Else")


def test_allauths_list_of_addresses_is_not_in_the_administration_site(admin_site_client):
    assert admin_site_client.get("/admin/account/emailaddress/").status_code == 404


def test_the_migration_forgets_addresses_people_gave_themselves(officer, manager):
    migration = importlib.import_module(
        "agencies.migrations.0007_people_sign_in_with_their_own_address_only"
    )
    EmailAddress.objects.create(user=officer, email=officer.email, verified=True, primary=True)
    EmailAddress.objects.create(user=officer, email=manager.email.upper(), verified=True)
    EmailAddress.objects.create(user=manager, email=manager.email.upper())
    migration.forget_addresses_not_their_own(apps, None)
    assert set(EmailAddress.objects.values_list("user_id", "email")) == {
        (officer.pk, officer.email),
        (manager.pk, manager.email.upper()),
    }

"""Shared fixtures: people in each role, signed-in clients, cases, and the database guards."""

from datetime import timedelta
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from django.test import TransactionTestCase
from django.utils import timezone

from agencies import demo as agencies_demo
from agencies.models import AgencyKind, User
from core.roles import Role
from tests import mail as mail_scan
from tests.database_triggers import create_triggers, drop_triggers
from tests.factories import AgencyFactory, CaseFactory, UserFactory

_original_fixture_teardown = TransactionTestCase._fixture_teardown


def _fixture_teardown_lifting_guards(self):
    # A transactional test ends by emptying every table, which the append-only triggers rightly
    # refuse; lift them for the flush alone and put them straight back. They go back as the
    # database held them, not as the guards read now: reinstalling from the guards would hide a
    # guard edited without its migration from the drift test (tests/audit/test_trigger_drift.py).
    lifted = {alias: drop_triggers(connections[alias]) for alias in connections}
    try:
        _original_fixture_teardown(self)
    finally:
        for alias, statements in lifted.items():
            create_triggers(connections[alias], statements)


TransactionTestCase._fixture_teardown = _fixture_teardown_lifting_guards


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production hashing is slow on purpose (a million PBKDF2 rounds); at hundreds of people
    # per run it would be most of the suite's time, and no test is about its strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: a calendar's text kept under its validator, or a
    sign-in attempt counted against a limit, must not carry from one test into the next."""
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _notification_emails_scanned_for_case_data(settings):
    """Every notification e-mail any test sends is read for case data (tests/mail.py)."""
    settings.EMAIL_BACKEND = "tests.mail.CaseDataScanningBackend"
    mail_scan.FOUND.clear()
    yield
    found, mail_scan.FOUND[:] = list(mail_scan.FOUND), []
    assert not found, f"Notification e-mails carried case data: {found}"


@pytest.fixture
def make_agency(db):
    def make(name=None, kind=AgencyKind.NGO, **fields):
        if name is not None:
            fields["name"] = name
        return AgencyFactory(kind=kind, **fields)

    return make


@pytest.fixture
def make_agreed_agency(make_agency):
    """An agency with a current information sharing agreement, so consent alone decides what
    it may be given."""

    def make(name, kind=AgencyKind.NGO):
        today = timezone.localdate()
        return make_agency(
            name,
            kind=kind,
            information_sharing_agreement_signed_on=today - timedelta(days=365),
            information_sharing_agreement_review_due_on=today + timedelta(days=365),
        )

    return make


@pytest.fixture
def provider(make_agency):
    return make_agency("Test Housing Provider", kind=AgencyKind.HOUSING_PROVIDER)


@pytest.fixture
def make_user(db, provider):
    def make(*roles, agency=None, email=None, mfa=True, **fields):
        if email is not None:
            fields["email"] = email
        return UserFactory(roles=roles, agency=agency or provider, mfa=mfa, **fields)

    return make


@pytest.fixture
def make_case(request, officer):
    """Cases opened through the service by the officer, or by the manager when assigning
    them to others."""

    def make(*, officers=None, actor=None, **overrides):
        if actor is None:
            # Only a manager assigns a case to officers other than the one opening it.
            others = officers is not None and list(officers) != [officer]
            actor = request.getfixturevalue("manager") if others else officer
        return CaseFactory(
            actor=actor, officers=officers if officers is not None else [officer], **overrides
        )

    return make


@pytest.fixture
def case(make_case):
    return make_case()


def _client_for(client_class, user):
    client = client_class()
    client.force_login(user)
    return client


@pytest.fixture
def administrator(make_user):
    return make_user(Role.ADMINISTRATOR, full_name="Alex Administrator")


@pytest.fixture
def officer(make_user):
    return make_user(Role.SAFEGUARDING_OFFICER, full_name="Sam Officer")


@pytest.fixture
def manager(make_user):
    return make_user(Role.SAFEGUARDING_MANAGER, full_name="Morgan Manager")


@pytest.fixture
def partnership_manager(make_user):
    return make_user(Role.PARTNERSHIP_MANAGER, full_name="Priya Partnerships")


@pytest.fixture
def authority_user(make_user, make_agency):
    return make_user(
        Role.AUTHORITY,
        agency=make_agency("The Authority", kind=AgencyKind.AUTHORITY),
        full_name="Ada Authority",
    )


@pytest.fixture
def compliance_reviewer(make_user):
    return make_user(Role.COMPLIANCE_REVIEWER, full_name="Casey Compliance")


@pytest.fixture
def partner_user(make_user, make_agency):
    return make_user(
        Role.PARTNER,
        agency=make_agency("Partner Charity", kind=AgencyKind.NGO),
        full_name="Pat Partner",
    )


@pytest.fixture
def administrator_client(client_class_, administrator):
    return _client_for(client_class_, administrator)


@pytest.fixture
def officer_client(client_class_, officer):
    return _client_for(client_class_, officer)


@pytest.fixture
def manager_client(client_class_, manager):
    return _client_for(client_class_, manager)


@pytest.fixture
def partnership_manager_client(client_class_, partnership_manager):
    return _client_for(client_class_, partnership_manager)


@pytest.fixture
def authority_client(client_class_, authority_user):
    return _client_for(client_class_, authority_user)


@pytest.fixture
def compliance_client(client_class_, compliance_reviewer):
    return _client_for(client_class_, compliance_reviewer)


@pytest.fixture
def partner_client(client_class_, partner_user):
    return _client_for(client_class_, partner_user)


@pytest.fixture
def client_class_():
    from django.test import Client

    return Client


@pytest.fixture
def demo_clients(db, client_class_):
    """A signed-in client for each demo person, over the demo's agencies, cases and forums."""
    call_command("seed_demo", stdout=StringIO())
    clients = {}
    for email, _, _, role, _ in agencies_demo.DEMO_PEOPLE:
        person = User.objects.get(email=email)
        if not Authenticator.objects.filter(user=person).exists():
            TOTP.activate(person, generate_totp_secret())
        clients[role] = client_class_()
        clients[role].force_login(person)
    return clients


def pytest_collection_modifyitems(items):
    # A transactional test ends by emptying every table, reference data from the migrations
    # included; serialized rollback puts that data back before each such test begins.
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker is not None else {}
        fixtures = getattr(item, "fixturenames", ())
        if kwargs.get("transaction") or "transactional_db" in fixtures or "live_server" in fixtures:
            item.add_marker(
                pytest.mark.django_db(
                    **{**kwargs, "transaction": True, "serialized_rollback": True}
                ),
                append=False,
            )


@pytest.fixture(autouse=True)
def _audit_checkpoints_in_a_temporary_folder(settings, tmp_path_factory):
    # Commands such as seed_demo write signed checkpoints; keep them out of the project folder.
    settings.AUDIT_CHECKPOINT_DIR = tmp_path_factory.mktemp("audit-checkpoints")

"""A MARAC-like forum with an organiser mailbox and named members, at a fixed moment, and a
fixture to catch the calendar e-mails a change sends."""

from datetime import date

import pytest
import time_machine
from django.core import mail

from agencies.models import AgencyKind
from core.roles import Role
from meetings import services
from meetings.models import ForumKind
from tests.calendars.calendar_mail import NOW, ORGANISER
from tests.factories import ForumFactory


@pytest.fixture(autouse=True)
def immediate_tasks_and_site(settings):
    # Delivery runs as soon as the change commits, whatever backend the environment chose.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PARTNERHUB_SITE_URL = "https://partnerhub.example.org"
    settings.PARTNERHUB_CALENDAR_DOMAIN = ""
    settings.DEFAULT_FROM_EMAIL = "Partnerhub <partnerhub@partnerhub.example.org>"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def police(make_agency):
    return make_agency("Greater Manchester Police", kind=AgencyKind.POLICE)


@pytest.fixture
def charity(make_agency):
    return make_agency("Refugee Action Network", kind=AgencyKind.NGO)


@pytest.fixture
def chair(make_user, provider):
    return make_user(
        Role.PARTNERSHIP_MANAGER, full_name="Chris Chair", email="chris@provider.example"
    )


@pytest.fixture
def dana(make_user, police):
    return make_user(
        Role.PARTNER, agency=police, full_name="Dana Police", email="dana@police.example"
    )


@pytest.fixture
def pat(make_user, charity):
    return make_user(
        Role.PARTNER, agency=charity, full_name="Pat Partner", email="pat@charity.example"
    )


@pytest.fixture
def deputy_user(make_user, police):
    return make_user(
        Role.PARTNER, agency=police, full_name="Dee Deputy", email="dee@police.example"
    )


@pytest.fixture
def make_forum(partnership_manager):
    def make(*, kind="marac", **fields):
        return ForumFactory(
            kind=ForumKind.objects.get(code=kind),
            name=fields.pop("name", "Manchester MARAC"),
            organiser_email=fields.pop("organiser_email", ORGANISER),
            actor=partnership_manager,
            **fields,
        )

    return make


@pytest.fixture
def marac(make_forum, chair, dana, pat, police, charity, provider):
    return make_forum(
        members=[chair, dana, pat], member_agencies=[police, charity, provider], chair=chair
    )


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run a change and return the e-mails it sent once committed."""

    def run(change, *args, **kwargs):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            result = change(*args, **kwargs)
        run.result = result
        return mail.outbox[before:]

    return run


@pytest.fixture
def series(marac, partnership_manager, sent, clock):
    """The MARAC's 2026 meetings, generated (and the first invitations sent)."""
    sent(
        services.schedule_series,
        forum=marac,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        actor=partnership_manager,
    )
    return list(marac.meetings.order_by("start"))

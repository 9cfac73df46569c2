"""A MARAC-like forum with an organiser mailbox and named members, at a fixed moment, and
helpers to catch the calendar e-mails a change sends and to check calendars with ical.js."""

import email
import json
import os
import re
import shutil
import subprocess
from datetime import date, datetime, time
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from icalendar import Calendar

from agencies.models import AgencyKind
from config.roles import Role
from meetings import services
from meetings.calendars.schedule import LONDON
from meetings.models import Forum, ForumKind

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
ORGANISER = "marac.coordinator@manchester.example"
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=LONDON)


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
    def make(*, members=(), member_agencies=(), **fields):
        kind = ForumKind.objects.get(code=fields.pop("kind", "marac"))
        values = {
            "name": "Manchester MARAC",
            "kind": kind,
            "level": kind.default_level,
            "discusses_cases": kind.discusses_cases,
            "schedule_rrule": "FREQ=MONTHLY;BYDAY=2TU",
            "schedule_starts_on": date(2026, 1, 1),
            "schedule_time": time(10, 0),
            "schedule_duration_minutes": 120,
            "schedule_location": "Manchester Town Hall, Committee Room 2",
            "organiser_email": ORGANISER,
        }
        values.update(fields)
        return services.save_forum(
            forum=Forum(**values),
            member_agencies=list(member_agencies),
            members=list(members),
            actor=partnership_manager,
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


# Reading what was sent ------------------------------------------------------------------------


def parsed(message):
    """The e-mail as a mail client receives it."""
    return email.message_from_bytes(message.message().as_bytes())


def calendar_parts(message):
    raw = parsed(message)
    inline = [part for part in raw.walk() if part.get_content_type() == "text/calendar"]
    attached = [part for part in raw.walk() if part.get_filename() == "invite.ics"]
    return raw, inline, attached


def calendar_of(message) -> Calendar:
    _, inline, _ = calendar_parts(message)
    return Calendar.from_ical(inline[0].get_payload(decode=True))


def to_of(message) -> str:
    return message.to[0]


def by_recipient(messages) -> dict:
    return {re.search(r"<(.+)>", to_of(m)).group(1): m for m in messages}


# ical.js, an independent parser -----------------------------------------------------------------


def icaljs(text: str, limit: int = 30) -> dict:
    """Parse and expand a calendar with ical.js (Thunderbird's parser), run by node."""
    node = shutil.which("node")
    assert node, "node is needed to check calendars with ical.js"
    result = subprocess.run(
        [node, str(HERE / "icaljs_expand.mjs"), str(limit)],
        input=text,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        cwd=HERE.parent.parent,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# Golden files -----------------------------------------------------------------------------------

_VOLATILE = [
    (re.compile(r"DTSTAMP:\d{8}T\d{6}Z"), "DTSTAMP:<now>"),
    (re.compile(r"=+\d+=="), "<boundary>"),
    (re.compile(r"^Message-ID: .*$", re.M), "Message-ID: <id>"),
    (re.compile(r"^Date: .*$", re.M), "Date: <date>"),
    (re.compile(r"meeting-\d+@"), "meeting-<id>@"),
    (re.compile(r"forum-\d+-series@"), "forum-<id>-series@"),
    (re.compile(r"/meetings/\d+/"), "/meetings/<id>/"),
    (re.compile(r"/forums/\d+/"), "/forums/<id>/"),
]


def normalised(text: str) -> str:
    # Unfold first, so a volatile value split over two lines is still recognised.
    text = text.replace("\r\n", "\n").replace("\n ", "")
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def _unfolded(header) -> str:
    return re.sub(r"\r?\n(?=[ \t])", "", str(header))


def mime_text(message) -> str:
    """The e-mail as a reader sees it: every part's headers and decoded content, in order."""
    lines = []
    for part in parsed(message).walk():
        lines.append(f"----- {part.get_content_type()}")
        lines.extend(f"{name}: {_unfolded(value)}" for name, value in part.items())
        if not part.is_multipart():
            lines.extend(["", part.get_payload(decode=True).decode()])
    return "\n".join(lines)


def matches_golden(name: str, text: str) -> None:
    """Compare with tests/calendars/golden/<name>; UPDATE_GOLDEN=1 rewrites the files (then
    read the difference before keeping it)."""
    path = GOLDEN / name
    actual = normalised(text)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(actual)
    assert path.exists(), f"No golden file {name}: run with UPDATE_GOLDEN=1 and read it"
    assert actual == path.read_text(), f"{name} differs from its golden file"

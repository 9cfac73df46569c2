"""The demo, seeded once for every test in this folder: seed_demo is slow, and these tests only
read what it made. Each test still runs in its own savepoint, so what one writes (a second seed,
a sign-in) is rolled back before the next; the whole demo is rolled back after the last.

The demo lives in a transaction around this folder alone, so no other test sees it. These tests
run first: xdist hands the first tests of a run to one worker together, so they stay side by side
and the demo is seeded once a run (and the slow seed starts early, not last)."""

from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase, override_settings

CHECKPOINT_KEY = "a-secret-the-database-never-holds"


@dataclass(frozen=True)
class SeededDemo:
    output: str
    sent: list
    checkpoint_dir: Path


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    items.sort(key=lambda item: here not in Path(item.fspath).parents)


@pytest.fixture(scope="package")
def seeded_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    checkpoint_dir = tmp_path_factory.mktemp("demo-checkpoints")
    with django_db_blocker.unblock(), transaction.atomic():
        output = StringIO()
        sent_before = len(mail.outbox)
        with (
            override_settings(
                # The quick hashing every test uses (tests/conftest.py), here for the session.
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                AUDIT_CHECKPOINT_KEY=CHECKPOINT_KEY,
                AUDIT_CHECKPOINT_DIR=checkpoint_dir,
                COMPLIANCE_EMAIL="compliance@example.org",
                EMAIL_BACKEND="tests.mail.CaseDataScanningBackend",
            ),
            # The invitations go out once the seed commits, as they would for `make run`.
            TestCase.captureOnCommitCallbacks(execute=True),
        ):
            call_command("seed_demo", stdout=output)
        yield SeededDemo(
            output=output.getvalue(),
            sent=mail.outbox[sent_before:],
            checkpoint_dir=checkpoint_dir,
        )
        transaction.set_rollback(True)


@pytest.fixture
def demo_checkpoints(seeded_demo, settings):
    """verify_audit reads the checkpoint the seed wrote, with the key it was signed with."""
    settings.AUDIT_CHECKPOINT_KEY = CHECKPOINT_KEY
    settings.AUDIT_CHECKPOINT_DIR = seeded_demo.checkpoint_dir
    settings.COMPLIANCE_EMAIL = "compliance@example.org"
    return seeded_demo.checkpoint_dir

"""Audit test helpers: chains to tamper with, checkpoint settings and real writer processes."""

import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.guards import AUDIT_EVENTS_APPEND_ONLY
from audit.models import Verb
from audit.services import record

ROOT = Path(__file__).resolve().parents[2]
TABLE = "audit_auditevent"


@pytest.fixture(autouse=True)
def _postgres_only(request):
    if request.node.get_closest_marker("postgres_only") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


@pytest.fixture
def chain(db):
    """A chain of `length` events about a handful of records."""

    def make(length=10):
        return [
            record(
                verb=Verb.CHANGED,
                actor_label="officer@example.org",
                object_type="sharing.case",
                object_id=str(number % 3),
                object_label=f"Case PH-{number % 3:04d}",
                changed_fields=["status"],
                detail={"step": number},
                ip_address="192.0.2.10",
            )
            for number in range(1, length + 1)
        ]

    return make


@contextmanager
def tampering():
    """As a database owner could: the append-only guard lifted for the duration."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER ALL")
            try:
                yield cursor
            finally:
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER ALL")
    else:
        AUDIT_EVENTS_APPEND_ONLY.remove(connection)
        try:
            with connection.cursor() as cursor:
                yield cursor
        finally:
            AUDIT_EVENTS_APPEND_ONLY.install(connection)


def verify(*args) -> tuple[bool, str]:
    """Run verify_audit; whether it passed, and what it said."""
    out = StringIO()
    try:
        call_command("verify_audit", *args, stdout=out)
    except CommandError as failure:
        return False, str(failure)
    return True, out.getvalue()


@pytest.fixture
def checkpoint_settings(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_KEY = "test-checkpoint-key-held-outside-the-database"
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    settings.COMPLIANCE_EMAIL = "compliance@example.org"
    return settings


def process_env(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "true",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "test-only"),
    }


def manage(database_url: str, *args, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**process_env(database_url), **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def run_writers(database_url: str, go_file: Path, writers=3, events=150, without_lock=False):
    """Start `writers` processes, release them together, and return their summaries."""
    command = [sys.executable, "-m", "tests.audit.chain_writer"]
    extra = ["--without-lock"] if without_lock else []
    processes = [
        subprocess.Popen(
            [*command, f"writer-{number}", str(events), str(go_file), *extra],
            cwd=ROOT,
            env=process_env(database_url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for number in range(writers)
    ]
    try:
        for process in processes:
            ready = process.stdout.readline().strip()
            assert ready == "ready", process.stderr.read()
        time.sleep(0.1)
        go_file.touch()
        summaries = []
        for process in processes:
            out, err = process.communicate(timeout=300)
            assert process.returncode == 0, err
            summaries.append(json.loads(out.strip().splitlines()[-1]))
        return summaries
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()


def postgres_url(settings_dict: dict, user: str | None = None, password: str | None = None) -> str:
    user = user or settings_dict["USER"]
    password = settings_dict["PASSWORD"] if password is None else password
    credentials = f"{user}:{password}" if password else user
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or "5432"
    return f"postgres://{credentials}@{host}:{port}/{settings_dict['NAME']}"

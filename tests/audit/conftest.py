"""Audit fixtures: chains of events and checkpoint settings; PostgreSQL-only tests skipped
elsewhere."""

import pytest
from django.db import connection

from audit.models import Verb
from audit.services import record


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


@pytest.fixture
def checkpoint_settings(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_KEY = "test-checkpoint-key-held-outside-the-database"
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    settings.COMPLIANCE_EMAIL = "compliance@example.org"
    return settings


@pytest.fixture
def database_queue(settings):
    """Background tasks kept in the database for the worker, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    return settings

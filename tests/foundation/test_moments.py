"""Moments come back from PostgreSQL as they were written, as Django expects them (aware, in
UTC), though psycopg's compiled loader reads them (core.moments)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import psycopg
import pytest
from django.db import connection
from psycopg.postgres import types
from psycopg.pq import Format

from core.moments import CompiledUTCLoader

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("psycopg's loaders are PostgreSQL's")


LONDON = ZoneInfo("Europe/London")
MOMENTS = [
    # Either side of both changes of the clocks in 2026, to the microsecond.
    datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=UTC),
    datetime(2026, 3, 29, 2, 0, tzinfo=LONDON),
    datetime(2026, 10, 25, 1, 30, tzinfo=LONDON, fold=0),
    datetime(2026, 10, 25, 1, 30, tzinfo=LONDON, fold=1),
    datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC),
    datetime(2100, 1, 1, tzinfo=UTC),
]


def test_moments_come_back_from_postgresql_as_the_same_instants_in_utc():
    with connection.cursor() as cursor:
        cursor.execute("SELECT unnest(%s::timestamptz[])", [MOMENTS])
        read = [row[0] for row in cursor.fetchall()]

    assert read == [moment.astimezone(UTC) for moment in MOMENTS]
    assert all(moment.tzinfo is UTC for moment in read)


def test_moments_are_read_by_the_compiled_loader_when_psycopg_has_one():
    if psycopg.pq.__impl__ == "python":
        pytest.skip("psycopg is installed without its compiled extension")
    connection.ensure_connection()

    loader = connection.connection.adapters.get_loader(types["timestamptz"].oid, Format.TEXT)

    assert loader is CompiledUTCLoader

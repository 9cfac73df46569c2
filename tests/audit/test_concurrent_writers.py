"""Several OS processes appending at once still make one line, on SQLite and PostgreSQL.

The writers are real processes against a real database (a temporary SQLite file, or the
PostgreSQL test database), released together; afterwards verify_audit must pass and the events
must interleave, which proves the writers really overlapped.
"""

import shutil

import pytest
from django.db import connection

from audit.models import AuditEvent
from tests.audit.processes import manage, postgres_url, run_writers

pytestmark = pytest.mark.slow

WRITERS, EVENTS = 3, 150


@pytest.fixture(scope="module")
def migrated_sqlite_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("audit-sqlite") / "template.sqlite3"
    result = manage(f"sqlite:///{path}", "migrate", "--no-input", "-v0")
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def sqlite_url(migrated_sqlite_file, tmp_path):
    path = tmp_path / "chain.sqlite3"
    shutil.copy(migrated_sqlite_file, path)
    return f"sqlite:///{path}"


def _overlapped(summaries) -> bool:
    """Every writer had started before the first one finished."""
    return max(s["started"] for s in summaries) < min(s["finished"] for s in summaries)


def test_writers_in_several_processes_keep_one_sqlite_chain(sqlite_url, tmp_path):
    summaries = run_writers(sqlite_url, tmp_path / "go", writers=WRITERS, events=EVENTS)
    assert [summary["failed"] for summary in summaries] == [0] * WRITERS
    assert _overlapped(summaries), "the writers did not overlap, so nothing was tested"
    result = manage(sqlite_url, "verify_audit")
    assert result.returncode == 0, result.stderr
    assert f"Audit chain intact: {WRITERS * EVENTS} events." in result.stdout


def test_without_begin_immediate_sqlite_writers_fail_with_locks(sqlite_url, tmp_path):
    # The control: a deferred BEGIN reads the head under a shared lock and then cannot upgrade
    # it once another process has written, so writers fail instead of waiting their turn.
    summaries = run_writers(
        sqlite_url, tmp_path / "go", writers=WRITERS, events=EVENTS, without_lock=True
    )
    assert sum(summary["failed"] for summary in summaries) > 0
    assert {summary["failure"] for summary in summaries} - {None} == {"OperationalError"}


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_writers_in_several_processes_keep_one_postgresql_chain(tmp_path):
    url = postgres_url(connection.settings_dict)
    summaries = run_writers(url, tmp_path / "go", writers=WRITERS, events=EVENTS)
    assert [summary["failed"] for summary in summaries] == [0] * WRITERS
    assert _overlapped(summaries), "the writers did not overlap, so nothing was tested"
    assert AuditEvent.objects.count() == WRITERS * EVENTS
    result = manage(url, "verify_audit")
    assert result.returncode == 0, result.stderr
    assert f"Audit chain intact: {WRITERS * EVENTS} events." in result.stdout


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_without_the_advisory_lock_postgresql_writers_collide(tmp_path):
    # The control that shows the harness races: the same writers without the lock read the
    # same head and clash on the unique sequence (which is why the chain still never forks).
    url = postgres_url(connection.settings_dict)
    summaries = run_writers(url, tmp_path / "go", writers=WRITERS, events=EVENTS, without_lock=True)
    assert sum(summary["failed"] for summary in summaries) > 0
    assert {summary["failure"] for summary in summaries} - {None} == {"IntegrityError"}
    assert manage(url, "verify_audit").returncode == 0

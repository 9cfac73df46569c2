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


# Run in a process of its own, outside any test transaction, so the parts really are walked by
# forked processes on their own connections: the first line says the walk could fork.
_WALK_IN_PARTS = """
from audit.models import Verb
from audit.selectors import _other_processes_can_read, check_chain
from audit.services import record
from tests.audit.tampering import tampering
for number in range(300):
    record(verb=Verb.CHANGED, actor_label="officer@example.org", object_type="sharing.case",
           object_id=str(number), object_label="Case", detail={"step": number})
print(_other_processes_can_read())
print(check_chain(workers=3, rows_per_worker=50))
with tampering() as cursor:
    cursor.execute("UPDATE audit_auditevent SET object_label = 'forged' WHERE sequence = 250")
print(check_chain(workers=3, rows_per_worker=50).broken_at)
"""


def _walked_in_parts(url: str) -> list[str]:
    result = manage(url, "shell", "-c", _WALK_IN_PARTS)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-3:]


def _assert_found_by_processes(lines: list[str], events: int) -> None:
    could_fork, intact, broken = lines
    assert could_fork == "True", "the parts were walked in this process, so nothing was tested"
    assert intact == f"ChainCheck(count={events}, broken_at=None)"
    assert broken == "row 250: its content does not match its hash (altered)"


def test_processes_walking_parts_of_a_sqlite_chain_find_the_break(sqlite_url):
    _assert_found_by_processes(_walked_in_parts(sqlite_url), 300)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_processes_walking_parts_of_a_postgresql_chain_find_the_break():
    _assert_found_by_processes(_walked_in_parts(postgres_url(connection.settings_dict)), 300)

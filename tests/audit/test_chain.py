"""Each event carries the hash of the one before it, and verify_audit walks the whole chain."""

from datetime import UTC, datetime

import pytest
from django.db import DatabaseError, connection, transaction

from audit.chain import GENESIS_HASH, HASHED_FIELDS, find_break, row_digest
from audit.models import AuditEvent, Verb
from audit.selectors import chain_rows
from audit.services import record
from tests.audit.tampering import verify


@pytest.mark.django_db
def test_events_are_numbered_from_one_and_each_carries_the_hash_of_the_one_before(chain):
    first, second, third = chain(3)
    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.row_hash
    assert third.previous_hash == second.row_hash


@pytest.mark.django_db
def test_an_intact_chain_verifies_and_the_command_prints_the_count(chain):
    chain(12)
    passed, output = verify()
    assert passed
    assert "Audit chain intact: 12 events." in output


@pytest.mark.django_db
def test_an_empty_log_verifies_with_no_events():
    assert verify() == (True, "Audit chain intact: 0 events.\n")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
        ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("192.0.2.1", "192.0.2.1"),
        ("not an address", None),
    ],
)
def test_addresses_are_stored_as_the_database_returns_them_so_hashes_hold(given, stored):
    record(verb=Verb.VIEWED, ip_address=given, detail={"pair": (1, 2), 3: "three"})
    assert AuditEvent.objects.get().ip_address == stored
    assert verify()[0]


@pytest.mark.django_db
def test_the_walk_reads_in_chunks_and_misses_no_row(chain):
    chain(23)
    rows = list(chain_rows(chunk_size=5))
    assert [row["sequence"] for row in rows] == list(range(1, 24))
    assert find_break(rows) == (23, None)


@pytest.mark.django_db
def test_a_row_hash_covers_every_field_but_the_hash_itself(chain):
    (event,) = chain(1)
    values = {name: getattr(event, name) for name in HASHED_FIELDS}
    assert row_digest(values) == event.row_hash
    for name in HASHED_FIELDS:
        changed = dict(values)
        changed[name] = (
            datetime(2020, 1, 1, tzinfo=UTC) if name == "occurred_at" else f"{values[name]}x"
        )
        assert row_digest(changed) != event.row_hash, name


@pytest.mark.django_db
def test_the_database_refuses_to_update_or_delete_an_event(chain):
    chain(2)
    for statement in (
        "UPDATE audit_auditevent SET object_id = 'x'",
        "DELETE FROM audit_auditevent",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEvent.objects.count() == 2


@pytest.mark.django_db
def test_an_event_rolls_back_with_the_change_it_records():
    with pytest.raises(RuntimeError), transaction.atomic():
        record(verb=Verb.CHANGED, object_type="sharing.case", object_id="1")
        raise RuntimeError
    record(verb=Verb.CHANGED, object_type="sharing.case", object_id="1")
    assert AuditEvent.objects.get().sequence == 1

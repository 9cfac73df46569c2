"""The triggers the migrations installed are the guards as written now.

Migrations carry their trigger SQL frozen, so editing a guard changes nothing in a database
until a new migration installs the change (docs/decisions/0016). A guard edited without that
migration fails here, naming each trigger that differs and what changed in it.
"""

import dataclasses
from difflib import SequenceMatcher

import pytest
from django.db import connection, transaction

from audit.guards import ALL_GUARDS, AUDIT_EVENTS_APPEND_ONLY
from tests.database_triggers import create_triggers, drop_triggers, installed_triggers


def _as_the_guards_write_them(guards) -> dict[str, str]:
    # The guards installed in place of the migrated triggers and read back from the same
    # catalogue, so both sides are in the database's own words; then all of it is rolled back.
    with transaction.atomic():
        drop_triggers(connection)
        for guard in guards:
            guard.install(connection)
        written = installed_triggers(connection)
        transaction.set_rollback(True)
    return written


def _drift(migrated: dict[str, str], written: dict[str, str]) -> list[str]:
    drift = []
    for name in sorted(migrated.keys() | written.keys()):
        if name not in written:
            drift.append(f"{name}: installed by a migration, but no guard defines it any more")
        elif name not in migrated:
            drift.append(f"{name}: defined by a guard, but no migration installs it")
        elif migrated[name] != written[name]:
            drift.append(f"{name}: {_what_changed(migrated[name], written[name])}")
    return drift


def _what_changed(migrated: str, written: str) -> str:
    before, after = migrated.split(" "), written.split(" ")
    changes = []
    for tag, start, end, new_start, new_end in SequenceMatcher(
        a=before, b=after, autojunk=False
    ).get_opcodes():
        if tag != "equal":
            context = " ".join(before[max(start - 4, 0) : start])
            changes.append(
                f"after “…{context}” the migrations installed “{' '.join(before[start:end])}”,"
                f" the guard now reads “{' '.join(after[new_start:new_end])}”"
            )
    return "; ".join(changes)


@pytest.mark.django_db
def test_the_migrated_triggers_are_the_guards_as_written():
    migrated = installed_triggers(connection)
    drift = _drift(migrated, _as_the_guards_write_them(ALL_GUARDS))

    assert migrated
    assert not drift, (
        "A guard changed without a migration that installs the change "
        "(docs/decisions/0016-migrations-freeze-trigger-sql.md):\n" + "\n".join(drift)
    )


@pytest.mark.django_db
def test_a_guard_edited_without_a_migration_is_named_with_what_changed():
    edited = dataclasses.replace(
        AUDIT_EVENTS_APPEND_ONLY,
        postgresql=[
            statement.replace("append-only", "append only")
            for statement in AUDIT_EVENTS_APPEND_ONLY.postgresql
        ],
        sqlite=[
            statement.replace("append-only: UPDATE", "append only: UPDATE")
            for statement in AUDIT_EVENTS_APPEND_ONLY.sqlite
        ],
    )
    guards = [edited if guard is AUDIT_EVENTS_APPEND_ONLY else guard for guard in ALL_GUARDS]

    drift = _drift(installed_triggers(connection), _as_the_guards_write_them(guards))
    audit_drift = [line for line in drift if line.startswith("audit_")]

    if connection.vendor == "postgresql":
        # The triggers share the function whose message changed.
        named = ["audit_auditevent_no_change", "audit_auditevent_no_truncate"]
    else:
        named = ["audit_auditevent_no_update"]
    assert [line.split(":")[0] for line in audit_drift] == named
    assert "installed “append-only:”, the guard now reads “append only:”" in audit_drift[0]


@pytest.mark.django_db
def test_lifting_the_triggers_for_a_flush_puts_back_exactly_what_was_installed():
    installed = installed_triggers(connection)

    create_triggers(connection, drop_triggers(connection))

    assert installed_triggers(connection) == installed

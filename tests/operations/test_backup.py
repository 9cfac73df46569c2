"""Backups restore into a working, verifiable system, and a damaged backup or an occupied
database is refused before anything is loaded (issue 26, item 2).

A backup is a pg_dump archive, so these run on PostgreSQL, which `make test` runs every time
after SQLite; on SQLite only the refusal to back up is tested.
"""

import json
import re
import shutil
import threading
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from agencies.models import AgencyKind
from audit import checkpoints
from audit.models import AuditEvent, Verb
from audit.services import record, write_checkpoint
from sharing.models import DataCategory, Purpose
from sharing.services import record_written_consent
from tests.audit.processes import postgres_url
from tests.sample_files import PDF

ROLE_PASSWORD = "restored-application-role-password"
# A checkpoint of a row no dump of the test database reaches, as one signed while a backup ran.
FAR_PAST_THE_HEAD = 10**9
POSTGRES_ONLY = (
    "backups are pg_dump archives of PostgreSQL; `make test` runs this file again on "
    "PostgreSQL, and `make drill` after it"
)


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip(POSTGRES_ONLY)


def _server(database="postgres"):
    """A superuser's connection to `database` on the test server."""
    return psycopg.connect(
        postgres_url({**connection.settings_dict, "NAME": database}), autocommit=True
    )


@pytest.fixture
def folders(settings, tmp_path):
    """The source's evidence and checkpoint folders, and those a restore fills."""
    settings.MEDIA_ROOT = tmp_path / "source" / "media"
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "source" / "checkpoints"
    settings.AUDIT_CHECKPOINT_KEY = "test-checkpoint-key-held-outside-the-database"
    settings.COMPLIANCE_EMAIL = "compliance@example.org"

    class Folders:
        backups = tmp_path / "backups"
        restored_media = tmp_path / "restored" / "media"
        restored_checkpoints = tmp_path / "restored" / "checkpoints"

        @staticmethod
        def switch_to_restored():
            settings.MEDIA_ROOT = Folders.restored_media
            settings.AUDIT_CHECKPOINT_DIR = Folders.restored_checkpoints

    return Folders


@pytest.fixture
def small_world(postgres, transactional_db, folders, case, officer, make_agency):
    """A case with written consent (its letter an uploaded evidence file) and a checkpoint."""
    police = make_agency(
        "Greater Manchester Police",
        kind=AgencyKind.POLICE,
        information_sharing_agreement_signed_on=timezone.localdate() - timedelta(days=365),
        information_sharing_agreement_review_due_on=timezone.localdate() + timedelta(days=365),
    )
    now = timezone.now()
    consent = record_written_consent(
        case=case,
        recipients=[police],
        purposes=[Purpose.SAFEGUARDING_REFERRAL],
        categories=[DataCategory.IDENTITY],
        valid_from=now,
        valid_until=now + timedelta(days=30),
        granted_by_official="Jo Official, Safeguarding Hub lead",
        granted_at=now,
        evidence=SimpleUploadedFile("letter.pdf", PDF),
        actor=officer,
    )
    checkpoint = write_checkpoint()
    return consent, checkpoint


@pytest.fixture
def empty_database(postgres):
    """A new database to restore into; its application role is the one restore re-creates."""
    name = f"{connection.settings_dict['NAME']}_restored"[:55]
    role = f"{name}_app"
    with _server() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'DROP ROLE IF EXISTS "{role}"')
        server.execute(f'CREATE DATABASE "{name}"')
    settings = {**connection.settings_dict, "NAME": name}

    class Target:
        database = name
        application_url = postgres_url(settings, user=role, password=ROLE_PASSWORD)
        owner_url = postgres_url(settings)
        application_role = role

        @staticmethod
        def query(sql, parameters=()):
            with _server(name) as restored:
                return restored.execute(sql, parameters).fetchall()

        @staticmethod
        def execute(sql):
            with _server(name) as restored:
                restored.execute(sql)

    yield Target
    with _server() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'DROP ROLE IF EXISTS "{role}"')


@pytest.fixture(scope="module")
def backup_to_damage(django_db_setup, django_db_blocker, tmp_path_factory):
    """One backup for the tests that damage it: they are refused before anything is loaded,
    so what it holds does not matter, only that it has a dump, an evidence file and a
    checkpoint. The test database is only read, so no test needs emptying afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip(POSTGRES_ONLY)
    folder = tmp_path_factory.mktemp("backup-to-damage")
    media, checkpoint_dir = folder / "media", folder / "checkpoints"
    (media / "consent-evidence").mkdir(parents=True)
    (media / "consent-evidence" / "letter.pdf").write_bytes(PDF)
    key = "test-checkpoint-key-held-outside-the-database"
    for sequence in (0, FAR_PAST_THE_HEAD):
        unsigned = checkpoints.Checkpoint(
            sequence=sequence, row_hash="", count=0, written_at="2026-12-01"
        )
        checkpoints.save(unsigned.signed(key.encode()), checkpoint_dir)
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media, AUDIT_CHECKPOINT_DIR=checkpoint_dir, AUDIT_CHECKPOINT_KEY=key
        ),
    ):
        call_command("backup", "--to", str(folder / "backups"), stdout=StringIO())
    (backup,) = (folder / "backups").iterdir()
    return backup


@pytest.fixture
def damageable(backup_to_damage, db, tmp_path) -> tuple[Path, dict]:
    """A copy of the shared backup, and its manifest, for one test to damage.

    `db` only tells pytest-django to create the test database the backup is taken of."""
    backup = Path(shutil.copytree(backup_to_damage, tmp_path / "backup"))
    return backup, json.loads((backup / "manifest.json").read_text())


def _back_up(folders) -> tuple[Path, dict]:
    call_command("backup", "--to", str(folders.backups), stdout=StringIO())
    (backup,) = folders.backups.iterdir()
    return backup, json.loads((backup / "manifest.json").read_text())


def _restore(backup, target) -> str:
    output = StringIO()
    call_command(
        "restore",
        str(backup),
        "--database-url",
        target.application_url,
        "--owner-url",
        target.owner_url,
        stdout=output,
    )
    return output.getvalue()


def _tables(target) -> list[str]:
    return [
        name
        for (name,) in target.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    ]


def test_a_backup_restores_the_database_evidence_and_checkpoints_and_verifies(
    small_world, folders, empty_database
):
    consent, checkpoint = small_world
    backup, manifest = _back_up(folders)
    folders.switch_to_restored()

    output = _restore(backup, empty_database)

    assert "Audit chain intact" in output
    assert "consistent with 1 checkpoint(s)" in output
    assert (folders.restored_media / consent.evidence.name).read_bytes() == PDF
    assert (folders.restored_checkpoints / checkpoint.path.name).read_bytes() == (
        checkpoint.path.read_bytes()
    )
    assert empty_database.query(
        "SELECT evidence, evidence_digest FROM sharing_consent WHERE id = %s", [consent.pk]
    ) == [(consent.evidence.name, consent.evidence_digest)]
    assert manifest["tables"]["audit_auditevent"] == AuditEvent.objects.count()
    role = empty_database.application_role
    assert empty_database.query(
        "SELECT has_table_privilege(%s, 'audit_auditevent', 'INSERT'),"
        " has_table_privilege(%s, 'audit_auditevent', 'UPDATE')",
        [role, role],
    ) == [(True, False)]


def test_a_checkpoint_signed_after_the_snapshot_waits_for_the_next_backup(damageable):
    backup, manifest = damageable
    later = f"checkpoint-{FAR_PAST_THE_HEAD:012d}-20261201.json"
    kept = [
        entry["path"] for entry in manifest["files"] if entry["path"].startswith("checkpoints/")
    ]

    assert manifest["checkpoints_signed_after_the_snapshot"] == [later]
    assert kept == ["checkpoints/checkpoint-000000000000-20261201.json"]
    assert not (backup / "checkpoints" / later).exists()


def test_a_restore_into_a_database_that_is_not_empty_is_refused(
    damageable, folders, empty_database
):
    backup, _ = damageable
    folders.switch_to_restored()
    empty_database.execute("CREATE TABLE someone_elses (id integer)")

    with pytest.raises(CommandError, match=r"is not empty \(1 tables: someone_elses\)"):
        _restore(backup, empty_database)

    assert _tables(empty_database) == ["someone_elses"]
    assert not folders.restored_media.exists()
    assert not folders.restored_checkpoints.exists()


def _listed(manifest, folder) -> str:
    (path,) = [entry["path"] for entry in manifest["files"] if entry["path"].startswith(folder)]
    return path


@pytest.mark.parametrize("folder", ["database.dump", "media/", "checkpoints/"])
def test_a_corrupted_file_fails_the_manifest_check_by_name(
    damageable, folders, empty_database, folder
):
    backup, manifest = damageable
    damaged = _listed(manifest, folder)
    content = bytearray((backup / damaged).read_bytes())
    content[len(content) // 2] ^= 0xFF
    (backup / damaged).write_bytes(bytes(content))
    folders.switch_to_restored()

    with pytest.raises(CommandError) as refusal:
        _restore(backup, empty_database)

    assert f"{damaged} does not match its SHA-256 in the manifest" in str(refusal.value)
    assert _tables(empty_database) == []
    assert not folders.restored_media.exists()


def test_a_missing_file_fails_the_manifest_check_by_name(damageable, folders, empty_database):
    backup, manifest = damageable
    missing = _listed(manifest, "checkpoints/")
    (backup / missing).unlink()
    folders.switch_to_restored()

    with pytest.raises(CommandError, match=re.escape(f"{missing} is missing")):
        _restore(backup, empty_database)

    assert _tables(empty_database) == []


def test_a_backup_without_its_manifest_is_refused_as_unfinished(
    damageable, folders, empty_database
):
    backup, _ = damageable
    (backup / "manifest.json").unlink()
    folders.switch_to_restored()

    with pytest.raises(
        CommandError, match=re.escape("has no manifest.json: it is not a finished backup")
    ):
        _restore(backup, empty_database)

    assert _tables(empty_database) == []


def test_a_restored_table_holding_other_rows_than_the_manifest_says_fails_by_name(
    small_world, folders, empty_database
):
    backup, manifest = _back_up(folders)
    held = manifest["tables"]["sharing_case"]
    manifest["tables"]["sharing_case"] = held + 1
    (backup / "manifest.json").write_text(json.dumps(manifest))
    folders.switch_to_restored()

    with pytest.raises(CommandError) as refusal:
        _restore(backup, empty_database)

    assert f"table sharing_case: {held} rows restored, the backup held {held + 1}" in str(
        refusal.value
    )


def test_a_restore_never_overwrites_a_different_file_already_in_place(
    damageable, folders, empty_database
):
    backup, manifest = damageable
    folders.switch_to_restored()
    in_place = folders.restored_media / _listed(manifest, "media/").removeprefix("media/")
    in_place.parent.mkdir(parents=True)
    in_place.write_bytes(b"another letter")

    with pytest.raises(CommandError, match="already exist with other contents"):
        _restore(backup, empty_database)

    assert in_place.read_bytes() == b"another letter"
    assert _tables(empty_database) == []


def _write_events(stop: threading.Event, written: list) -> None:
    try:
        while not stop.is_set():
            record(
                verb=Verb.VIEWED,
                actor_label="writer@example.org",
                object_type="tests.writer",
                object_id=str(len(written)),
            )
            written.append(1)
    finally:
        connection.close()


def _wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the writer stopped writing"
        time.sleep(0.01)


def test_a_backup_taken_while_events_are_written_holds_counts_and_head_of_its_own_dump(
    small_world, folders, empty_database
):
    before = AuditEvent.objects.count()
    stop, written = threading.Event(), []
    writer = threading.Thread(target=_write_events, args=(stop, written))
    writer.start()
    try:
        _wait_for(lambda: len(written) >= 20)
        written_before_backup = len(written)
        backup, manifest = _back_up(folders)
        written_during_backup = len(written) - written_before_backup
        _wait_for(lambda: len(written) >= written_before_backup + written_during_backup + 20)
    finally:
        stop.set()
        writer.join()
    assert written_during_backup > 0, "the writer was idle during the backup: nothing tested"
    held = manifest["tables"]["audit_auditevent"]
    assert before < held < AuditEvent.objects.count()
    folders.switch_to_restored()

    output = _restore(backup, empty_database)

    assert "Audit chain intact" in output
    assert empty_database.query("SELECT count(*), max(sequence) FROM audit_auditevent") == [
        (held, manifest["chain_head"]["sequence"])
    ]


def test_on_sqlite_a_backup_is_refused_with_what_to_copy_instead(db, tmp_path):
    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL the backup runs: the tests above take and restore them")

    with pytest.raises(CommandError, match="backup is for PostgreSQL") as refusal:
        call_command("backup", "--to", str(tmp_path), stdout=StringIO())

    assert "PARTNERHUB_MEDIA_ROOT and AUDIT_CHECKPOINT_DIR" in str(refusal.value)
    assert list(tmp_path.iterdir()) == []

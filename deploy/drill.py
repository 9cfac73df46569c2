"""The backup drill (`make drill`): back up a demo database, restore it into a fresh one, verify.

On a PostgreSQL server it creates a source database, migrates it, loads the demo, writes an
audit checkpoint, puts an evidence file in place, runs `backup`, runs `restore` into a second new database (which re-creates
the application role, verifies the audit chain against the checkpoints and compares every
table's row count with the manifest), prints how long the backup and the restore took, and
drops both databases and the role whatever happened.

    python deploy/drill.py [--server postgres://user@host:5432/any]
"""

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


class DrillFailed(Exception):
    pass


def _server_from_environment() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else DEFAULT_SERVER


def _on_database(server: str, name: str, user: str | None = None, password: str = "") -> str:
    parts = urllib.parse.urlsplit(server)
    if user is None:
        return parts._replace(path=f"/{name}").geturl()
    host = parts.hostname or "127.0.0.1"
    port = f":{parts.port}" if parts.port else ""
    credentials = f"{user}:{urllib.parse.quote(password, safe='')}" if password else user
    return parts._replace(netloc=f"{credentials}@{host}{port}", path=f"/{name}").geturl()


def _manage(step: str, *arguments: str, environment: dict) -> str:
    print(f"== {step}", flush=True)
    completed = subprocess.run(  # noqa: S603 (this project's own manage.py)
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise DrillFailed(f"{step} failed:\n{completed.stdout}{completed.stderr}")
    return completed.stdout


def _timed(step: str, *arguments: str, environment: dict) -> float:
    started = time.monotonic()
    output = _manage(step, *arguments, environment=environment)
    seconds = time.monotonic() - started
    print(output.rstrip(), flush=True)
    return seconds


def drill(server: str) -> tuple[float, float]:
    label = f"partnerhub_drill_{os.getpid()}"
    source, restored, role = f"{label}_source", f"{label}_restored", f"{label}_app"
    role_password = secrets.token_urlsafe(24)
    maintenance = _on_database(server, "postgres")
    with psycopg.connect(maintenance, autocommit=True) as connection:
        for name in (source, restored):
            connection.execute(f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory(prefix="partnerhub-drill-") as folder:
            folder = Path(folder)
            common = {
                **os.environ,
                "DJANGO_DEBUG": "true",
                "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "drill-only-secret-key"),
                "EMAIL_URL": "dummymail://",
                "DATABASE_OWNER_URL": "",
                # A key made for this drill alone: real keys never sit beside a backup.
                "AUDIT_CHECKPOINT_KEY": secrets.token_hex(32),
            }
            at_source = {
                **common,
                "DATABASE_URL": _on_database(server, source),
                "PARTNERHUB_MEDIA_ROOT": str(folder / "source" / "media"),
                "AUDIT_CHECKPOINT_DIR": str(folder / "source" / "checkpoints"),
            }
            _manage("Migrating the source database", "migrate", "--no-input", "-v0",
                    environment=at_source)  # fmt: skip
            _manage("Loading the demo", "seed_demo", environment=at_source)
            _manage("Writing an audit checkpoint", "audit_checkpoint", environment=at_source)
            # The demo uploads no evidence, so the drill puts a file where uploads go, to see
            # it come back byte for byte.
            evidence = Path("consent-evidence", "drill", "letter.pdf")
            letter = secrets.token_bytes(64 * 1024)
            (folder / "source" / "media" / evidence).parent.mkdir(parents=True)
            (folder / "source" / "media" / evidence).write_bytes(letter)
            backups = folder / "backups"
            backup_seconds = _timed(
                "Backing up", "backup", "--to", str(backups), environment=at_source
            )
            (backup,) = backups.iterdir()
            at_restored = {
                **common,
                "PARTNERHUB_MEDIA_ROOT": str(folder / "restored" / "media"),
                "AUDIT_CHECKPOINT_DIR": str(folder / "restored" / "checkpoints"),
            }
            restore_seconds = _timed(
                "Restoring into a fresh database",
                "restore",
                str(backup),
                "--database-url",
                _on_database(server, restored, user=role, password=role_password),
                "--owner-url",
                _on_database(server, restored),
                environment=at_restored,
            )
            if (folder / "restored" / "media" / evidence).read_bytes() != letter:
                raise DrillFailed(f"the evidence file {evidence} did not come back as it was")
    finally:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            for name in (source, restored):
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'DROP ROLE IF EXISTS "{role}"')
    return backup_seconds, restore_seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--server",
        default=_server_from_environment(),
        help="Any database URL on the PostgreSQL server to drill on, as a superuser "
        "(default: DATABASE_URL when it is PostgreSQL, else the local server).",
    )
    arguments = parser.parse_args()
    try:
        backup_seconds, restore_seconds = drill(arguments.server)
    except DrillFailed as failure:
        print(f"The backup drill FAILED: {failure}", file=sys.stderr)
        return 1
    print(
        f"The backup drill passed: the backup took {backup_seconds:.1f} s and the restore "
        f"(load, application role, verify_audit, row counts) {restore_seconds:.1f} s."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

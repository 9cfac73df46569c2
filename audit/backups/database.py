"""Reaching PostgreSQL for a backup or a restore: the owner's connection, pg_dump, pg_restore,
and the row count of every table."""

import os
import shutil
import subprocess
from pathlib import Path

import environ
import psycopg

from audit.backups.manifest import BackupRefused

POSTGRES_ENGINES = {"django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2"}
_LIBPQ = {"NAME": "PGDATABASE", "USER": "PGUSER", "PASSWORD": "PGPASSWORD", "HOST": "PGHOST"}


def settings_from_url(url: str, what: str) -> dict:
    try:
        settings_dict = environ.Env.db_url_config(url)
    except Exception as problem:  # django-environ raises whatever urlparse or its table does
        raise BackupRefused(f"{what} is not a database URL: {problem}") from None
    if settings_dict.get("ENGINE") not in POSTGRES_ENGINES or not settings_dict.get("NAME"):
        raise BackupRefused(f"{what} must name a PostgreSQL database (postgres://…/name)")
    return settings_dict


def libpq_environment(settings_dict: dict) -> dict:
    """The connection as libpq's environment variables, so no password appears in a command
    line that `ps` shows."""
    environment = {
        variable: str(settings_dict[key])
        for key, variable in _LIBPQ.items()
        if settings_dict.get(key)
    }
    if settings_dict.get("PORT"):
        environment["PGPORT"] = str(settings_dict["PORT"])
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        environment["PGSSLMODE"] = sslmode
    return environment


def connect(settings_dict: dict, **options) -> psycopg.Connection:
    environment = libpq_environment(settings_dict)
    return psycopg.connect(
        dbname=environment.get("PGDATABASE"),
        user=environment.get("PGUSER"),
        password=environment.get("PGPASSWORD"),
        host=environment.get("PGHOST"),
        port=environment.get("PGPORT"),
        sslmode=environment.get("PGSSLMODE"),
        **options,
    )


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_names(cursor) -> list[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname"
    )
    return [name for (name,) in cursor.fetchall()]


def row_counts(cursor) -> dict[str, int]:
    """How many rows each table holds, as the cursor's transaction sees them."""
    counts = {}
    for table in table_names(cursor):
        # The names come from the catalogue, quoted; nothing here is typed by a person.
        cursor.execute(f"SELECT count(*) FROM {quoted(table)}")  # noqa: S608
        counts[table] = cursor.fetchone()[0]
    return counts


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupRefused(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return path


def _run(arguments: list[str], settings_dict: dict) -> None:
    completed = subprocess.run(  # noqa: S603 (a fixed tool, its arguments built here)
        arguments,
        env={**os.environ, **libpq_environment(settings_dict)},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        tool = Path(arguments[0]).name
        raise BackupRefused(f"{tool} failed: {completed.stderr.strip() or completed.returncode}")


def dump(settings_dict: dict, snapshot: str, path: Path) -> None:
    """pg_dump in custom format, reading the exported snapshot rather than a new one of its own."""
    _run(
        [_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={path}"],
        settings_dict,
    )


def load(settings_dict: dict, path: Path) -> None:
    """pg_restore in one transaction, so a load that fails leaves the database empty.

    Ownership and grants are not restored: the tables belong to whoever restores them (the
    owner) and the application role's privileges are made again by create_app_role.
    """
    _run(
        [
            _tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={settings_dict['NAME']}",
            str(path),
        ],
        settings_dict,
    )

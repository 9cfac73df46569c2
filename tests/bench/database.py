"""Which database the benchmark runs on, and whether it still needs seeding.

PostgreSQL when it answers (BENCH_DATABASE_URL, or partnerhub_bench on the local server), at
national size; otherwise a SQLite file at the small size, for a quick local run. A database seeded
once is reused by later runs of the same size: seeding at national size takes minutes.
"""

import os
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/partnerhub_bench"
SIZES = ("small", "medium", "uk")
# A note in the database itself of the size it was seeded at, written once seeding finished.
_SEEDED_TABLE = "bench_seeded_size"


class BenchDatabaseError(RuntimeError):
    pass


@dataclass(frozen=True)
class BenchDatabase:
    url: str
    size: str

    @property
    def is_postgresql(self) -> bool:
        return self.url.startswith(("postgres://", "postgresql://"))

    @property
    def name(self) -> str:
        return urllib.parse.urlsplit(self.url).path.lstrip("/")


def _maintenance_url(url: str) -> str:
    return urllib.parse.urlsplit(url)._replace(path="/postgres").geturl()


def postgres_answers(url: str) -> bool:
    import psycopg

    try:
        psycopg.connect(_maintenance_url(url), connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


def chosen(environ=os.environ) -> BenchDatabase:
    url = environ.get("BENCH_DATABASE_URL") or DEFAULT_POSTGRES_URL
    on_postgres = url.startswith(("postgres://", "postgresql://")) and postgres_answers(url)
    if not on_postgres and environ.get("BENCH_DATABASE_URL", "").startswith("postgres"):
        raise BenchDatabaseError(f"BENCH_DATABASE_URL names a server that does not answer: {url}")
    size = environ.get("BENCH_SIZE") or ("uk" if on_postgres else "small")
    if size not in SIZES:
        raise BenchDatabaseError(f"BENCH_SIZE must be one of {', '.join(SIZES)}, not {size!r}")
    if not on_postgres and not url.startswith("sqlite:"):
        url = f"sqlite:///{ROOT / f'bench-{size}.sqlite3'}"
    return BenchDatabase(url=url, size=size)


def prepare(database: BenchDatabase, *, reseed: bool) -> None:
    """Create the database if it is missing; with `reseed`, drop it first."""
    if not database.is_postgresql:
        path = Path(urllib.parse.urlsplit(database.url).path)
        if reseed:
            for leftover in path.parent.glob(path.name + "*"):
                leftover.unlink()
        return
    import psycopg
    from psycopg import sql

    with psycopg.connect(_maintenance_url(database.url), autocommit=True) as maintenance:
        name = sql.Identifier(database.name)
        if reseed:
            maintenance.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        exists = maintenance.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database.name]
        ).fetchone()
        if not exists:
            maintenance.execute(sql.SQL("CREATE DATABASE {}").format(name))


def seeded_size() -> str | None:
    """The size the database was seeded at, or None if seeding never finished."""
    from django.db import connection

    if _SEEDED_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT size FROM {_SEEDED_TABLE}")
        row = cursor.fetchone()
    return row[0] if row else None


def holds_data() -> bool:
    from agencies.models import User
    from sharing.models import Case

    return User.objects.exists() or Case.objects.exists()


def mark_seeded(size: str) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {_SEEDED_TABLE} (size varchar(16) NOT NULL)")
        cursor.execute(f"DELETE FROM {_SEEDED_TABLE}")
        cursor.execute(f"INSERT INTO {_SEEDED_TABLE} (size) VALUES (%s)", [size])


def seed_unless_seeded(database: BenchDatabase, *, stdout) -> bool:
    """Seed an empty database at the chosen size; reuse one already seeded at that size.
    Returns whether it seeded."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    already = seeded_size()
    if already == database.size:
        return False
    if already is not None or holds_data():
        found = f"seeded at size {already}" if already else "holding data it was not seeded with"
        raise BenchDatabaseError(
            f"The bench database {database.name or database.url} is {found}, not size "
            f"{database.size}: run with BENCH_RESEED=true to drop it and seed it again"
        )
    call_command("seed_scale", "--size", database.size, stdout=stdout)
    mark_seeded(database.size)
    return True

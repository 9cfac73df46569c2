"""Moments read from PostgreSQL by psycopg's compiled loader.

Django reads every `timestamptz` through a loader of its own that subclasses psycopg's
pure-Python one, to set the time zone it expects (Django ticket 36960): with psycopg's compiled
extension installed, each moment is still parsed by a regular expression in Python. A page that
reads thousands of moments (a busy person's calendar feed reads about 10,000) spent a quarter
of its time there. Django's connections talk to PostgreSQL in UTC and want UTC back, so this
loader keeps Django's class (whose `timezone` Django checks before each cursor) and leaves the
parsing to the compiled loader.
"""

from datetime import UTC

import psycopg
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from psycopg.postgres import types
from psycopg.pq import Format

# psycopg's own map answers with its compiled loader when the extension is installed.
_COMPILED = psycopg.adapters.get_loader(types["timestamptz"].oid, Format.TEXT)


class CompiledUTCLoader(BaseTzLoader):
    timezone = UTC

    def __init__(self, oid, context=None):
        super().__init__(oid, context)
        self._parse = _COMPILED(oid, context).load

    def load(self, data):
        return self._parse(data).replace(tzinfo=UTC)


def read_moments_compiled(sender, connection, **kwargs):
    """`connection_created`'s receiver: on a PostgreSQL connection in UTC, with psycopg's
    compiled extension installed, read `timestamptz` with the compiled loader."""
    if (
        connection.vendor == "postgresql"
        and connection.timezone == UTC
        and psycopg.pq.__impl__ in {"c", "binary"}
    ):
        connection.connection.adapters.register_loader("timestamptz", CompiledUTCLoader)

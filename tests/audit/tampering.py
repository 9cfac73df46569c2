"""Tampering with the audit chain as a database owner could, and asking verify_audit about it."""

from contextlib import contextmanager
from io import StringIO

from django.core.management import CommandError, call_command
from django.db import connection

from audit.guards import AUDIT_EVENTS_APPEND_ONLY

TABLE = "audit_auditevent"


@contextmanager
def tampering():
    """As a database owner could: the append-only guard lifted for the duration."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER ALL")
            try:
                yield cursor
            finally:
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER ALL")
    else:
        AUDIT_EVENTS_APPEND_ONLY.remove(connection)
        try:
            with connection.cursor() as cursor:
                yield cursor
        finally:
            AUDIT_EVENTS_APPEND_ONLY.install(connection)


def verify(*args) -> tuple[bool, str]:
    """Run verify_audit; whether it passed, and what it said."""
    out = StringIO()
    try:
        call_command("verify_audit", *args, stdout=out)
    except CommandError as failure:
        return False, str(failure)
    return True, out.getvalue()

"""The commands that create tables or roles connect as the tables' owner (DATABASE_OWNER_URL).

The web application connects as a role that owns nothing, so that it cannot switch the
append-only triggers off (ADR 4); `migrate`, `createcachetable` and `create_app_role` need the
owner. They switch to it by themselves, so the deploy steps cannot run them as the wrong role.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

# The database stays the one the connection already names (settings refuse an owner URL for
# another one), which also keeps a test run on its test database.
_OWNER_KEYS = ("USER", "PASSWORD", "HOST", "PORT")


@contextmanager
def connected_as_owner(alias: str = DEFAULT_DB_ALIAS):
    """Inside the block, `connections[alias]` logs in as DATABASE_OWNER_URL when it is set."""
    owner = settings.DATABASE_OWNER
    if not owner or alias != DEFAULT_DB_ALIAS:
        yield
        return
    connection = connections[alias]
    application = connection.settings_dict
    connection.close()
    connection.settings_dict = {
        **application,
        **{key: owner[key] for key in _OWNER_KEYS},
        "OPTIONS": {**application.get("OPTIONS", {}), **owner.get("OPTIONS", {})},
    }
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict = application


class AsOwnerCommand:
    """Mixed into a command that does not define `handle` itself: it runs connected as the owner.

    System checks run before `handle`, on the application's own connection, which is the one
    they are meant to judge.
    """

    def handle(self, *args, **options):
        with connected_as_owner(options.get("database") or DEFAULT_DB_ALIAS):
            return super().handle(*args, **options)

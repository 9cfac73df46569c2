"""Django's migrate, connected as the tables' owner when DATABASE_OWNER_URL is set (ADR 10)."""

from django.core.management.commands import migrate

from audit.database_owner import AsOwnerCommand


class Command(AsOwnerCommand, migrate.Command):
    help = migrate.Command.help + " Connects as DATABASE_OWNER_URL when it is set."

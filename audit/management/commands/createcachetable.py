"""Django's createcachetable, connected as the tables' owner when DATABASE_OWNER_URL is set."""

from django.core.management.commands import createcachetable

from audit.database_owner import AsOwnerCommand


class Command(AsOwnerCommand, createcachetable.Command):
    help = createcachetable.Command.help + " Connects as DATABASE_OWNER_URL when it is set."

"""Create or re-align the PostgreSQL role the web application connects as (README)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from audit.app_role import RoleRefused, missing_protected_tables, role_statements
from audit.database_owner import connected_as_owner


class Command(BaseCommand):
    help = (
        "On PostgreSQL, create (or update) a login role that owns nothing, with the ordinary "
        "privileges on ordinary tables and only those in audit.guards.PROTECTED_TABLES on "
        "protected ones. It connects as DATABASE_OWNER_URL when that is set; run it after "
        "every migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, help="The application role's name.")
        parser.add_argument("--password", help="Set (or change) the role's password.")
        parser.add_argument(
            "--print-sql",
            action="store_true",
            help="Print the statements for a database administrator instead of running them.",
        )

    def handle(self, *args, role, password, print_sql, **options):
        if connection.vendor != "postgresql":
            raise CommandError("create_app_role is for PostgreSQL; SQLite has no roles.")
        try:
            with connected_as_owner(), transaction.atomic(), connection.cursor() as cursor:
                missing = missing_protected_tables(cursor)
                statements = role_statements(cursor, role, password)
                if not print_sql:
                    for statement in statements:
                        cursor.execute(statement)
        except RoleRefused as refusal:
            raise CommandError(str(refusal)) from None
        if missing:
            self.stderr.write(
                "Not in the database yet (run migrate, then this again): " + ", ".join(missing)
            )
        if print_sql:
            self.stdout.write(";\n".join(statements) + ";")
        else:
            self.stdout.write(self.style.SUCCESS(f"Role {role} has the application's privileges."))

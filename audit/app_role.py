"""The PostgreSQL role the web application connects as: it owns nothing and may not rewrite
what the guards protect.

Only a table's owner (or a superuser) can drop or disable a trigger, so a role that owns
nothing cannot switch the append-only guards or the consent gate off. On protected tables it
gets what PROTECTED_TABLES says; on every other table the ordinary four privileges.
"""

import re

from audit.guards import PROTECTED_TABLES

ORDINARY = ("SELECT", "INSERT", "UPDATE", "DELETE")
# The application reads the migration history (Django checks it) but never migrates.
READ_ONLY_TABLES = {"django_migrations"}

_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RoleRefused(Exception):
    pass


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def check_role_name(role: str) -> str:
    if not _ROLE_NAME.match(role):
        raise RoleRefused(
            f"{role!r} is not a plain role name: use lower-case letters, digits and underscores"
        )
    return role


def _catalogue(cursor, role: str) -> dict:
    cursor.execute("SELECT current_database(), current_schema(), current_user")
    database, schema, owner = cursor.fetchone()
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname"
    )
    tables = [name for (name,) in cursor.fetchall()]
    cursor.execute(
        "SELECT r.rolsuper, r.rolreplication, r.rolbypassrls,"
        " (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid)"
        " + (SELECT count(*) FROM pg_namespace n WHERE n.nspowner = r.oid)"
        " + (SELECT count(*) FROM pg_database d WHERE d.datdba = r.oid)"
        " FROM pg_roles r WHERE r.rolname = %s",
        [role],
    )
    existing = cursor.fetchone()
    return {
        "database": database,
        "schema": schema,
        "owner": owner,
        "tables": tables,
        "exists": existing is not None,
        "superuser": bool(existing and existing[0]),
        "bypasses": bool(existing and (existing[1] or existing[2])),
        "owns": existing[3] if existing else 0,
    }


def role_statements(cursor, role: str, password: str | None = None) -> list[str]:
    """The SQL that creates (or re-aligns) the application role, in the order to run it.

    Idempotent: run it again after every migrate so new tables get their privileges; everything
    is revoked first, so a table that became protected loses what it had.
    """
    check_role_name(role)
    found = _catalogue(cursor, role)
    if role == found["owner"]:
        raise RoleRefused(f"{role} is the role running this command, which owns the tables")
    if found["superuser"]:
        raise RoleRefused(f"{role} is a superuser; the application role must be an ordinary one")
    if found["bypasses"]:
        raise RoleRefused(
            f"{role} may replicate or bypass row security; the application role must be an "
            "ordinary one (a superuser can ALTER ROLE it NOREPLICATION NOBYPASSRLS)"
        )
    if found["owns"]:
        raise RoleRefused(
            f"{role} owns {found['owns']} database object(s); the application role must own "
            "nothing (REASSIGN OWNED BY it to the owner first)"
        )
    name, schema = _ident(role), _ident(found["schema"])
    # The owner need not be a superuser (managed PostgreSQL gives it CREATEROLE only), and
    # PostgreSQL lets only a superuser name the SUPERUSER, REPLICATION or BYPASSRLS attributes in
    # ALTER ROLE, even to switch them off. So a new role is created without them, and an
    # existing one that has them was refused above; the ALTER names only what CREATEROLE may.
    statements = [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {_literal(role)}) "
        f"THEN CREATE ROLE {name} WITH NOSUPERUSER NOREPLICATION NOBYPASSRLS; END IF; END $$",
        f"ALTER ROLE {name} WITH LOGIN NOCREATEDB NOCREATEROLE"
        + (f" PASSWORD {_literal(password)}" if password else ""),
        f"GRANT CONNECT ON DATABASE {_ident(found['database'])} TO {name}",
        f"GRANT USAGE ON SCHEMA {schema} TO {name}",
        f"REVOKE CREATE ON SCHEMA {schema} FROM {name}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {name}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {name}",
    ]
    for table in found["tables"]:
        protected = PROTECTED_TABLES.get(table)
        if protected is not None:
            privileges = protected.privileges
        elif table in READ_ONLY_TABLES:
            privileges = ("SELECT",)
        else:
            privileges = ORDINARY
        statements.append(f"GRANT {', '.join(privileges)} ON {_ident(table)} TO {name}")
        if protected is not None and protected.update_columns:
            columns = ", ".join(_ident(column) for column in protected.update_columns)
            statements.append(f"GRANT UPDATE ({columns}) ON {_ident(table)} TO {name}")
    statements.append(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {name}")
    return statements


def missing_protected_tables(cursor) -> list[str]:
    """Protected tables declared in code but not yet in the database (migrate first)."""
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relname = ANY(%s)",
        [list(PROTECTED_TABLES)],
    )
    present = {name for (name,) in cursor.fetchall()}
    return sorted(set(PROTECTED_TABLES) - present)


def owner_problems(cursor) -> list[str]:
    """Why the current connection could switch the guards off, if it could."""
    cursor.execute(
        "SELECT current_user, r.rolsuper, ARRAY("
        "  SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        "  WHERE n.nspname = current_schema() AND c.relname = ANY(%s)"
        "  AND pg_has_role(current_user, c.relowner, 'MEMBER') ORDER BY c.relname"
        ") FROM pg_roles r WHERE r.rolname = current_user",
        [list(PROTECTED_TABLES)],
    )
    user, superuser, owned = cursor.fetchone()
    problems = []
    if superuser:
        problems.append(f"{user} is a superuser")
    if owned:
        problems.append(f"{user} owns (or is a member of the owner of) {', '.join(owned)}")
    return problems

"""The application's PostgreSQL role owns nothing and cannot rewrite or unguard the audit log."""

from io import StringIO

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.app_role import owner_problems
from audit.checks import application_cannot_switch_off_guards
from audit.guards import PROTECTED_TABLES, RETENTION, ProtectedTable, protect
from tests.audit.processes import manage, postgres_url

PASSWORD = "app-role-test-password"


def _role_name() -> str:
    return f"{connection.settings_dict['NAME']}_app"[:63]


def _drop_role(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
        if cursor.fetchone():
            cursor.execute(f'DROP OWNED BY "{name}"')
            cursor.execute(f'DROP ROLE "{name}"')


@pytest.fixture
def app_role():
    # For django_db(transaction=True) tests: the role's own connection sees only committed rows.
    name = _role_name()
    _drop_role(name)
    call_command("create_app_role", "--role", name, "--password", PASSWORD, stdout=StringIO())
    yield name
    _drop_role(name)


def _connect_as(role):
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=role,
        password=PASSWORD,
        autocommit=True,
    )


def _record_one_event():
    from audit.models import Verb
    from audit.services import record

    record(verb=Verb.VIEWED, object_type="sharing.case", object_id="1")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET object_id = 'x'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_no_change",
        "DROP TRIGGER audit_auditevent_no_change ON audit_auditevent",
    ],
)
def test_the_application_role_cannot_rewrite_or_unguard_the_audit_log(app_role, statement):
    _record_one_event()
    with _connect_as(app_role) as database, pytest.raises(psycopg.errors.InsufficientPrivilege):
        database.execute(statement)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_application_role_appends_through_record_and_verifies_the_chain(app_role, tmp_path):
    _record_one_event()
    url = postgres_url(connection.settings_dict, user=app_role, password=PASSWORD)
    appended = manage(
        url,
        "shell",
        "-v0",
        "-c",
        "from audit.models import Verb; "
        "from audit.services import record; record(verb=Verb.VIEWED)",
    )
    assert appended.returncode == 0, appended.stderr
    verified = manage(url, "verify_audit")
    assert verified.returncode == 0, verified.stderr
    assert "Audit chain intact: 2 events." in verified.stdout


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_application_role_has_exactly_its_privileges_and_owns_nothing(app_role):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, "
            "  has_table_privilege(%(role)s, c.oid, 'SELECT'),"
            "  has_table_privilege(%(role)s, c.oid, 'INSERT'),"
            "  has_table_privilege(%(role)s, c.oid, 'UPDATE'),"
            "  has_table_privilege(%(role)s, c.oid, 'DELETE'),"
            "  has_table_privilege(%(role)s, c.oid, 'TRUNCATE, REFERENCES, TRIGGER')"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relkind = 'r'",
            {"role": app_role},
        )
        privileges = {name: rest for name, *rest in cursor.fetchall()}
        cursor.execute(
            "SELECT count(*) FROM pg_class WHERE relowner = "
            "(SELECT oid FROM pg_roles WHERE rolname = %s)",
            [app_role],
        )
        (owned,) = cursor.fetchone()
        cursor.execute(
            "SELECT rolsuper, rolcreatedb, rolcreaterole,"
            " has_schema_privilege(rolname, current_schema(), 'CREATE')"
            " FROM pg_roles WHERE rolname = %s",
            [app_role],
        )
        (powers,) = cursor.fetchall()
    assert owned == 0
    assert powers == (False, False, False, False)
    assert privileges["audit_auditevent"] == [True, True, False, False, False]
    assert privileges["django_migrations"] == [True, False, False, False, False]
    assert privileges["agencies_agency"] == [True, True, True, True, False]
    ordinary = set(privileges) - set(PROTECTED_TABLES) - {"django_migrations"}
    assert all(privileges[table] == [True, True, True, True, False] for table in ordinary)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_protected_tables_can_allow_revocation_columns_and_retention_deletes(monkeypatch):
    # Stand-ins for the consent gate's tables: a consent whose revocation fields alone may
    # change, and released content that retention may erase but nobody may edit.
    monkeypatch.setitem(
        PROTECTED_TABLES,
        "audit_test_consent",
        ProtectedTable("audit_test_consent", update_columns=("revoked_at", "revoked_by_id")),
    )
    monkeypatch.setitem(
        PROTECTED_TABLES, "audit_test_content", ProtectedTable("audit_test_content", RETENTION)
    )
    name = _role_name()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE audit_test_consent (id serial PRIMARY KEY, grantor text,"
            " revoked_at timestamptz, revoked_by_id integer)"
        )
        cursor.execute("CREATE TABLE audit_test_content (id serial PRIMARY KEY, body text)")
    try:
        _drop_role(name)
        call_command("create_app_role", "--role", name, "--password", PASSWORD, stdout=StringIO())
        with _connect_as(name) as database:
            database.execute("INSERT INTO audit_test_consent (grantor) VALUES ('A. Official')")
            database.execute("UPDATE audit_test_consent SET revoked_at = now(), revoked_by_id = 1")
            database.execute("INSERT INTO audit_test_content (body) VALUES ('released text')")
            for refused in (
                "UPDATE audit_test_consent SET grantor = 'someone else'",
                "DELETE FROM audit_test_consent",
                "UPDATE audit_test_content SET body = 'edited'",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    database.execute(refused)
            database.execute("DELETE FROM audit_test_content")
    finally:
        _drop_role(name)
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE audit_test_consent, audit_test_content")


def test_a_protected_table_never_grants_update_truncate_or_trigger_wholesale():
    for privileges in (("SELECT", "INSERT", "UPDATE"), ("SELECT", "TRUNCATE"), ("TRIGGER",)):
        with pytest.raises(ValueError, match="cannot be granted on a protected table"):
            protect("audit_never", privileges=privileges)
    assert "audit_never" not in PROTECTED_TABLES


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_sql_can_be_printed_for_an_administrator_without_running_it():
    name = _role_name()
    _drop_role(name)
    out = StringIO()
    call_command("create_app_role", "--role", name, "--print-sql", stdout=out)
    sql = out.getvalue()
    assert f'GRANT SELECT, INSERT ON "audit_auditevent" TO "{name}";' in sql
    assert f'GRANT SELECT, INSERT, UPDATE, DELETE ON "agencies_agency" TO "{name}";' in sql
    assert "TRUNCATE" not in sql
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_roles WHERE rolname = %s", [name])
        assert cursor.fetchone() == (0,)


@pytest.mark.postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "refusal"),
    [
        ("postgres", "is the role running this command"),
        ("app'; DROP TABLE x; --", "is not a plain role name"),
    ],
)
def test_a_role_that_could_switch_the_guards_off_or_a_strange_name_is_refused(role, refusal):
    with pytest.raises(CommandError, match=refusal):
        call_command("create_app_role", "--role", role, "--print-sql", stdout=StringIO())


@pytest.mark.django_db
def test_create_app_role_explains_it_is_for_postgresql_only():
    if connection.vendor == "postgresql":
        pytest.skip("the SQLite refusal")
    with pytest.raises(CommandError, match="for PostgreSQL"):
        call_command("create_app_role", "--role", "partnerhub_app")


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_the_deploy_check_warns_when_the_application_connects_as_a_superuser(settings):
    settings.DEBUG = False
    (warning,) = application_cannot_switch_off_guards(None)
    assert warning.id == "audit.W001"
    assert "is a superuser" in warning.msg
    assert "keep the owner in DATABASE_OWNER_URL" in warning.hint
    settings.DEBUG = True
    assert application_cannot_switch_off_guards(None) == []


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_every_system_check_run_with_debug_off_warns_not_only_the_deploy_one(settings):
    # runserver and every management command (the task worker too) run the checks without
    # --deploy; they must still say that the application could switch the guards off.
    settings.DEBUG = False
    out, err = StringIO(), StringIO()
    call_command("check", stdout=out, stderr=err)
    assert "audit.W001" in out.getvalue() + err.getvalue()
    settings.DEBUG = True
    out, err = StringIO(), StringIO()
    call_command("check", stdout=out, stderr=err)
    assert "audit.W001" not in out.getvalue() + err.getvalue()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_ownership_check_sees_a_role_that_is_a_member_of_the_owner(app_role):
    owner = f"{app_role}_owner"[:63]
    with _connect_as(app_role) as database:
        assert owner_problems(database.cursor()) == []
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{owner}"')
        cursor.execute(f'ALTER TABLE audit_auditevent OWNER TO "{owner}"')
        cursor.execute(f'GRANT "{owner}" TO "{app_role}"')
    try:
        with _connect_as(app_role) as database:
            (problem,) = owner_problems(database.cursor())
        assert problem == (f"{app_role} owns (or is a member of the owner of) audit_auditevent")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditevent OWNER TO CURRENT_USER")
            cursor.execute(f'DROP ROLE "{owner}"')


@pytest.mark.django_db
def test_the_deploy_check_has_nothing_to_say_about_sqlite(settings):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite case")
    settings.DEBUG = False
    assert application_cannot_switch_off_guards(None) == []


@pytest.fixture
def owner_with_createrole_only(settings):
    """The tables' owner as managed PostgreSQL services make it: it may create roles, but it is
    not a superuser. The test database's tables are handed to it, as if it had migrated them."""
    name = f"{connection.settings_dict['NAME']}_owner"[:63]
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{name}" LOGIN CREATEROLE PASSWORD %s', [PASSWORD])
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        tables = [table for (table,) in cursor.fetchall()]
        for table in tables:
            cursor.execute(f'ALTER TABLE "{table}" OWNER TO "{name}"')
    settings.DATABASE_OWNER = {
        "USER": name,
        "PASSWORD": PASSWORD,
        "HOST": connection.settings_dict["HOST"],
        "PORT": connection.settings_dict["PORT"],
    }
    yield name
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'ALTER TABLE "{table}" OWNER TO CURRENT_USER')
        cursor.execute(f'DROP OWNED BY "{name}"')
        cursor.execute(f'DROP ROLE "{name}"')


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_owner_that_may_create_roles_but_is_not_a_superuser_creates_the_application_role(
    owner_with_createrole_only,
):
    name = _role_name()
    _drop_role(name)
    try:
        for _ in range(2):  # created, then re-aligned after a later migrate
            call_command(
                "create_app_role", "--role", name, "--password", PASSWORD, stdout=StringIO()
            )
        _record_one_event()
        with _connect_as(name) as database:
            database.execute(
                "INSERT INTO agencies_region (code, name, is_active) VALUES ('X99', 'Test', true)"
            )
            assert database.execute("SELECT count(*) FROM audit_auditevent").fetchone() == (1,)
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                database.execute("DELETE FROM audit_auditevent")
            assert owner_problems(database.cursor()) == []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rolsuper, rolcreaterole, rolcanlogin FROM pg_roles WHERE rolname = %s",
                [name],
            )
            assert cursor.fetchone() == (False, False, True)
    finally:
        _drop_role(name)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_existing_role_that_bypasses_row_security_is_refused_not_silently_kept():
    name = _role_name()
    _drop_role(name)
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{name}" LOGIN BYPASSRLS')
    try:
        with pytest.raises(CommandError, match="may replicate or bypass row security"):
            call_command("create_app_role", "--role", name, stdout=StringIO())
    finally:
        _drop_role(name)

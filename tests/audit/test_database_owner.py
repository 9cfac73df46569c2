"""migrate, createcachetable and create_app_role connect as DATABASE_OWNER_URL by themselves, so
the deploy steps leave the owner owning every table while DATABASE_URL names the application
role; without DATABASE_OWNER_URL they use DATABASE_URL."""

import psycopg
import pytest
from django.db import connection

from tests.audit.processes import manage, postgres_url

pytestmark = pytest.mark.postgres_only
PASSWORD = "owner-test-password"


def _as_superuser(database="postgres"):
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=database,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        autocommit=True,
    )


@pytest.fixture
def empty_database_and_application_role():
    """A database nobody has migrated yet, and a login role for the application that owns nothing."""
    name = f"{connection.settings_dict['NAME']}_owned"[:55]
    role = f"{name}_app"
    with _as_superuser() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'DROP ROLE IF EXISTS "{role}"')
        server.execute(f'CREATE DATABASE "{name}"')
        server.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{PASSWORD}'")
        server.execute(f'GRANT CONNECT ON DATABASE "{name}" TO "{role}"')
    settings = {**connection.settings_dict, "NAME": name}
    yield name, role, postgres_url(settings, user=role, password=PASSWORD), postgres_url(settings)
    with _as_superuser() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'DROP ROLE IF EXISTS "{role}"')


def _ran(completed):
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def test_the_deploy_steps_run_as_the_owner_while_database_url_names_the_application_role(
    empty_database_and_application_role,
):
    name, role, application_url, owner_url = empty_database_and_application_role
    env = {"DATABASE_OWNER_URL": owner_url, "CACHE_URL": "dbcache://partnerhub_cache"}
    _ran(manage(application_url, "migrate", "--no-input", "-v0", env=env))
    _ran(manage(application_url, "createcachetable", env=env))
    _ran(manage(application_url, "create_app_role", "--role", role, env=env))
    owner = connection.settings_dict["USER"]
    with _as_superuser(name) as database:
        owners = dict(
            database.execute(
                "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
        )
        (may_insert, may_update) = database.execute(
            "SELECT has_table_privilege(%s, 'sharing_disclosure', 'INSERT'),"
            " has_table_privilege(%s, 'sharing_disclosure', 'UPDATE')",
            [role, role],
        ).fetchone()
    assert {"sharing_disclosure", "audit_auditevent", "partnerhub_cache"} <= set(owners)
    assert set(owners.values()) == {owner}
    assert (may_insert, may_update) == (True, False)


def test_without_database_owner_url_the_commands_use_database_url(
    empty_database_and_application_role,
):
    _, role, application_url, _ = empty_database_and_application_role
    refused = manage(
        application_url, "create_app_role", "--role", role, "--print-sql",
        env={"DATABASE_OWNER_URL": ""},
    )  # fmt: skip
    assert refused.returncode != 0
    assert f"{role} is the role running this command" in refused.stderr

"""The triggers a database holds, read from its catalogue rather than from the guards' code.

The drift test compares them with the guards as written; the transactional tests' flush lifts
them and puts back exactly what was there, so the database keeps what the migrations installed.
"""

# Every trigger in the current schema that a person wrote: PostgreSQL's own triggers for foreign
# keys are internal.
_POSTGRESQL_TRIGGERS = """
    SELECT trigger.tgname, trigger.tgrelid::regclass::text,
           pg_get_triggerdef(trigger.oid), pg_get_functiondef(trigger.tgfoid)
    FROM pg_trigger AS trigger
    JOIN pg_class AS target ON target.oid = trigger.tgrelid
    JOIN pg_namespace AS schema ON schema.oid = target.relnamespace
    WHERE NOT trigger.tgisinternal AND schema.nspname = current_schema()
"""


def installed_triggers(connection) -> dict[str, str]:
    """Each trigger by name: its definition, on PostgreSQL followed by its function's, with the
    whitespace normalised so that only a change to the SQL itself shows."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_POSTGRESQL_TRIGGERS)
            return {
                name: _normalised(f"{trigger} {function}")
                for name, _table, trigger, function in cursor.fetchall()
            }
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        return {name: _normalised(sql) for name, sql in cursor.fetchall()}


def drop_triggers(connection) -> list[str]:
    """Drop every trigger and return the statements that create them again as they were.

    A PostgreSQL trigger's function stays: it is what the trigger calls, not what fires.
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_POSTGRESQL_TRIGGERS)
            triggers = cursor.fetchall()
            for name, table, _trigger, _function in triggers:
                cursor.execute(f"DROP TRIGGER {quote(name)} ON {table}")
            return [trigger for _name, _table, trigger, _function in triggers]
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f"DROP TRIGGER {quote(name)}")
        return [sql for _name, sql in triggers]


def create_triggers(connection, statements: list[str]):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _normalised(sql: str) -> str:
    return " ".join(sql.split())

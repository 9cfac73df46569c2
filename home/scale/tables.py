"""Writing many rows at once: COPY on PostgreSQL, batched inserts on SQLite.

Rows are dicts keyed by field attribute names (`case_id`, not `case`) with their primary keys
chosen in advance, so later stages can refer to rows before they are written and the whole fill
needs no round trip per row. The database's own triggers and constraints check every row.
"""

import enum

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

BATCH = 2_000


def next_ids(model, count: int) -> range:
    """Primary keys for `count` new rows, after any already in the table."""
    highest = model.objects.aggregate(highest=models.Max("pk"))["highest"] or 0
    return range(highest + 1, highest + 1 + count)


def _columns(model, sample: dict) -> list[models.Field]:
    # A key left out is the database's to choose (the rows of a many-to-many table).
    return [
        field
        for field in model._meta.concrete_fields
        if field.attname in sample or not field.primary_key
    ]


def _default(field: models.Field, now):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    # The field's default, or what Django stores for it left empty ("" or None).
    return field.get_default()


def insert(model, rows: list[dict]) -> int:
    """Write `rows` into `model`'s table; returns how many."""
    if not rows:
        return 0
    now = timezone.now()
    fields = _columns(model, rows[0])
    defaults = {
        field.attname: _default(field, now) for field in fields if field.attname not in rows[0]
    }
    if connection.vendor == "postgresql":
        _copy(model, fields, rows, defaults)
    else:
        for start in range(0, len(rows), BATCH):
            model.objects.bulk_create(
                [model(**{**defaults, **row}) for row in rows[start : start + BATCH]]
            )
    return len(rows)


def _copy(model, fields, rows, defaults):
    from psycopg.types.json import Jsonb

    json_columns = {field.attname for field in fields if isinstance(field, models.JSONField)}
    names = [field.attname for field in fields]
    column_list = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    statement = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({column_list}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            values = []
            for name in names:
                value = row[name] if name in row else defaults[name]
                if isinstance(value, enum.Enum):
                    value = value.value
                elif name in json_columns and value is not None:
                    value = Jsonb(value)
                values.append(value)
            copy.write_row(values)


def reset_sequences(model_list) -> None:
    """After rows were written with chosen keys, PostgreSQL's sequences must start past them;
    SQLite follows the largest key by itself."""
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

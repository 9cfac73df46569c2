"""Counting several lists at once: the navigation shows a count beside each queue on every page,
and one query for all of them keeps every page's query budget fixed, whatever the person holds."""

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


def counts_in_one_query(querysets: dict[str, QuerySet]) -> dict[str, int]:
    """How many rows each queryset holds, keyed as given, read in one SELECT of scalar
    subqueries. A queryset that can match nothing (`.none()`) is 0 without asking."""
    counts = dict.fromkeys(querysets, 0)
    names, parts, params, database = [], [], [], None
    for name, queryset in querysets.items():
        try:
            sql, query_params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            continue
        names.append(name)
        # The text is Django's own compiled query; every value stays a parameter.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")  # noqa: S608
        params.extend(query_params)
        database = queryset.db
    if not parts:
        return counts
    with connections[database].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        counts.update(zip(names, cursor.fetchone(), strict=True))
    return counts

"""Counting in the database: each breakdown is one GROUP BY with a conditional count per
period, so a report runs the same number of queries whatever the data holds (issue 22)."""

import contextlib
import math
import statistics
from bisect import bisect_right
from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache, reduce
from operator import or_

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Aggregate, Count, F, FloatField, Func, IntegerField, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from core.working_days import is_working_day

# Every row: for a count over all the rows a query selected. An empty condition, so the count
# needs no FILTER and the query no WHERE of its own: PostgreSQL can then count from an index
# alone, where `id IS NOT NULL` would send it to the table for each row.
EVERY = Q()


def _any_of(conditions) -> Q:
    """The rows meeting any of the conditions: every row if one of them is EVERY."""
    if any(condition == EVERY for condition in conditions):
        return EVERY
    return reduce(or_, conditions)


def count(condition: Q) -> Count:
    """The rows meeting `condition`: `COUNT(*)` for EVERY, which an index alone can answer."""
    return Count("*") if condition == EVERY else Count("pk", filter=condition)


def on_days(field: str, periods: dict) -> dict[str, Q]:
    """A date field inside each period's days."""
    return {
        name: Q(**{f"{field}__range": (period.first_day, period.last_day)})
        for name, period in periods.items()
    }


def at_moments(field: str, periods: dict) -> dict[str, Q]:
    """A moment inside each period."""
    return {
        name: Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})
        for name, period in periods.items()
    }


def counts_by(
    rows: QuerySet, key, conditions: dict[str, Q], *, label: str | Mapping | None = None
) -> dict:
    """{category: {period name: count}} for the rows that meet any condition, grouped by
    `key` (a field path or an expression). With `label`, categories are (key, label) pairs:
    `label` is a field path read with the rows, or a mapping from each key to its label read
    beforehand, which spares the database grouping by a name as well as by a key (on
    PostgreSQL that doubled the cost of a count of a year's rows by agency)."""
    read_with_rows = isinstance(label, str)
    grouping = {
        "category": F(key) if isinstance(key, str) else key,
        **({"category_label": F(label)} if read_with_rows else {}),
    }
    found = (
        rows.filter(_any_of(conditions.values()))
        .order_by()
        .values(**grouping)
        .annotate(**{name: count(condition) for name, condition in conditions.items()})
    )
    counted = {}
    for row in found:
        category = row["category"]
        if read_with_rows:
            category = (category, row["category_label"])
        elif label is not None:
            category = (category, label[category])
        counted[category] = {name: row[name] for name in conditions}
    return counted


class _Grouping(Func):
    """PostgreSQL's GROUPING(): 1 on the row a ROLLUP adds for all the groups together."""

    function = "GROUPING"
    output_field = IntegerField()
    # It reads how a row was grouped, so it is never grouped by itself.
    contains_aggregate = True


# How Django's PostgreSQL compiler ends a query grouped by its first selected column alone.
_GROUPED_BY_KEY = " GROUP BY 1"


def by_key_with_total(rows: QuerySet, key: str, **aggregates) -> tuple[list[dict], dict]:
    """The aggregates for each value of `key` ({key: value, name: aggregate, ...}), and over all
    the rows ({name: aggregate}): a median over all the rows cannot be worked out from the
    groups' medians. On PostgreSQL in one scan of the rows, `GROUP BY ROLLUP`, which Django
    cannot write, so its compiled query's `GROUP BY 1` is rewritten; elsewhere in two queries."""
    rows = rows.order_by()
    grouped = rows.values(key).annotate(**aggregates)
    sql = None
    if connections[rows.db].vendor == "postgresql":
        # A filter that can match nothing compiles to nothing: Django answers it without asking.
        with contextlib.suppress(EmptyResultSet):
            sql, params = grouped.annotate(rolled_up=_Grouping(key)).query.sql_with_params()
    if sql is None:
        return list(grouped), rows.aggregate(**aggregates)
    if not sql.endswith(_GROUPED_BY_KEY):
        raise ValueError(f"Expected one grouping key, at the end of: {sql}")
    with connections[rows.db].cursor() as cursor:
        cursor.execute(f"{sql.removesuffix(_GROUPED_BY_KEY)} GROUP BY ROLLUP(1)", params)
        names = [column.name for column in cursor.description]
        found = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    groups, totals = [], []
    for row in found:
        (totals if row.pop("rolled_up") else groups).append(row)
    (total,) = totals
    return groups, {name: total[name] for name in aggregates}


def counts_of(rows: QuerySet, conditions: dict[str, Q]) -> dict[str, int]:
    """{name: count} for several conditions over the same rows, in one query."""
    return rows.aggregate(**{name: count(condition) for name, condition in conditions.items()})


def nearest_rank(values: list[float], fraction: float) -> float | None:
    """The value at `fraction` of the way up the sorted values (nearest rank): the median is
    0.5, the 90th percentile 0.9. None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(math.ceil(fraction * len(ordered)), 1)
    return float(ordered[rank - 1])


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


# Days are numbered from this Monday, before any day a report counts: the database works out
# each moment's UK date as its number, and the working days between two days are the difference
# of their working-day numbers (`working_day_number`, decision 27).
DAY_ZERO = date(2000, 1, 3)


class DayNumber(Func):
    """A date's number of days after `DAY_ZERO`."""

    output_field = IntegerField()
    template = f"(%(expressions)s - DATE '{DAY_ZERO.isoformat()}')"
    # Both databases send an integer: a conversion for each of thousands of rows is not needed.
    convert_value = staticmethod(Func._convert_value_noop)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template=(
                f"CAST(julianday(%(expressions)s) - julianday('{DAY_ZERO.isoformat()}') AS INTEGER)"
            ),
            **extra_context,
        )


@cache
def _working_days_until(last_year: int) -> tuple[tuple[int, ...], str]:
    """The numbers of the working days from `DAY_ZERO` to the end of `last_year`, in order, and
    as PostgreSQL's text of an array: written once, where a list would be adapted afresh, in
    Python, for each query."""
    days = (date(last_year, 12, 31) - DAY_ZERO).days + 1
    numbers = tuple(
        number for number in range(days) if is_working_day(DAY_ZERO + timedelta(days=number))
    )
    return numbers, "{" + ",".join(map(str, numbers)) + "}"


def _working_days_known() -> tuple[tuple[int, ...], str]:
    # Every moment a report counts is at the latest now; next year's days are there for the
    # evening of the 31st of December in the UK, already the 1st of January in UTC.
    return _working_days_until(timezone.localdate().year + 1)


def working_day_number(number: int | None) -> int | None:
    """How many working days there are from `DAY_ZERO` up to the day numbered `number`: the
    working days between two days are the difference of their numbers. `WorkingDaysBetween`
    asks the same of PostgreSQL, and of SQLite through this function."""
    if number is None:
        return None
    return bisect_right(_working_days_known()[0], number)


class WorkingDaysBetween(Func):
    """Working days from the first moment's UK date to the second's, counted as
    `core.working_days.working_days_between` counts them (0 when the second is not after the
    first): in the database, so medians of them are taken there too, over any number of rows."""

    output_field = IntegerField()

    def __init__(self, start: str, end: str):
        super().__init__(DayNumber(uk_date(end)), DayNumber(uk_date(start)))

    def as_sql(self, compiler, connection, **extra_context):
        # `width_bucket` finds, by binary search, how many of the working days' ordered
        # numbers are at or before the day's: each moment is turned into its UK day once.
        numbers, params = [], []
        for day in self.get_source_expressions():
            sql, day_params = compiler.compile(day)
            numbers.append(f"WIDTH_BUCKET({sql}, %s::integer[])")
            params.extend([*day_params, _working_days_known()[1]])
        return f"GREATEST({numbers[0]} - {numbers[1]}, 0)", params

    def as_sqlite(self, compiler, connection, **extra_context):
        return Func.as_sql(
            self,
            compiler,
            connection,
            template="MAX(WORKING_DAY_NUMBER(%(expressions)s), 0)",
            arg_joiner=") - WORKING_DAY_NUMBER(",
            **extra_context,
        )


class SecondsBetween(Func):
    """Seconds from the first moment to the second, as a float."""

    output_field = FloatField()
    # DATE_PART gives a float, as the median over it takes; EXTRACT gives an exact numeric,
    # which a year's referrals took a tenth longer to work out and then to convert.
    template = "DATE_PART('epoch', %(expressions)s)"
    arg_joiner = " - "

    def __init__(self, start: str, end: str):
        super().__init__(F(end), F(start))

    def as_sqlite(self, compiler, connection, **extra_context):
        # ((julianday(end) - julianday(start)) * 86400.0): days between, as seconds.
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


class Median(Aggregate):
    """The median of the values, in the database, as `statistics.median` takes it (the mean of
    the middle two of an even number): PostgreSQL's continuous percentile, and on SQLite the
    aggregate `register_functions` adds to each connection."""

    function = "MEDIAN"
    name = "Median"
    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra_context):
        ordered = self.copy()
        ordered.function = "PERCENTILE_CONT"
        ordered.template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
        return ordered.as_sql(compiler, connection, **extra_context)


class _MedianOnSQLite:
    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return median(self.values)


def register_functions(sender, connection, **kwargs):
    """`connection_created`'s receiver: SQLite has no median of its own, nor a calendar."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("MEDIAN", 1, _MedianOnSQLite)
        connection.connection.create_function(
            "WORKING_DAY_NUMBER", 1, working_day_number, deterministic=True
        )


def uk_date(moment_field: str) -> TruncDate:
    """A moment's date in the UK, as the database works it out: working days are counted
    between dates, and converting thousands of moments here took longer than the report's
    queries."""
    return TruncDate(moment_field)


def days_to_decide(requests: QuerySet, *fields: str):
    """(`fields`' values, working days from request to decision, how many decisions) for the
    decided requests: `working_days` from `requested_at` to `decided_at`."""
    return working_days(requests, "requested_at", "decided_at", *fields)


def working_days(rows: QuerySet, start: str, end: str, *fields: str):
    """(`fields`' values, working days from the `start` moment to the `end` one, how many rows):
    how many of the rows took each number of working days, counted by the database in one
    query, so a few hundred counts come back however many rows there are."""
    taken = (
        rows.values(*fields, days=WorkingDaysBetween(start, end))
        .annotate(rows=Count("*"))
        .order_by()
        .values_list(*fields, "days", "rows")
    )
    for *values, days, how_many in taken:
        yield tuple(values), days, how_many


def decision_times(days: list[int]) -> dict:
    """How many decisions, and the median and 90th percentile of the working days they took:
    the columns `DECISION_TIMES` names."""
    return {"decisions": len(days), "median": median(days), "ninetieth": nearest_rank(days, 0.9)}

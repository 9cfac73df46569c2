"""Counting in the database: each breakdown is one GROUP BY with a conditional count per
period, so a report runs the same number of queries whatever the data holds (issue 22)."""

import math
import statistics
from functools import reduce
from operator import or_

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate

from core.working_days import working_days_between

# Every row: for a count over all the rows a query selected.
EVERY = Q(pk__isnull=False)


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


def counts_by(rows: QuerySet, key, conditions: dict[str, Q], *, label: str | None = None) -> dict:
    """{category: {period name: count}} for the rows that meet any condition, grouped by
    `key` (a field path or an expression). With `label`, categories are (key, label) pairs."""
    grouping = {
        "category": F(key) if isinstance(key, str) else key,
        **({"category_label": F(label)} if label else {}),
    }
    found = (
        rows.filter(reduce(or_, conditions.values()))
        .order_by()
        .values(**grouping)
        .annotate(**{name: Count("pk", filter=condition) for name, condition in conditions.items()})
    )
    counted = {}
    for row in found:
        category = (row["category"], row["category_label"]) if label else row["category"]
        counted[category] = {name: row[name] for name in conditions}
    return counted


def counts_of(rows: QuerySet, conditions: dict[str, Q]) -> dict[str, int]:
    """{name: count} for several conditions over the same rows, in one query."""
    return rows.aggregate(
        **{name: Count("pk", filter=condition) for name, condition in conditions.items()}
    )


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


def days_to_decide(requests: QuerySet, *fields: str):
    """(row, working days from request to decision, how many decisions) for each pair of UK
    dates among the decided requests, with `fields` in each row and the decision's date as
    `ended_on`."""
    return working_days(requests, "requested_at", "decided_at", *fields)


def working_days(rows: QuerySet, start: str, end: str, *fields: str):
    """(row, working days from the `start` moment to the `end` one, how many rows) for each
    pair of their UK dates, with `fields` in each row: counted by pair in one query, the working
    days worked out once for each pair."""
    pairs = (
        rows.values(*fields, started_on=uk_date(start), ended_on=uk_date(end))
        .annotate(rows=Count("pk"))
        .order_by()
    )
    for pair in pairs:
        yield pair, working_days_between(pair["started_on"], pair["ended_on"]), pair["rows"]


def uk_date(moment_field: str) -> TruncDate:
    """A moment's date in the UK, as the database works it out: working days are counted
    between dates, and converting thousands of moments here took longer than the report's
    queries."""
    return TruncDate(moment_field)


def decision_times(days: list[int]) -> dict:
    """How many decisions, and the median and 90th percentile of the working days they took:
    the columns `DECISION_TIME_COLUMNS` names."""
    return {"decisions": len(days), "median": median(days), "ninetieth": nearest_rank(days, 0.9)}

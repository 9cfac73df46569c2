"""A report's figures as tables: what the page shows, the chart draws, and the downloads write.

A table is built from counts the database aggregated; small numbers are hidden from it
(`reports.suppression`) before anything reads it, so the page, its summary, its chart and its
downloads can only show what the viewer may see.
"""

from dataclasses import dataclass, field, replace
from typing import Any

COUNT = "count"
CHANGE = "change"
DAYS = "days"
HOURS = "hours"
PERCENT = "percent"


@dataclass(frozen=True)
class Hidden:
    """A count not shown: `small` (from 1 to one below the threshold) or `secondary` (withheld
    so that a small one cannot be worked out from a total)."""

    why: str

    @property
    def is_small(self) -> bool:
        return self.why == "small"


SMALL = Hidden("small")
WITHHELD = Hidden("secondary")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = COUNT
    # A figure computed from counts (a rate, a median over n cases) is hidden with them.
    derived_from: tuple[str, ...] = ()


# Decisions and how long they took, as `reports.counting.decision_times` counts them; the times
# are hidden with the count they summarise.
DECISIONS = Column("decisions", "Decisions")
DECISION_TIMES = (
    Column("median", "Median (working days)", DAYS, derived_from=("decisions",)),
    Column("ninetieth", "90th percentile (working days)", DAYS, derived_from=("decisions",)),
)


@dataclass(frozen=True)
class Row:
    label: str
    values: dict[str, Any]
    is_total: bool = False


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    row_heading: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    # The body rows' counts add up to the total row, column by column.
    columns_add_up: bool = False
    # Each row's counts add up to this column: all the other count columns, or those named.
    total_column: str | None = None
    total_parts: tuple[str, ...] = ()
    # The column a bar chart draws, if any.
    chart_column: str | None = None
    note: str = ""
    summary: str = ""
    hidden_any: bool = field(default=False, compare=False)

    @property
    def body(self) -> tuple[Row, ...]:
        return tuple(row for row in self.rows if not row.is_total)

    @property
    def total(self) -> Row | None:
        return next((row for row in self.rows if row.is_total), None)

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    def with_rows(self, rows) -> "Table":
        return replace(self, rows=tuple(rows))


def total_row(rows, keys, label="Total") -> Row:
    return Row(label, {key: sum(row.values[key] for row in rows) for key in keys}, is_total=True)


def shown(value) -> bool:
    return value is not None and not isinstance(value, Hidden)


def change_between(now, before):
    """The change from `before` to `now`, hidden when either is: a shown change beside a shown
    count would give the hidden one away."""
    if isinstance(now, Hidden) or isinstance(before, Hidden):
        return WITHHELD
    if now is None or before is None:
        return None
    return now - before


def with_changes(table: Table, changes: dict[str, tuple[str, str]]) -> Table:
    """Fill each change column from the (now, before) columns it compares."""
    rows = []
    for row in table.rows:
        values = dict(row.values)
        for key, (now, before) in changes.items():
            values[key] = change_between(values[now], values[before])
        rows.append(replace(row, values=values))
    return table.with_rows(rows)


@dataclass(frozen=True)
class Card:
    label: str
    value: Any
    note: str = ""


@dataclass(frozen=True)
class Section:
    heading: str
    tables: tuple[Table, ...]
    intro: str = ""


@dataclass(frozen=True)
class Figures:
    """One report as built for one viewer: its cover (title, period, filters), headline cards,
    an optional trend over time, and its sections of tables."""

    report: str
    title: str
    period_label: str
    filters: tuple[tuple[str, str], ...]
    cards: tuple[Card, ...]
    sections: tuple[Section, ...]
    trend: Table | None = None
    threshold: int = 5
    small_numbers_hidden: bool = False

    @property
    def tables(self) -> list[Table]:
        return ([self.trend] if self.trend else []) + [
            table for section in self.sections for table in section.tables
        ]

    def table(self, slug: str) -> Table | None:
        return next((table for table in self.tables if table.slug == slug), None)

"""Charts as plain SVG drawn on the server: they work without JavaScript, under the strict
Content-Security-Policy (geometry in attributes, colours in the stylesheet) and in print. Each
is drawn from a table that the page also shows, so a chart is never the only way to read a
figure (decision 17)."""

from dataclasses import dataclass

from reports.tables import Hidden, Table, shown

WIDTH = 640
LABEL_GAP = 18  # a bar's label sits above it, so long labels need no truncation
BAR_HEIGHT = 16
ROW_HEIGHT = LABEL_GAP + BAR_HEIGHT + 12
VALUE_SPACE = 110
# A bar chart over more rows than this (five hundred agencies) draws only the largest.
MOST_BARS = 20


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    width: float
    text: str
    text_x: float


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    height: int
    width: int = WIDTH


def value_text(value, threshold: int, *, short: bool = False) -> str:
    """How a count reads wherever a report shows it: a hidden one says why."""
    if value is None:
        return "–"
    if isinstance(value, Hidden):
        if value.is_small:
            return f"<{threshold}" if short else f"fewer than {threshold}"
        return "withheld"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}"


def bar_chart(table: Table, threshold: int) -> BarChart | None:
    """Horizontal bars for a table's chart column, in the table's order; past `MOST_BARS`
    rows, only the largest figures, largest first, so the chart stays readable and the table
    beneath it still holds every row. A hidden figure ranks below every shown one, so the
    choice of bars tells nothing about it."""
    key = table.chart_column
    if key is None or not table.body:
        return None
    rows = table.body
    title = f"{table.title}: {table.column(key).label}"
    if len(rows) > MOST_BARS:
        rows = sorted(rows, key=lambda row: _rank(row.values[key]), reverse=True)[:MOST_BARS]
        title = f"{title}, the {MOST_BARS} largest of {len(table.body):,}"
    values = [row.values[key] for row in rows]
    largest = max((value for value in values if shown(value)), default=0)
    scale = (WIDTH - VALUE_SPACE) / largest if largest else 0
    bars = []
    for index, row in enumerate(rows):
        value = row.values[key]
        width = value * scale if shown(value) else 0
        text = value_text(value, threshold)
        bars.append(
            Bar(
                label=row.label,
                y=index * ROW_HEIGHT,
                width=round(width, 1),
                text=text,
                text_x=round(width + 6, 1),
            )
        )
    return BarChart(title=title, bars=bars, height=len(bars) * ROW_HEIGHT)


def _rank(value) -> float:
    return value if shown(value) else -1


@dataclass(frozen=True)
class Column:
    label: str
    sublabel: str
    x: float
    y: float
    height: float
    text: str

    @property
    def text_y(self) -> float:
        return round(self.y - 4, 1)


@dataclass(frozen=True)
class ColumnChart:
    title: str
    columns: list[Column]
    width: int
    height: int
    plot_height: int
    column_width: float

    @property
    def label_y(self) -> int:
        return self.height - 20

    @property
    def sublabel_y(self) -> int:
        return self.height - 6


def column_chart(title: str, points: list[tuple[str, object]], threshold: int) -> ColumnChart:
    """Vertical columns for a series over time, such as thirteen months of new cases."""
    plot_height, label_space, top_space = 160, 36, 22
    step = WIDTH / max(len(points), 1)
    column_width = step * 0.6
    largest = max((value for _, value in points if shown(value)), default=0)
    columns = []
    for index, (label, value) in enumerate(points):
        # "Oct 2026" as "Oct" with the year beneath it where the year starts (and at the left).
        month, _, year = label.partition(" ")
        shows_year = index == 0 or month == "Jan"
        height = (value / largest * plot_height) if shown(value) and largest else 0
        text = value_text(value, threshold, short=True)
        columns.append(
            Column(
                label=month,
                sublabel=year if shows_year else "",
                x=round(index * step + (step - column_width) / 2, 1),
                y=round(top_space + plot_height - height, 1),
                height=round(height, 1),
                text=text,
            )
        )
    return ColumnChart(
        title=title,
        columns=columns,
        width=WIDTH,
        height=top_space + plot_height + label_space,
        plot_height=top_space + plot_height,
        column_width=round(column_width, 1),
    )

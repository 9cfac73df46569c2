"""Small-number suppression: every count from 1 to one below the threshold is hidden, and no
hidden count can be worked out from its row's or its column's total."""

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.suppression import suppress
from reports.tables import COUNT, Column, Hidden, Row, Table, total_row

THRESHOLD = 5
counts = st.integers(min_value=0, max_value=40)


def _table(grid: list[list[int]], *, with_total_column: bool) -> Table:
    keys = [f"c{index}" for index in range(len(grid[0]))]
    rows = []
    for index, values in enumerate(grid):
        cells = dict(zip(keys, values, strict=True))
        if with_total_column:
            cells["total"] = sum(values)
        rows.append(Row(f"r{index}", cells))
    columns = [Column(key, key, COUNT) for key in keys]
    if with_total_column:
        columns.append(Column("total", "Total", COUNT))
    rows.append(total_row(rows, [column.key for column in columns]))
    return Table(
        slug="grid",
        title="Grid",
        row_heading="Row",
        columns=tuple(columns),
        rows=tuple(rows),
        columns_add_up=True,
        total_column="total" if with_total_column else None,
    )


def _lines(table: Table):
    """Every line that adds up: (its parts' values, its total's value)."""
    keys = [column.key for column in table.columns if column.key != "total"]
    for key in [column.key for column in table.columns]:
        yield [row.values[key] for row in table.body], table.total.values[key]
    if table.total_column:
        for row in table.rows:
            yield [row.values[key] for key in keys], row.values["total"]


def _recoverable(parts, whole) -> bool:
    """A hidden cell is worked out from a line when it is the line's only hidden cell."""
    hidden = [value for value in (*parts, whole) if isinstance(value, Hidden)]
    return len(hidden) == 1


grids = st.integers(min_value=1, max_value=6).flatmap(
    lambda width: st.lists(st.lists(counts, min_size=width, max_size=width), min_size=1, max_size=8)
)


@settings(max_examples=300, deadline=None)
@given(grid=grids, with_total_column=st.booleans())
def test_no_hidden_count_can_be_worked_out_from_a_total(grid, with_total_column):
    original = _table(grid, with_total_column=with_total_column)
    shown = suppress(original, THRESHOLD)
    for parts, whole in _lines(shown):
        assert not _recoverable(parts, whole), (grid, parts, whole)


@settings(max_examples=300, deadline=None)
@given(grid=grids, with_total_column=st.booleans())
def test_every_small_count_is_hidden_and_every_shown_count_is_true(grid, with_total_column):
    original = _table(grid, with_total_column=with_total_column)
    shown = suppress(original, THRESHOLD)
    for before, after in zip(original.rows, shown.rows, strict=True):
        for key, value in before.values.items():
            if 0 < value < THRESHOLD:
                assert after.values[key] == Hidden("small")
            elif not isinstance(after.values[key], Hidden):
                assert after.values[key] == value


def test_a_single_small_count_takes_the_next_smallest_with_it():
    shown = suppress(_table([[3], [7], [12], [0]], with_total_column=False), THRESHOLD)
    values = [row.values["c0"] for row in shown.rows]
    assert values == [Hidden("small"), Hidden("secondary"), 12, 0, 22]


def test_nothing_is_hidden_when_nothing_is_small():
    original = _table([[5, 0], [9, 30]], with_total_column=True)
    shown = suppress(original, THRESHOLD)
    assert shown.rows == original.rows
    assert not shown.hidden_any


def test_a_figure_worked_out_from_hidden_counts_is_hidden_with_them():
    table = Table(
        slug="rate",
        title="Rate",
        row_heading="Row",
        columns=(
            Column("seats", "Seats"),
            Column("came", "Came"),
            Column("rate", "Rate", "percent", derived_from=("seats", "came")),
        ),
        rows=(Row("A", {"seats": 10, "came": 3, "rate": 0.3}),),
    )
    assert isinstance(suppress(table, THRESHOLD).rows[0].values["rate"], Hidden)

"""Small-number suppression for reports seen outside the safeguarding team.

Primary: every count from 1 up to one below the threshold is hidden. Secondary: wherever a
line of a table adds up (a column to its total row, a row to its total column) and only one of
its cells is hidden, the smallest other non-zero count of that line is hidden too (or, failing
one, the total), repeated until no line has exactly one hidden cell. A line with two hidden
cells gives away only their sum, never either of them.
"""

from dataclasses import replace

from reports.tables import COUNT, SMALL, WITHHELD, Hidden, Table


def _lines(table: Table, count_keys: list[str]) -> list[tuple[list, tuple]]:
    """Each additive line as (its parts, its whole), cells named (row index, column key)."""
    lines = []
    total_index = next((i for i, row in enumerate(table.rows) if row.is_total), None)
    if table.columns_add_up and total_index is not None:
        body = [i for i, row in enumerate(table.rows) if not row.is_total]
        for key in count_keys:
            lines.append(([(i, key) for i in body], (total_index, key)))
    if table.total_column:
        parts_keys = list(table.total_parts) or [
            key for key in count_keys if key != table.total_column
        ]
        for i in range(len(table.rows)):
            lines.append(([(i, key) for key in parts_keys], (i, table.total_column)))
    return [(parts, whole) for parts, whole in lines if parts]


def hidden_cells(table: Table, threshold: int) -> dict[tuple[int, str], Hidden]:
    count_keys = [column.key for column in table.columns if column.kind == COUNT]
    value = {(i, key): row.values[key] for i, row in enumerate(table.rows) for key in count_keys}
    hidden: dict[tuple[int, str], Hidden] = {
        cell: SMALL
        for cell, count in value.items()
        if isinstance(count, int) and 0 < count < threshold
    }
    lines = _lines(table, count_keys)
    changed = True
    while changed:
        changed = False
        for parts, whole in lines:
            if sum(cell in hidden for cell in (*parts, whole)) != 1:
                continue
            visible = [cell for cell in parts if cell not in hidden]
            candidates = sorted(
                (cell for cell in visible if value[cell]), key=lambda cell: value[cell]
            )
            if not candidates:
                candidates = [whole] if whole not in hidden else visible
            hidden[candidates[0]] = WITHHELD
            changed = True
    return hidden


def suppress(table: Table, threshold: int) -> Table:
    """The table as someone outside the team sees it."""
    hidden = hidden_cells(table, threshold)
    derived = [column for column in table.columns if column.derived_from]
    rows = []
    for i, row in enumerate(table.rows):
        values = dict(row.values)
        for (row_index, key), why in hidden.items():
            if row_index == i:
                values[key] = why
        for column in derived:
            if any(isinstance(values.get(key), Hidden) for key in column.derived_from):
                values[column.key] = WITHHELD
        rows.append(replace(row, values=values))
    return replace(table, rows=tuple(rows), hidden_any=bool(hidden))

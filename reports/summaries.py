"""A sentence or two beside each table that says what it shows, written from the table as the
viewer sees it (after suppression), so the words never reveal a hidden count."""

from dataclasses import replace

from reports.charts import value_text
from reports.suppression import suppress
from reports.tables import CHANGE, COUNT, DAYS, Hidden, Table, shown

TOP = 3


def _listing(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _change_phrase(change, label: str) -> str:
    if isinstance(change, Hidden) or change is None:
        return ""
    if change == 0:
        return f"the same as {label}"
    return f"{abs(change):,} {'more' if change > 0 else 'fewer'} than {label}"


def _largest(table: Table, key: str, threshold: int) -> str:
    ranked = sorted(
        (row for row in table.body if shown(row.values[key]) and row.values[key] > 0),
        key=lambda row: -row.values[key],
    )[:TOP]
    if not ranked:
        return ""
    return "Most: " + _listing([f"{row.label} ({row.values[key]:,})" for row in ranked]) + "."


def _comparison_summary(table: Table, threshold: int) -> str:
    this = table.column("this").label
    sentences = []
    total = table.total
    if total is not None:
        figure = total.values["this"]
        changes = [
            _change_phrase(total.values["change_previous"], table.column("previous").label),
            _change_phrase(total.values["change_year"], table.column("year").label),
        ]
        changes = [phrase for phrase in changes if phrase]
        sentence = f"{value_text(figure, threshold).capitalize()} in {this}"
        if changes:
            sentence += ": " + " and ".join(changes)
        sentences.append(sentence + ".")
    largest = _largest(table, "this", threshold)
    if largest:
        sentences.append(largest)
    elif total is None and not any(isinstance(row.values["this"], Hidden) for row in table.body):
        sentences.append(f"None in {this}.")
    return " ".join(sentences)


def _series_summary(table: Table, threshold: int) -> str:
    sentences = []
    for column in table.columns:
        if column.kind != COUNT:
            continue
        points = [(row.label, row.values[column.key]) for row in table.rows]
        visible = [(label, value) for label, value in points if shown(value)]
        if not visible:
            continue
        low = min(visible, key=lambda point: point[1])
        high = max(visible, key=lambda point: point[1])
        latest_label, latest = points[-1]
        sentences.append(
            f"{column.label}: {value_text(latest, threshold)} in {latest_label}, "
            f"between {low[1]:,} ({low[0]}) and {high[1]:,} ({high[0]}) over the period."
        )
    return " ".join(sentences)


def _generic_summary(table: Table, threshold: int) -> str:
    key = table.chart_column or next(
        (column.key for column in table.columns if column.kind == COUNT), None
    )
    if key is None:
        return ""
    sentences = []
    if table.total is not None:
        sentences.append(
            f"{table.column(key).label}: {value_text(table.total.values[key], threshold)} in all."
        )
    largest = _largest(table, key, threshold)
    if largest:
        sentences.append(largest)
    elif not table.body:
        sentences.append("Nothing to count in this period.")
    return " ".join(sentences)


def _timing_summary(table: Table, threshold: int) -> str:
    sentences = []
    for row in table.rows:
        timed = [column for column in table.columns if column.kind == DAYS]
        values = [row.values[column.key] for column in timed]
        if all(shown(value) for value in values):
            sentences.append(
                f"{row.label}: "
                + ", ".join(
                    f"{column.label.lower()} {value:,.1f}"
                    for column, value in zip(timed, values, strict=True)
                )
                + "."
            )
    return " ".join(sentences)


def hidden_note(threshold: int) -> str:
    return f" Counts under {threshold} are not shown, nor any figure they could be worked out from."


def summarise(table: Table, threshold: int) -> Table:
    keys = {column.key for column in table.columns}
    kinds = {column.kind for column in table.columns}
    if {"this", "previous", "year"} <= keys and CHANGE in kinds:
        text = _comparison_summary(table, threshold)
    elif DAYS in kinds:
        text = _timing_summary(table, threshold)
    elif table.slug == "trend":
        text = _series_summary(table, threshold)
    else:
        text = _generic_summary(table, threshold)
    if table.hidden_any:
        text += hidden_note(threshold)
    return replace(table, summary=text.strip())


def finish(table: Table, *, hide_small: bool, threshold: int) -> Table:
    """The table as this viewer may read it: small numbers hidden if they may not see them,
    then its summary written from what is left."""
    if hide_small:
        table = suppress(table, threshold)
    return summarise(table, threshold)

from django import template

from reports.charts import value_text
from reports.tables import CHANGE, DAYS, HOURS, PERCENT, Hidden

register = template.Library()


@register.filter
def cells(row, table):
    """The row's values in the table's column order, each with its column."""
    return [(column, row.values[column.key]) for column in table.columns]


@register.simple_tag
def report_value(value, column, threshold):
    """A figure as the page shows it; `column` None for a headline figure."""
    if value is None or isinstance(value, Hidden):
        return value_text(value, threshold)
    if isinstance(value, str):
        return value
    kind = column.kind if column is not None else None
    if kind == PERCENT:
        return f"{value:.0%}"
    if kind in (DAYS, HOURS):
        return f"{value:,.1f}"
    if kind == CHANGE:
        return f"+{value:,}" if value > 0 else ("0" if value == 0 else f"−{abs(value):,}")
    return value_text(value, threshold)

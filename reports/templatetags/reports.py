import html

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core.templatetags.govuk import scrolling_region
from reports.charts import value_text
from reports.tables import CHANGE, DAYS, HOURS, PERCENT, Hidden

register = template.Library()


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


@register.simple_tag
def report_table(table, threshold):
    """A report's table, in a region that scrolls sideways. Written here rather than in a
    template (docs/decisions/0023): the partnership report's tables over five hundred
    agencies hold thousands of cells, and a template tag for each cell was most of the page's
    time."""
    numeric = "govuk-table__header govuk-table__header--numeric"
    headings = format_html_join(
        "", '<th scope="col" class="{}">{}</th>', ((numeric, c.label) for c in table.columns)
    )
    cells: dict = {}
    rows = "".join(_row(row, table.columns, threshold, cells) for row in table.rows)
    caption_id = f"caption-{table.slug}"
    return scrolling_region(
        caption_id,
        format_html(
            '<table class="govuk-table partnerhub-report-table__data">'
            '<caption id="{}" class="govuk-table__caption govuk-visually-hidden">{}</caption>'
            '<thead class="govuk-table__head"><tr class="govuk-table__row">'
            '<th scope="col" class="govuk-table__header">{}</th>{}</tr></thead>'
            '<tbody class="govuk-table__body">{}</tbody></table>',
            caption_id,
            table.title,
            table.row_heading,
            headings,
            mark_safe(rows),  # noqa: S308 - every label and value was escaped above
        ),
    )


def _row(row, columns, threshold, cells: dict) -> str:
    total = " partnerhub-report-total" if row.is_total else ""
    return (
        f'<tr class="govuk-table__row{total}">'
        f'<th scope="row" class="govuk-table__header">{html.escape(str(row.label))}</th>'
        f"{''.join(_cell(row.values[column.key], column, threshold, cells) for column in columns)}"
        "</tr>"
    )


def _cell(value, column, threshold, cells: dict) -> str:
    """A figure's cell, written once for each figure and kind of column in a table: most of a
    big table's thousands of cells hold the same few small counts."""
    # The type too: 1 and 1.0 are the same key to a dict, but not the same text.
    key = (column.kind, type(value), value)
    cell = cells.get(key)
    if cell is None:
        # The standard library's escape, which Django's wraps: every figure here is plain text,
        # never markup marked safe.
        text = html.escape(str(report_value(value, column, threshold)))
        cell = cells[key] = f'<td class="govuk-table__cell govuk-table__cell--numeric">{text}</td>'
    return cell

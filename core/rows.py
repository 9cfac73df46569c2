"""What the tables written in Python (docs/decisions/0023) share: their rows' markup, filled and
escaped by `format_html`; and the links, dates and choice labels in them, since fifty rows
asked Django for the same address pattern, dates and labels fifty times over."""

from collections.abc import Callable, Iterable
from datetime import date
from functools import cache

from django.urls import reverse
from django.utils import dateformat
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def row_template(*cells: str) -> str:
    """A GOV.UK table row's markup with one cell for each of `cells`: each the cell's contents,
    with a `{}` for each value, or a whole `<td>` where the cell needs a class of its own."""
    return (
        '<tr class="govuk-table__row">'
        + "".join(
            cell if cell.startswith("<td") else f'<td class="govuk-table__cell">{cell}</td>'
            for cell in cells
        )
        + "</tr>"
    )


def table_rows(template: str, items: Iterable, cells: Callable[..., Iterable]) -> SafeString:
    """One row for each item: `template` (see `row_template`) filled with the values
    `cells(item)` gives, each escaped by `format_html` unless it is already safe markup."""
    return mark_safe("".join(format_html(template, *cells(item)) for item in items))  # noqa: S308


# A key no record has: its digits are replaced by each row's own.
_ANY_KEY = 9_876_543_210


def link_for_each(url_name: str, *leading) -> Callable[[int], str]:
    """The address of each record's page by its key, for a URL whose last argument is that key
    (after any `leading` ones, the same for every row): resolved once, where `reverse` for
    each row took about as long as the rest of it."""
    before, after = reverse(url_name, args=[*leading, _ANY_KEY]).split(str(_ANY_KEY))
    return lambda key: f"{before}{int(key)}{after}"


def label_of_each(model, field_name: str) -> Callable[[str], str]:
    """A choice field's label for each row's value, read from one table: Django's
    `get_FOO_display` builds a dictionary of every choice for each call."""
    labels = dict(model._meta.get_field(field_name).flatchoices)
    return lambda value: labels.get(value, value)


def table_day(day: date) -> str:
    """A date as the tables write it: "7 Dec 2026"."""
    return dateformat.format(day, "j M Y")


def day_of_each() -> Callable[[date], str]:
    """`table_day`, each distinct date formatted once per table: a page's rows share a handful
    of due dates and meetings."""
    return cache(table_day)

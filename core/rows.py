"""What the tables written in Python (docs/decisions/0023) share: each row links to a record's
page and shows dates, and fifty rows asked Django for the same address pattern and the same
few dates fifty times over."""

from collections.abc import Callable
from datetime import date
from functools import cache

from django.urls import reverse
from django.utils import dateformat

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


def day_of_each() -> Callable[[date], str]:
    """A date as the tables write it ("7 Dec 2026"), each distinct date formatted once per
    table: a page's rows share a handful of due dates and meetings."""
    return cache(lambda day: dateformat.format(day, "j M Y"))

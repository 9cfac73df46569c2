"""GOV.UK pagination for lists whose filters live in the query string."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.http import QueryDict


@dataclass(frozen=True)
class PageLink:
    number: int | None
    url: str = ""
    current: bool = False

    @property
    def is_ellipsis(self) -> bool:
        return self.number is None


def _url(query: QueryDict, number: int) -> str:
    query = query.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()


def paginate(queryset, query: QueryDict, per_page: int) -> tuple[Page, dict]:
    """The requested page (an out-of-range number gives the nearest page) and its links.

    The links keep every other parameter of `query`, so a filtered list stays filtered.
    """
    page = Paginator(queryset, per_page).get_page(query.get("page"))
    query = query.copy()
    query.pop("page", None)
    last = page.paginator.num_pages
    wanted = sorted(
        {1, last, page.number - 1, page.number, page.number + 1} & set(range(1, last + 1))
    )
    links, previous = [], 0
    for number in wanted:
        if number - previous > 1:
            links.append(PageLink(None))
        links.append(PageLink(number, _url(query, number), number == page.number))
        previous = number
    pagination = {
        "links": links if last > 1 else [],
        "previous_url": _url(query, page.number - 1) if page.has_previous() else "",
        "next_url": _url(query, page.number + 1) if page.has_next() else "",
    }
    return page, pagination


def filter_and_paginate(filter_class, rows, query: QueryDict, per_page: int, **filter_options):
    """A list page's filter, the requested page of what it lets through, and the page links.

    django-filter drops a value it cannot read and filters on the rest, so an invalid filter
    would list more than was asked for: an invalid filter lists nothing, with its errors shown.
    """
    list_filter = filter_class(query, queryset=rows, **filter_options)
    matching = list_filter.qs if list_filter.is_valid() else rows.none()
    page, pagination = paginate(matching, query, per_page)
    return list_filter, page, pagination

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

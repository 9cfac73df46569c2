"""The forum list's rows: `{% load forums %}{% forum_rows forums %}`."""

from django import template
from django.utils.safestring import mark_safe

from core.rows import link_for_each, row_template, table_rows

register = template.Library()

_ROW = row_template(
    '<a class="govuk-link" href="{}">{}</a>{}',
    "{}",
    "{}",
    "{}",
    '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>',
)
_CLOSED = mark_safe(' <strong class="govuk-tag govuk-tag--grey">Closed</strong>')


@register.simple_tag
def forum_rows(forums):
    """Every forum the person sees, with its kind, area, coordinator and upcoming meetings.
    Written here rather than in the template (docs/decisions/0023): the list is not paged, and
    three hundred forums through the template were over half of the page."""
    link = link_for_each("meetings:forum-detail")
    return table_rows(
        _ROW,
        forums,
        lambda forum: (
            link(forum.pk),
            forum.name,
            "" if forum.is_active else _CLOSED,
            forum.kind.name,
            _area(forum),
            forum.coordinating_agency.name if forum.coordinating_agency else "",
            forum.upcoming,
        ),
    )


def _area(forum) -> str:
    if forum.local_authority:
        return forum.local_authority.name
    return forum.region.name if forum.region else "National"

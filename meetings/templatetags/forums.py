"""The forum list's rows: `{% load forums %}{% forum_rows forums %}`."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.rows import link_for_each

register = template.Library()

_CLOSED = mark_safe(' <strong class="govuk-tag govuk-tag--grey">Closed</strong>')


@register.simple_tag
def forum_rows(forums):
    """Every forum the person sees, with its kind, area, coordinator and upcoming meetings.
    Written here rather than in the template (docs/decisions/0023): the list is not paged, and
    three hundred forums through the template were over half of the page."""
    link = link_for_each("meetings:forum-detail")
    return mark_safe(  # noqa: S308 - every value went through format_html
        "".join(
            format_html(
                '<tr class="govuk-table__row">'
                '<td class="govuk-table__cell"><a class="govuk-link" href="{}">{}</a>{}</td>'
                '<td class="govuk-table__cell">{}</td>'
                '<td class="govuk-table__cell">{}</td>'
                '<td class="govuk-table__cell">{}</td>'
                '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'
                "</tr>",
                link(forum.pk),
                forum.name,
                "" if forum.is_active else _CLOSED,
                forum.kind.name,
                _area(forum),
                forum.coordinating_agency.name if forum.coordinating_agency else "",
                forum.upcoming,
            )
            for forum in forums
        )
    )


def _area(forum) -> str:
    if forum.local_authority:
        return forum.local_authority.name
    return forum.region.name if forum.region else "National"

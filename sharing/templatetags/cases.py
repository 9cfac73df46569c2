from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from sharing.models import RiskLevel

register = template.Library()

_RISK_TAG_COLOURS = {RiskLevel.HIGH: "govuk-tag--red", RiskLevel.MEDIUM: "govuk-tag--orange"}
_CHILD_TAG = mark_safe(' <strong class="govuk-tag govuk-tag--yellow">Child</strong>')


@register.filter
def risk_tag_colour(risk: str) -> str:
    """The tag colour of a risk level: red for high, orange for medium, grey otherwise."""
    return _RISK_TAG_COLOURS.get(risk, "govuk-tag--grey")


@register.simple_tag
def case_rows(cases):
    """The rows of a case list. Written here rather than in the template
    (docs/decisions/0023): a page of fifty cases, each with its indicators and officers, made
    several hundred template lookups, a fifth of the page's time at national scale."""
    return mark_safe("".join(_case_row(case) for case in cases))  # noqa: S308 - escaped below


def _case_row(case) -> str:
    indicators = format_html_join(
        ", ",
        '<abbr title="{}">{}</abbr>',
        ((item.indicator.name, item.indicator.code) for item in case.current_indicators),
    )
    return format_html(
        '<tr class="govuk-table__row">'
        '<td class="govuk-table__cell"><a class="govuk-link" href="{}">{}</a></td>'
        '<td class="govuk-table__cell">{}{}</td>'
        '<td class="govuk-table__cell">{}</td>'
        '<td class="govuk-table__cell">{}</td>'
        '<td class="govuk-table__cell">{}</td>'
        '<td class="govuk-table__cell"><strong class="govuk-tag {}">{}</strong></td>'
        '<td class="govuk-table__cell">{}</td>'
        "</tr>",
        reverse("sharing:case-detail", args=[case.pk]),
        case.reference,
        case.full_name,
        _CHILD_TAG if case.is_child else "",
        case.local_authority.name,
        indicators or "None",
        ", ".join(officer.full_name for officer in case.assigned_officers.all()),
        risk_tag_colour(case.risk_level),
        case.get_risk_level_display(),
        case.get_status_display(),
    )

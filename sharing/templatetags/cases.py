from django import template
from django.template.defaultfilters import truncatewords
from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince

from core.rows import label_of_each, link_for_each, row_template, table_rows
from sharing.models import Case, RiskLevel

register = template.Library()

_RISK_TAG_COLOURS = {RiskLevel.HIGH: "govuk-tag--red", RiskLevel.MEDIUM: "govuk-tag--orange"}
_RISK = label_of_each(Case, "risk_level")
_STATUS = label_of_each(Case, "status")
_CASE_ROW = row_template(
    '<a class="govuk-link" href="{}">{}</a>', "{}{}", "{}", "{}", "{}", "{}", "{}"
)
_ESCALATION_ROW = row_template(
    '<a class="govuk-link" href="{}">Decide<span class="govuk-visually-hidden"> the escalation'
    " of</span> {}</a>",
    "{}",
    "{}",
    '{} <span class="govuk-hint govuk-!-margin-bottom-0">since {}</span>',
    "{}",
)
_CHILD_TAG = mark_safe(' <strong class="govuk-tag govuk-tag--yellow">Child</strong>')


@register.simple_tag
def risk_tag(risk: str, label: str):
    """A risk level's tag, worded by `label`: red for high, orange for medium, grey otherwise."""
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        _RISK_TAG_COLOURS.get(risk, "govuk-tag--grey"),
        label,
    )


@register.simple_tag
def case_rows(cases):
    """The rows of a case list. Written here rather than in the template
    (docs/decisions/0023): a page of fifty cases, each with its indicators and officers, made
    several hundred template lookups, a fifth of the page's time at national scale."""
    link = link_for_each("sharing:case-detail")
    return table_rows(_CASE_ROW, cases, lambda case: _case_cells(case, link))


def _case_cells(case, link) -> tuple:
    indicators = format_html_join(
        ", ",
        '<abbr title="{}">{}</abbr>',
        ((item.label, item.code) for item in case.current_indicators),
    )
    return (
        link(case.pk),
        case.reference,
        case.full_name,
        _CHILD_TAG if case.is_child else "",
        case.local_authority.name,
        indicators or "None",
        ", ".join(officer.full_name for officer in case.officers_listed),
        _risk_tag(case),
        _STATUS(case.status),
    )


def _risk_tag(case) -> str:
    return risk_tag(case.risk_level, _RISK(case.risk_level))


@register.simple_tag
def escalation_rows(escalations):
    """The rows of the escalations awaiting a decision, each with its case's risk, who raised
    it and how long it has waited. Written here rather than in the template
    (docs/decisions/0023): fifty rows were half of the queue's page."""
    link = link_for_each("sharing:escalation-decide")
    return table_rows(
        _ESCALATION_ROW,
        escalations,
        lambda escalation: (
            link(escalation.pk),
            escalation.case.reference,
            _risk_tag(escalation.case),
            escalation.raised_by.full_name,
            timesince(escalation.raised_at),
            dateformat.format(timezone.localtime(escalation.raised_at), "j F Y"),
            truncatewords(escalation.reason, 20),
        ),
    )

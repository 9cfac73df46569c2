"""The directory as its pages list it: `{% load directory %}`, then `{% agency_rows agencies
has_areas %}` for the directory's rows and `{% agreement_tag agency %}` for the state of an
agency's information sharing agreement."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from agencies.models import Agency, InformationSharingAgreementStatus
from core.rows import label_of_each, link_for_each, row_template, table_rows

register = template.Library()

_AGREEMENT_COLOURS = {
    InformationSharingAgreementStatus.CURRENT: " govuk-tag--green",
    InformationSharingAgreementStatus.REVIEW_OVERDUE: " govuk-tag--red",
}
_KIND = label_of_each(Agency, "kind")
_SECTOR = label_of_each(Agency, "sector")
_ROW = row_template(
    '<a class="govuk-link" href="{}">{}</a>{}{}{}',
    '{}<br><span class="govuk-body-s">{}</span>',
    "{}",
    "{}",
)
_YOUR_AREA = mark_safe('<br><strong class="govuk-tag govuk-tag--blue">Your area</strong>')
_INACTIVE = mark_safe('<br><strong class="govuk-tag govuk-tag--grey">Inactive</strong>')


@register.simple_tag
def agreement_tag(agency):
    """Current, past its review date, or none on file: without a current agreement the
    consent gate stops releases to the agency."""
    status = agency.information_sharing_agreement_status()
    return format_html(
        '<strong class="govuk-tag{}">{}</strong>',
        _AGREEMENT_COLOURS.get(status, " govuk-tag--grey"),
        status.label,
    )


@register.simple_tag
def agency_rows(agencies, has_areas):
    """The directory's rows. Written here rather than in the template
    (docs/decisions/0023): fifty agencies, each with its parent, areas, tags and agreement,
    were a fifth of the directory's page at national scale."""
    link = link_for_each("agencies:agency-detail")
    return table_rows(
        _ROW,
        agencies,
        lambda agency: (
            link(agency.pk),
            agency.name,
            format_html('<br><span class="govuk-body-s">Part of {}</span>', agency.parent.name)
            if agency.parent
            else "",
            _YOUR_AREA if agency.in_my_areas and has_areas else "",
            "" if agency.is_active else _INACTIVE,
            _KIND(agency.kind),
            _SECTOR(agency.sector),
            agency.areas_summary() or "Not recorded",
            agreement_tag(agency),
        ),
    )

"""The rows of an audit log page:
`{% load audit_events %}{% event_rows page.events show_record %}`."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from audit.models import AuditEvent
from core.rows import day_of_each, label_of_each, row_template, table_rows

register = template.Library()

_VERB = label_of_each(AuditEvent, "verb")

_HINT = '<span class="govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0">{}</span>'


@register.simple_tag
def event_rows(events, show_record: bool):
    """Written here rather than in a template (docs/decisions/0023): fifty events, each with
    its record, its trail link and defaults for what it lacks, were a sixth of the page."""
    day = day_of_each()
    template = row_template(
        "{}",
        '<time datetime="{}">{}</time>',
        "{}",
        "{}",
        *(["{}"] if show_record else []),
        "{}",
        "{}",
    )
    return table_rows(template, events, lambda event: _cells(event, show_record, day))


def _cells(event, show_record: bool, day) -> tuple:
    at = timezone.localtime(event.occurred_at)
    return (
        event.sequence,
        at.isoformat(),
        f"{day(at.date())}, {at:%H:%M:%S}",
        event.actor_label or "The system",
        _VERB(event.verb),
        *([_record(event)] if show_record else []),
        ", ".join(event.changed_fields) or "–",
        event.ip_address or "–",
    )


def _record(event) -> str:
    """The record an event is about, linked to its trail; an export, an import or a refused
    page is about many records, or none by id, so it has no trail to link to."""
    if event.object_type and event.object_id:
        trail = reverse(
            "audit:object-trail",
            kwargs={"object_type": event.object_type, "object_id": event.object_id},
        )
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>' + _HINT,
            trail,
            event.object_label or event.object_id,
            f"{event.object_type} {event.object_id}",
        )
    if event.object_type or event.object_label:
        hint = (
            format_html(_HINT, event.object_type)
            if event.object_label and event.object_type
            else ""
        )
        return format_html("{}{}", event.object_label or event.object_type, hint)
    return "–"

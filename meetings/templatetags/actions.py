"""Actions as the pages list them: `{% load actions %}`, then `{% action_rows actions today %}`
for a table's rows, `{% action_link action %}` for the link to one and `{% action_status action
today %}` for its status tag."""

from django import template
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.rows import day_of_each, link_for_each
from meetings.models import ActionStatus

register = template.Library()

_RESTRICTED = "Action on a case item (details restricted)"
_DESCRIPTION_SHOWN = 120
_STATUS_TAGS = {
    ActionStatus.DONE: mark_safe('<strong class="govuk-tag govuk-tag--green">Done</strong>'),
    ActionStatus.IN_PROGRESS: mark_safe(
        '<strong class="govuk-tag govuk-tag--light-blue">In progress</strong>'
    ),
    ActionStatus.OPEN: mark_safe('<strong class="govuk-tag govuk-tag--blue">Open</strong>'),
}
_OVERDUE_TAG = mark_safe('<strong class="govuk-tag govuk-tag--red">Overdue</strong>')


@register.simple_tag
def action_status(action, today):
    """Done, how it was closed, overdue, in progress or open: an open action past its due date
    is overdue whatever work has started on it."""
    if action.status == ActionStatus.CANCELLED:
        return format_html(
            '<strong class="govuk-tag govuk-tag--grey">{}</strong>', action.get_closure_display()
        )
    if action.status != ActionStatus.DONE and action.due_on < today:
        return _OVERDUE_TAG
    return _STATUS_TAGS[action.status]


@register.simple_tag
def action_link(action):
    """The link to an action, named by its description unless it is about a case item this
    person is not shown (`mark_restricted_actions`)."""
    return _link(action, reverse("meetings:action-detail", args=[action.pk]))


def _link(action, url: str) -> str:
    if getattr(action, "details_restricted", False):
        text = _RESTRICTED
    elif len(action.description) <= _DESCRIPTION_SHOWN:
        # Django's truncation reads every character, and most descriptions are shorter.
        text = action.description
    else:
        text = truncatechars(action.description, _DESCRIPTION_SHOWN)
    return format_html('<a class="govuk-link" href="{}">{}</a>', url, text)


@register.simple_tag
def action_rows(actions, today, show_meeting=False, show_forum=False):
    """The rows of an action table. Written here rather than in the template
    (docs/decisions/0023): a forum's fifty open actions, each with its owner, meeting and
    status, were a fifth of the forum page at national scale."""
    link, day = link_for_each("meetings:action-detail"), day_of_each()

    def row(action) -> str:
        meeting = ""
        if show_meeting:
            start = day(timezone.localtime(action.meeting.start).date())
            meeting = format_html(
                '<td class="govuk-table__cell">{}</td>',
                f"{action.meeting.forum.name}, {start}" if show_forum else start,
            )
        return format_html(
            '<tr class="govuk-table__row">'
            '<td class="govuk-table__cell">{}</td>'
            '<td class="govuk-table__cell">{}</td>'
            "{}"
            '<td class="govuk-table__cell">{}</td>'
            '<td class="govuk-table__cell">{}</td>'
            "</tr>",
            _link(action, link(action.pk)),
            ", ".join(
                [
                    *([action.owner.full_name] if action.owner else []),
                    *([action.owner_agency.name] if action.owner_agency else []),
                ]
            ),
            meeting,
            day(action.due_on),
            action_status(action, today),
        )

    return mark_safe("".join(row(action) for action in actions))  # noqa: S308 - format_html

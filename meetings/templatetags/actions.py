"""Actions as the pages list them: `{% load actions %}`, then `{% action_rows actions today %}`
for a table's rows, and for a page's own table `{% action_link action %}`, `{% action_owner
action %}`, `{% action_from action %}` and `{% action_status action today %}`."""

from django import template
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core.rows import day_of_each, link_for_each, row_template, table_day, table_rows
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
_NOT_REVIEWED = mark_safe("<br>Not reviewed yet")
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
def action_owner(action) -> str:
    """Who holds an action: the person, their agency, or both."""
    return ", ".join(
        [
            *([action.owner.full_name] if action.owner else []),
            *([action.owner_agency.name] if action.owner_agency else []),
        ]
    )


@register.simple_tag
def action_from(action) -> str:
    """The forum and the day of the meeting an action came from."""
    return _meeting_of(action, table_day, with_forum=True)


@register.simple_tag
def action_rows(actions, today, show_meeting=False, show_forum=False):
    """The rows of an action table. Written here rather than in the template
    (docs/decisions/0023): a forum's fifty open actions, each with its owner, meeting and
    status, were a fifth of the forum page at national scale."""
    row = _ActionRow(show_meeting=show_meeting, show_forum=show_forum)
    return row.join(actions, lambda action: action_status(action, today))


@register.simple_tag
def carried_over_rows(actions, meeting, today, may_review):
    """The rows of a meeting's carried-over actions: each action's status, then its reviews at
    this meeting (only that it was reviewed, where its details are restricted), then a link
    to review it while it is open."""
    row = _ActionRow(show_meeting=True, show_forum=False)
    review = link_for_each("meetings:action-review", meeting.pk)

    def reviewed(action) -> str:
        restricted = getattr(action, "details_restricted", False)
        reviews = format_html_join(
            "",
            "<br>{} ({})",
            (
                ("Reviewed" if restricted else update.note, update.created_by.full_name)
                for update in action.reviews_here
            ),
        )
        to_review = ""
        if may_review and action.is_open and not restricted:
            to_review = format_html(
                '<br><a class="govuk-link" href="{}">Review<span class="govuk-visually-hidden">'
                " the action due {}</span></a>",
                review(action.pk),
                row.day(action.due_on),
            )
        return format_html(
            "{}{}{}", action_status(action, today), reviews or _NOT_REVIEWED, to_review
        )

    return row.join(actions, reviewed)


class _ActionRow:
    """An action's link, owner, meeting (the forum's name too, if asked) and due date, then a
    last cell of the table's own."""

    def __init__(self, *, show_meeting: bool, show_forum: bool):
        self.show_meeting, self.show_forum = show_meeting, show_forum
        self.link, self.day = link_for_each("meetings:action-detail"), day_of_each()
        self.template = row_template("{}", "{}", *(["{}"] if show_meeting else []), "{}", "{}")

    def join(self, actions, last_cell) -> str:
        return table_rows(self.template, actions, lambda action: self.cells(action, last_cell))

    def cells(self, action, last_cell) -> tuple:
        return (
            _link(action, self.link(action.pk)),
            action_owner(action),
            *([_meeting_of(action, self.day, self.show_forum)] if self.show_meeting else []),
            self.day(action.due_on),
            last_cell(action),
        )


def _meeting_of(action, day, with_forum: bool) -> str:
    start = day(timezone.localtime(action.meeting.start).date())
    return f"{action.meeting.forum.name}, {start}" if with_forum else start

"""The meetings work queues: minutes, overdue actions and meetings without an agenda for those
who manage meetings, and a partner agency's open actions. What each holds is its selector's rule,
so the home page's cards count the same."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from audit.services import record_view
from core.pagination import filter_and_paginate
from meetings import permissions, selectors
from meetings.filters import (
    ActionDueFilter,
    MeetingWithoutAgendaFilter,
    MinutesAwaitingFilter,
    OverdueActionFilter,
)
from sharing.permissions import is_partner

ROWS_PER_PAGE = 50


def _queue(request, *, rows, filter_class, template, actions=False, **extra):
    queue_filter, page, pagination = filter_and_paginate(
        filter_class, rows, request.GET, ROWS_PER_PAGE
    )
    if actions:
        # An action on a case item may be one whose description this person may not read.
        page.object_list = selectors.mark_restricted_actions(request.user, list(page.object_list))
    return render(
        request,
        template,
        {"filter": queue_filter, "page": page, "pagination": pagination, **extra},
    )


def minutes_awaiting(request):
    if not permissions.may_manage_meetings(request.user):
        raise PermissionDenied
    return _queue(
        request,
        rows=selectors.minutes_awaiting(request.user),
        filter_class=MinutesAwaitingFilter,
        template="meetings/queues/minutes_awaiting.html",
    )


def overdue_actions(request):
    if not permissions.may_manage_meetings(request.user):
        raise PermissionDenied
    record_view(request, object_type="meetings.action", detail={"list": "overdue actions"})
    return _queue(
        request,
        rows=selectors.overdue_actions_across_forums(request.user),
        filter_class=OverdueActionFilter,
        template="meetings/queues/overdue_actions.html",
        actions=True,
    )


def meetings_without_agenda(request):
    if not permissions.may_manage_meetings(request.user):
        raise PermissionDenied
    return _queue(
        request,
        rows=selectors.meetings_without_agenda(request.user),
        filter_class=MeetingWithoutAgendaFilter,
        template="meetings/queues/meetings_without_agenda.html",
        notice_days=selectors.AGENDA_NOTICE_DAYS,
    )


def agency_actions(request):
    """A partner agency's open actions, whoever in it holds them."""
    if not is_partner(request.user):
        raise PermissionDenied
    record_view(request, object_type="meetings.action", detail={"list": "my agency's actions"})
    return _queue(
        request,
        rows=selectors.open_actions_of_my_agency(request.user),
        filter_class=ActionDueFilter,
        template="meetings/queues/agency_actions.html",
        actions=True,
        today=timezone.localdate(),
    )

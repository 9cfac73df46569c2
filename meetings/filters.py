"""Filters and sorting for the meetings work queues: each narrows its selector, never widens it."""

from datetime import timedelta

import django_filters
from django.utils import timezone

from core.filters import LongListFilter
from meetings.models import Action, Forum, Meeting, Minutes, MinutesStatus

# "Due soon" on the actions queues: the week ahead, when there is still time to do them.
DUE_SOON_DAYS = 7


def _forum_filter(field_name: str) -> LongListFilter:
    return LongListFilter(
        label="Forum",
        field_name=field_name,
        queryset=Forum.objects.order_by("name"),
        label_from="name",
        empty_label="Any forum",
        error_messages={"invalid_choice": "Choose a forum from the list"},
    )


class ActionDueFilter(django_filters.FilterSet):
    OVERDUE = "overdue"
    DUE_SOON = "soon"

    due = django_filters.ChoiceFilter(
        label="Due",
        choices=[(OVERDUE, "Overdue"), (DUE_SOON, f"Due in the next {DUE_SOON_DAYS} days")],
        method="by_due_date",
        empty_label="Any time",
        error_messages={"invalid_choice": "Choose when the actions are due from the list"},
    )

    class Meta:
        model = Action
        fields = []

    def by_due_date(self, queryset, name, value):
        if value == self.OVERDUE:
            return queryset.overdue()
        today = timezone.localdate()
        return queryset.filter(due_on__gte=today, due_on__lte=today + timedelta(days=DUE_SOON_DAYS))


class OverdueActionFilter(django_filters.FilterSet):
    forum = _forum_filter("meeting__forum")
    order = django_filters.OrderingFilter(
        label="Sort by",
        fields=(("due_on", "due"),),
        field_labels={"due_on": "Longest overdue first", "-due": "Most recently due first"},
        empty_label=None,
    )

    class Meta:
        model = Action
        fields = []


class MinutesAwaitingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="Waiting to be",
        choices=[(MinutesStatus.DRAFT, "Circulated"), (MinutesStatus.CIRCULATED, "Approved")],
        empty_label="Circulated or approved",
        error_messages={"invalid_choice": "Choose a step from the list"},
    )
    forum = _forum_filter("meeting__forum")
    order = django_filters.OrderingFilter(
        label="Sort by",
        fields=(("meeting__start", "held"),),
        field_labels={"meeting__start": "Oldest meeting first", "-held": "Newest meeting first"},
        empty_label=None,
    )

    class Meta:
        model = Minutes
        fields = []


class MeetingWithoutAgendaFilter(django_filters.FilterSet):
    forum = _forum_filter("forum")

    class Meta:
        model = Meeting
        fields = []

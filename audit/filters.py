"""Filters for the audit log page."""

from datetime import datetime, time, timedelta

import django_filters
from django.apps import apps
from django.utils import timezone

from audit.models import AuditEvent, Verb
from core.filters import SearchDateFilter
from core.forms import AutocompleteSelect, GovukForm

CHECKPOINT_TYPE = ("audit.checkpoint", "Audit checkpoint")


def object_type_choices():
    # From the installed models rather than SELECT DISTINCT, which would read the whole log.
    choices = [
        (
            model._meta.label_lower,
            f"{model._meta.verbose_name.capitalize()} ({config.verbose_name})",
        )
        for config in apps.get_app_configs()
        if config.name in {"agencies", "sharing", "meetings", "audit"}
        for model in config.get_models()
    ]
    return sorted([*choices, CHECKPOINT_TYPE], key=lambda choice: choice[1])


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


class AuditEventFilterForm(GovukForm):
    title = "Filter the audit log"
    submit_label = "Apply filters"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("occurred_from"), cleaned.get("occurred_to")
        if start and end and end < start:
            self.add_error("occurred_to", "Enter a ‘to’ date that is on or after the ‘from’ date")
        return cleaned


class AuditEventFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(
        field_name="actor_label",
        lookup_expr="icontains",
        label="Person",
        help_text="Their e-mail address, or part of it",
    )
    verb = django_filters.ChoiceFilter(
        choices=Verb.choices,
        label="What happened",
        empty_label="Anything",
        widget=AutocompleteSelect,
    )
    object_type = django_filters.ChoiceFilter(
        choices=object_type_choices,
        label="Kind of record",
        empty_label="Any",
        widget=AutocompleteSelect,
    )
    occurred_from = SearchDateFilter(method="filter_from", label="From")
    occurred_to = SearchDateFilter(method="filter_to", label="To")

    class Meta:
        model = AuditEvent
        fields = []
        form = AuditEventFilterForm

    # Whole days in local time, as a range on the column so its index still serves.
    def filter_from(self, queryset, name, value):
        return queryset.filter(occurred_at__gte=_start_of(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(occurred_at__lt=_start_of(value + timedelta(days=1)))

"""Filters and search for the case lists."""

import django_filters
from django import forms
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Concat

from agencies.models import LocalAuthority
from core.filters import LongListFilter, SearchTextFilter
from sharing import selectors
from sharing.models import (
    Case,
    CaseIndicator,
    CaseStatus,
    ConsentRequest,
    ConsentRequestStatus,
    Escalation,
    HouseholdType,
    RiskLevel,
    SupportType,
    VulnerabilityIndicator,
)


class CaseFilter(django_filters.FilterSet):
    q = SearchTextFilter(
        label="Reference or name", method="search", widget=forms.TextInput(attrs={"type": "search"})
    )
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, empty_label="Any status")
    risk_level = django_filters.ChoiceFilter(
        label="Risk", choices=RiskLevel.choices, empty_label="Any risk"
    )
    indicator = LongListFilter(
        label="Current indicator",
        queryset=VulnerabilityIndicator.objects.all(),
        label_from=Concat("name", Value(" ("), "code", Value(")"), output_field=CharField()),
        method="with_indicator",
        empty_label="Any indicator",
    )
    local_authority = LongListFilter(
        queryset=LocalAuthority.objects.all(), label_from="name", empty_label="Any local authority"
    )
    support_type = django_filters.ChoiceFilter(
        label="Support", choices=SupportType.choices, empty_label="Any support"
    )
    household_type = django_filters.ChoiceFilter(
        label="Household", choices=HouseholdType.choices, empty_label="Any household"
    )
    officer = LongListFilter(
        label="Officer",
        queryset=selectors.officers(),
        label_from="full_name",
        method="assigned_to",
        empty_label="Any officer",
    )

    class Meta:
        model = Case
        fields = []

    def __init__(self, *args, show_officer: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_officer:
            del self.filters["officer"]

    def search(self, queryset, name, value):
        return queryset.filter(selectors.search_filter(value))

    def with_indicator(self, queryset, name, value):
        # EXISTS rather than a join, so a case is listed once however its indicators match.
        return queryset.filter(
            Exists(
                CaseIndicator.objects.filter(
                    case=OuterRef("pk"), indicator=value, ended_on__isnull=True
                )
            )
        )

    def assigned_to(self, queryset, name, value):
        return queryset.filter(
            Exists(Case.assigned_officers.through.objects.filter(case=OuterRef("pk"), user=value))
        )


class EscalationFilter(django_filters.FilterSet):
    risk = django_filters.ChoiceFilter(
        label="Risk",
        field_name="case__risk_level",
        choices=RiskLevel.choices,
        empty_label="Any risk",
        error_messages={"invalid_choice": "Choose a risk from the list"},
    )
    order = django_filters.OrderingFilter(
        label="Sort by",
        fields=(("raised_at", "raised"),),
        field_labels={"raised_at": "Oldest first", "-raised": "Newest first"},
        empty_label=None,
    )

    class Meta:
        model = Escalation
        fields = []


class ConsentRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="State",
        choices=ConsentRequestStatus.choices,
        empty_label="Any state",
        error_messages={"invalid_choice": "Choose a state from the list"},
    )

    class Meta:
        model = ConsentRequest
        fields = []

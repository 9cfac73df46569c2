"""Filters and search for the case lists."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from agencies.models import LocalAuthority
from core.filters import SearchTextFilter
from core.forms import AutocompleteSelect
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
    indicator = django_filters.ModelChoiceFilter(
        label="Current indicator",
        queryset=VulnerabilityIndicator.objects.only("name", "code"),
        method="with_indicator",
        empty_label="Any indicator",
        widget=AutocompleteSelect,
    )
    local_authority = django_filters.ModelChoiceFilter(
        queryset=LocalAuthority.objects.only("name"),
        empty_label="Any local authority",
        widget=AutocompleteSelect,
    )
    support_type = django_filters.ChoiceFilter(
        label="Support", choices=SupportType.choices, empty_label="Any support"
    )
    household_type = django_filters.ChoiceFilter(
        label="Household", choices=HouseholdType.choices, empty_label="Any household"
    )
    officer = django_filters.ModelChoiceFilter(
        label="Officer",
        queryset=selectors.officers().only("full_name"),
        method="assigned_to",
        empty_label="Any officer",
        widget=AutocompleteSelect,
    )

    class Meta:
        model = Case
        fields = []

    def __init__(self, *args, show_officer: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["officer"].field.label_from_instance = lambda user: user.full_name
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

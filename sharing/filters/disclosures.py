"""Filters for the disclosure log."""

import django_filters
from django import forms

from agencies.models import Agency
from core.filters import SearchDateFilter, SearchTextFilter
from core.forms import AutocompleteSelect
from sharing import selectors
from sharing.models import Disclosure, Purpose


class DisclosureFilter(django_filters.FilterSet):
    recipient = django_filters.ModelChoiceFilter(
        label="Agency",
        queryset=Agency.objects.order_by("name").only("name"),
        empty_label="Any agency",
        widget=AutocompleteSelect,
    )
    purpose = django_filters.ChoiceFilter(choices=Purpose.choices, empty_label="Any purpose")
    disclosed_by = django_filters.ModelChoiceFilter(
        label="Officer",
        queryset=selectors.officers().only("full_name", "email"),
        empty_label="Anyone",
        widget=AutocompleteSelect,
    )
    disclosed_from = SearchDateFilter(
        label="From", field_name="disclosed_at", lookup_expr="date__gte"
    )
    disclosed_to = SearchDateFilter(label="To", field_name="disclosed_at", lookup_expr="date__lte")
    case = SearchTextFilter(
        label="Case reference",
        field_name="case__reference",
        lookup_expr="iexact",
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )

    class Meta:
        model = Disclosure
        fields = []

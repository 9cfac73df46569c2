"""Filters for the disclosure log."""

import django_filters
from django import forms
from django.db.models import CharField, Value
from django.db.models.functions import Concat

from agencies.models import Agency
from core.filters import LongListFilter, SearchDateFilter, SearchTextFilter
from sharing import selectors
from sharing.models import Disclosure, Purpose


class DisclosureFilter(django_filters.FilterSet):
    recipient = LongListFilter(
        label="Agency",
        queryset=Agency.objects.order_by("name"),
        label_from="name",
        empty_label="Any agency",
    )
    purpose = django_filters.ChoiceFilter(choices=Purpose.choices, empty_label="Any purpose")
    disclosed_by = LongListFilter(
        label="Officer",
        queryset=selectors.officers(),
        # As the officer's name reads everywhere else (`User.__str__`): the e-mail tells apart
        # two officers of the same name.
        label_from=Concat("full_name", Value(" <"), "email", Value(">"), output_field=CharField()),
        empty_label="Anyone",
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

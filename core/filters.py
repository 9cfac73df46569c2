"""Filters for the lists' query strings, built on the shared field types so a bookmarked or
hand-edited address is read with the same limits as a form."""

import django_filters

from core.forms import AutocompleteSelect, NamedModelChoiceField, SearchDateField, SearchTextField


class SearchTextFilter(django_filters.CharFilter):
    field_class = SearchTextField


class SearchDateFilter(django_filters.DateFilter):
    field_class = SearchDateField


class LongListFilter(django_filters.ModelChoiceFilter):
    """A choice from a list that grows (agencies, officers, forums): an autocomplete whose
    options are read as ids and labels, never as whole rows. `label_from` names the column or
    expression each option shows."""

    field_class = NamedModelChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", AutocompleteSelect)
        super().__init__(*args, **kwargs)

"""Filters for the lists' query strings, built on the shared field types so a bookmarked or
hand-edited address is read with the same limits as a form."""

import django_filters

from core.forms import SearchDateField, SearchTextField


class SearchTextFilter(django_filters.CharFilter):
    field_class = SearchTextField


class SearchDateFilter(django_filters.DateFilter):
    field_class = SearchDateField

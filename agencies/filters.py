"""The directory's search and filters, read from the query string so a list can be bookmarked."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from agencies.models import (
    Agency,
    AgencyKind,
    Contact,
    InformationSharingAgreementStatus,
    LocalAuthority,
    Region,
    Sector,
    covers,
)
from core.filters import LongListFilter, SearchTextFilter


class ActiveStatus:
    ACTIVE = "yes"
    INACTIVE = "no"
    CHOICES = [(ACTIVE, "Active"), (INACTIVE, "Inactive")]


class DirectoryFilter(django_filters.FilterSet):
    q = SearchTextFilter(
        label="Search",
        method="search",
        help_text="Agency name, service or contact name",
    )
    kind = django_filters.ChoiceFilter(
        label="Kind of agency", choices=AgencyKind.choices, empty_label="Any kind"
    )
    sector = django_filters.ChoiceFilter(
        label="Sector", choices=Sector.choices, empty_label="Any sector"
    )
    region = django_filters.ModelChoiceFilter(
        label="Region",
        queryset=Region.objects.filter(is_active=True),
        method="in_region",
        empty_label="Any region",
    )
    local_authority = LongListFilter(
        label="Local authority",
        queryset=LocalAuthority.objects.filter(is_active=True),
        label_from="name",
        method="in_local_authority",
        empty_label="Any local authority",
    )
    agreement = django_filters.ChoiceFilter(
        label="Information sharing agreement",
        choices=InformationSharingAgreementStatus.choices,
        method="with_agreement_status",
        empty_label="Any",
    )
    active = django_filters.ChoiceFilter(
        label="Status",
        choices=ActiveStatus.CHOICES,
        method="with_active_status",
        empty_label="Active and inactive",
    )

    class Meta:
        model = Agency
        fields = ["q", "kind", "sector", "region", "local_authority", "agreement", "active"]

    def __init__(self, data=None, *args, **kwargs):
        # With no status chosen (a fresh visit) the list shows agencies in use; choosing
        # "Active and inactive" sends an empty value, which is kept.
        if data is not None and "active" not in data:
            data = data.copy()
            data["active"] = ActiveStatus.ACTIVE
        super().__init__(data, *args, **kwargs)
        self.form.fields["q"].widget = forms.TextInput(attrs={"type": "search"})

    def search(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(services__icontains=word)
                | Exists(
                    Contact.objects.filter(
                        agency_id=OuterRef("pk"), is_active=True, full_name__icontains=word
                    )
                )
            )
        return queryset

    def in_region(self, queryset, name, value):
        return queryset.filter(covers(regions=[value]))

    def in_local_authority(self, queryset, name, value):
        return queryset.filter(covers(local_authorities=[value]))

    def with_agreement_status(self, queryset, name, value):
        return queryset.with_information_sharing_agreement_status(value)

    def with_active_status(self, queryset, name, value):
        return queryset.filter(is_active=value == ActiveStatus.ACTIVE)


class AgreementReviewFilter(django_filters.FilterSet):
    OVERDUE = "overdue"
    DUE_SOON = "soon"

    review = django_filters.ChoiceFilter(
        label="Review",
        choices=[(OVERDUE, "Past its review date"), (DUE_SOON, "Review date still to come")],
        method="by_review_date",
        empty_label="Either",
        error_messages={"invalid_choice": "Choose a review state from the list"},
    )
    kind = django_filters.ChoiceFilter(
        label="Kind of agency",
        choices=AgencyKind.choices,
        empty_label="Any kind",
        error_messages={"invalid_choice": "Choose a kind of agency from the list"},
    )

    class Meta:
        model = Agency
        fields = []

    def by_review_date(self, queryset, name, value):
        overdue = queryset.with_information_sharing_agreement_status(
            InformationSharingAgreementStatus.REVIEW_OVERDUE
        )
        if value == self.OVERDUE:
            return overdue
        return queryset.exclude(pk__in=overdue.values("pk"))

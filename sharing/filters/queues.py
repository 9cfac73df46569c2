"""Filters and sorting for the work queues: each narrows the queue's selector, never widens it."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone

from agencies.models import Agency, LocalAuthority
from core.filters import LongListFilter
from sharing import selectors
from sharing.models import (
    Case,
    Consent,
    ConsentRequest,
    DecisionNotToShare,
    Disclosure,
    Escalation,
    Purpose,
    Referral,
    ReferralStatus,
    RiskLevel,
    Urgency,
)

RISK = {
    "label": "Risk",
    "choices": RiskLevel.choices,
    "empty_label": "Any risk",
    "error_messages": {"invalid_choice": "Choose a risk from the list"},
}


def _agency_filter(field_name: str, label: str = "Agency") -> LongListFilter:
    return LongListFilter(
        label=label,
        field_name=field_name,
        queryset=Agency.objects.order_by("name"),
        label_from="name",
        empty_label="Any agency",
        error_messages={"invalid_choice": "Choose an agency from the list"},
    )


class OverdueReferralFilter(django_filters.FilterSet):
    agency = _agency_filter("agency")
    urgency = django_filters.ChoiceFilter(
        choices=Urgency.choices,
        empty_label="Any urgency",
        error_messages={"invalid_choice": "Choose an urgency from the list"},
    )
    officer = LongListFilter(
        label="Officer",
        queryset=selectors.officers(),
        label_from="full_name",
        method="assigned_to",
        empty_label="Any officer",
        error_messages={"invalid_choice": "Choose an officer from the list"},
    )
    order = django_filters.OrderingFilter(
        label="Sort by",
        fields=(("follow_up_on", "follow_up"),),
        field_labels={"follow_up_on": "Longest overdue first", "-follow_up": "Most recent first"},
        empty_label=None,
    )

    class Meta:
        model = Referral
        fields = []

    def assigned_to(self, queryset, name, value):
        # EXISTS rather than a join, so a referral is listed once whoever else holds the case.
        return queryset.filter(
            Exists(
                Case.assigned_officers.through.objects.filter(case=OuterRef("case_id"), user=value)
            )
        )


class CaseWithoutOfficerFilter(django_filters.FilterSet):
    risk = django_filters.ChoiceFilter(field_name="risk_level", **RISK)
    local_authority = LongListFilter(
        queryset=LocalAuthority.objects.all(),
        label_from="name",
        empty_label="Any local authority",
        error_messages={"invalid_choice": "Choose a local authority from the list"},
    )
    order = django_filters.OrderingFilter(
        label="Sort by",
        fields=(("concern_received_on", "received"),),
        field_labels={"concern_received_on": "Oldest concern first", "-received": "Newest first"},
        empty_label=None,
    )

    class Meta:
        model = Case
        fields = []


class ExpiringConsentFilter(django_filters.FilterSet):
    order = django_filters.OrderingFilter(
        label="Sort by",
        fields=(("valid_until", "ends"),),
        field_labels={"valid_until": "Ending soonest first", "-ends": "Ending latest first"},
        empty_label=None,
    )

    class Meta:
        model = Consent
        fields = []


class ReferralToChaseFilter(django_filters.FilterSet):
    AWAITING_ACKNOWLEDGEMENT = "awaiting_acknowledgement"
    OVERDUE = "overdue"

    reason = django_filters.ChoiceFilter(
        label="Why it is listed",
        choices=[
            (AWAITING_ACKNOWLEDGEMENT, "Not acknowledged yet"),
            (OVERDUE, "Past its follow-up date"),
        ],
        method="listed_because",
        empty_label="Either",
        error_messages={"invalid_choice": "Choose a reason from the list"},
    )
    agency = _agency_filter("agency")

    class Meta:
        model = Referral
        fields = []

    def listed_because(self, queryset, name, value):
        if value == self.AWAITING_ACKNOWLEDGEMENT:
            return queryset.filter(status=ReferralStatus.SENT)
        return queryset.filter(selectors.past_follow_up())


class RaisedEscalationFilter(django_filters.FilterSet):
    WAITING = "waiting"
    DECIDED = "decided"

    decision = django_filters.ChoiceFilter(
        label="Decision",
        choices=[(WAITING, "Waiting for a decision"), (DECIDED, "Decided")],
        method="by_decision",
        empty_label="Decided or not",
        error_messages={"invalid_choice": "Choose decided or waiting"},
    )
    order = django_filters.OrderingFilter(
        label="Sort by",
        fields=(("raised_at", "raised"),),
        field_labels={"-raised": "Newest first", "raised_at": "Oldest first"},
        empty_label=None,
    )

    class Meta:
        model = Escalation
        fields = []

    def by_decision(self, queryset, name, value):
        if value == self.DECIDED:
            return queryset.exclude(decision="")
        return queryset.filter(decision="")


class ReferralAwaitingResponseFilter(django_filters.FilterSet):
    urgency = django_filters.ChoiceFilter(
        choices=Urgency.choices,
        empty_label="Any urgency",
        error_messages={"invalid_choice": "Choose an urgency from the list"},
    )
    order = django_filters.OrderingFilter(
        label="Sort by",
        fields=(("sent_at", "sent"),),
        field_labels={"sent_at": "Waiting longest first", "-sent": "Newest first"},
        empty_label=None,
    )

    class Meta:
        model = Referral
        fields = []


# Compliance --------------------------------------------------------------------------------


class ConsentReviewFilter(django_filters.FilterSet):
    REVOKED = "revoked"
    EXPIRED = "expired"
    EXPIRING = "expiring"

    state = django_filters.ChoiceFilter(
        label="State",
        choices=[
            (REVOKED, "Revoked"),
            (EXPIRED, "Expired"),
            (EXPIRING, f"Ending within {selectors.CONSENT_EXPIRY_WARNING_DAYS} days"),
        ],
        method="in_state",
        empty_label="Any of these",
        error_messages={"invalid_choice": "Choose a state from the list"},
    )
    order = django_filters.OrderingFilter(
        label="Sort by",
        fields=(("valid_until", "ends"),),
        field_labels={"-ends": "Latest end first", "valid_until": "Earliest end first"},
        empty_label=None,
    )

    class Meta:
        model = Consent
        fields = []

    def in_state(self, queryset, name, value):
        now = timezone.now()
        if value == self.REVOKED:
            return queryset.filter(revoked_at__isnull=False)
        current = queryset.filter(revoked_at__isnull=True)
        if value == self.EXPIRED:
            return current.filter(valid_until__lte=now)
        return current.filter(valid_until__gt=now)


class RefusedRequestFilter(django_filters.FilterSet):
    recipient = LongListFilter(
        label="Agency asked for",
        field_name="recipients",
        queryset=Agency.objects.order_by("name"),
        label_from="name",
        method="asked_for",
        empty_label="Any agency",
        error_messages={"invalid_choice": "Choose an agency from the list"},
    )
    order = django_filters.OrderingFilter(
        label="Sort by",
        fields=(("decided_at", "refused"),),
        field_labels={"-refused": "Newest first", "decided_at": "Oldest first"},
        empty_label=None,
    )

    class Meta:
        model = ConsentRequest
        fields = []

    def asked_for(self, queryset, name, value):
        # EXISTS rather than a join, so a request naming several agencies is listed once.
        asked = ConsentRequest.recipients.through.objects.filter(
            consentrequest=OuterRef("pk"), agency=value
        )
        return queryset.filter(Exists(asked))


class DecisionNotToShareFilter(django_filters.FilterSet):
    agency = _agency_filter("requested_by_agency", label="Agency that asked")
    order = django_filters.OrderingFilter(
        label="Sort by",
        fields=(("decided_at", "decided"),),
        field_labels={"-decided": "Newest first", "decided_at": "Oldest first"},
        empty_label=None,
    )

    class Meta:
        model = DecisionNotToShare
        fields = []


class DisclosureWithoutAgreementFilter(django_filters.FilterSet):
    recipient = _agency_filter("recipient")
    purpose = django_filters.ChoiceFilter(
        choices=Purpose.choices,
        empty_label="Any purpose",
        error_messages={"invalid_choice": "Choose a purpose from the list"},
    )
    order = django_filters.OrderingFilter(
        label="Sort by",
        fields=(("disclosed_at", "disclosed"),),
        field_labels={"-disclosed": "Newest first", "disclosed_at": "Oldest first"},
        empty_label=None,
    )

    class Meta:
        model = Disclosure
        fields = []

"""Reminders that an agency's information sharing agreement is due for review, for
`send_reminders`: to each person who keeps that agency's entry, once per agency and review
date. What is due, and for whom, is the directory's own queue (agencies.selectors)."""

from datetime import date

from django.urls import reverse

from agencies import permissions, selectors
from notifications.models import NotificationKind
from notifications.services import send_reminder


def send_agreement_reminders(today: date) -> int:
    kept_by = {
        keeper: set(
            selectors.agreements_due_for_review(user=keeper, on=today).values_list("pk", flat=True)
        )
        for keeper in permissions.people_who_keep_the_directory()
    }
    sent = 0
    for agency in selectors.agreements_falling_due(on=today).iterator():
        keepers = [keeper for keeper, agencies in kept_by.items() if agency.pk in agencies]
        if not keepers:
            continue
        review_on = agency.information_sharing_agreement_review_due_on
        when = "was due" if review_on < today else "is due"
        sent += send_reminder(
            NotificationKind.AGREEMENT_REVIEW_DUE,
            subject=agency,
            due_on=review_on,
            recipients=keepers,
            message=(
                f"The information sharing agreement with {agency.name} {when} for review "
                f"on {review_on:%-d %B %Y}"
            ),
            url=reverse("agencies:agency-detail", args=[agency.pk]),
        )
    return sent

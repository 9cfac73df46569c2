"""Reminders that an agency's information sharing agreement is due for review, for
`send_reminders`: to the people who keep the directory, once per agency and review date."""

from datetime import date, timedelta

from django.urls import reverse

from agencies import permissions
from agencies.models import Agency
from notifications.models import NotificationKind
from notifications.services import send_reminder

# Long enough to arrange a review meeting with the agency before the agreement lapses.
REVIEW_NOTICE_DAYS = 30


def send_agreement_reminders(today: date) -> int:
    keepers = permissions.people_who_keep_the_directory()
    if not keepers:
        return 0
    due = Agency.objects.filter(
        is_active=True,
        information_sharing_agreement_review_due_on__lte=today + timedelta(days=REVIEW_NOTICE_DAYS),
    )
    sent = 0
    for agency in due.iterator():
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

"""The demo sends real invitations for its forums (once), and every demo person's calendar page
shows their subscription address."""

import pytest
from django.core import mail
from django.urls import reverse

from agencies.models import User
from meetings import demo
from meetings.calendars import feeds
from meetings.models import CalendarFeed, CalendarMessage, DeliveryStatus

pytestmark = [pytest.mark.django_db]


def test_the_demo_sends_invitations_once_and_gives_everyone_a_feed(
    seeded_demo, django_capture_on_commit_callbacks, client, settings
):
    # The local demo runs without the second factor, as `make run` does.
    settings.PARTNERHUB_MFA_REQUIRED = False
    # The seed also e-mails its first audit checkpoint to compliance, which is not a calendar.
    invitations = [
        m
        for m in seeded_demo.sent
        if any("text/calendar" in a.mimetype for a in getattr(m, "alternatives", ()))
    ]
    assert len(invitations) >= 20
    assert not CalendarMessage.objects.exclude(status=DeliveryStatus.SENT).exists()
    assert any("DELEGATED-FROM" in m.calendar for m in CalendarMessage.objects.all())
    assert CalendarMessage.objects.filter(method="CANCEL", meeting__isnull=False).exists()

    sent_before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed()
    assert len(mail.outbox) == sent_before

    people = User.objects.filter(email__endswith="@demo.partnerhub.test")
    assert people.exists()
    for person in people:
        feed = CalendarFeed.objects.get(user=person)
        client.force_login(person)
        page = client.get(reverse("meetings:calendar-mine")).content.decode()
        assert f"/calendar/{feeds.token_for(feed)}.ics" in page

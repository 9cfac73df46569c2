"""The demo leaves every role with unread notifications, sends one daily digest, and none of
the notification e-mails it sends carries a case's names, dates of birth or notes."""

import pytest
from django.urls import reverse

from agencies.models import User
from notifications.delivery import KIND_HEADER
from notifications.models import EmailStatus, Notification
from tests.mail import case_data, case_data_in

pytestmark = [pytest.mark.django_db]


def test_every_demo_person_has_unread_notifications_shown_in_the_header(
    seeded_demo, client, settings
):
    settings.PARTNERHUB_MFA_REQUIRED = False
    people = User.objects.filter(email__endswith="@demo.partnerhub.test")
    assert people.count() == 7
    for person in people:
        unread = Notification.objects.filter(recipient=person, read_at__isnull=True).count()
        assert unread, f"{person.email} has no unread notification"
        client.force_login(person)
        page = client.get(reverse("notifications:list")).content.decode()
        assert f'partnerhub-header__count">{unread}<' in page


def test_the_demos_notification_e_mails_carry_no_case_data(seeded_demo):
    data = case_data()
    assert len(data) > 50
    notifications = [m for m in seeded_demo.sent if KIND_HEADER in m.extra_headers]
    assert len(notifications) > 20
    assert any(m.extra_headers[KIND_HEADER] == "digest" for m in notifications)
    for message in notifications:
        assert case_data_in(f"{message.subject}\n{message.body}", data) == []
    for text in Notification.objects.values_list("message", flat=True):
        assert case_data_in(text, data) == []


def test_every_demo_notification_e_mail_went(seeded_demo):
    assert not Notification.objects.filter(
        email_status__in=[EmailStatus.PENDING, EmailStatus.FAILED]
    ).exists()

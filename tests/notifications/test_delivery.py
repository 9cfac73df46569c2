"""Who is told what, and how: preferences, digests, closed accounts, missing addresses and a
mail server that fails."""

from unittest import mock

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from core.authority import NotPermitted
from core.roles import Role
from notifications import delivery, services
from notifications.models import (
    Delivery,
    EmailStatus,
    Notification,
    NotificationKind,
    NotificationPreference,
)

KIND = NotificationKind.MINUTES_CIRCULATED


@pytest.fixture
def reader(make_user):
    return make_user(Role.PARTNERSHIP_MANAGER, email="reader@example.org", full_name="Rea Der")


def tell(recipients, *, actor=None, kind=KIND):
    return services.notify(
        kind, recipients, message="Minutes of the board circulated", url="/forums/", actor=actor
    )


@pytest.mark.django_db
def test_a_notification_is_listed_and_e_mailed_once_the_change_commits(
    reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tell([reader])
        assert mail.outbox == []
    [notification] = Notification.objects.filter(recipient=reader)
    assert notification.is_unread
    [email] = mail.outbox
    assert email.to == ["Rea Der <reader@example.org>"]
    assert email.subject == "Partnerhub: Minutes circulated"
    assert "Minutes of the board circulated" in email.body
    assert f"/notifications/{notification.pk}/" in email.body
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT


@pytest.mark.django_db
def test_a_change_that_rolls_back_tells_nobody(reader, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        tell([reader])
        raise RuntimeError("the change failed")
    assert not Notification.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_nobody_is_told_of_their_own_act(reader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert tell([reader], actor=reader) == []
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_closed_account_is_told_nothing_and_the_others_still_are(
    reader, make_user, django_capture_on_commit_callbacks
):
    closed = make_user(Role.PARTNERSHIP_MANAGER, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        tell([closed, reader])
    assert not Notification.objects.filter(recipient=closed).exists()
    assert [email.to for email in mail.outbox] == [["Rea Der <reader@example.org>"]]


@pytest.mark.django_db
def test_an_account_closed_before_the_e_mail_goes_gets_no_e_mail(reader):
    [notification] = tell([reader])
    type(reader).objects.filter(pk=reader.pk).update(is_active=False)
    assert delivery.deliver(notification.pk) == "not sent"
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.NOT_SENT


@pytest.mark.django_db
def test_a_person_without_an_e_mail_address_is_told_in_partnerhub_only(
    reader, django_capture_on_commit_callbacks
):
    type(reader).objects.filter(pk=reader.pk).update(email="")
    reader.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = tell([reader])
    assert notification.email_status == EmailStatus.NOT_SENT
    assert mail.outbox == []


@pytest.mark.django_db
def test_switched_off_a_kind_tells_the_person_nothing(reader, django_capture_on_commit_callbacks):
    services.set_preference(person=reader, kind=KIND, delivery=Delivery.OFF, actor=reader)
    with django_capture_on_commit_callbacks(execute=True):
        assert tell([reader]) == []
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_decision_on_ones_own_request_and_an_escalation_cannot_be_switched_off(reader):
    for kind in (
        NotificationKind.CONSENT_GRANTED,
        NotificationKind.CONSENT_REFUSED,
        NotificationKind.ESCALATION_RAISED,
    ):
        with pytest.raises(services.PreferenceRefused, match="cannot be switched off"):
            services.set_preference(person=reader, kind=kind, delivery=Delivery.OFF, actor=reader)
        # The database holds the rule too, against anything that skips the service.
        with pytest.raises(IntegrityError), transaction.atomic():
            NotificationPreference.objects.create(person=reader, kind=kind, delivery=Delivery.OFF)


@pytest.mark.django_db
def test_nobody_changes_another_persons_settings(reader, make_user):
    other = make_user(Role.SAFEGUARDING_OFFICER)
    with pytest.raises(NotPermitted):
        services.set_preference(person=reader, kind=KIND, delivery=Delivery.OFF, actor=other)
    assert not NotificationPreference.objects.exists()


@pytest.mark.django_db
def test_a_digest_reader_gets_one_e_mail_with_the_days_notifications_and_no_more(
    reader, make_user, django_capture_on_commit_callbacks
):
    services.set_preference(person=reader, kind=KIND, delivery=Delivery.DIGEST, actor=reader)
    immediate = make_user(Role.PARTNERSHIP_MANAGER, email="now@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        tell([reader, immediate])
        services.notify(
            KIND, [reader], message="Minutes of the MARAC circulated", url="/", actor=None
        )
    assert [email.to for email in mail.outbox] == [[f"{immediate.full_name} <now@example.org>"]]
    assert Notification.objects.filter(recipient=reader).count() == 2

    assert delivery.send_digests() == 1
    digest = mail.outbox[-1]
    assert digest.subject == "Partnerhub: your daily digest (2 notifications)"
    assert "Minutes of the board circulated" in digest.body
    assert "Minutes of the MARAC circulated" in digest.body
    assert delivery.send_digests() == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_failing_mail_server_does_not_stop_the_sender_and_is_tried_again(
    reader, django_capture_on_commit_callbacks, caplog
):
    with (
        mock.patch.object(delivery.EmailMessage, "send", side_effect=ConnectionRefusedError),
        django_capture_on_commit_callbacks(execute=True),
    ):
        [notification] = tell([reader])
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.FAILED
    assert notification.email_attempts == 1
    assert notification.email_error.startswith("ConnectionRefusedError")
    assert "not e-mailed" in caplog.text

    assert delivery.retry_failed() == 1
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT
    assert notification.email_attempts == 2
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_after_its_last_attempt_a_failed_e_mail_is_left_for_an_administrator(reader):
    [notification] = tell([reader])
    Notification.objects.filter(pk=notification.pk).update(
        email_status=EmailStatus.FAILED, email_attempts=Notification.MAX_ATTEMPTS
    )
    assert delivery.retry_failed() == 0


@pytest.mark.django_db
def test_an_administrator_sees_failed_e_mails_and_why_in_the_administration_site(
    reader, make_user, client
):
    [notification] = tell([reader])
    Notification.objects.filter(pk=notification.pk).update(
        email_status=EmailStatus.FAILED, email_attempts=2, email_error="SMTPServerDisconnected"
    )
    administrator = make_user(Role.ADMINISTRATOR, is_staff=True)
    client.force_login(administrator)
    page = client.get("/admin/notifications/notification/?email_status__exact=failed")
    assert page.status_code == 200
    assert "SMTPServerDisconnected" in page.content.decode()
    assert "reader@example.org" in page.content.decode()

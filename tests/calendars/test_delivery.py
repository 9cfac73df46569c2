"""Calendar e-mails are queued with the change and sent after it commits: a mail server that
fails loses neither the change nor the message, and the organiser sees what is waiting."""

import smtplib
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command

from meetings import services
from meetings.calendars import delivery
from meetings.models import CalendarMessage, DeliveryStatus

pytestmark = pytest.mark.django_db


class RefusingBackend(EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "tests.calendars.test_delivery.RefusingBackend"


def _move(meeting, actor):
    return services.reschedule_meeting(
        meeting=meeting,
        start=meeting.start + timedelta(hours=2),
        end=meeting.end + timedelta(hours=2),
        location=meeting.location,
        online_url=meeting.online_url,
        actor=actor,
    )


def test_an_smtp_failure_during_an_update_loses_neither_the_change_nor_the_message(
    series, marac, sent, partnership_manager, smtp_down, settings, client
):
    february = series[1]
    messages = sent(_move, february, partnership_manager)

    assert messages == []
    moved = type(february).objects.get(pk=february.pk)
    assert moved.start == february.start + timedelta(hours=2)
    assert moved.sequence == 1
    waiting = CalendarMessage.objects.exclude(status=DeliveryStatus.SENT)
    assert waiting.count() == 3
    assert {m.status for m in waiting} == {DeliveryStatus.FAILED}
    assert all("SMTPServerDisconnected" in m.last_error for m in waiting)
    assert {m.attempts for m in waiting} == {1}

    client.force_login(partnership_manager)
    forum_page = client.get(f"/forums/{marac.pk}/").content.decode()
    assert "3 not delivered" in forum_page
    page = client.get(f"/forums/{marac.pk}/invitations/").content.decode()
    assert "3 messages not delivered yet" in page
    assert "SMTPServerDisconnected" in page

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(f"/forums/{marac.pk}/invitations/")
    assert response.status_code == 302
    assert not CalendarMessage.objects.exclude(status=DeliveryStatus.SENT).exists()
    delivered = [m for m in mail.outbox if "Updated invitation" in m.subject]
    assert len(delivered) == 3


def test_the_timer_command_sends_what_is_waiting_and_leaves_fresh_messages_to_their_task(
    series, sent, partnership_manager, smtp_down, settings, clock
):
    sent(_move, series[1], partnership_manager)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    before = len(mail.outbox)
    call_command("send_calendar_messages", stdout=StringIO())
    assert len(mail.outbox) == before
    clock.shift(timedelta(minutes=10))
    out = StringIO()
    call_command("send_calendar_messages", stdout=out)
    assert "Tried 3" in out.getvalue()
    assert len(mail.outbox) == before + 3
    assert not CalendarMessage.objects.exclude(status=DeliveryStatus.SENT).exists()


def test_a_message_that_keeps_failing_stops_being_tried_by_the_timer(
    series, sent, partnership_manager, smtp_down, clock
):
    sent(_move, series[1], partnership_manager)
    clock.shift(timedelta(minutes=10))
    for _ in range(CalendarMessage.MAX_ATTEMPTS + 2):
        delivery.retry_undelivered()
    assert {m.attempts for m in CalendarMessage.objects.exclude(status=DeliveryStatus.SENT)} == {
        CalendarMessage.MAX_ATTEMPTS
    }


def test_nothing_is_sent_when_the_change_is_rolled_back(
    series, partnership_manager, django_capture_on_commit_callbacks
):
    from django.db import transaction

    before = CalendarMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                _move(series[1], partnership_manager)
                raise RuntimeError("something later in the request failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert CalendarMessage.objects.count() == before


def test_the_undelivered_page_is_for_meeting_managers_only(marac, partner_client, officer_client):
    assert partner_client.get(f"/forums/{marac.pk}/invitations/").status_code == 404
    assert officer_client.get(f"/forums/{marac.pk}/invitations/").status_code == 404

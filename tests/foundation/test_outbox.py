"""The local demo's outbox: with mail sent to files, every message is on one page, calendar
parts read as an event; anywhere else the page does not exist."""

from datetime import timedelta

import pytest
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from meetings.models import CalendarMessage, DeliveryStatus
from meetings.services import schedule_series
from tests.factories import ForumFactory


@pytest.fixture
def file_outbox(settings, tmp_path):
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_the_outbox_shows_invitations_as_events_and_other_mail_as_text(
    file_outbox, officer, officer_client, partnership_manager, django_capture_on_commit_callbacks
):
    forum = ForumFactory(
        name="Manchester MARAC",
        members=[officer],
        organiser_email="marac@example.org",
        actor=partnership_manager,
    )
    with django_capture_on_commit_callbacks(execute=True):
        schedule_series(
            forum=forum,
            start_date=timezone.localdate(),
            end_date=timezone.localdate() + timedelta(days=40),
            actor=partnership_manager,
        )
    assert CalendarMessage.objects.filter(status=DeliveryStatus.SENT).exists()
    EmailMessage("Partnerhub: Minutes circulated", "Minutes of the board", to=["a@b.test"]).send()

    page = officer_client.get(reverse("outbox")).content.decode()
    assert "Partnerhub: Minutes circulated" in page
    assert "Minutes of the board" in page
    assert "Calendar (REQUEST)" in page
    assert "Manchester MARAC" in page
    assert officer.email in page
    # Newest first.
    assert page.index("Minutes circulated") < page.index("Calendar (REQUEST)")


@pytest.mark.django_db
def test_without_the_file_backend_or_with_debug_off_there_is_no_outbox(
    file_outbox, settings, officer_client
):
    settings.DEBUG = False
    assert officer_client.get(reverse("outbox")).status_code == 404
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert officer_client.get(reverse("outbox")).status_code == 404

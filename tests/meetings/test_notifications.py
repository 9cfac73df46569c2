"""Who meetings tell: an action's new owner, and those invited when minutes are circulated and
approved; and the reminders `send_reminders` sends once each, however often it runs."""

import threading
import time
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from agencies.models import Agency
from meetings import services
from meetings.calendars.schedule import LONDON
from meetings.models import Closure
from notifications import services as notification_services
from notifications.models import Notification, NotificationKind, SentReminder

AFTER_MEETING = datetime(2026, 1, 14, 9, 0, tzinfo=LONDON)


@pytest.fixture
def held(marac, generate):
    return generate(marac, date(2026, 1, 1), date(2026, 1, 31))[0]


def kinds_of(person):
    return sorted(Notification.objects.filter(recipient=person).values_list("kind", flat=True))


def reminders(today):
    with time_machine.travel(datetime.combine(today, datetime.min.time(), LONDON), tick=False):
        call_command("send_reminders", stdout=StringIO())


@pytest.mark.django_db
def test_circulated_and_approved_minutes_tell_those_invited_but_not_who_kept_them(
    held, partnership_manager, partner_user
):
    with time_machine.travel(AFTER_MEETING, tick=False):
        minutes = services.write_minutes(
            meeting=held, body="All present", actor=partnership_manager
        )
        assert kinds_of(partner_user) == []
        services.circulate_minutes(minutes=minutes, actor=partnership_manager)
        services.approve_minutes(minutes=minutes, actor=partnership_manager)
    assert kinds_of(partner_user) == [
        NotificationKind.MINUTES_APPROVED,
        NotificationKind.MINUTES_CIRCULATED,
    ]
    assert kinds_of(partnership_manager) == []
    circulated = Notification.objects.get(kind=NotificationKind.MINUTES_CIRCULATED)
    assert circulated.message == f"Minutes of {held} circulated"
    assert circulated.url == f"/meetings/{held.pk}/"


@pytest.mark.django_db
def test_an_action_tells_the_person_given_it_and_never_repeats_its_words(
    held, partnership_manager, partner_user, make_user, police
):
    action = services.create_action(
        meeting=held,
        description="Call the school about the child",
        due_on=date(2026, 2, 1),
        owner=partner_user,
        actor=partnership_manager,
    )
    [told] = Notification.objects.filter(kind=NotificationKind.ACTION_ASSIGNED)
    assert told.recipient == partner_user
    assert told.message == f"An action from {held} was given to you, due 1 February 2026"
    assert "school" not in told.message

    services.reassign_action(action=action, owner_agency=police, actor=partnership_manager)
    assert Notification.objects.filter(kind=NotificationKind.ACTION_ASSIGNED).count() == 1


@pytest.fixture
def owned_action(held, partnership_manager, partner_user):
    return services.create_action(
        meeting=held,
        description="Share the safety plan",
        due_on=date(2026, 3, 10),
        owner=partner_user,
        actor=partnership_manager,
    )


@pytest.mark.django_db
def test_an_action_is_reminded_three_days_before_and_once_overdue_each_once(
    owned_action, partner_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reminders(date(2026, 3, 6))
        assert Notification.objects.filter(kind=NotificationKind.ACTION_DUE_SOON).count() == 0
        for day in (7, 8, 9, 10):
            reminders(date(2026, 3, day))
        for day in (11, 12, 20):
            reminders(date(2026, 3, day))
    assert sorted(
        Notification.objects.filter(recipient=partner_user)
        .exclude(kind=NotificationKind.ACTION_ASSIGNED)
        .values_list("kind", flat=True)
    ) == [NotificationKind.ACTION_DUE_SOON, NotificationKind.ACTION_OVERDUE]
    subjects = [email.subject for email in mail.outbox]
    assert subjects.count("Partnerhub: Your action due in three days") == 1
    assert subjects.count("Partnerhub: Your action overdue") == 1


@pytest.mark.django_db
def test_a_new_due_date_is_reminded_afresh(owned_action, partner_user):
    reminders(date(2026, 3, 12))
    type(owned_action).objects.filter(pk=owned_action.pk).update(due_on=date(2026, 3, 14))
    reminders(date(2026, 3, 15))
    assert SentReminder.objects.filter(kind=NotificationKind.ACTION_OVERDUE).count() == 2


@pytest.mark.django_db
def test_a_closed_action_is_not_reminded(owned_action, partner_user, partnership_manager):
    services.close_action(
        action=owned_action, closure=Closure.DONE, reason="Shared", actor=partnership_manager
    )
    reminders(date(2026, 3, 20))
    assert not SentReminder.objects.exists()


@pytest.mark.django_db
def test_an_agreement_falling_due_for_review_tells_the_directory_keepers_once(
    police, partnership_manager, partner_user
):
    Agency.objects.filter(pk=police.pk).update(
        information_sharing_agreement_signed_on=date(2025, 4, 1),
        information_sharing_agreement_review_due_on=date(2026, 4, 1),
    )
    reminders(date(2026, 2, 20))
    assert kinds_of(partnership_manager) == []
    reminders(date(2026, 3, 10))
    reminders(date(2026, 4, 5))
    assert kinds_of(partnership_manager) == [NotificationKind.AGREEMENT_REVIEW_DUE]
    assert kinds_of(partner_user) == []
    [told] = Notification.objects.filter(recipient=partnership_manager)
    assert told.message == (
        "The information sharing agreement with Greater Manchester Police is due for review "
        "on 1 April 2026"
    )


@pytest.mark.slow
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_reminder_runs_at_once_send_each_reminder_once(
    held, partnership_manager, partner_user, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("two runs at once need PostgreSQL's concurrent writers")
    today = timezone.localdate()
    for days in (1, 2, 3):
        services.create_action(
            meeting=held,
            description="Share the safety plan",
            due_on=today + timedelta(days=days),
            owner=partner_user,
            actor=partnership_manager,
        )
    # Each run holds its reminder's row a moment before committing, so the other run meets it
    # mid-transaction, as two timers firing together would.
    notify = notification_services.notify

    def notify_slowly(*args, **kwargs):
        told = notify(*args, **kwargs)
        time.sleep(0.2)
        return told

    monkeypatch.setattr(notification_services, "notify", notify_slowly)
    start = threading.Barrier(2, timeout=30)
    failures = []

    def run():
        try:
            start.wait()
            call_command("send_reminders", stdout=StringIO())
        except Exception as error:  # reported below, with the other run's
            failures.append(error)
        finally:
            connections.close_all()

    runs = [threading.Thread(target=run) for _ in range(2)]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join(timeout=60)
    assert failures == []
    assert SentReminder.objects.count() == 3
    due_soon = Notification.objects.filter(kind=NotificationKind.ACTION_DUE_SOON)
    assert due_soon.count() == 3
    assert [e.subject for e in mail.outbox].count("Partnerhub: Your action due in three days") == 3

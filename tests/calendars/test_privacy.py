"""Privacy as a contract: no calendar output (e-mail, download or feed) ever carries a case
reference, a service user's name or the text of an agenda item, and the calendar builder
never even reads agenda items. Case-discussing forums are CLASS:CONFIDENTIAL."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from meetings import services
from meetings.calendars import feeds, invitations
from meetings.models import CalendarMessage
from tests.calendars.calendar_mail import mime_text
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

FAKE_REFERENCE = "PH-2026-000123"
SERVICE_USER = ("Amina", "Haddad")


@pytest.fixture
def case(officer, clock):
    return CaseFactory(actor=officer, given_names=SERVICE_USER[0], family_name=SERVICE_USER[1])


@pytest.fixture
def discussed(series, case, partnership_manager):
    """The case on the agenda of every 2026 meeting, as a careless agenda would put it."""
    for meeting in series:
        services.add_agenda_item(
            meeting=meeting,
            title=f"Case {case.reference} / {FAKE_REFERENCE}: {' '.join(SERVICE_USER)}",
            description=f"{SERVICE_USER[0]} {SERVICE_USER[1]} disclosed domestic abuse; "
            f"see {FAKE_REFERENCE}.",
            actor=partnership_manager,
        )
    return case


def _forbidden(case) -> list[str]:
    return [case.reference, FAKE_REFERENCE, SERVICE_USER[0], SERVICE_USER[1], "domestic abuse"]


def _assert_clean(text: str, case) -> None:
    for secret in _forbidden(case):
        assert secret not in text


def test_no_e_mail_download_or_feed_carries_case_data(
    discussed, series, marac, pat, sent, partnership_manager, client, dana, deputy_user
):
    sent(services.cancel_meeting, meeting=series[2], reason="", actor=partnership_manager)
    start = series[3].start + timedelta(days=1)
    sent(
        services.reschedule_meeting,
        meeting=series[3],
        start=start,
        end=start + timedelta(hours=2),
        location=series[3].location,
        online_url="",
        actor=partnership_manager,
    )
    sent(
        services.send_deputy,
        attendance=series[5].attendances.get(person=dana),
        deputy_person=deputy_user,
        actor=dana,
    )
    sent(
        services.remove_invitation,
        attendance=series[6].attendances.get(person=pat),
        actor=partnership_manager,
    )
    sent(services.cancel_series, forum=marac, reason="", actor=partnership_manager)

    assert len(mail.outbox) > 10
    for message in mail.outbox:
        _assert_clean(mime_text(message), discussed)
        _assert_clean(message.subject, discussed)

    client.force_login(pat)
    outputs = [
        client.get(reverse("meetings:meeting-calendar", args=[series[1].pk])),
        client.get(reverse("meetings:forum-calendar", args=[marac.pk])),
    ]
    feed = services.reset_calendar_feed(user=pat, actor=pat)
    outputs.append(client.get(reverse("meetings:calendar-feed", args=[feeds.token_for(feed)])))
    manager_feed = services.reset_calendar_feed(user=partnership_manager, actor=partnership_manager)
    outputs.append(
        client.get(reverse("meetings:forum-feed", args=[feeds.token_for(manager_feed), marac.pk]))
    )
    for response in outputs:
        assert response.status_code == 200
        _assert_clean(response.content.decode(), discussed)


def test_the_calendar_builder_never_reads_agenda_items(discussed, series, marac, client, pat):
    with CaptureQueriesContext(connection) as queries:
        plan = invitations.series_plan(marac)
        invitations.announce_series(marac)
        invitations.withdraw_meeting(series[4])
    assert plan is not None
    assert not any("agendaitem" in query["sql"].lower() for query in queries)
    client.force_login(pat)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("meetings:forum-calendar", args=[marac.pk]))
    assert not any("agendaitem" in query["sql"].lower() for query in queries)


def test_case_discussing_forums_are_confidential_and_others_are_not(
    series, make_forum, pat, partnership_manager, sent
):
    assert all("CLASS:CONFIDENTIAL" in m.calendar for m in CalendarMessage.objects.all())
    open_forum = make_forum(
        name="SMP regional asylum group",
        kind="smp-regional-group",
        schedule_rrule="FREQ=MONTHLY;BYDAY=3TU",
        members=[pat],
    )
    assert open_forum.discusses_cases is False
    messages = sent(
        services.schedule_series,
        forum=open_forum,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 3, 31),
        actor=partnership_manager,
    )
    event = Calendar.from_ical(messages[0].alternatives[1].content).events[0]
    assert "CLASS" not in event

"""Personal subscription feeds behind a secret address, the forum feed for managers, and the
.ics downloads: what they carry, who may open them, and that they cost a fixed number of
queries."""

import hashlib
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from agencies import services as agencies_services
from core.roles import Role
from meetings import services
from meetings.calendars import feeds
from meetings.calendars.schedule import LONDON
from meetings.models import CalendarFeed, Forum, ForumKind
from tests.agencies.admin_site import admin_change
from tests.calendars.calendar_mail import NOW, icaljs

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed_url(pat):
    feed = services.reset_calendar_feed(user=pat, actor=pat)
    return reverse("meetings:calendar-feed", args=[feeds.token_for(feed)])


def _calendar(response) -> Calendar:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_the_personal_feed_carries_the_persons_series_as_published_calendar(
    series, marac, feed_url, client
):
    cal = _calendar(client.get(feed_url))
    assert "METHOD" not in cal
    assert cal["X-WR-CALNAME"] == "Partnerhub meetings"
    [master] = cal.events
    assert str(master["UID"]) == f"forum-{marac.pk}-series@partnerhub.example.org"
    # Three months back to a year ahead of now (5 January 2026): all of 2026 generated so far.
    theirs = icaljs(client.get(feed_url).content.decode())
    assert len(theirs["series"][str(master["UID"])]) == 12


def test_the_feed_shows_a_cancellation_for_thirty_days_then_drops_it(
    series, feed_url, client, partnership_manager, clock
):
    services.cancel_meeting(meeting=series[1], reason="", actor=partnership_manager)
    cal = _calendar(client.get(feed_url))
    master, cancelled = cal.events
    assert cancelled.decoded("RECURRENCE-ID") == datetime(2026, 2, 10, 10, 0, tzinfo=LONDON)
    assert cancelled["STATUS"] == "CANCELLED"
    assert "EXDATE" not in master
    clock.shift(timedelta(days=31))
    [master] = _calendar(client.get(feed_url)).events
    assert [d.dt for d in master["EXDATE"].dts] == [datetime(2026, 2, 10, 10, 0, tzinfo=LONDON)]


def test_a_cancelled_single_meeting_stays_in_the_feed_as_cancelled_for_thirty_days(
    marac, pat, feed_url, client, partnership_manager, clock
):
    start = datetime(2026, 1, 20, 14, 0, tzinfo=LONDON)
    extra = services.create_meeting(
        forum=marac,
        start=start,
        end=start + timedelta(hours=1),
        location="Room 4",
        online_url="",
        actor=partnership_manager,
    )
    services.cancel_meeting(meeting=extra, reason="", actor=partnership_manager)
    [event] = _calendar(client.get(feed_url)).events
    assert (event["STATUS"], event["SEQUENCE"]) == ("CANCELLED", 1)
    clock.shift(timedelta(days=31))
    assert _calendar(client.get(feed_url)).events == []


def test_the_feed_keeps_to_three_months_back_and_a_year_ahead(
    marac, pat, feed_url, client, partnership_manager, clock
):
    for day in (date(2025, 9, 1), date(2025, 10, 20), date(2026, 12, 1), date(2027, 2, 1)):
        start = datetime.combine(day, datetime.min.time()).replace(hour=10, tzinfo=LONDON)
        services.create_meeting(
            forum=marac,
            start=start,
            end=start + timedelta(hours=1),
            location="Room 4",
            online_url="",
            actor=partnership_manager,
        )
    starts = sorted(e.decoded("DTSTART").date() for e in _calendar(client.get(feed_url)).events)
    assert starts == [date(2025, 10, 20), date(2026, 12, 1)]


def test_resetting_the_address_kills_the_old_one_at_once(pat, feed_url, client):
    assert client.get(feed_url).status_code == 200
    feed = services.reset_calendar_feed(user=pat, actor=pat)
    assert client.get(feed_url).status_code == 404
    assert (
        client.get(reverse("meetings:calendar-feed", args=[feeds.token_for(feed)])).status_code
        == 200
    )


def test_an_unknown_or_malformed_token_is_a_404(feed_url, client):
    assert client.get(reverse("meetings:calendar-feed", args=["x" * 43])).status_code == 404
    assert client.get(reverse("meetings:calendar-feed", args=["x" * 500])).status_code == 404


def _new_feed_url(person) -> str:
    feed = services.reset_calendar_feed(user=person, actor=person)
    return reverse("meetings:calendar-feed", args=[feeds.token_for(feed)])


def test_a_deactivated_persons_feed_is_a_404_and_stays_dead_if_they_return(
    pat, feed_url, client, administrator
):
    agencies_services.deactivate_person(person=pat, actor=administrator)
    assert client.get(feed_url).status_code == 404
    agencies_services.reactivate_person(person=pat, actor=administrator)
    assert client.get(feed_url).status_code == 404
    assert client.get(_new_feed_url(pat)).status_code == 200


def test_a_persons_feed_dies_when_they_move_to_another_agency(
    pat, feed_url, client, administrator, police
):
    agencies_services.move_person(person=pat, agency=police, actor=administrator)
    assert client.get(feed_url).status_code == 404
    assert client.get(_new_feed_url(pat)).status_code == 200


@pytest.mark.parametrize(
    "leaving",
    [lambda police: {"is_active": False}, lambda police: {"agency": police.pk}],
    ids=["deactivated", "moved to another agency"],
)
def test_leaving_in_the_admin_kills_the_feed_for_good(
    pat, feed_url, client, make_user, police, leaving
):
    admin_client = Client()
    admin_client.force_login(make_user(is_staff=True, is_superuser=True, full_name="Root Admin"))
    admin_change(admin_client, pat, **leaving(police))
    assert client.get(feed_url).status_code == 404
    admin_change(admin_client, pat, is_active=True)
    assert client.get(feed_url).status_code == 404


def test_the_token_is_long_random_and_stored_only_as_its_sha256(pat, feed_url):
    token = feed_url.removeprefix("/calendar/").removesuffix(".ics")
    assert len(token) >= 43
    feed = CalendarFeed.objects.get(user=pat)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = " ".join(str(value) for value in CalendarFeed.objects.values_list().get())
    assert token not in stored


def test_an_unchanged_feed_answers_304(series, feed_url, client, partnership_manager):
    first = client.get(feed_url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get(feed_url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(feed_url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get(feed_url).content == first.content
    services.cancel_meeting(meeting=series[3], reason="", actor=partnership_manager)
    assert client.get(feed_url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_feed_costs_the_same_queries_for_five_hundred_meetings(
    make_forum, pat, client, partnership_manager, clock
):
    kind = ForumKind.objects.get(code="operational-working-group")
    feed = services.reset_calendar_feed(user=pat, actor=pat)
    url = reverse("meetings:calendar-feed", args=[feeds.token_for(feed)])
    weekdays = ["MO", "TU", "WE", "TH", "FR"]
    for number in range(10):
        forum = make_forum(
            name=f"Weekly group {number}",
            kind=kind.code,
            schedule_rrule=f"FREQ=WEEKLY;BYDAY={weekdays[number % 5]}",
            schedule_starts_on=date(2025, 10, 6),
            members=[pat],
        )
        services.schedule_series(
            forum=forum,
            start_date=date(2025, 10, 6),
            end_date=date(2026, 9, 30),
            actor=partnership_manager,
        )
    assert pat.meeting_attendances.count() >= 500
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    # Six read what the feed is built from (its validator), eight build it.
    assert len(queries) <= 14
    assert len(Calendar.from_ical(response.content).events) == 10
    with CaptureQueriesContext(connection) as queries:
        unchanged = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert unchanged.status_code == 304
    # The feed, the forums the person belongs to, and the six.
    assert len(queries) <= 8


def test_an_unchanged_feed_is_answered_without_building_its_events(
    series, feed_url, client, monkeypatch
):
    etag = client.get(feed_url)["ETag"]

    def build(*args, **kwargs):
        raise AssertionError("an unchanged feed was built")

    monkeypatch.setattr(feeds, "published_events", build)
    assert client.get(feed_url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_feed_asked_for_again_without_a_copy_is_not_built_again_until_it_changes(
    series, feed_url, client, partnership_manager, monkeypatch
):
    first = client.get(feed_url)
    built = feeds.published_events

    def refused(*args, **kwargs):
        raise AssertionError("an unchanged feed was built again")

    monkeypatch.setattr(feeds, "published_events", refused)
    again = client.get(feed_url)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    monkeypatch.setattr(feeds, "published_events", built)
    services.cancel_meeting(meeting=series[3], reason="", actor=partnership_manager)
    changed = client.get(feed_url)
    assert changed["ETag"] != first["ETag"]
    assert b"STATUS:CANCELLED" in changed.content
    assert b"STATUS:CANCELLED" not in first.content


def test_the_feed_is_not_current_once_a_person_or_contact_it_names_changes(
    series, feed_url, client, dana, police
):
    first = client.get(feed_url)
    type(dana).objects.filter(pk=dana.pk).update(full_name="Dana Constable")
    renamed = client.get(feed_url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert renamed.status_code == 200
    assert b"Dana Constable" in renamed.content
    contact = police.contacts.create(
        full_name="Sam Single-Point", email="spoc@police.example", is_single_point_of_contact=True
    )
    assert client.get(feed_url, HTTP_IF_NONE_MATCH=renamed["ETag"]).status_code == 200
    etag = client.get(feed_url)["ETag"]
    type(contact).objects.filter(pk=contact.pk).update(email="spoc.new@police.example")
    assert client.get(feed_url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_forum_feed_is_for_partnership_managers_only(series, marac, make_user, client):
    manager = make_user(Role.PARTNERSHIP_MANAGER, full_name="Mo Manager")
    manager_feed = services.reset_calendar_feed(user=manager, actor=manager)
    url = reverse("meetings:forum-feed", args=[feeds.token_for(manager_feed), marac.pk])
    cal = _calendar(client.get(url))
    assert cal["X-WR-CALNAME"] == "Manchester MARAC (Partnerhub)"
    assert len(cal.events) == 1

    partner = make_user(Role.PARTNER, full_name="Pia Partner")
    partner_feed = services.reset_calendar_feed(user=partner, actor=partner)
    assert (
        client.get(
            reverse("meetings:forum-feed", args=[feeds.token_for(partner_feed), marac.pk])
        ).status_code
        == 404
    )


def test_downloads_carry_one_meeting_or_the_forums_series(series, marac, client, pat):
    client.force_login(pat)
    one = _calendar(client.get(reverse("meetings:meeting-calendar", args=[series[2].pk])))
    [event] = one.events
    assert event.decoded("RECURRENCE-ID") == datetime(2026, 3, 10, 10, 0, tzinfo=LONDON)
    assert "METHOD" not in one
    whole = client.get(reverse("meetings:forum-calendar", args=[marac.pk]))
    assert 'filename="forum-' in whole["Content-Disposition"]
    [master] = _calendar(whole).events
    assert "RRULE" in master
    assert len(icaljs(whole.content.decode())["series"][str(master["UID"])]) == 12


def test_people_not_invited_cannot_download(series, marac, make_user, client, make_agency):
    outsider = make_user(Role.PARTNER, agency=make_agency("Elsewhere"), full_name="Out Sider")
    client.force_login(outsider)
    assert client.get(reverse("meetings:meeting-calendar", args=[series[2].pk])).status_code == 404
    assert client.get(reverse("meetings:forum-calendar", args=[marac.pk])).status_code == 404


def test_a_guest_invited_to_one_occurrence_gets_only_that_occurrence(
    series, marac, make_user, charity, client, partnership_manager
):
    guest = make_user(
        Role.PARTNER, agency=charity, full_name="Gita Guest", email="gita@charity.example"
    )
    services.invite(meeting=series[4], agency=charity, person=guest, actor=partnership_manager)
    feed = services.reset_calendar_feed(user=guest, actor=guest)
    cal = _calendar(client.get(reverse("meetings:calendar-feed", args=[feeds.token_for(feed)])))
    [event] = cal.events
    assert event.decoded("RECURRENCE-ID") == series[4].original_start
    assert "RRULE" not in event


def test_my_calendar_page_shows_the_address_and_resets_it(pat, client):
    client.force_login(pat)
    page = client.get(reverse("meetings:calendar-mine")).content.decode()
    assert "Create my calendar address" in page
    assert not CalendarFeed.objects.filter(user=pat).exists()
    client.post(reverse("meetings:calendar-reset"))
    feed = CalendarFeed.objects.get(user=pat)
    page = client.get(reverse("meetings:calendar-mine")).content.decode()
    assert f"https://partnerhub.example.org/calendar/{feeds.token_for(feed)}.ics" in page
    assert "Reset my calendar address" in page
    home = client.get("/").content.decode()
    assert 'href="/calendar/"' in home


def test_feed_times_are_stable_so_time_passing_alone_changes_nothing(series, feed_url, client):
    first = client.get(feed_url).content
    with time_machine.travel(NOW + timedelta(hours=3)):
        assert client.get(feed_url).content == first


def test_a_cancelled_series_shows_as_cancelled_in_the_feed(
    series, marac, feed_url, client, partnership_manager
):
    services.cancel_series(forum=marac, reason="", actor=partnership_manager)
    [master] = _calendar(client.get(feed_url)).events
    assert master["STATUS"] == "CANCELLED"
    assert Forum.objects.get(pk=marac.pk).series_sequence == 1

"""A download or feed answers 304 only when nothing in it changed: inviting someone or sending
a deputy changes only the invitation, and a client asking only If-Modified-Since must still
be given the new calendar."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from meetings import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(clock, make_forum, chair, dana, pat, police, charity, provider, partnership_manager):
    """A forum and its meetings made at the test's fixed moment, so the calendar's last change
    is that moment and not when the people were set up."""
    forum = make_forum(
        members=[chair, dana, pat], member_agencies=[police, charity, provider], chair=chair
    )
    services.schedule_series(
        forum=forum,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        actor=partnership_manager,
    )
    return list(forum.meetings.order_by("start"))


@pytest.fixture
def forum_download(planned, partnership_manager_client):
    url = reverse("meetings:forum-calendar", args=[planned[0].forum_id])

    def fetch(**headers):
        return partnership_manager_client.get(url, **headers)

    return fetch


def _unchanged_then(fetch, clock, change) -> tuple:
    first = fetch()
    assert fetch(HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    clock.shift(timedelta(seconds=5))
    change()
    return first, fetch(HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])


def test_inviting_someone_to_one_meeting_is_a_change_to_if_modified_since(
    forum_download, planned, clock, make_user, police, partnership_manager
):
    newcomer = make_user("partner", agency=police, full_name="Nat New", email="nat@police.example")
    first, after = _unchanged_then(
        forum_download,
        clock,
        lambda: services.invite(
            meeting=planned[3], agency=police, person=newcomer, actor=partnership_manager
        ),
    )
    assert after.status_code == 200
    assert b"nat@police.example" in after.content
    assert after["Last-Modified"] != first["Last-Modified"]


def test_sending_a_deputy_is_a_change_to_if_modified_since(
    forum_download, planned, clock, dana, deputy_user
):
    attendance = planned[5].attendances.get(person=dana)
    _, after = _unchanged_then(
        forum_download,
        clock,
        lambda: services.send_deputy(attendance=attendance, deputy_person=deputy_user, actor=dana),
    )
    assert after.status_code == 200
    assert b"DELEGATED-FROM" in after.content.replace(b"\r\n ", b"")


def test_inviting_someone_is_a_change_to_that_meetings_own_download(
    planned, clock, make_user, police, partnership_manager, partnership_manager_client
):
    meeting = planned[3]
    url = reverse("meetings:meeting-calendar", args=[meeting.pk])
    newcomer = make_user("partner", agency=police, full_name="Nat New", email="nat@police.example")
    _, after = _unchanged_then(
        lambda **headers: partnership_manager_client.get(url, **headers),
        clock,
        lambda: services.invite(
            meeting=meeting, agency=police, person=newcomer, actor=partnership_manager
        ),
    )
    assert after.status_code == 200
    assert b"nat@police.example" in after.content

"""Comments before approval: circulating minutes opens a comment window; attendees comment; the
chair resolves each comment, and only then approves."""

from datetime import date, datetime, timedelta

import pytest
import time_machine

from core.authority import NotPermitted
from meetings import services
from meetings.calendars.schedule import LONDON
from meetings.models import MinutesStatus, Refused

AFTER_MEETING = datetime(2026, 1, 14, 9, 0, tzinfo=LONDON)


@pytest.fixture
def circulated(marac, generate, partnership_manager):
    held = generate(marac, date(2026, 1, 1), date(2026, 1, 31))[0]
    with time_machine.travel(AFTER_MEETING, tick=False):
        minutes = services.write_minutes(
            meeting=held, body="## Present\n\nAll agencies.", actor=partnership_manager
        )
        return services.circulate_minutes(minutes=minutes, actor=partnership_manager)


@pytest.mark.django_db
def test_circulating_opens_a_comment_window_of_the_configured_length(circulated, settings):
    assert circulated.comments_close_at == AFTER_MEETING + timedelta(
        days=settings.PARTNERHUB_MINUTES_COMMENT_DAYS
    )


@pytest.mark.django_db
def test_an_attendee_comments_and_approval_waits_until_the_chair_resolves_it(
    circulated, partner_user, partnership_manager
):
    with time_machine.travel(AFTER_MEETING + timedelta(days=1), tick=False):
        comment = services.comment_on_minutes(
            minutes=circulated, text="Our apologies were sent in advance.", actor=partner_user
        )
        with pytest.raises(Refused, match="Resolve the 1 comment on these minutes"):
            services.approve_minutes(minutes=circulated, actor=partnership_manager)
        services.resolve_minutes_comment(
            comment=comment, resolution="Added to the minutes.", actor=partnership_manager
        )
        approved = services.approve_minutes(minutes=circulated, actor=partnership_manager)
    assert approved.status == MinutesStatus.APPROVED
    comment.refresh_from_db()
    assert (comment.resolved_by, comment.resolution) == (
        partnership_manager,
        "Added to the minutes.",
    )


@pytest.mark.django_db
def test_a_comment_after_the_deadline_is_refused(circulated, partner_user):
    with (
        time_machine.travel(circulated.comments_close_at + timedelta(minutes=1), tick=False),
        pytest.raises(Refused, match="Comments on these minutes closed on"),
    ):
        services.comment_on_minutes(minutes=circulated, text="Late.", actor=partner_user)
    assert not circulated.comments.exists()


@pytest.mark.django_db
def test_approved_minutes_take_no_comments(circulated, partner_user, partnership_manager):
    with time_machine.travel(AFTER_MEETING + timedelta(days=1), tick=False):
        services.approve_minutes(minutes=circulated, actor=partnership_manager)
        with pytest.raises(Refused, match="approved, so they take no more comments"):
            services.comment_on_minutes(minutes=circulated, text="Too late.", actor=partner_user)


@pytest.mark.django_db
def test_someone_not_at_the_meeting_cannot_comment(circulated, make_user, make_agency, client):
    outsider = make_user("partner", agency=make_agency("Elsewhere Charity"))
    with (
        time_machine.travel(AFTER_MEETING + timedelta(days=1), tick=False),
        pytest.raises(NotPermitted),
    ):
        services.comment_on_minutes(minutes=circulated, text="Hello.", actor=outsider)
    client.force_login(outsider)
    assert client.get(f"/meetings/{circulated.meeting_id}/minutes/comments/new/").status_code == 404


@pytest.mark.django_db
def test_through_the_pages_an_attendee_comments_and_the_chair_resolves(
    circulated, partner_client, partnership_manager_client
):
    meeting_url = f"/meetings/{circulated.meeting_id}/"
    with time_machine.travel(AFTER_MEETING + timedelta(days=1), tick=True):
        assert "Comment on the minutes" in partner_client.get(meeting_url).content.decode()
        empty = partner_client.post(f"{meeting_url}minutes/comments/new/", {"text": ""})
        assert "Enter your comment" in empty.content.decode()
        partner_client.post(
            f"{meeting_url}minutes/comments/new/", {"text": "Please add our apologies."}
        )
        page = partnership_manager_client.get(meeting_url).content.decode()
        assert "Please add our apologies." in page
        comment = circulated.comments.get()
        response = partnership_manager_client.post(
            f"/comments/{comment.pk}/resolve/", {"resolution": "Added."}
        )
        assert response.status_code == 302
        assert "Resolved by" in partnership_manager_client.get(meeting_url).content.decode()
        assert partner_client.get(f"/comments/{comment.pk}/resolve/").status_code == 404

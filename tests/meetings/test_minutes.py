"""Minutes go draft → circulated → approved; approved minutes are locked, corrections kept."""

from datetime import date, datetime

import pytest
import time_machine
from django.db import DatabaseError, IntegrityError, transaction
from django.urls import reverse

from meetings import services
from meetings.calendars.schedule import LONDON
from meetings.models import Minutes, MinutesStatus, Refused

AFTER_MEETING = datetime(2026, 1, 14, 9, 0, tzinfo=LONDON)


@pytest.fixture
def held(marac, generate):
    return generate(marac, date(2026, 1, 1), date(2026, 1, 31))[0]


@pytest.fixture
def approved(held, partnership_manager):
    with time_machine.travel(AFTER_MEETING, tick=False):
        minutes = services.write_minutes(
            meeting=held, body="## Present\n\nAll agencies.", actor=partnership_manager
        )
        services.circulate_minutes(minutes=minutes, actor=partnership_manager)
        return services.approve_minutes(minutes=minutes, actor=partnership_manager)


@pytest.mark.django_db
def test_minutes_cannot_be_written_before_the_meeting(held, partnership_manager):
    with (
        time_machine.travel(datetime(2026, 1, 12, tzinfo=LONDON)),
        pytest.raises(Refused, match="once the meeting has started"),
    ):
        services.write_minutes(meeting=held, body="Too early", actor=partnership_manager)


@pytest.mark.django_db
def test_approval_records_who_and_when_after_circulation(approved, partnership_manager):
    assert approved.status == MinutesStatus.APPROVED
    assert approved.approved_by == partnership_manager
    assert approved.approved_at == AFTER_MEETING
    assert approved.circulated_by == partnership_manager


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "step", "allowed"),
    [
        (MinutesStatus.DRAFT, "circulate", True),
        (MinutesStatus.DRAFT, "approve", False),
        (MinutesStatus.CIRCULATED, "circulate", False),
        (MinutesStatus.CIRCULATED, "approve", True),
    ],
)
def test_minutes_transitions(held, partnership_manager, start, step, allowed):
    with time_machine.travel(AFTER_MEETING):
        minutes = services.write_minutes(meeting=held, body="Notes", actor=partnership_manager)
        if start == MinutesStatus.CIRCULATED:
            services.circulate_minutes(minutes=minutes, actor=partnership_manager)
        change = {"circulate": services.circulate_minutes, "approve": services.approve_minutes}[
            step
        ]
        if allowed:
            change(minutes=minutes, actor=partnership_manager)
        else:
            with pytest.raises(Refused):
                change(minutes=minutes, actor=partnership_manager)


@pytest.mark.django_db
def test_changing_circulated_minutes_returns_them_to_draft(held, partnership_manager):
    with time_machine.travel(AFTER_MEETING):
        minutes = services.write_minutes(meeting=held, body="First", actor=partnership_manager)
        services.circulate_minutes(minutes=minutes, actor=partnership_manager)
        revised = services.write_minutes(meeting=held, body="Second", actor=partnership_manager)
    assert revised.pk == minutes.pk
    assert (revised.status, revised.body, revised.circulated_at) == (
        MinutesStatus.DRAFT,
        "Second",
        None,
    )


@pytest.mark.django_db
def test_approved_minutes_cannot_be_rewritten_through_the_service(
    held, approved, partnership_manager
):
    with time_machine.travel(AFTER_MEETING), pytest.raises(Refused, match="locked"):
        services.write_minutes(meeting=held, body="Rewritten", actor=partnership_manager)
    approved.refresh_from_db()
    assert approved.body == "## Present\n\nAll agencies."


@pytest.mark.django_db
def test_the_database_refuses_to_change_or_delete_approved_minutes(approved):
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Minutes.objects.filter(pk=approved.pk).update(body="Quietly rewritten")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Minutes.objects.filter(pk=approved.pk).delete()
    approved.refresh_from_db()
    assert approved.body == "## Present\n\nAll agencies."


@pytest.mark.django_db
def test_a_draft_can_still_be_changed_in_the_database(held, partnership_manager):
    with time_machine.travel(AFTER_MEETING):
        minutes = services.write_minutes(meeting=held, body="Draft", actor=partnership_manager)
    Minutes.objects.filter(pk=minutes.pk).update(body="Edited draft")
    minutes.refresh_from_db()
    assert minutes.body == "Edited draft"


@pytest.mark.django_db
def test_a_correction_is_a_new_version_with_its_reason_and_the_approved_one_is_kept(
    held, approved, partnership_manager
):
    with pytest.raises(Refused, match="reason"):
        services.correct_minutes(meeting=held, body="Fixed", reason=" ", actor=partnership_manager)
    correction = services.correct_minutes(
        meeting=held,
        body="## Present\n\nAll agencies except probation.",
        reason="Probation sent apologies",
        actor=partnership_manager,
    )
    assert correction.version == 2
    assert correction.status == MinutesStatus.DRAFT
    assert correction.correction_reason == "Probation sent apologies"
    assert list(held.minutes_versions.order_by("version").values_list("version", "status")) == [
        (1, MinutesStatus.APPROVED),
        (2, MinutesStatus.DRAFT),
    ]
    with pytest.raises(Refused, match="Only approved minutes are corrected"):
        services.correct_minutes(
            meeting=held, body="Again", reason="Another", actor=partnership_manager
        )


@pytest.mark.django_db
def test_meeting_page_shows_approved_minutes_and_offers_a_correction_not_an_edit(
    held, approved, partnership_manager_client
):
    html = partnership_manager_client.get(
        reverse("meetings:meeting-detail", args=[held.pk])
    ).content.decode()
    assert "<h2>Present</h2>" in html
    assert "Approved" in html
    assert reverse("meetings:minutes-correct", args=[held.pk]) in html
    # Asking to edit approved minutes leads to the correction form instead.
    response = partnership_manager_client.get(reverse("meetings:minutes-edit", args=[held.pk]))
    assert response["Location"] == reverse("meetings:minutes-correct", args=[held.pk])


@pytest.mark.django_db
def test_minutes_written_circulated_and_approved_through_the_pages(
    held, partnership_manager_client
):
    with time_machine.travel(AFTER_MEETING):
        response = partnership_manager_client.post(
            reverse("meetings:minutes-edit", args=[held.pk]), {"body": "**Decisions** made"}
        )
        assert response.status_code == 302
        for step in ("circulate", "approve"):
            partnership_manager_client.post(
                reverse("meetings:minutes-transition", args=[held.pk, step])
            )
    minutes = held.minutes_versions.get()
    assert minutes.status == MinutesStatus.APPROVED


@pytest.mark.django_db
def test_empty_minutes_show_an_error_at_the_field(held, partnership_manager_client):
    with time_machine.travel(AFTER_MEETING):
        response = partnership_manager_client.post(
            reverse("meetings:minutes-edit", args=[held.pk]), {"body": ""}
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter the minutes" in html
    assert 'href="#id_body"' in html
    assert not Minutes.objects.exists()

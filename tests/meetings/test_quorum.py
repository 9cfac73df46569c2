"""Quorum: a forum names the agencies it needs, and a meeting page says whether it was quorate
from the attendance recorded."""

from datetime import date, datetime

import pytest
import time_machine

from meetings import services
from meetings.calendars.schedule import LONDON
from meetings.forms import ForumForm
from meetings.models import Attendance, Outcome
from meetings.refusals import Refused
from reports.partnership import Filters, partnership_report
from reports.periods import DateRange


@pytest.fixture
def january(marac, generate, police, idva_service, partnership_manager):
    services.save_forum(
        forum=marac,
        member_agencies=list(marac.member_agencies.all()),
        members=list(marac.members.all()),
        quorum_agencies=[police, idva_service],
        actor=partnership_manager,
    )
    return generate(marac, date(2026, 1, 1), date(2026, 1, 31))[0]


def _record(meeting, partnership_manager, outcomes):
    entries = [
        (Attendance.objects.get(meeting=meeting, agency=agency, person__isnull=True), *outcome)
        for agency, outcome in outcomes.items()
    ]
    with time_machine.travel(datetime(2026, 1, 13, 12, 5, tzinfo=LONDON)):
        services.record_attendance(meeting=meeting, entries=entries, actor=partnership_manager)


def _quorum_line(client, meeting) -> str:
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    return " ".join(page.split(">Quorum</dt>", 1)[1].split("</dd>", 1)[0].split())


@pytest.mark.django_db
def test_before_attendance_is_recorded_the_page_says_who_is_needed(
    january, partnership_manager_client
):
    line = _quorum_line(partnership_manager_client, january)
    assert "Needs Greater Manchester Police, Independent DV Advisers to be quorate" in line


@pytest.mark.django_db
def test_a_meeting_with_someone_for_each_needed_agency_is_quorate_a_deputy_counting(
    january, police, idva_service, partnership_manager, partnership_manager_client
):
    _record(
        january,
        partnership_manager,
        {
            police: (Outcome.ATTENDED, "", False),
            idva_service: (Outcome.ATTENDED, "Jo Deputy", False),
        },
    )
    assert "Quorate" in _quorum_line(partnership_manager_client, january)
    assert "Not quorate" not in _quorum_line(partnership_manager_client, january)


@pytest.mark.django_db
def test_apologies_even_with_information_sent_leave_a_meeting_without_quorum(
    january, police, idva_service, partnership_manager, partnership_manager_client
):
    _record(
        january,
        partnership_manager,
        {police: (Outcome.ATTENDED, "", False), idva_service: (Outcome.APOLOGIES, "", True)},
    )
    line = _quorum_line(partnership_manager_client, january)
    assert "Not quorate" in line
    assert "nobody attended for Independent DV Advisers" in line
    figures = partnership_report(
        DateRange(date(2026, 1, 1), date(2026, 1, 31)), Filters(), hide_small=False, threshold=5
    )
    row = next(row for row in figures.table("meetings").body if row.label == january.forum.name)
    assert (row.values["held"], row.values["inquorate"]) == (1, 1)
    assert row.values["total"] == 1


@pytest.mark.django_db
def test_only_a_member_agency_can_be_needed_for_quorum(marac, make_agency, partnership_manager):
    outsider = make_agency("Not A Member")
    with pytest.raises(Refused, match="Not A Member"):
        services.save_forum(
            forum=marac,
            member_agencies=list(marac.member_agencies.all()),
            members=list(marac.members.all()),
            quorum_agencies=[outsider],
            actor=partnership_manager,
        )
    assert not marac.quorum_agencies.exists()


@pytest.mark.django_db
def test_the_forum_form_refuses_a_quorum_agency_that_is_not_a_member_at_the_field(
    marac, make_agency, police, partnership_manager
):
    outsider = make_agency("Not A Member")
    form = ForumForm(
        data={
            "name": marac.name,
            "kind": marac.kind_id,
            "member_agencies": [police.pk],
            "quorum_agencies": [police.pk, outsider.pk],
            "is_active": "on",
        },
        instance=marac,
        user=partnership_manager,
    )
    assert not form.is_valid()
    assert form.errors["quorum_agencies"] == [
        "Choose agencies that are members of the forum: Not A Member is not"
    ]


@pytest.mark.django_db
def test_the_forum_page_marks_the_agencies_needed_for_quorum(january, partnership_manager_client):
    page = partnership_manager_client.get(f"/forums/{january.forum_id}/").content.decode()
    assert page.count("Needed for quorum") == 2

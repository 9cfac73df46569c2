"""The figures a MARAC reports, in the partnership report: cases heard and repeats, counted as
the meeting page flags a repeat (a case heard at the same MARAC in the twelve months before)."""

from datetime import date, datetime, timedelta

import pytest
import time_machine

from meetings import selectors, services
from meetings.calendars.schedule import LONDON
from meetings.models import Attendance, Outcome
from reports.partnership import Filters, partnership_report
from reports.periods import DateRange


def _hold(meeting, partnership_manager):
    seat = Attendance.objects.filter(meeting=meeting).first()
    with time_machine.travel(meeting.start + timedelta(hours=3)):
        services.record_attendance(
            meeting=meeting,
            entries=[(seat, Outcome.ATTENDED, "", False)],
            actor=partnership_manager,
        )


@pytest.mark.django_db
@pytest.mark.usefixtures("clock", "agreements")
def test_cases_heard_and_repeats_agree_with_the_meeting_pages(
    meetings, marac, case, consent, attending, add_item, officer, partnership_manager
):
    consent(case, attending)
    a_year_before = services.create_meeting(
        forum=marac,
        start=datetime(2025, 2, 11, 10, 0, tzinfo=LONDON),
        end=datetime(2025, 2, 11, 12, 0, tzinfo=LONDON),
        location="Manchester Town Hall",
        online_url="",
        actor=partnership_manager,
    )
    _february, march, april = meetings
    for meeting in (a_year_before, march, april):
        add_item(meeting, case)
        _hold(meeting, partnership_manager)
        services.affirm_confidentiality(meeting=meeting, actor=officer)

    figures = partnership_report(
        DateRange(date(2026, 3, 1), date(2026, 4, 30)), Filters(), hide_small=False, threshold=5
    )
    row = next(row for row in figures.table("marac-cases").body if row.label == marac.name)
    flagged = [
        item.is_repeat
        for meeting in (march, april)
        for item in selectors.meeting_page(meeting=meeting, user=officer).agenda
        if item.case_id
    ]
    assert flagged == [False, True]
    assert (row.values["heard"], row.values["repeats"], row.values["rate"]) == (2, 1, 0.5)

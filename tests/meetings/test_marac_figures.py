"""The figures a MARAC reports, in the partnership report: cases heard and repeats, counted as
the meeting page flags a repeat (a case heard at the same MARAC in the twelve months before)."""

from datetime import date, datetime, timedelta

import pytest
import time_machine

from meetings import selectors, services
from meetings.calendars.schedule import LONDON
from meetings.models import Attendance, HearingOutcome, Outcome
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


@pytest.mark.django_db
@pytest.mark.usefixtures("clock", "agreements")
def test_cases_with_and_without_an_idva_and_their_outcomes_per_marac(
    meetings,
    marac,
    make_case,
    consent,
    attending,
    add_item,
    officer,
    partnership_manager,
    police,
    idva_service,
):
    february, march, april = meetings
    heard = [
        (february, HearingOutcome.ACTION_PLAN_AGREED, idva_service),
        (february, HearingOutcome.ACTION_PLAN_AGREED, None),
        (march, HearingOutcome.NO_FURTHER_ACTION, idva_service),
        (march, HearingOutcome.ADJOURNED, None),
        # Not held in the period asked for: not counted.
        (april, HearingOutcome.TRANSFERRED, idva_service),
    ]
    for meeting, outcome, idva in heard:
        case = make_case()
        consent(case, attending)
        item = add_item(meeting, case)
        with time_machine.travel(meeting.start + timedelta(hours=1)):
            services.record_hearing(
                item=item,
                outcome=outcome,
                referring_agency=police,
                idva_allocated=idva is not None,
                idva_agency=idva,
                actor=officer,
            )
    for meeting in meetings:
        _hold(meeting, partnership_manager)

    figures = partnership_report(
        DateRange(date(2026, 2, 1), date(2026, 3, 31)), Filters(), hide_small=False, threshold=5
    )
    idva = next(row for row in figures.table("marac-idva").body if row.label == marac.name)
    assert idva.values == {"with_idva": 2, "without_idva": 2, "total": 4}
    outcomes = next(row for row in figures.table("marac-outcomes").body if row.label == marac.name)
    assert outcomes.values == {
        "action_plan_agreed": 2,
        "no_further_action": 1,
        "transferred": 0,
        "adjourned": 1,
        "total": 4,
    }

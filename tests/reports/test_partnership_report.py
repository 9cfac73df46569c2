"""The partnership activity report, each figure checked against a count of the rows."""

import random
import statistics
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from core.roles import Role
from core.working_days import working_days_between
from meetings import services as meeting_services
from meetings.models import Action, Attendance, Meeting, MeetingStatus
from meetings.models.actions import Closure
from reports.partnership import Filters, partnership_report
from reports.periods import DateRange
from reports.tables import shown
from sharing import services as sharing_services
from sharing.models import Referral, ReferralKind
from tests.factories import AgencyFactory, ForumFactory, MeetingFactory
from tests.reports.history import at, make_history
from tests.sharing.referrals import send_with_consent

PERIOD = DateRange(date(2026, 9, 1), date(2026, 10, 31))


@pytest.fixture
def activity(partnership_manager, officer, manager, authority_user):
    chance = random.Random(23)
    agencies = [AgencyFactory(name=f"Agency {letter}") for letter in "ABCD"]
    forums = [
        ForumFactory(name=f"Forum {number}", member_agencies=agencies, actor=partnership_manager)
        for number in (1, 2)
    ]
    outcomes = [
        ("attended", "", False),
        ("attended", "A deputy", False),
        ("apologies", "", True),
        ("apologies", "", False),
        ("absent", "", False),
    ]
    for forum in forums:
        for week in range(14):
            start = at(date(2026, 8, 20) + timedelta(weeks=week), 10)
            with time_machine.travel(start - timedelta(days=10), tick=False):
                # Each member agency is given a seat, as the meeting page does.
                meeting = MeetingFactory(forum=forum, start=start, actor=partnership_manager)
            if chance.random() < 0.15:
                with time_machine.travel(start - timedelta(days=1), tick=False):
                    meeting_services.cancel_meeting(
                        meeting=meeting, reason="No quorum", actor=partnership_manager
                    )
                continue
            with time_machine.travel(start + timedelta(hours=3), tick=False):
                seats = list(meeting.attendances.all())
                meeting_services.record_attendance(
                    meeting=meeting,
                    entries=[(seat, *chance.choice(outcomes)) for seat in seats[:-1]],
                    actor=partnership_manager,
                )
                for agency in chance.sample(agencies, 2):
                    action = meeting_services.create_action(
                        meeting=meeting,
                        description="Follow up",
                        due_on=start.date() + timedelta(days=chance.randint(3, 30)),
                        owner_agency=agency,
                        actor=partnership_manager,
                    )
                    if chance.random() < 0.5:
                        with time_machine.travel(
                            start + timedelta(days=chance.randint(1, 40)), tick=False
                        ):
                            meeting_services.close_action(
                                action=action,
                                closure=Closure.DONE,
                                reason="",
                                actor=partnership_manager,
                            )
    make_history(
        officer=officer, manager=manager, authority=authority_user, months=(-1, 0), per_month=4
    )
    return agencies, forums


def _in_period(moment) -> bool:
    return moment is not None and PERIOD.start <= moment < PERIOD.end


def _body(table) -> dict:
    return {row.label: row.values for row in table.body}


def test_meetings_and_attendance_are_what_counting_the_rows_finds(activity):
    figures = partnership_report(PERIOD, Filters(), hide_small=False, threshold=5)
    meetings = [m for m in Meeting.objects.select_related("forum") if _in_period(m.start)]
    held = Counter(m.forum.name for m in meetings if m.status == MeetingStatus.HELD)
    cancelled = Counter(m.forum.name for m in meetings if m.status == MeetingStatus.CANCELLED)
    table = _body(figures.table("meetings"))
    assert {name: values["held"] for name, values in table.items()} == dict(held)
    assert {
        name: values["cancelled"] for name, values in table.items() if values["cancelled"]
    } == dict(cancelled)

    kinds = defaultdict(Counter)
    for seat in Attendance.objects.select_related("meeting", "agency"):
        if seat.meeting.status != MeetingStatus.HELD or not _in_period(seat.meeting.start):
            continue
        if seat.outcome == "attended":
            kind = "deputy" if seat.deputy_name else "attended"
        elif seat.outcome == "apologies":
            kind = "apologies_sent" if seat.sent_information_in_advance else "apologies"
        else:
            kind = seat.outcome or "not_recorded"
        kinds[seat.agency.name][kind] += 1
    attendance = _body(figures.table("attendance"))
    for agency, counts in kinds.items():
        row = attendance[agency]
        for kind in ("attended", "deputy", "apologies_sent", "apologies", "absent", "not_recorded"):
            assert row[kind] == counts[kind], (agency, kind)
        assert row["total"] == sum(counts.values())
        assert row["rate"] == (counts["attended"] + counts["deputy"]) / sum(counts.values())
    assert set(attendance) == set(kinds)
    assert {kind for counts in kinds.values() for kind in counts} == {
        "attended", "deputy", "apologies_sent", "apologies", "absent", "not_recorded"
    }  # fmt: skip


def test_a_held_meeting_is_not_quorate_when_an_agency_the_forum_needs_did_not_attend(activity):
    """Not quorate: held without an attended seat (its invitee or a deputy) for one of the
    agencies the forum needs. A forum that needs no agency is always quorate."""
    agencies, forums = activity
    needs_two, needs_none = forums
    needs_two.quorum_agencies.set(agencies[:2])
    expected = Counter()
    for meeting in Meeting.objects.filter(forum=needs_two, status=MeetingStatus.HELD):
        if not _in_period(meeting.start):
            continue
        attended = {
            seat.agency_id for seat in meeting.attendances.all() if seat.outcome == "attended"
        }
        expected[needs_two.name] += not {agency.pk for agency in agencies[:2]} <= attended

    figures = partnership_report(PERIOD, Filters(), hide_small=False, threshold=5)

    meetings = _body(figures.table("meetings"))
    assert meetings[needs_two.name]["inquorate"] == expected[needs_two.name]
    assert 0 < expected[needs_two.name] < meetings[needs_two.name]["held"]
    assert meetings[needs_none.name]["inquorate"] == 0


def test_actions_by_agency_are_what_counting_the_rows_finds(activity):
    figures = partnership_report(PERIOD, Filters(), hide_small=False, threshold=5)
    expected = defaultdict(Counter)
    last_day = min(PERIOD.last_day, timezone.localdate())
    for action in Action.objects.select_related("owner_agency"):
        name = action.owner_agency.name
        expected[name]["opened"] += _in_period(action.created_at)
        expected[name]["closed"] += _in_period(action.closed_at)
        expected[name]["closed_late"] += _in_period(action.closed_at) and (
            timezone.localtime(action.closed_at).date() > action.due_on
        )
        open_at_end = action.created_at < PERIOD.end and (
            action.closed_at is None or action.closed_at >= PERIOD.end
        )
        expected[name]["overdue"] += open_at_end and action.due_on <= last_day
    actions = _body(figures.table("actions"))
    for name, counts in expected.items():
        for key in ("opened", "closed", "closed_late", "overdue"):
            assert actions[name][key] == counts[key], (name, key)
    assert sum(counts["overdue"] for counts in expected.values()) > 0


def test_referral_response_times_are_medians_of_the_referrals_sent(activity):
    figures = partnership_report(PERIOD, Filters(), hide_small=False, threshold=5)
    by_agency = defaultdict(list)
    for referral in Referral.objects.select_related("agency"):
        if _in_period(referral.sent_at):
            by_agency[referral.agency.name].append(referral)
    responses = _body(figures.table("referral-responses"))
    assert set(responses) == set(by_agency)
    for name, referrals in by_agency.items():
        acknowledged = [r for r in referrals if r.acknowledged_at]
        assert responses[name]["sent"] == len(referrals)
        assert responses[name]["acknowledged"] == len(acknowledged)
        hours = [(r.acknowledged_at - r.sent_at).total_seconds() / 3600 for r in acknowledged]
        assert responses[name]["hours"] == (
            pytest.approx(statistics.median(hours)) if hours else None
        )
        on_time = [r for r in acknowledged if r.acknowledge_by is None or _on_time(r)]
        assert responses[name]["on_time"] == len(on_time)
        days = [
            working_days_between(_uk_day(r.sent_at), _uk_day(r.outcome_at))
            for r in referrals
            if r.outcome_at
        ]
        assert responses[name]["outcomes"] == len(days)
        assert responses[name]["outcome_days"] == (statistics.median(days) if days else None)
    every = [r for referrals in by_agency.values() for r in referrals]
    # The medians over all the referrals, not any sum of the agencies' medians.
    total = figures.table("referral-responses").total.values
    assert total["hours"] == pytest.approx(
        statistics.median(
            (r.acknowledged_at - r.sent_at).total_seconds() / 3600
            for r in every
            if r.acknowledged_at
        )
    )
    assert total["outcome_days"] == statistics.median(
        working_days_between(_uk_day(r.sent_at), _uk_day(r.outcome_at))
        for r in every
        if r.outcome_at
    )
    assert sum(1 for r in every if r.outcome_at) > 0
    assert any(r.acknowledged_at and not _on_time(r) for r in every if r.acknowledge_by)


def _on_time(referral) -> bool:
    return referral.acknowledged_at <= referral.acknowledge_by


def _uk_day(moment):
    return timezone.localdate(moment)


def test_an_agency_filter_counts_only_that_agency(activity):
    agencies, forums = activity
    figures = partnership_report(
        PERIOD, Filters(agency=agencies[0], forum=forums[0]), hide_small=False, threshold=5
    )
    assert set(_body(figures.table("attendance"))) <= {agencies[0].name}
    assert set(_body(figures.table("actions"))) <= {agencies[0].name}
    assert set(_body(figures.table("meetings"))) <= {forums[0].name}


def _send_marac(case, officer, agency, sent_on, *, kind="marac", **details):
    with time_machine.travel(at(sent_on, 11), tick=False):
        referral = sharing_services.create_referral(
            referral=Referral(
                case=case,
                agency=agency,
                kind=ReferralKind.objects.get(code=kind),
                reason="Disclosed abuse by a former partner.",
                **details,
            ),
            actor=officer,
        )
        return send_with_consent(referral=referral, actor=officer)


@pytest.fixture
def marac_referrals(make_user, make_case, make_agency):
    police = make_agency("Police")
    charity = make_agency("Charity")
    marac = make_agency("MARAC coordinator")
    by_police = make_user(Role.SAFEGUARDING_OFFICER, agency=police)
    by_charity = make_user(Role.SAFEGUARDING_OFFICER, agency=charity)
    heard, not_heard = (make_case(officers=[by_police, by_charity]) for _ in range(2))
    with time_machine.travel(at(date(2026, 3, 1), 15), tick=False):
        sharing_services.record_marac_hearing(
            case=heard, heard_on=date(2026, 3, 1), actor=by_police
        )
    high = {"dash_score": 16, "professional_judgement": False}
    judged = {
        "dash_score": 9,
        "professional_judgement": True,
        "professional_judgement_reason": "Threats since the checklist.",
    }
    _send_marac(
        heard, by_police, marac, date(2026, 9, 10), escalation_criterion="visible_high_risk", **high
    )
    _send_marac(
        heard,
        by_police,
        marac,
        date(2026, 10, 5),
        escalation_criterion="professional_judgement",
        **judged,
    )
    _send_marac(
        not_heard,
        by_charity,
        marac,
        date(2026, 9, 20),
        escalation_criterion="visible_high_risk",
        **high,
    )
    # Outside the period, and not a MARAC referral: neither is counted.
    _send_marac(
        not_heard,
        by_charity,
        marac,
        date(2026, 11, 5),
        escalation_criterion="visible_high_risk",
        **high,
    )
    _send_marac(heard, by_police, marac, date(2026, 9, 11), kind="idva")
    return police, charity


@pytest.mark.django_db
def test_marac_referrals_are_counted_by_the_referring_agency_with_dash_bands_and_repeats(
    marac_referrals,
):
    figures = partnership_report(PERIOD, Filters(), hide_small=False, threshold=5)
    table = figures.table("marac-referrals")
    keys = (
        "referrals",
        "under_high_risk",
        "high_risk",
        "professional_judgement",
        "repeats",
        "rate",
    )
    assert {
        label: tuple(values[key] for key in keys) for label, values in _body(table).items()
    } == {
        "Police": (2, 1, 1, 1, 2, 1.0),
        "Charity": (1, 0, 1, 0, 0, 0.0),
    }
    assert tuple(table.total.values[key] for key in keys) == (3, 1, 2, 1, 2, 2 / 3)


@pytest.mark.django_db
def test_marac_referrals_filtered_by_agency_and_hidden_when_small(marac_referrals):
    police, _charity = marac_referrals
    filtered = partnership_report(PERIOD, Filters(agency=police), hide_small=False, threshold=5)
    assert set(_body(filtered.table("marac-referrals"))) == {"Police"}
    hidden = partnership_report(PERIOD, Filters(), hide_small=True, threshold=5)
    police_row = _body(hidden.table("marac-referrals"))["Police"]
    assert not shown(police_row["referrals"])
    assert not shown(police_row["rate"])

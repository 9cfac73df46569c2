"""Who may be invited, what may be recorded when, and attendance rates per agency."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meetings import selectors, services
from meetings.calendars.schedule import LONDON
from meetings.models import Attendance, Forum, MeetingStatus, Outcome, Refused, Response


@pytest.fixture
def january(marac, generate):
    return generate(marac, date(2026, 1, 1), date(2026, 1, 31))[0]


def _seat(meeting, agency):
    return Attendance.objects.get(meeting=meeting, agency=agency, person__isnull=True)


@pytest.mark.django_db
def test_only_member_agencies_can_be_invited(january, make_agency, partnership_manager):
    outsider = make_agency("Not A Member")
    with pytest.raises(Refused, match="not a member agency"):
        services.invite(meeting=january, agency=outsider, actor=partnership_manager)


@pytest.mark.django_db
def test_a_person_is_invited_for_their_own_agency_only(
    january, police, idva_service, police_officer, partnership_manager
):
    with pytest.raises(Refused, match="does not work for"):
        services.invite(
            meeting=january, agency=idva_service, person=police_officer, actor=partnership_manager
        )


@pytest.mark.django_db
def test_inviting_someone_fills_their_agencys_open_seat(
    january, police, police_officer, partnership_manager
):
    seat = _seat(january, police)
    attendance = services.invite(
        meeting=january, agency=police, person=police_officer, actor=partnership_manager
    )
    assert attendance.pk == seat.pk
    assert attendance.person == police_officer
    assert not Attendance.objects.filter(meeting=january, agency=police, person=None).exists()
    with pytest.raises(Refused, match="already invited"):
        services.invite(
            meeting=january, agency=police, person=police_officer, actor=partnership_manager
        )


@pytest.mark.django_db
def test_an_agency_has_at_most_one_open_seat(january, police, partnership_manager):
    with pytest.raises(Refused, match="already has a seat"):
        services.invite(meeting=january, agency=police, actor=partnership_manager)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(meeting=january, agency=police)


@pytest.mark.django_db
def test_invitees_respond_before_the_meeting_but_not_after_it(january, partner_user):
    invitation = Attendance.objects.get(meeting=january, person=partner_user)
    with time_machine.travel(datetime(2026, 1, 5, 9, 0, tzinfo=LONDON)):
        services.respond(attendance=invitation, response=Response.ACCEPTED, actor=partner_user)
    invitation.refresh_from_db()
    assert invitation.response == Response.ACCEPTED
    with (
        time_machine.travel(datetime(2026, 1, 13, 13, 0, tzinfo=LONDON)),
        pytest.raises(Refused, match="has ended"),
    ):
        services.respond(attendance=invitation, response=Response.DECLINED, actor=partner_user)


@pytest.mark.django_db
def test_attendance_cannot_be_recorded_before_the_meeting_starts(
    january, partner_user, partnership_manager
):
    invitation = Attendance.objects.get(meeting=january, person=partner_user)
    with (
        time_machine.travel(datetime(2026, 1, 13, 9, 59, tzinfo=LONDON)),
        pytest.raises(Refused, match="once the meeting has started"),
    ):
        services.record_attendance(
            meeting=january,
            entries=[(invitation, Outcome.ATTENDED, "", False)],
            actor=partnership_manager,
        )


@pytest.mark.django_db
def test_attendance_cannot_be_recorded_for_a_cancelled_meeting(
    january, partner_user, partnership_manager
):
    services.cancel_meeting(meeting=january, reason="", actor=partnership_manager)
    invitation = Attendance.objects.get(meeting=january, person=partner_user)
    with (
        time_machine.travel(datetime(2026, 1, 14, tzinfo=LONDON)),
        pytest.raises(Refused, match="cancelled"),
    ):
        services.record_attendance(
            meeting=january,
            entries=[(invitation, Outcome.ATTENDED, "", False)],
            actor=partnership_manager,
        )


@pytest.mark.django_db
def test_recording_attendance_with_a_deputy_and_apologies_marks_the_meeting_held(
    january, partner_user, police, partnership_manager
):
    invitation = Attendance.objects.get(meeting=january, person=partner_user)
    seat = _seat(january, police)
    with time_machine.travel(datetime(2026, 1, 13, 12, 5, tzinfo=LONDON)):
        services.record_attendance(
            meeting=january,
            entries=[
                (invitation, Outcome.ATTENDED, "Jo Deputy", False),
                (seat, Outcome.APOLOGIES, "", True),
            ],
            actor=partnership_manager,
        )
    invitation.refresh_from_db()
    seat.refresh_from_db()
    january.refresh_from_db()
    assert (invitation.outcome, invitation.deputy_name) == (Outcome.ATTENDED, "Jo Deputy")
    assert (seat.outcome, seat.sent_information_in_advance) == (Outcome.APOLOGIES, True)
    assert january.status == MeetingStatus.HELD


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("outcome", "deputy", "in_advance", "message"),
    [
        (Outcome.APOLOGIES, "Jo Deputy", False, "deputy can be named only when they attended"),
        (Outcome.ABSENT, "Jo Deputy", False, "deputy can be named only when they attended"),
        (Outcome.ATTENDED, "", True, "Information in advance goes with apologies"),
        ("", "", True, "Information in advance goes with apologies"),
    ],
)
def test_deputies_go_with_attendance_and_information_in_advance_with_apologies(
    january, partner_user, partnership_manager, outcome, deputy, in_advance, message
):
    invitation = Attendance.objects.get(meeting=january, person=partner_user)
    with (
        time_machine.travel(datetime(2026, 1, 13, 12, 5, tzinfo=LONDON)),
        pytest.raises(ValidationError, match=message),
    ):
        services.record_attendance(
            meeting=january,
            entries=[(invitation, outcome, deputy, in_advance)],
            actor=partnership_manager,
        )
    invitation.refresh_from_db()
    assert invitation.outcome == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("outcome", "deputy", "in_advance"),
    [(Outcome.APOLOGIES, "Jo Deputy", False), (Outcome.ATTENDED, "", True)],
)
def test_the_database_refuses_inconsistent_attendance_too(
    january, partner_user, outcome, deputy, in_advance
):
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.filter(meeting=january, person=partner_user).update(
            outcome=outcome, deputy_name=deputy, sent_information_in_advance=in_advance
        )


@pytest.mark.django_db
def test_attendance_rates_per_agency_and_quarter_are_counted_over_held_meetings(
    marac, generate, partner_user, police, partnership_manager
):
    meetings = generate(marac, date(2026, 1, 1), date(2026, 6, 30))
    outcomes = [Outcome.ATTENDED, Outcome.APOLOGIES, Outcome.ATTENDED, Outcome.ABSENT]
    with time_machine.travel(datetime(2026, 7, 1, tzinfo=LONDON)):
        for meeting, outcome in zip(meetings, outcomes, strict=False):
            services.record_attendance(
                meeting=meeting,
                entries=[
                    (meeting.attendances.get(person=partner_user), outcome, "", False),
                    (meeting.attendances.get(agency=police), Outcome.ATTENDED, "", False),
                ],
                actor=partnership_manager,
            )
        # A cancelled meeting does not count against anyone.
        services.cancel_meeting(meeting=meetings[5], reason="", actor=partnership_manager)
        rows = selectors.attendance_rates(forum=marac, since=date(2026, 1, 1))

    by_key = {(row["agency_id"], row["period"].date()): row for row in rows}
    charity_q1 = by_key[(partner_user.agency_id, date(2026, 1, 1))]
    assert (charity_q1["recorded"], charity_q1["attended"], charity_q1["apologies"]) == (3, 2, 1)
    assert round(charity_q1["rate"]) == 67
    charity_q2 = by_key[(partner_user.agency_id, date(2026, 4, 1))]
    assert (charity_q2["recorded"], charity_q2["absent"], charity_q2["rate"]) == (1, 1, 0)
    assert by_key[(police.pk, date(2026, 1, 1))]["rate"] == 100
    summary = selectors.attendance_summary_for_agency(
        police, forums=Forum.objects.all(), since=date(2026, 1, 1)
    )
    assert [(row["meeting__forum__name"], row["recorded"]) for row in summary] == [
        ("Manchester MARAC", 3),
        ("Manchester MARAC", 1),
    ]
    assert list(selectors.forums_for_agency(police, user=partnership_manager)) == [marac]


@pytest.mark.django_db
def test_named_members_agencies_become_member_agencies(make_forum, police_officer, police):
    forum = make_forum(members=[police_officer])
    assert list(forum.member_agencies.all()) == [police]
    assert forum.discusses_cases is True
    assert timedelta(minutes=forum.schedule_duration_minutes) == timedelta(hours=2)

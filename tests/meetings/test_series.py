"""A forum's schedule becomes meetings at local wall-clock time, once, and one occurrence can be
moved or cancelled without disturbing the rest."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent, Verb
from meetings import services
from meetings.models import Attendance, Meeting, MeetingStatus, Refused, validate_rrule
from meetings.recurrence import describe

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")


def _local(meeting):
    return meeting.start.astimezone(LONDON)


@pytest.mark.django_db
def test_monthly_second_tuesday_series_stays_at_ten_local_across_both_clock_changes(
    marac, generate
):
    meetings = generate(marac, date(2026, 1, 1), date(2026, 12, 31))

    assert [_local(m).date() for m in meetings] == [
        date(2026, 1, 13),
        date(2026, 2, 10),
        date(2026, 3, 10),
        date(2026, 4, 14),
        date(2026, 5, 12),
        date(2026, 6, 9),
        date(2026, 7, 14),
        date(2026, 8, 11),
        date(2026, 9, 8),
        date(2026, 10, 13),
        date(2026, 11, 10),
        date(2026, 12, 8),
    ]
    assert {_local(m).time() for m in meetings} == {time(10, 0)}
    assert {_local(m).time() for m in Meeting.objects.all()} == {time(10, 0)}
    assert {(m.end - m.start) for m in meetings} == {timedelta(hours=2)}
    # In UTC the time shifts with British Summer Time, which is what keeps it at 10:00 locally.
    march = Meeting.objects.get(start__date=date(2026, 3, 10))
    april = Meeting.objects.get(start__date=date(2026, 4, 14))
    assert march.start.astimezone(UTC).hour == 10
    assert april.start.astimezone(UTC).hour == 9


@pytest.mark.django_db
def test_weekly_series_across_the_march_and_october_changes_stays_at_ten_local(
    make_forum, generate
):
    forum = make_forum(
        kind="operational-working-group",
        schedule_rrule="FREQ=WEEKLY;BYDAY=TH",
        schedule_starts_on=date(2026, 3, 1),
    )
    spring = generate(forum, date(2026, 3, 16), date(2026, 4, 10))
    autumn = generate(forum, date(2026, 10, 12), date(2026, 11, 6))

    spring_days = [_local(m).date() for m in spring]
    assert spring_days == [date(2026, 3, 19), date(2026, 3, 26), date(2026, 4, 2), date(2026, 4, 9)]
    autumn_days = [_local(m).date() for m in autumn]
    assert autumn_days == [
        date(2026, 10, 15),
        date(2026, 10, 22),
        date(2026, 10, 29),
        date(2026, 11, 5),
    ]
    for meeting in spring + autumn:
        assert _local(meeting).time() == time(10, 0)
        assert _local(meeting).replace(tzinfo=None).time() == time(10, 0)
    # Either side of 29 March and 25 October the UTC hour changes and the local one does not.
    utc_hours = [m.start.astimezone(UTC).hour for m in spring]
    assert utc_hours == [10, 10, 9, 9]
    utc_hours = [m.start.astimezone(UTC).hour for m in autumn]
    assert utc_hours == [9, 9, 10, 10]


@pytest.mark.django_db
def test_generating_the_same_period_twice_adds_nothing(marac, generate):
    first = generate(marac, date(2026, 1, 1), date(2026, 6, 30))
    again = generate(marac, date(2026, 1, 1), date(2026, 6, 30))
    overlapping = generate(marac, date(2026, 5, 1), date(2026, 8, 31))

    assert len(first) == 6
    assert again == []
    assert [_local(m).date() for m in overlapping] == [date(2026, 7, 14), date(2026, 8, 11)]
    assert Meeting.objects.filter(forum=marac).count() == 8


@pytest.mark.django_db
def test_generated_meetings_invite_named_members_and_give_other_agencies_a_seat(
    marac, generate, partner_user, police, idva_service, provider
):
    meeting = generate(marac, date(2026, 1, 1), date(2026, 1, 31))[0]

    invitations = Attendance.objects.filter(meeting=meeting)
    assert invitations.filter(person=partner_user, agency=partner_user.agency).exists()
    seats = set(invitations.filter(person__isnull=True).values_list("agency", flat=True))
    assert seats == {police.pk, idva_service.pk, provider.pk}


@pytest.mark.django_db
def test_moving_one_occurrence_keeps_its_original_start_and_leaves_the_series_alone(
    marac, generate, partnership_manager
):
    meetings = generate(marac, date(2026, 1, 1), date(2026, 4, 30))
    march = meetings[2]
    new_start = datetime(2026, 3, 12, 14, 0, tzinfo=LONDON)

    moved = services.reschedule_meeting(
        meeting=march,
        start=new_start,
        end=new_start + timedelta(hours=1),
        location="Online",
        online_url="https://meet.example.org/marac",
        actor=partnership_manager,
    )

    assert moved.start == new_start
    assert moved.original_start == datetime(2026, 3, 10, 10, 0, tzinfo=LONDON)
    assert moved.is_moved
    assert moved.sequence == 1
    assert moved.pk == march.pk
    others = Meeting.objects.exclude(pk=march.pk)
    assert {_local(m).time() for m in others} == {time(10, 0)}
    assert set(others.values_list("sequence", flat=True)) == {0}
    # Generating again does not put a meeting back on the old date.
    assert generate(marac, date(2026, 1, 1), date(2026, 4, 30)) == []
    assert not Meeting.objects.filter(start=datetime(2026, 3, 10, 10, 0, tzinfo=LONDON)).exists()
    event = AuditEvent.objects.filter(verb=Verb.CHANGED, object_id=str(march.pk)).get()
    assert set(event.changed_fields) == {"start", "end", "location", "online_url"}


@pytest.mark.django_db
def test_cancelling_one_occurrence_keeps_it_cancelled_when_the_series_is_generated_again(
    marac, generate, partnership_manager
):
    meetings = generate(marac, date(2026, 1, 1), date(2026, 3, 31))
    services.cancel_meeting(
        meeting=meetings[1], reason="Chair unavailable", actor=partnership_manager
    )

    generate(marac, date(2026, 1, 1), date(2026, 3, 31))

    statuses = list(Meeting.objects.order_by("start").values_list("status", "sequence"))
    assert statuses == [
        (MeetingStatus.SCHEDULED, 0),
        (MeetingStatus.CANCELLED, 1),
        (MeetingStatus.SCHEDULED, 0),
    ]


@pytest.mark.django_db
def test_a_cancelled_or_held_meeting_cannot_be_moved_or_cancelled_again(
    marac, generate, partnership_manager
):
    meeting = generate(marac, date(2026, 1, 1), date(2026, 1, 31))[0]
    services.cancel_meeting(meeting=meeting, reason="", actor=partnership_manager)
    with pytest.raises(Refused, match="already cancelled"):
        services.cancel_meeting(meeting=meeting, reason="", actor=partnership_manager)
    with pytest.raises(Refused, match="cancelled meeting cannot be changed"):
        services.reschedule_meeting(
            meeting=meeting,
            start=meeting.start,
            end=meeting.end + timedelta(hours=1),
            location="Elsewhere",
            online_url="",
            actor=partnership_manager,
        )


@pytest.mark.django_db
def test_a_single_extra_meeting_sits_beside_the_series(marac, generate, partnership_manager):
    generate(marac, date(2026, 1, 1), date(2026, 1, 31))
    start = datetime(2026, 1, 20, 9, 30, tzinfo=LONDON)
    extra = services.create_meeting(
        forum=marac,
        start=start,
        end=start + timedelta(hours=1),
        location="",
        online_url="https://meet.example.org/extra",
        title="Extraordinary MARAC",
        actor=partnership_manager,
    )
    assert extra.original_start is None
    assert not extra.is_from_series
    assert generate(marac, date(2026, 1, 1), date(2026, 1, 31)) == []
    assert Meeting.objects.filter(forum=marac).count() == 2


@pytest.mark.django_db
def test_a_forum_without_a_schedule_cannot_generate(make_forum, generate):
    forum = make_forum(schedule_rrule="", schedule_starts_on=None, schedule_time=None)
    with pytest.raises(Refused, match="no schedule"):
        generate(forum, date(2026, 1, 1), date(2026, 2, 1))


@pytest.mark.django_db
def test_generation_period_is_limited_to_two_years(marac, generate):
    with pytest.raises(Refused, match="two years"):
        generate(marac, date(2026, 1, 1), date(2029, 1, 1))


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=HOURLY",
        "FREQ=MONTHLY;BYHOUR=9",
        "FREQ=SOMETIMES",
        "not a rule",
        "FREQ=WEEKLY\nRDATE:20260101",
    ],
)
def test_unusable_recurrence_rules_are_refused(rule):
    with pytest.raises(ValidationError):
        validate_rrule(rule)


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=MONTHLY;BYDAY=2TU", "Monthly on the second Tuesday"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "Fortnightly on Wednesday"),
        ("FREQ=MONTHLY;INTERVAL=3;BYDAY=-1TH", "Every 3 months on the last Thursday"),
        ("FREQ=WEEKLY;BYDAY=MO,TH", "Weekly on Monday and Thursday"),
        ("FREQ=MONTHLY;BYSETPOS=1;BYDAY=MO", "FREQ=MONTHLY;BYSETPOS=1;BYDAY=MO"),
    ],
)
def test_common_schedules_are_described_in_words(rule, words):
    validate_rrule(rule)
    assert describe(rule) == words

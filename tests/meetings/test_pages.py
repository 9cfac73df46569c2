"""The forum, meeting and my-meetings pages: forms that speak GOV.UK, and query counts that do
not grow with the data."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import AgencyKind, Region
from core.roles import Role
from meetings import selectors, services
from meetings.calendars.schedule import LONDON
from meetings.models import Attendance, Forum, ForumKind, Meeting, MeetingStatus, Outcome
from tests.sample_files import PDF


@pytest.mark.django_db
def test_a_forum_is_set_up_with_its_kinds_level_and_case_discussion_unless_chosen(
    partnership_manager_client, police, partner_user
):
    north_west = Region.objects.get(code="E12000002")
    response = partnership_manager_client.post(
        reverse("meetings:forum-create"),
        {
            "name": "North West SMP Board",
            "kind": ForumKind.objects.get(code="smp-executive-board").pk,
            "level": "",
            "discusses_cases": "",
            "region": north_west.pk,
            "member_agencies": [police.pk],
            "members": [partner_user.pk],
            "terms_of_reference": "## Purpose\n\nCoordinate dispersal.",
            "schedule_pattern": "monthly",
            "schedule_months_apart": "3",
            "schedule_week_of_month": "1",
            "schedule_weekday": "WE",
            "schedule_end": "never",
            "schedule_starts_on": "2026-01-01",
            "schedule_time": "14:00",
            "schedule_duration_minutes": "90",
            "schedule_location": "",
            "schedule_online_url": "https://meet.example.org/smp",
            "organiser_email": "smp-board@example.org",
        },
    )
    assert response.status_code == 302, response.content.decode()
    forum = Forum.objects.get(name="North West SMP Board")
    assert (forum.level, forum.discusses_cases) == ("strategic", False)
    assert forum.schedule_rrule == "FREQ=MONTHLY;INTERVAL=3;BYDAY=1WE"
    assert set(forum.member_agencies.all()) == {police, partner_user.agency}
    page = partnership_manager_client.get(response["Location"]).content.decode()
    assert "Every 3 months on the first Wednesday" in page
    assert "<h2>Purpose</h2>" in page


@pytest.mark.django_db
def test_forum_form_errors_are_gov_uk_style_and_nothing_is_saved(partnership_manager_client):
    response = partnership_manager_client.post(
        reverse("meetings:forum-create"),
        {
            "name": "",
            "kind": "",
            "schedule_pattern": "monthly",
            "schedule_months_apart": "0",
            "schedule_end": "never",
            "schedule_online_url": "javascript:alert(1)",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    for message, field in [
        ("Enter the forum&#x27;s name", "id_name"),
        ("Choose the kind of forum", "id_kind"),
        ("Enter a number of months from 1 to 12", "id_schedule_months_apart"),
        ("Choose which one in the month, like the second", "id_schedule_week_of_month"),
        ("Enter a web address starting https://", "id_schedule_online_url"),
    ]:
        assert message in html
        assert f'href="#{field}"' in html
    assert not Forum.objects.exists()


@pytest.mark.django_db
def test_a_schedule_needs_its_start_time_duration_and_place(partnership_manager_client):
    response = partnership_manager_client.post(
        reverse("meetings:forum-create"),
        {
            "name": "Locality forum",
            "kind": ForumKind.objects.get(code="locality-forum").pk,
            "schedule_pattern": "monthly",
            "schedule_months_apart": "1",
            "schedule_week_of_month": "1",
            "schedule_weekday": "MO",
            "schedule_end": "never",
        },
    )
    html = response.content.decode()
    assert "Enter the date the series starts" in html
    assert "Enter the time meetings start" in html
    assert "Enter how long meetings last, in minutes" in html
    assert "Enter the usual place or an online joining link" in html


@pytest.mark.django_db
def test_meetings_are_generated_moved_and_cancelled_through_the_pages(
    partnership_manager_client, marac
):
    response = partnership_manager_client.post(
        reverse("meetings:meeting-generate", args=[marac.pk]),
        {"start_date": "2026-03-01", "end_date": "2026-05-31"},
    )
    assert response.status_code == 302
    _march, april, may = Meeting.objects.order_by("start")
    response = partnership_manager_client.post(
        reverse("meetings:meeting-edit", args=[april.pk]),
        {
            "date": "2026-04-16",
            "start_time": "13:00",
            "end_time": "15:00",
            "location": "Salford Civic Centre",
            "online_url": "",
        },
    )
    assert response.status_code == 302
    april.refresh_from_db()
    assert april.start == datetime(2026, 4, 16, 13, 0, tzinfo=LONDON)
    assert april.original_start == datetime(2026, 4, 14, 10, 0, tzinfo=LONDON)
    partnership_manager_client.post(
        reverse("meetings:meeting-cancel", args=[may.pk]), {"reason": "Bank holiday week"}
    )
    may.refresh_from_db()
    assert may.status == MeetingStatus.CANCELLED
    detail = partnership_manager_client.get(reverse("meetings:meeting-detail", args=[april.pk]))
    assert "Moved" in detail.content.decode()
    assert "Tuesday 14 April 2026, 10:00" in detail.content.decode()


@pytest.mark.django_db
def test_meeting_form_refuses_an_end_before_the_start_and_no_place(
    partnership_manager_client, marac
):
    response = partnership_manager_client.post(
        reverse("meetings:meeting-create", args=[marac.pk]),
        {"date": "2026-03-03", "start_time": "11:00", "end_time": "10:00", "location": ""},
    )
    html = response.content.decode()
    assert "The end time must be after the start time" in html
    assert "Enter a place or an online joining link" in html
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_attendance_is_recorded_on_one_page(
    partnership_manager_client, marac, generate, partner_user, police
):
    meeting = generate(marac, date(2026, 1, 1), date(2026, 1, 31))[0]
    invitation = Attendance.objects.get(meeting=meeting, person=partner_user)
    seat = Attendance.objects.get(meeting=meeting, agency=police)
    url = reverse("meetings:attendance-record", args=[meeting.pk])
    with time_machine.travel(datetime(2026, 1, 13, 12, 0, tzinfo=LONDON)):
        bad = partnership_manager_client.post(
            url,
            {
                f"attendance-{invitation.pk}-outcome": Outcome.ABSENT,
                f"attendance-{invitation.pk}-deputy_name": "Jo Deputy",
            },
        )
        assert "A deputy can be named only when they attended" in bad.content.decode()
        assert f'href="#id_attendance-{invitation.pk}-deputy_name"' in bad.content.decode()
        good = partnership_manager_client.post(
            url,
            {
                f"attendance-{invitation.pk}-outcome": Outcome.ATTENDED,
                f"attendance-{invitation.pk}-deputy_name": "Jo Deputy",
                f"attendance-{seat.pk}-outcome": Outcome.APOLOGIES,
                f"attendance-{seat.pk}-sent_information_in_advance": "on",
            },
        )
        assert good.status_code == 302
        # Read back while the session (which idles out after 30 minutes) is still current.
        page = partnership_manager_client.get(reverse("meetings:meeting-detail", args=[meeting.pk]))
    html = page.content.decode()
    assert "Jo Deputy attended as deputy for Pat Partner" in html
    assert "(sent information in advance)" in html


@pytest.mark.django_db
def test_agenda_items_are_added_and_reordered(partnership_manager_client, marac, generate):
    meeting = generate(marac, date(2026, 1, 1), date(2026, 1, 31))[0]
    for title in ("Introductions", "Actions from last meeting"):
        partnership_manager_client.post(
            reverse("meetings:agenda-item-create", args=[meeting.pk]), {"title": title}
        )
    second = meeting.agenda_items.get(title="Actions from last meeting")
    partnership_manager_client.post(
        reverse("meetings:agenda-item-move", args=[second.pk]), {"direction": "up"}
    )
    assert list(meeting.agenda_items.order_by("position").values_list("title", flat=True)) == [
        "Actions from last meeting",
        "Introductions",
    ]


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [("meetings:agenda-item-create", "Add an agenda item"), ("meetings:meeting-create", None)],
)
def test_a_form_with_a_title_field_keeps_its_text_box_out_of_the_page_heading(
    partnership_manager_client, marac, generate, url_name, heading
):
    meeting = generate(marac, date(2026, 1, 1), date(2026, 1, 31))[0]
    target = meeting if url_name == "meetings:agenda-item-create" else marac
    page = partnership_manager_client.get(reverse(url_name, args=[target.pk])).content.decode()
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    h1 = page.split('<h1 class="govuk-heading-l">', 1)[1].split("</h1>", 1)[0]
    assert "<input" not in title and "<input" not in h1
    assert h1.strip() and h1.strip() in title
    if heading:
        assert h1.strip() == heading
    # The title field is on the page once, as a field with its label.
    assert page.count('name="title"') == 1


# Query counts -------------------------------------------------------------------------------


def _extra_meetings(marac, partnership_manager, *, scale: int) -> list[Meeting]:
    """`scale` single meetings in the week of 12 January 2026 and `scale` more later that
    month, so the month and week views have more to show at every scale."""
    starts = [datetime(2026, 1, 12 + n % 5, 8 + n // 5, 0, tzinfo=LONDON) for n in range(scale)]
    starts += [datetime(2026, 1, 20 + n % 8, 8 + n // 8, 30, tzinfo=LONDON) for n in range(scale)]
    return [
        services.create_meeting(
            forum=marac,
            title=f"Extra meeting {start:%d %H:%M}",
            start=start,
            end=start + timedelta(minutes=30),
            location="Extra room",
            online_url="",
            actor=partnership_manager,
        )
        for start in starts
    ]


def _fill(marac, generate, partnership_manager, make_user, make_agency, *, scale: int):
    """Agencies, members, a year of meetings (and more in January 2026) with invitations,
    agenda, papers, minutes and actions: `scale` multiplies everything."""
    agencies = [make_agency(kind=AgencyKind.NGO) for _ in range(3 * scale)]
    people = [make_user(Role.PARTNER, agency=agency) for agency in agencies]
    marac.member_agencies.add(*agencies)
    marac.members.add(*people)
    meetings = generate(marac, date(2026, 1, 1), date(2026, 1, 1) + timedelta(days=31 * scale))
    extra = _extra_meetings(marac, partnership_manager, scale=scale)
    with time_machine.travel(datetime(2026, 12, 31, tzinfo=LONDON)):
        for meeting in meetings + extra:
            for position in range(scale):
                item = services.add_agenda_item(
                    meeting=meeting,
                    title=f"Item {position}",
                    presenter=people[position],
                    actor=partnership_manager,
                )
                services.add_paper(
                    item=item,
                    uploaded=SimpleUploadedFile("paper.pdf", PDF),
                    actor=partnership_manager,
                )
                services.create_action(
                    meeting=meeting,
                    agenda_item=item,
                    description="Follow up",
                    owner=people[position],
                    due_on=date(2026, 3, 1),
                    actor=partnership_manager,
                )
            services.record_attendance(
                meeting=meeting,
                entries=[
                    (attendance, Outcome.ATTENDED, "", False)
                    for attendance in meeting.attendances.all()
                ],
                actor=partnership_manager,
            )
            minutes = services.write_minutes(
                meeting=meeting, body="Notes", actor=partnership_manager
            )
            services.circulate_minutes(minutes=minutes, actor=partnership_manager)
    return meetings


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
def test_forum_meeting_and_my_meetings_pages_run_a_fixed_number_of_queries(
    marac,
    generate,
    partnership_manager,
    partner_user,
    make_user,
    make_agency,
    partnership_manager_client,
    partner_client,
    police,
    django_assert_max_num_queries,
):
    small = _fill(marac, generate, partnership_manager, make_user, make_agency, scale=1)
    pages = [
        (partnership_manager_client, reverse("meetings:forum-detail", args=[marac.pk])),
        (partnership_manager_client, reverse("meetings:forum-list")),
        (partnership_manager_client, reverse("meetings:meeting-detail", args=[small[-1].pk])),
        (partner_client, reverse("meetings:meeting-detail", args=[small[-1].pk])),
        (partner_client, reverse("meetings:forum-detail", args=[marac.pk])),
        (partner_client, reverse("meetings:meeting-mine") + "?month=2026-01"),
        (partner_client, reverse("meetings:meeting-mine") + "?view=week&date=2026-01-13"),
        (partnership_manager_client, reverse("meetings:action-mine")),
        (partnership_manager_client, reverse("meetings:forum-overdue-actions", args=[marac.pk])),
        (partnership_manager_client, reverse("agencies:agency-detail", args=[police.pk])),
        (partner_client, reverse("agencies:agency-detail", args=[partner_user.agency_id])),
    ]
    budgets = [_queries(client, url) for client, url in pages]

    large = _fill(marac, generate, partnership_manager, make_user, make_agency, scale=8)
    pages[2] = (partnership_manager_client, reverse("meetings:meeting-detail", args=[large[-1].pk]))
    pages[3] = (partner_client, reverse("meetings:meeting-detail", args=[large[-1].pk]))
    assert Attendance.objects.count() > 250
    week = selectors.my_meetings_between(partner_user, date(2026, 1, 12), date(2026, 1, 18))
    month = selectors.my_meetings_between(partner_user, date(2026, 1, 1), date(2026, 1, 31))
    assert (len(week), len(month)) == (1 + 1 + 8, 1 + 2 + 16)
    assert all(meeting.agenda_items.exists() for meeting in month)
    for (client, url), budget in zip(pages, budgets, strict=True):
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200, url
    assert max(budgets) <= 25


@pytest.mark.django_db
def test_month_view_is_weeks_from_monday_with_each_meeting_on_its_local_day(
    marac, generate, partner_user
):
    generate(marac, date(2026, 3, 1), date(2026, 4, 30))
    weeks = selectors.my_month(partner_user, 2026, 4)
    assert weeks[0][0].day == date(2026, 3, 30)
    assert weeks[-1][-1].day == date(2026, 5, 3)
    with_meetings = [(cell.day, cell.in_month) for week in weeks for cell in week if cell.meetings]
    assert with_meetings == [(date(2026, 4, 14), True)]


@pytest.mark.django_db
def test_level_and_case_discussion_can_be_changed_from_the_kinds_defaults(
    partnership_manager_client, marac, police, partner_user
):
    response = partnership_manager_client.post(
        reverse("meetings:forum-edit", args=[marac.pk]),
        {
            "name": "Manchester MARAC",
            "kind": marac.kind_id,
            "level": "tactical",
            "discusses_cases": "no",
            "member_agencies": [police.pk],
            "members": [partner_user.pk],
            "schedule_pattern": "monthly",
            "schedule_months_apart": "1",
            "schedule_week_of_month": "2",
            "schedule_weekday": "TU",
            "schedule_end": "never",
            "schedule_starts_on": "2026-01-01",
            "schedule_time": "10:00",
            "schedule_duration_minutes": "120",
            "schedule_location": marac.schedule_location,
            "organiser_email": "marac@example.org",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    marac.refresh_from_db()
    assert (marac.level, marac.discusses_cases) == ("tactical", False)
    form_page = partnership_manager_client.get(reverse("meetings:forum-edit", args=[marac.pk]))
    assert '<option value="no" selected>' in form_page.content.decode()


@pytest.mark.django_db
def test_the_meetings_of_someone_who_sees_every_meeting_are_those_they_are_invited_to_belong_to_or_chair(
    make_forum, partnership_manager, make_user, provider
):
    colleague = make_user(Role.PARTNERSHIP_MANAGER)
    belongs = make_forum(name="Belongs", member_agencies=[provider], members=[partnership_manager])
    chaired = make_forum(name="Chaired", member_agencies=[provider], chair=partnership_manager)
    invited_once = make_forum(name="Invited once", member_agencies=[provider])
    elsewhere = make_forum(name="Elsewhere", member_agencies=[provider], members=[colleague])
    first_day = timezone.localdate() + timedelta(days=30)

    def meeting_of(forum, day):
        start = datetime.combine(first_day + timedelta(days=day), datetime.min.time(), LONDON)
        return services.create_meeting(
            forum=forum, start=start + timedelta(hours=10), end=start + timedelta(hours=11),
            location="Town Hall", online_url="", actor=partnership_manager,
        )  # fmt: skip

    def take_off(meeting):
        services.remove_invitation(
            attendance=meeting.attendances.get(person=partnership_manager),
            actor=partnership_manager,
        )

    # Members and chairs are invited to each meeting; these two are theirs without it.
    as_member, as_chair = meeting_of(belongs, 0), meeting_of(chaired, 1)
    take_off(as_member)
    take_off(as_chair)
    invited = meeting_of(invited_once, 2)
    services.invite(meeting=invited, agency=provider, person=partnership_manager,
                    actor=partnership_manager)  # fmt: skip
    meeting_of(invited_once, 3)
    meeting_of(elsewhere, 4)
    member_and_invited = meeting_of(belongs, 5)

    mine = selectors.my_meetings_between(partnership_manager, first_day, first_day + timedelta(6))

    assert mine == [as_member, as_chair, invited, member_and_invited]

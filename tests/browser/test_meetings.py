"""A partnership manager runs a forum end to end in real Chromium: sets it up with a monthly
schedule built from plain choices, generates meetings, records attendance, writes and approves minutes, adds an action;
and hostile minutes stay inert in the browser."""

from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone

from agencies.models import AgencyKind
from core.roles import Role
from meetings import services
from meetings.models import Forum, ForumKind, Meeting, MinutesStatus
from tests.factories import TEST_PASSWORD
from tests.meetings.hostile_markdown import HOSTILE_INPUTS
from tests.totp import current_code

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"


def _sign_in(browser_page, person):
    Authenticator.objects.create(user=person, type=Authenticator.Type.TOTP, data={"secret": SECRET})
    page = browser_page.page
    browser_page.visit("/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(current_code(SECRET))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(browser_page.base_url + "/")


@pytest.mark.django_db(transaction=True)
def test_forum_with_monthly_schedule_to_approved_minutes_and_an_action(
    browser_page, make_user, make_agency
):
    manager = make_user(Role.PARTNERSHIP_MANAGER, mfa=False, full_name="Priya Partnerships")
    police = make_agency("Greater Manchester Police", kind=AgencyKind.POLICE)
    idva = make_user(
        Role.PARTNER, agency=make_agency("Safe Futures IDVA Service"), full_name="Ivy Advocate"
    )
    page = browser_page.page
    _sign_in(browser_page, manager)
    today = timezone.localdate()

    page.get_by_role("link", name="Forums").first.click()
    page.get_by_role("button", name="Set up a forum").click()
    browser_page.check()
    page.get_by_label("Name").fill("Salford MARAC")
    page.get_by_label("Kind").select_option(label="MARAC (multi-agency risk assessment conference)")
    members = page.get_by_role("group", name="Member agencies")
    members.get_by_label("Find agencies").fill("manchester police")
    members.get_by_label("Greater Manchester Police").check()
    named = page.get_by_role("group", name="Named members")
    named.get_by_label("Find people").fill("ivy")
    named.get_by_label("Ivy Advocate, Safe Futures IDVA Service").check()
    # The schedule is built from plain choices: no rule is typed.
    assert page.get_by_label("Recurrence rule").count() == 0
    assert not page.get_by_label("Which one in the month?").is_visible()
    page.get_by_label("Every month, or every few months, on one weekday").check()
    assert page.get_by_label("Every how many months?").input_value() == "1"
    assert not page.get_by_label("Every how many weeks?").is_visible()
    page.get_by_label("Which one in the month?").select_option(label="Second")
    page.get_by_label("Which day of the week?").select_option(label="Tuesday")
    browser_page.fill_date("Series starts on", today - timedelta(days=400))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Duration in minutes").fill("120")
    page.get_by_label("Usual place").fill("Salford Civic Centre, Room 1")
    page.get_by_label("Organiser mailbox").fill("salford-marac@example.org")
    page.get_by_role("button", name="Preview the next 12 meetings").click()
    assert page.locator("#schedule-preview tbody tr").first.inner_text().startswith("Tuesday")
    browser_page.check()
    page.get_by_role("button", name="Save forum").click()
    page.get_by_text("Salford MARAC is set up").wait_for()
    assert page.get_by_text("Monthly on the second Tuesday").is_visible()
    browser_page.check()

    page.get_by_role("button", name="Generate meetings").click()
    browser_page.fill_date("From", today - timedelta(days=70))
    browser_page.fill_date("To", today + timedelta(days=60))
    browser_page.check()
    page.get_by_role("button", name="Generate meetings").click()
    page.get_by_text("meetings added to Salford MARAC").wait_for()
    forum = Forum.objects.get(name="Salford MARAC")
    assert Meeting.objects.filter(forum=forum).count() >= 3
    browser_page.screenshot("meetings-forum-page")

    past = Meeting.objects.filter(forum=forum, start__lt=timezone.now()).order_by("-start").first()
    browser_page.visit(f"/meetings/{past.pk}/")
    page.get_by_role("button", name="Record attendance").click()
    browser_page.check()
    page.get_by_role(
        "group", name="Attendance: Ivy Advocate (Safe Futures IDVA Service)"
    ).get_by_label("Attended").check()
    police_group = page.get_by_role("group", name=f"Attendance: {police.name} (seat)")
    police_group.get_by_label("Apologies").check()
    page.get_by_label(f"{police.name} sent their information in advance").check()
    page.get_by_role("button", name="Save attendance").click()
    page.get_by_text("Attendance recorded").wait_for()
    assert page.get_by_text("(sent information in advance)").is_visible()

    page.get_by_role("link", name="Write the minutes").click()
    page.get_by_label("Minutes").fill(
        "## Decisions\n\n- **Police** to share the incident log\n- Next review in *four weeks*"
    )
    browser_page.check()
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Circulate minutes").click()
    page.get_by_text("Minutes circulated").wait_for()
    page.get_by_role("button", name="Approve minutes").click()
    page.get_by_text("Minutes approved and locked").wait_for()
    assert page.get_by_role("heading", name="Decisions").is_visible()
    assert page.get_by_role("button", name="Record a correction").is_visible()
    assert past.minutes_versions.get().status == MinutesStatus.APPROVED
    browser_page.check()

    page.get_by_role("link", name="Add an action").last.click()
    page.get_by_label("Action").fill("Share the incident log with the IDVA service")
    browser_page.choose("Owner (optional)", "Ivy Advocate, Safe Futures IDVA Service", typing="ivy")
    browser_page.fill_date("Due date", today + timedelta(days=14))
    browser_page.check()
    page.get_by_role("button", name="Add action").click()
    page.get_by_text("Action added").wait_for()
    assert page.get_by_role(
        "link", name="Share the incident log with the IDVA service"
    ).is_visible()
    browser_page.check()
    browser_page.screenshot("meetings-meeting-page")
    assert idva.meeting_actions.count() == 1

    browser_page.visit("/meetings/mine/")
    browser_page.visit("/meetings/mine/?view=week")
    browser_page.visit("/actions/mine/")


@pytest.mark.django_db(transaction=True)
def test_hostile_minutes_run_nothing_in_a_real_browser(browser_page, make_user):
    manager = make_user(Role.PARTNERSHIP_MANAGER, mfa=False)
    kind = ForumKind.objects.get(code="marac")
    forum = services.save_forum(
        forum=Forum(
            name="Hostile MARAC", kind=kind, level=kind.default_level, discusses_cases=True
        ),
        member_agencies=[],
        members=[],
        actor=manager,
    )
    start = timezone.now() - timedelta(days=1)
    meeting = services.create_meeting(
        forum=forum,
        start=start,
        end=start + timedelta(hours=1),
        location="Room 1",
        online_url="",
        actor=manager,
    )
    services.write_minutes(meeting=meeting, body="\n\n".join(HOSTILE_INPUTS), actor=manager)
    dialogs = []
    page = browser_page.page
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _sign_in(browser_page, manager)

    browser_page.visit(f"/meetings/{meeting.pk}/")
    for link in page.locator(".govuk-inset-text a").all():
        link.hover()
    page.wait_for_timeout(500)
    assert dialogs == []
    hrefs = page.locator(".govuk-inset-text a").evaluate_all("links => links.map(a => a.href)")
    assert all(href.startswith(("http://", "https://", "mailto:")) for href in hrefs), hrefs

"""In real Chromium: a partnership manager previews a schedule across a clock change, sees the
invitations page and a meeting's deputy and withdraw links, and a partner sets up their
calendar subscription address. Every page passes axe-core and the strict CSP."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from agencies.models import AgencyKind
from core.roles import Role
from meetings import services
from meetings.models import Forum, ForumKind


@pytest.mark.django_db(transaction=True)
def test_schedule_preview_invitations_page_and_my_calendar(
    browser_page, make_user, make_agency, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    manager = make_user(Role.PARTNERSHIP_MANAGER, full_name="Priya Partnerships")
    police = make_agency("Greater Manchester Police", kind=AgencyKind.POLICE)
    partner = make_user(Role.PARTNER, agency=police, full_name="Dana Police")
    page = browser_page.page

    browser_page.sign_in(manager)
    browser_page.visit("/forums/new/")
    page.get_by_label("Name").fill("Trafford MARAC")
    page.get_by_label("Kind").select_option(label="MARAC (multi-agency risk assessment conference)")
    page.get_by_label("Every week, or every few weeks").check()
    page.get_by_label("Thursday", exact=True).check()
    browser_page.fill_date("Series starts on", date(2026, 3, 1))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Duration in minutes").fill("90")
    page.get_by_label("Usual place").fill("Trafford Town Hall")
    page.get_by_role("button", name="Preview the next 12 meetings").click()
    browser_page.check()
    assert page.get_by_role("table").first.is_visible()
    assert not Forum.objects.filter(name="Trafford MARAC").exists()
    browser_page.screenshot("calendars-schedule-preview")

    kind = ForumKind.objects.get(code="marac")
    forum = services.save_forum(
        forum=Forum(
            name="Salford MARAC",
            kind=kind,
            level=kind.default_level,
            discusses_cases=True,
            schedule_rrule="FREQ=WEEKLY;BYDAY=TH",
            schedule_starts_on=timezone.localdate(),
            schedule_time=timezone.datetime(2000, 1, 1, 10, 0).time(),
            schedule_duration_minutes=90,
            schedule_location="Salford Civic Centre",
            organiser_email="marac@salford.example",
        ),
        member_agencies=[police],
        members=[partner],
        actor=manager,
    )
    meetings = services.schedule_series(
        forum=forum,
        start_date=timezone.localdate() + timedelta(days=1),
        end_date=timezone.localdate() + timedelta(days=60),
        actor=manager,
    )
    browser_page.visit(f"/forums/{forum.pk}/invitations/")
    browser_page.visit(f"/meetings/{meetings[0].pk}/")
    assert page.get_by_role("link", name="Send a deputy for Dana Police").is_visible()

    browser_page.sign_in(partner)
    browser_page.visit("/calendar/")
    page.get_by_role("button", name="Create my calendar address").click()
    browser_page.check()
    assert "/calendar/" in page.locator("#feed-url").inner_text()
    browser_page.screenshot("calendars-my-calendar")

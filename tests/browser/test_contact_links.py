"""In real Chromium: a partnership manager invites an agency's directory contact, who has no
Partnerhub account, from the meeting page; the contact opens the link in the invitation from
the test mailbox, without signing in, and accepts. Every page passes axe-core and the CSP."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from agencies.models import AgencyKind
from core.roles import Role
from meetings import services
from meetings.models import Attendance, Forum, ForumKind, Response
from tests.factories import ContactFactory


@pytest.mark.django_db(transaction=True)
def test_a_contact_who_is_not_a_user_is_invited_and_accepts_through_their_link(
    browser_page, make_user, make_agency, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    manager = make_user(Role.PARTNERSHIP_MANAGER, full_name="Priya Partnerships")
    police = make_agency("Greater Manchester Police", kind=AgencyKind.POLICE)
    ContactFactory(agency=police, full_name="Phone Only", email="", phone="0161 000 0000")
    ContactFactory(agency=police, full_name="Sam Contact", email="sam.contact@police.example")
    kind = ForumKind.objects.get(code="marac")
    forum = services.save_forum(
        forum=Forum(
            name="Salford MARAC",
            kind=kind,
            level=kind.default_level,
            discusses_cases=True,
            organiser_email="marac@salford.example",
        ),
        member_agencies=[police],
        members=[],
        actor=manager,
    )
    start = timezone.now() + timedelta(days=7)
    meeting = services.create_meeting(
        forum=forum,
        start=start,
        end=start + timedelta(hours=1),
        location="Salford Civic Centre",
        online_url="",
        actor=manager,
    )
    page = browser_page.page

    browser_page.sign_in(manager)
    browser_page.visit(f"/meetings/{meeting.pk}/invite/")
    offered = page.locator("select[name=contact] option").all_text_contents()
    assert any("no e-mail address, so cannot be invited" in label for label in offered)
    browser_page.choose("Agency", "Greater Manchester Police", typing="police")
    browser_page.choose(
        "Or a contact from the directory (optional)",
        "Sam Contact, Greater Manchester Police",
        typing="sam",
    )
    page.get_by_role("button", name="Invite").click()
    browser_page.check()
    assert page.get_by_text("Directory contact: answers through their own link").is_visible()

    (invitation,) = [m for m in mail.outbox if "sam.contact@police.example" in m.to[0]]
    link = re.search(r"https?://\S+/invitations/\S+/", invitation.body).group(0)
    page.context.clear_cookies()
    browser_page.visit(urlsplit(link).path)
    assert page.get_by_role("heading", name="Answer the invitation").is_visible()
    page.get_by_label("Yes, I will attend").check()
    page.get_by_role("button", name="Send my answer").click()
    browser_page.check()
    assert page.get_by_text("Your answer is recorded").is_visible()
    attendance = Attendance.objects.get(meeting=meeting, contact__full_name="Sam Contact")
    assert attendance.response == Response.ACCEPTED
    assert page.get_by_label("Yes, I will attend").is_checked()
    browser_page.screenshot("meetings-contact-invitation")

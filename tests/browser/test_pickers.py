"""Long lists of agencies and people: checkboxes filter as you type on the new-forum page, and
a select becomes an autocomplete that finds an agency by part of its name. And a meeting page
prints as an agenda and minutes, without the service's furniture."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agencies.models import Agency
from meetings.models import Forum
from meetings.services import add_agenda_item, write_minutes
from tests.factories import AgencyFactory, ForumFactory, MeetingFactory


@pytest.mark.django_db(transaction=True)
def test_a_partnership_manager_finds_agencies_by_typing_part_of_their_name(
    browser_page, partnership_manager
):
    for number in range(40):
        AgencyFactory(name=f"Borough Service {number:02d}")
    AgencyFactory(name="Salford Women's Aid")
    AgencyFactory(name="Salford City Council Adult Social Care")
    browser_page.sign_in(partnership_manager)
    browser_page.visit("/forums/new/")
    page = browser_page.page
    members = page.get_by_role("group", name="Member agencies")

    status = members.locator(".partnerhub-filter__status")
    # Nothing chosen yet, so nothing is listed: the page stays short.
    assert status.inner_text().startswith("0 chosen; 0 of ")
    members.get_by_label("Find agencies").fill("salford")
    assert status.inner_text().startswith("0 chosen; 2 of ")
    assert members.get_by_label("Borough Service 07").is_hidden()
    members.get_by_label("Salford Women's Aid").check()
    members.get_by_label("Find agencies").fill("borough service 07")
    members.get_by_label("Borough Service 07").check()
    members.get_by_label("Find agencies").fill("")
    assert status.inner_text().startswith("2 chosen; 2 of ")
    # Every agency can still be listed and browsed.
    members.get_by_role("button", name="List all").click()
    assert members.get_by_label("Borough Service 12").is_visible()
    browser_page.check()
    browser_page.screenshot("forum-agency-filter")

    page.get_by_label("Name").fill("Salford Partners Forum")
    page.get_by_label("Kind").select_option(index=1)
    page.get_by_label("It has no regular schedule").check()
    page.get_by_role("button", name="Save forum").click()
    page.get_by_text("Salford Partners Forum is set up").wait_for()
    forum = Forum.objects.get(name="Salford Partners Forum")
    assert sorted(forum.member_agencies.values_list("name", flat=True)) == [
        "Borough Service 07",
        "Salford Women's Aid",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_partnership_manager_invites_an_agency_found_by_typing_and_picked_with_the_keyboard(
    browser_page, partnership_manager
):
    meeting = MeetingFactory(
        forum=ForumFactory(actor=partnership_manager), actor=partnership_manager
    )
    # Agencies that joined the forum after the meeting was set up, so none has a seat yet.
    meeting.forum.member_agencies.add(
        *[AgencyFactory(name=f"Borough Service {number:02d}") for number in range(40)],
        AgencyFactory(name="Salford City Council Adult Social Care"),
        AgencyFactory(name="Salford Women's Aid"),
    )
    browser_page.sign_in(partnership_manager)
    browser_page.visit(f"/meetings/{meeting.pk}/invite/")
    page = browser_page.page
    agency = page.get_by_role("combobox", name="Agency", exact=True)
    # The select the form sends is still there, hidden behind the box.
    assert page.locator('select[name="agency"]').is_hidden()

    # Sent with nothing chosen, the refusal is at the field and describes the box.
    page.get_by_role("button", name="Invite").click()
    page.get_by_text("There is a problem").wait_for()
    assert "Choose the agency" in page.locator("#id_agency-error").inner_text()
    assert "id_agency-error" in agency.get_attribute("aria-describedby")
    page.get_by_role("link", name="Choose the agency").click()
    assert agency.evaluate("element => element === document.activeElement")

    agency.fill("salf")
    assert page.get_by_role("option").all_inner_texts() == [
        "Salford City Council Adult Social Care",
        "Salford Women's Aid",
    ]
    browser_page.check()
    browser_page.screenshot("invite-agency-autocomplete-open")
    browser_page.choose("Agency", "Salford Women's Aid", typing="salf")
    assert page.locator('select[name="agency"]').input_value() == str(
        Agency.objects.get(name="Salford Women's Aid").pk
    )
    browser_page.check()
    browser_page.screenshot("invite-agency-autocomplete")
    page.get_by_role("button", name="Invite").click()
    page.get_by_text("Invitation added").wait_for()
    invited = meeting.attendances.filter(person=None).values_list("agency__name", flat=True)
    assert list(invited) == ["Salford Women's Aid"]


@pytest.mark.django_db(transaction=True)
def test_a_meeting_page_prints_its_agenda_and_minutes_without_the_service_around_them(
    browser_page, partnership_manager
):
    meeting = MeetingFactory(
        forum=ForumFactory(
            terms_of_reference="The board meets to agree housing pathways.",
            actor=partnership_manager,
        ),
        start=timezone.now() - timedelta(days=2),
        end=timezone.now() - timedelta(days=2) + timedelta(hours=2),
        online_url="https://meet.example.org/board",
        actor=partnership_manager,
    )
    add_agenda_item(
        meeting=meeting,
        title="Housing pathway for survivors",
        description="Agree the pathway.",
        actor=partnership_manager,
    )
    write_minutes(
        meeting=meeting, body="The board agreed the housing pathway.", actor=partnership_manager
    )
    browser_page.sign_in(partnership_manager)
    browser_page.visit(f"/meetings/{meeting.pk}/")
    page = browser_page.page
    page.keyboard.press("Tab")  # the skip link shows when focused
    furniture = {
        "the skip link": page.get_by_role("link", name="Skip to main content"),
        "the service's menu": page.get_by_role("navigation", name="Menu"),
        "the header": page.get_by_role("banner"),
        "the footer": page.get_by_role("contentinfo"),
        "the page's contents": page.get_by_role("navigation", name="On this page"),
        "the back link": page.get_by_role("link", name=f"Back to {meeting.forum.name}"),
        "a button": page.get_by_role("button", name="Change the minutes"),
        "a form": page.get_by_role("button", name="Circulate minutes"),
        "a link to change the page": page.get_by_role("link", name="Add an agenda item"),
        "a link to invite": page.get_by_role("link", name="Invite someone"),
    }
    assert [name for name, part in furniture.items() if not part.is_visible()] == []

    page.emulate_media(media="print")
    assert [name for name, part in furniture.items() if part.is_visible()] == []
    assert page.get_by_role("heading", name="Housing pathway for survivors").is_visible()
    assert page.get_by_text("The board agreed the housing pathway.").is_visible()
    # GOV.UK Frontend would write the address out after the link on paper.
    online = page.get_by_role("link", name="Join online")
    assert online.evaluate("link => getComputedStyle(link, '::after').content") == "none"
    agenda_item = page.locator("#agenda + ol > li").first
    assert agenda_item.evaluate("item => getComputedStyle(item).breakInside") == "avoid"
    browser_page.screenshot("meeting-printed")

    # What a "details" toggle folds away on screen is printed open.
    page.emulate_media(media="screen")
    browser_page.visit(f"/forums/{meeting.forum_id}/")
    terms = page.get_by_text("The board meets to agree housing pathways.")
    assert terms.is_hidden()
    page.emulate_media(media="print")
    assert terms.is_visible()

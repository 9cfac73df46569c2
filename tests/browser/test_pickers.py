"""A long list of agencies filters as you type on the new-forum page, and what is ticked is
saved whether or not it was showing when the form was sent."""

import pytest

from meetings.models import Forum
from tests.factories import AgencyFactory


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

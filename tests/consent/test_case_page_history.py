"""A case shared many times over the years keeps a page that costs what a quiet one does: it shows
the latest disclosures and events, says how many there are, and sends the reader to the
disclosure log, filtered to the case, for the rest."""

import re

import pytest

from sharing.models import DataCategory, DisclosureMethod, Purpose, Referral, ReferralKind
from sharing.selectors import CASE_PAGE_LATEST, CASE_PAGE_REFERRALS
from sharing.services import create_referral, disclose
from sharing.views.disclosures import DISCLOSURES_PER_PAGE


def _share(case, recipient, officer, decision, times):
    for number in range(times):
        disclose(
            case=case,
            recipient=recipient,
            purpose=Purpose.SAFEGUARDING_REFERRAL,
            categories=[DataCategory.IDENTITY],
            content=f"Release {number}",
            method=DisclosureMethod.PHONE,
            record_of_decision=decision(),
            actor=officer,
        )


def _case_page(client, case, django_assert_max_num_queries):
    with django_assert_max_num_queries(40) as captured:
        response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    return response, len(captured.captured_queries)


@pytest.mark.django_db
def test_a_case_with_more_disclosures_than_the_page_shows_lists_the_latest_and_links_to_the_rest(
    case, police, officer, officer_client, make_consent, decision, django_assert_max_num_queries
):
    make_consent(case, [police])
    _share(case, police, officer, decision, CASE_PAGE_LATEST + 5)
    response, _ = _case_page(officer_client, case, django_assert_max_num_queries)
    page = response.content.decode()
    total = CASE_PAGE_LATEST + 5
    assert f"These are the latest 20 of {total} disclosures about this case." in page
    assert f"/disclosures/?case={case.reference}" in page
    assert len(re.findall(r'href="/disclosures/\d+/"', page)) == 20
    timeline = response.context["timeline"]
    assert len(timeline) == CASE_PAGE_LATEST
    assert response.context["timeline_is_cut"]
    # The latest are shown, newest first: the last release is at the top.
    assert timeline == sorted(timeline, key=lambda entry: entry.at, reverse=True)
    latest = case.disclosures.order_by("-disclosed_at", "-pk").first()
    assert response.context["consent"]["disclosures"][0] == latest


@pytest.mark.django_db
def test_a_case_page_costs_the_same_queries_with_five_disclosures_or_sixty(
    make_case,
    police,
    officer,
    officer_client,
    make_consent,
    decision,
    django_assert_max_num_queries,
):
    quiet, busy = make_case(), make_case()
    for case, times in ((quiet, 5), (busy, 60)):
        make_consent(case, [police])
        _share(case, police, officer, decision, times)
    quiet_response, quiet_count = _case_page(officer_client, quiet, django_assert_max_num_queries)
    busy_response, busy_count = _case_page(officer_client, busy, django_assert_max_num_queries)
    assert busy_count == quiet_count
    assert not quiet_response.context["timeline_is_cut"]
    assert "These are the latest" not in quiet_response.content.decode()
    assert len(busy_response.context["consent"]["disclosures"]) == CASE_PAGE_LATEST


@pytest.mark.django_db
def test_who_received_what_shows_a_page_at_a_time_and_its_copies_hold_every_release(
    case, police, officer, officer_client, make_consent, decision
):
    make_consent(case, [police])
    _share(case, police, officer, decision, DISCLOSURES_PER_PAGE + 3)
    url = f"/cases/{case.pk}/recipients/"
    first = officer_client.get(url)
    assert len(first.context["disclosures"]) == DISCLOSURES_PER_PAGE
    assert f"{DISCLOSURES_PER_PAGE + 3} releases, oldest first" in first.content.decode()
    assert len(officer_client.get(url + "?page=2").context["disclosures"]) == 3
    printed = officer_client.get(url + "?format=print").content.decode()
    assert printed.count("Greater Manchester Police") == DISCLOSURES_PER_PAGE + 3
    exported = b"".join(officer_client.get(url + "?format=csv").streaming_content).decode()
    assert len(exported.strip().splitlines()) == DISCLOSURES_PER_PAGE + 3 + 1


@pytest.mark.django_db
def test_a_case_with_more_referrals_than_its_page_lists_links_to_them_all(
    case, officer, officer_client, make_agency, django_assert_max_num_queries
):
    kind = ReferralKind.objects.exclude(code="marac").first()
    agency = make_agency()
    for number in range(CASE_PAGE_REFERRALS + 5):
        create_referral(
            referral=Referral(case=case, agency=agency, kind=kind, reason=f"Reason {number}"),
            indicators=[],
            actor=officer,
        )
    response, _ = _case_page(officer_client, case, django_assert_max_num_queries)
    page = response.content.decode()
    total = CASE_PAGE_REFERRALS + 5
    assert f"These are the latest {CASE_PAGE_REFERRALS} of {total} referrals." in page
    assert page.count(">Withdraw<") == CASE_PAGE_REFERRALS
    every = officer_client.get(f"/cases/{case.pk}/referrals/").content.decode()
    assert f"{total} referrals, newest first" in every
    assert every.count(">Withdraw<") == total

"""The referral page narrows what it offers and says what consent covers before anything is
filled in (issue 24, items 4 and 5): agencies serving the person's area first, the chosen
agency's contacts only, and for the chosen agency and kind whether current consent covers the
referral, with the consent request one click away and filled in when it does not."""

import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import Contact, LocalAuthority
from sharing import services
from sharing.models import DataCategory, Purpose, Referral, ReferralKind
from tests.factories import ConsentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere():
    return LocalAuthority.objects.exclude(code="E08000003").order_by("code").first()


@pytest.fixture
def local_charity(make_agency, case):
    charity = make_agency("Manchester Refuge Trust")
    charity.local_authorities.add(case.local_authority)
    return charity


@pytest.fixture
def distant_charity(make_agency, elsewhere):
    charity = make_agency("Cornwall Refuge")
    charity.local_authorities.add(elsewhere)
    return charity


@pytest.fixture
def agreed(local_charity):
    """The local charity has signed the information sharing agreement, so consent alone decides."""
    type(local_charity).objects.filter(pk=local_charity.pk).update(
        information_sharing_agreement_signed_on=date(2025, 1, 1),
        information_sharing_agreement_review_due_on=date(2030, 1, 1),
    )
    local_charity.refresh_from_db()
    return local_charity


def _url(case):
    return reverse("sharing:referral-create", args=[case.pk])


def _offered(response, name):
    return [label for value, label in response.context["form"].fields[name].widget.choices if value]


def _idva():
    return ReferralKind.objects.get(code="idva")


def _consent(case, agency, categories, **fields):
    return ConsentFactory(
        case=case,
        recipients=[agency],
        purposes=[Purpose.SAFEGUARDING_REFERRAL],
        categories=categories,
        **fields,
    )


def _typed(agency, **fields):
    return {
        "agency": agency.pk,
        "kind": _idva().pk,
        "reason": "Disclosed domestic abuse by a former partner.",
        "urgency": "routine",
        **fields,
    }


# Pickers that narrow -------------------------------------------------------------------------


def test_agencies_serving_the_persons_area_are_offered_and_the_rest_only_when_asked_for(
    officer_client, case, local_charity, distant_charity, make_agency
):
    national = make_agency("National Modern Slavery Helpline")

    first = officer_client.get(_url(case))
    offered = _offered(first, "agency")
    assert "Manchester Refuge Trust" in offered
    assert "National Modern Slavery Helpline" in offered, (
        "an agency naming no area works everywhere"
    )
    assert "Cornwall Refuge" not in offered
    assert str(case.local_authority) in first.context["form"].fields["agency"].help_text

    every = officer_client.post(_url(case), {"action": "all_agencies", "reason": "Typed first"})
    assert "Cornwall Refuge" in _offered(every, "agency")
    assert every.context["form"]["reason"].value() == "Typed first", "nothing typed is lost"
    assert not Referral.objects.exists()
    assert national.name in _offered(every, "agency")


def test_an_agency_from_elsewhere_stays_offered_once_chosen(officer_client, case, distant_charity):
    response = officer_client.post(
        _url(case), {"action": "reshow", "agency": distant_charity.pk, "agencies": "all"}
    )
    assert "Cornwall Refuge" in _offered(response, "agency")
    response = officer_client.post(_url(case), {"action": "reshow", "agency": distant_charity.pk})
    assert "Cornwall Refuge" in _offered(response, "agency")


def test_contacts_are_offered_only_for_the_chosen_agency_and_nothing_is_saved_on_the_way(
    officer_client, case, local_charity, distant_charity
):
    Contact.objects.create(agency=local_charity, full_name="Asha Patel", email="asha@example.org")
    Contact.objects.create(
        agency=distant_charity, full_name="Ben Trevithick", email="b@example.org"
    )
    Contact.objects.create(
        agency=local_charity, full_name="Left Long Ago", email="l@example.org", is_active=False
    )

    before_choosing = officer_client.get(_url(case))
    assert _offered(before_choosing, "contact") == []
    assert "Choose the agency first" in before_choosing.content.decode()

    chosen = officer_client.post(_url(case), {**_typed(local_charity), "action": "reshow"})
    assert _offered(chosen, "contact") == ["Asha Patel"]
    assert chosen.context["form"].errors == {}, "a re-show judges nothing"
    assert not Referral.objects.exists()


def test_the_page_comes_back_in_parts_for_htmx_to_swap(officer_client, case, local_charity):
    page = officer_client.post(
        _url(case), {**_typed(local_charity), "action": "reshow"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'id="referral-contact"' in page
    assert 'id="referral-consent"' in page
    form = officer_client.get(_url(case)).content.decode()
    assert 'hx-select="#referral-contact"' in form
    assert 'hx-select-oob="#referral-consent"' in form


def test_a_contact_from_another_agency_posted_by_hand_is_refused_at_the_field(
    officer_client, case, local_charity, distant_charity
):
    stranger = Contact.objects.create(
        agency=distant_charity, full_name="Ben Trevithick", email="b@example.org"
    )
    response = officer_client.post(_url(case), _typed(local_charity, contact=stranger.pk))
    assert response.context["form"].errors["contact"] == [
        "Choose a contact who works at the agency referred to"
    ]
    assert not Referral.objects.exists()


def test_the_service_refuses_a_contact_from_another_agency_whoever_calls_it(
    officer, case, local_charity, distant_charity
):
    stranger = Contact.objects.create(
        agency=distant_charity, full_name="Ben Trevithick", email="b@example.org"
    )
    referral = Referral(
        case=case,
        agency=local_charity,
        contact=stranger,
        kind=_idva(),
        reason="Disclosed domestic abuse.",
        urgency="routine",
    )
    with pytest.raises(ValidationError) as refused:
        services.create_referral(referral=referral, indicators=[], actor=officer)
    assert "contact" in refused.value.message_dict
    assert not Referral.objects.exists()


# Consent before the click --------------------------------------------------------------------


def test_with_consent_covering_the_referral_the_page_says_so_and_offers_save_and_send(
    officer_client, case, agreed
):
    _consent(case, agreed, list(DataCategory.values))
    response = officer_client.post(_url(case), {**_typed(agreed), "action": "reshow"})
    page = response.content.decode()
    assert "A current consent from the Authority covers this referral" in page
    assert 'value="send"' in page
    assert 'value="request_consent"' not in page

    saved = officer_client.post(_url(case), {**_typed(agreed), "action": "send"})
    referral = Referral.objects.get()
    assert saved.url == reverse("sharing:referral-send", args=[referral.pk])


def test_without_consent_the_primary_button_requests_it_filled_in_from_the_draft(
    officer_client, case, agreed
):
    response = officer_client.post(_url(case), {**_typed(agreed), "action": "reshow"})
    page = response.content.decode()
    assert "There is no consent from the Authority for this case" in page
    assert 'value="request_consent"' in page
    assert 'value="send"' not in page

    saved = officer_client.post(_url(case), {**_typed(agreed), "action": "request_consent"})
    referral = Referral.objects.get()
    link = urlsplit(saved.url)
    assert link.path == reverse("sharing:consent-request-create", args=[case.pk])
    query = parse_qs(link.query)
    assert query["recipients"] == [str(agreed.pk)]
    assert query["purposes"] == [Purpose.SAFEGUARDING_REFERRAL]
    assert query["referral"] == [str(referral.pk)]
    # What is written about the person is read from the draft, never carried in an address.
    assert "abuse" not in saved.url

    request_page = officer_client.get(saved.url)
    form = request_page.context["form"]
    assert form["necessity"].value() == "Disclosed domestic abuse by a former partner."
    assert [str(value) for value in form["recipients"].value()] == [str(agreed.pk)]
    assert set(form["categories"].value()) == {
        DataCategory.IDENTITY,
        DataCategory.CONTACT_AND_ADDRESS,
        DataCategory.VULNERABILITIES,
    }


def test_consent_for_part_of_what_a_referral_offers_asks_for_the_rest_and_may_send_the_part(
    officer_client, case, agreed
):
    _consent(case, agreed, [DataCategory.IDENTITY, DataCategory.VULNERABILITIES])
    page = officer_client.post(_url(case), {**_typed(agreed), "action": "reshow"}).content.decode()
    assert "Consent covers only identity, vulnerabilities" in page
    assert 'value="request_consent"' in page
    assert "Save and send what consent covers" in page

    saved = officer_client.post(_url(case), {**_typed(agreed), "action": "request_consent"})
    assert parse_qs(urlsplit(saved.url).query)["categories"] == [DataCategory.CONTACT_AND_ADDRESS]


def test_an_agency_without_an_agreement_is_not_sent_to_the_authority_for_consent(
    officer_client, case, local_charity, settings
):
    settings.PARTNERHUB_AGREEMENT_CHECK = "refuse"
    _consent(case, local_charity, list(DataCategory.values))
    page = officer_client.post(
        _url(case), {**_typed(local_charity), "action": "reshow"}
    ).content.decode()
    assert "information sharing agreement" in page
    assert 'value="request_consent"' not in page, "the Authority cannot fix a missing agreement"
    assert 'value="send"' not in page


def test_a_request_reached_from_a_referral_on_another_case_starts_empty(
    officer_client, case, make_case, agreed, officer
):
    other = make_case()
    referral = Referral(
        case=other, agency=agreed, kind=_idva(), reason="Private", urgency="routine"
    )
    services.create_referral(referral=referral, indicators=[], actor=officer)
    url = reverse("sharing:consent-request-create", args=[case.pk]) + f"?referral={referral.pk}"
    assert officer_client.get(url).context["form"]["necessity"].value() in (None, "")


def test_each_draft_on_the_case_page_says_whether_consent_covers_it(
    officer_client, officer, case, agreed, make_agency
):
    elsewhere_agency = make_agency("Unconsented Charity")
    for agency in (agreed, elsewhere_agency):
        services.create_referral(
            referral=Referral(
                case=case, agency=agency, kind=_idva(), reason="Needs support", urgency="routine"
            ),
            indicators=[],
            actor=officer,
        )
    _consent(case, agreed, list(DataCategory.values))
    covered, uncovered = (Referral.objects.get(agency=a) for a in (agreed, elsewhere_agency))

    page = officer_client.get(reverse("sharing:case-detail", args=[case.pk])).content.decode()

    assert page.count("Consent covers it") == 1
    assert page.count("No consent covers it") == 1
    assert reverse("sharing:referral-send", args=[covered.pk]) in page
    assert reverse("sharing:referral-send", args=[uncovered.pk]) not in page
    assert f"referral={uncovered.pk}" in page
    assert f"referral={covered.pk}" not in page


def test_the_case_page_costs_the_same_queries_however_many_drafts_it_holds(
    officer_client, officer, case, agreed, make_agency, django_assert_num_queries
):
    def draft(name):
        services.create_referral(
            referral=Referral(
                case=case,
                agency=make_agency(name),
                kind=_idva(),
                reason="Needs support",
                urgency="routine",
            ),
            indicators=[],
            actor=officer,
        )

    _consent(
        case, agreed, list(DataCategory.values), valid_until=timezone.now() + timedelta(days=9)
    )
    url = reverse("sharing:case-detail", args=[case.pk])
    draft("First Charity")
    officer_client.get(url)
    with CaptureQueriesContext(connection) as one:
        officer_client.get(url)
    for name in ("Second Charity", "Third Charity", "Fourth Charity"):
        draft(name)
    with django_assert_num_queries(len(one.captured_queries)):
        officer_client.get(url)


def test_a_partly_typed_date_survives_choosing_the_agency(officer_client, case, local_charity):
    typed = {
        **_typed(local_charity),
        "follow_up_on-day": "3",
        "follow_up_on-month": "",
        "follow_up_on-year": "2027",
        "action": "reshow",
    }
    page = officer_client.post(_url(case), typed).content.decode()
    typed_boxes = dict(re.findall(r'name="follow_up_on-(\w+)"[^>]*value="([^"]*)"', page))
    assert typed_boxes == {"day": "3", "month": "", "year": "2027"}
    assert "must include a month" not in page, "a re-show judges nothing"

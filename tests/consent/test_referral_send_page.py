"""The referral send page as the consent gate's front door: the exact reason it refuses, which
rule applies to an agency without a current information sharing agreement, and who decided."""

from datetime import date

import pytest
from django.urls import reverse

from agencies.models import AgencyKind
from sharing import services
from sharing.models import DataCategory, Purpose, Referral, ReferralKind, ReferralStatus
from tests.sharing.referrals import RELEASE_CATEGORIES, release_fields

REFUSE_RULE = (
    "Sharing with an agency whose information sharing agreement is missing or past its review "
    "date is refused."
)
WARN_RULE = (
    "Sharing with an agency whose information sharing agreement is missing or past its review "
    "date is allowed, with a warning."
)


@pytest.fixture
def make_referral(officer):
    def make(case, agency):
        return services.create_referral(
            referral=Referral(
                case=case,
                agency=agency,
                kind=ReferralKind.objects.get(code="idva"),
                reason="Disclosed domestic abuse by a former partner.",
                urgency="urgent",
            ),
            actor=officer,
        )

    return make


@pytest.fixture
def idva(make_recipient):
    return make_recipient("Manchester IDVA Service", kind=AgencyKind.NGO)


def _send(client, referral, **overrides):
    return client.post(
        reverse("sharing:referral-send", args=[referral.pk]), release_fields(**overrides)
    )


@pytest.mark.django_db
def test_a_referral_with_no_consent_at_all_offers_nothing_and_links_to_a_request(
    officer_client, case, idva, make_referral
):
    referral = make_referral(case, idva)
    page = officer_client.get(reverse("sharing:referral-send", args=[referral.pk]))
    assert "No current consent from the Authority names any information" in page.content.decode()
    assert page.context["form"].fields["categories"].choices == []
    body = _send(officer_client, referral).content.decode()
    assert "identity is not one of the available choices" in body
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT


@pytest.mark.django_db
def test_a_referral_offers_only_the_categories_the_consent_names(
    officer_client, case, idva, make_referral, make_consent
):
    make_consent(case, [idva], categories=[DataCategory.IDENTITY])
    referral = make_referral(case, idva)
    page = officer_client.get(reverse("sharing:referral-send", args=[referral.pk]))
    form = page.context["form"]
    assert [value for value, _ in form.fields["categories"].choices] == [DataCategory.IDENTITY]
    assert form.initial["categories"] == [DataCategory.IDENTITY]
    body = _send(officer_client, referral).content.decode()
    assert "vulnerabilities is not one of the available choices" in body
    assert not case.disclosures.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("setting", "rule"), [("refuse", REFUSE_RULE), ("warn", WARN_RULE)])
def test_the_send_and_share_pages_say_which_agreement_rule_applies(
    officer_client, settings, case, idva, make_referral, setting, rule
):
    settings.PARTNERHUB_AGREEMENT_CHECK = setting
    referral = make_referral(case, idva)
    for url in (
        reverse("sharing:referral-send", args=[referral.pk]),
        reverse("sharing:disclosure-create", args=[case.pk]),
    ):
        page = officer_client.get(url).content.decode()
        assert rule in page
        assert (WARN_RULE if setting == "refuse" else REFUSE_RULE) not in page


@pytest.mark.django_db
@pytest.mark.parametrize(("setting", "sent"), [("refuse", False), ("warn", True)])
def test_a_referral_to_an_agency_past_its_agreement_review_follows_the_rule(
    officer_client, settings, case, make_recipient, make_referral, make_consent, setting, sent
):
    settings.PARTNERHUB_AGREEMENT_CHECK = setting
    lapsed = make_recipient(
        "Lapsed Outreach Charity",
        kind=AgencyKind.NGO,
        information_sharing_agreement_signed_on=date(2020, 1, 1),
        information_sharing_agreement_review_due_on=date(2021, 1, 1),
    )
    make_consent(case, [lapsed], categories=RELEASE_CATEGORIES)
    referral = make_referral(case, lapsed)
    response = _send(officer_client, referral)
    referral.refresh_from_db()
    assert (referral.status == ReferralStatus.SENT) is sent
    if not sent:
        assert (
            "Lapsed Outreach Charity&#x27;s information sharing agreement was due for review on "
            "01 January 2021." in response.content.decode()
        )


@pytest.mark.django_db
def test_a_referral_records_the_manager_who_decided_and_the_officer_who_sent_it(
    officer_client, officer, manager, case, idva, make_referral, make_consent
):
    make_consent(case, [idva], purposes=[Purpose.SAFEGUARDING_REFERRAL])
    referral = make_referral(case, idva)
    assert _send(officer_client, referral, decided_by=manager.pk).status_code == 302
    disclosure = case.disclosures.get()
    assert (disclosure.disclosed_by, disclosure.decided_by) == (officer, manager)

"""The compliance reviewer's four lists across every case: what each holds, its order, that its
home card counts what it lists, and that its CSV export carries the filtered rows and is
recorded in the audit log."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent, Verb
from sharing import services
from sharing.models import Purpose
from tests.factories import ConsentFactory
from tests.queues import assert_card_opens_the_queue_it_counts, listed
from tests.sharing.referrals import (
    RELEASE_CATEGORIES,
    authority_person,
    send_with_consent,
    send_without_agreement,
)

pytestmark = pytest.mark.django_db

CONSENTS = "/compliance/consents/"
REFUSED = "/compliance/refused-requests/"
DECISIONS = "/compliance/decisions-not-to-share/"
WITHOUT_AGREEMENT = "/compliance/disclosures-without-agreement/"


def _csv(response) -> list[str]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return b"".join(response.streaming_content).decode("utf-8-sig").splitlines()


def test_consents_to_review_are_revoked_expired_or_ending_latest_end_first(
    compliance_client, make_case
):
    now = timezone.now()
    case = make_case()
    ending = ConsentFactory(case=case, valid_until=now + timedelta(days=10))
    expired = ConsentFactory(
        case=case, valid_from=now - timedelta(days=60), valid_until=now - timedelta(days=5)
    )
    revoked = ConsentFactory(case=case, valid_until=now + timedelta(days=200))
    services.revoke_consent(consent=revoked, reason="Withdrawn", actor=authority_person())
    ConsentFactory(case=case, valid_until=now + timedelta(days=90))  # current: nothing to review

    assert listed(compliance_client.get(CONSENTS)) == [revoked.pk, ending.pk, expired.pk]
    assert listed(compliance_client.get(CONSENTS, {"state": "expired"})) == [expired.pk]
    assert listed(compliance_client.get(CONSENTS, {"state": "expiring"})) == [ending.pk]
    assert listed(compliance_client.get(CONSENTS, {"state": "revoked"})) == [revoked.pk]
    assert_card_opens_the_queue_it_counts(compliance_client, "Consents to review", CONSENTS)


def test_refused_requests_are_listed_and_others_are_not(
    compliance_client, officer, make_case, make_agency
):
    case = make_case()
    agency = make_agency("Asked-for Agency")

    def ask():
        return services.request_consent(
            case=case,
            recipients=[agency],
            purposes=[Purpose.SAFEGUARDING_REFERRAL],
            categories=RELEASE_CATEGORIES,
            necessity="They need to know.",
            actor=officer,
        )

    refused = ask()
    services.decide_consent_request(
        request=refused, decision="refuse", reason="Not necessary", actor=authority_person()
    )
    ask()  # still pending

    assert listed(compliance_client.get(REFUSED)) == [refused.pk]
    assert listed(compliance_client.get(REFUSED, {"recipient": agency.pk})) == [refused.pk]
    assert_card_opens_the_queue_it_counts(compliance_client, "Consent requests refused", REFUSED)


def test_decisions_not_to_share_newest_first_filtered_by_the_agency_that_asked(
    compliance_client, officer, make_case, make_agency
):
    police, school = make_agency("Police"), make_agency("School")

    def decide(agency):
        return services.record_decision_not_to_share(
            case=make_case(),
            requested_by_agency=agency,
            what_was_asked_for="The full case file",
            reason="Not proportionate",
            actor=officer,
        )

    older, newer = decide(police), decide(school)

    assert listed(compliance_client.get(DECISIONS)) == [newer.pk, older.pk]
    assert listed(compliance_client.get(DECISIONS, {"agency": police.pk})) == [older.pk]
    assert_card_opens_the_queue_it_counts(compliance_client, "Decisions not to share", DECISIONS)


def test_disclosures_let_through_by_the_warn_setting_are_listed_and_exported_on_the_record(
    settings, compliance_client, compliance_reviewer, officer, make_case, make_referral, make_agency
):
    settings.PARTNERHUB_AGREEMENT_CHECK = "warn"
    case = make_case()
    warned = send_without_agreement(
        make_referral(case, agency=make_agency("No Agreement Charity")), officer
    )
    send_with_consent(referral=make_referral(case), actor=officer)  # a current agreement

    warned_disclosure = case.disclosures.get(recipient=warned.agency)
    assert listed(compliance_client.get(WITHOUT_AGREEMENT)) == [warned_disclosure.pk]
    assert_card_opens_the_queue_it_counts(
        compliance_client, "Disclosures without a current agreement", WITHOUT_AGREEMENT
    )

    lines = _csv(compliance_client.get(WITHOUT_AGREEMENT, {"format": "csv"}))

    assert lines[0].startswith("disclosed at,case,recipient agency")
    assert len(lines) == 2 and "No Agreement Charity" in lines[1] and ",none," in lines[1]
    event = AuditEvent.objects.filter(verb=Verb.EXPORTED).latest("pk")
    assert event.actor == compliance_reviewer
    assert event.object_type == "sharing.disclosure"
    assert event.object_label == "disclosures without a current agreement"


@pytest.mark.parametrize("url", [CONSENTS, REFUSED, DECISIONS, WITHOUT_AGREEMENT])
def test_an_export_with_an_invalid_filter_exports_nothing_and_shows_the_error(
    compliance_client, url
):
    response = compliance_client.get(url, {"format": "csv", "order": "sideways"})

    assert response["Content-Type"].startswith("text/html")
    assert response.context["filter"].errors
    assert not AuditEvent.objects.filter(verb=Verb.EXPORTED).exists()


@pytest.mark.parametrize("url", [CONSENTS, REFUSED, DECISIONS, WITHOUT_AGREEMENT])
def test_each_list_exports_its_rows_with_the_export_recorded(
    compliance_client, compliance_reviewer, officer, make_case, make_agency, url
):
    case = make_case()
    ConsentFactory(case=case, valid_until=timezone.now() + timedelta(days=3))
    services.record_decision_not_to_share(
        case=case,
        requested_by_agency=make_agency("Asking Agency"),
        what_was_asked_for="=HYPERLINK(evil)",
        reason="Not proportionate",
        actor=officer,
    )

    lines = _csv(compliance_client.get(url, {"format": "csv"}))

    assert len(lines) == 1 + compliance_client.get(url).context["page"].paginator.count
    assert "\n=HYPERLINK" not in "\n".join(lines) and not any(
        cell.startswith("=") for line in lines for cell in line.split(",")
    )
    assert AuditEvent.objects.filter(verb=Verb.EXPORTED, actor=compliance_reviewer).count() == 1

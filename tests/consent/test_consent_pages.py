"""The consent gate's pages: asking, deciding, recording, sharing and looking back."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent, Verb
from sharing.models import (
    Consent,
    ConsentRequest,
    DataCategory,
    Disclosure,
    DisclosureMethod,
    Purpose,
)
from sharing.services import disclose, request_consent
from tests.sample_files import PDF


def _date(days):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


@pytest.mark.django_db
def test_an_officer_asks_and_the_authority_grants_in_part(
    officer_client, authority_client, case, police, make_recipient
):
    health = make_recipient("Manchester NHS Trust")
    response = officer_client.post(
        reverse("sharing:consent-request-create", args=[case.pk]),
        {
            "recipients": [police.pk, health.pk],
            "purposes": [Purpose.SAFEGUARDING_REFERRAL],
            "categories": [DataCategory.IDENTITY, DataCategory.HEALTH],
            "necessity": "Police need her identity for a safety plan; the trust for her care.",
        },
    )
    assert response.status_code == 302
    asked = ConsentRequest.objects.get()

    queue = authority_client.get(reverse("sharing:consent-queue"))
    assert case.reference in queue.content.decode()

    refused_without_reason = authority_client.post(
        reverse("sharing:consent-request-decide", args=[asked.pk]),
        {
            "decision": "narrow",
            "recipients": [police.pk],
            "purposes": [Purpose.SAFEGUARDING_REFERRAL],
            "categories": [DataCategory.IDENTITY],
        },
    )
    assert refused_without_reason.status_code == 200
    assert "Give the reasons for the decision" in refused_without_reason.content.decode()
    assert not Consent.objects.exists()

    authority_client.post(
        reverse("sharing:consent-request-decide", args=[asked.pk]),
        {
            "decision": "narrow",
            "recipients": [police.pk],
            "purposes": [Purpose.SAFEGUARDING_REFERRAL],
            "categories": [DataCategory.IDENTITY],
            "reason": "Health information is not needed by the police.",
            "valid_until": _date(30),
        },
    )
    asked.refresh_from_db()
    assert asked.status == "narrowed"
    consent = Consent.objects.get()
    assert list(consent.recipients.all()) == [police]
    assert consent.categories == [DataCategory.IDENTITY]
    assert consent.granted_by_user.full_name == "Ada Authority"


@pytest.mark.django_db
def test_the_authority_refuses_with_a_reason_and_nothing_is_granted(
    officer_client, authority_client, case, police
):
    officer_client.post(
        reverse("sharing:consent-request-create", args=[case.pk]),
        {
            "recipients": [police.pk],
            "purposes": [Purpose.CRIME_PREVENTION],
            "categories": [DataCategory.IDENTITY],
            "necessity": "x",
        },
    )
    asked = ConsentRequest.objects.get()
    authority_client.post(
        reverse("sharing:consent-request-decide", args=[asked.pk]),
        {"decision": "refuse", "reason": "Not proportionate for this purpose."},
    )
    asked.refresh_from_db()
    assert asked.status == "refused"
    assert not Consent.objects.exists()
    assert AuditEvent.objects.filter(verb=Verb.CONSENT_REFUSED).exists()


@pytest.mark.django_db
def test_only_the_authority_sees_the_consent_queue(officer_client, manager_client, partner_client):
    for client in (officer_client, manager_client, partner_client):
        assert client.get(reverse("sharing:consent-queue")).status_code == 403


@pytest.mark.django_db
def test_an_officer_records_a_written_consent_with_its_letter(
    officer_client, case, police, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    fields = {
        "recipients": [police.pk],
        "purposes": [Purpose.SAFEGUARDING_REFERRAL],
        "categories": [DataCategory.IDENTITY],
        "granted_by_official": "Jo Official, Safeguarding Hub",
        "granted_on": _date(0),
        "valid_from": _date(0),
        "valid_until": _date(60),
    }
    disguised = officer_client.post(
        reverse("sharing:consent-record", args=[case.pk]),
        {**fields, "evidence": SimpleUploadedFile("letter.pdf", b"<html>not a pdf</html>")},
    )
    body = disguised.content.decode()
    assert disguised.status_code == 200
    assert 'href="#id_evidence"' in body and "must be a PDF" in body
    assert not Consent.objects.exists()

    response = officer_client.post(
        reverse("sharing:consent-record", args=[case.pk]),
        {**fields, "evidence": SimpleUploadedFile("letter.pdf", PDF)},
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.granted_by_official == "Jo Official, Safeguarding Hub"
    download = officer_client.get(reverse("sharing:consent-evidence", args=[consent.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(verb=Verb.DOWNLOADED, object_id=str(consent.pk)).exists()


def _share_fields(recipient, **overrides):
    fields = {
        "recipient": recipient.pk,
        "purpose": Purpose.SAFEGUARDING_REFERRAL,
        "categories": [DataCategory.IDENTITY],
        "content": "Amina Test, born 1 May 1990, lives at 1 Example Street.",
        "method": DisclosureMethod.SECURE_EMAIL,
        "necessity": "Needed for a police safety plan.",
        "lawful_basis": "public_task",
        "special_category_condition": "not_applicable",
        "person_told": "told",
    }
    fields.update(overrides)
    return fields


@pytest.mark.django_db
def test_sharing_without_consent_says_what_is_missing_and_offers_to_ask(
    officer_client, case, police
):
    response = officer_client.post(
        reverse("sharing:disclosure-create", args=[case.pk]), _share_fields(police)
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nothing has been shared" in body
    assert "no consent from the Authority for this case" in body
    assert reverse("sharing:consent-request-create", args=[case.pk]) + "?recipients=" in body
    assert not Disclosure.objects.exists()


@pytest.mark.django_db
def test_sharing_under_consent_is_recorded_on_the_case(officer_client, case, police, make_consent):
    make_consent(case, [police])
    response = officer_client.post(
        reverse("sharing:disclosure-create", args=[case.pk]), _share_fields(police)
    )
    assert response.status_code == 302
    disclosure = Disclosure.objects.get()
    page = officer_client.get(reverse("sharing:case-detail", args=[case.pk])).content.decode()
    assert reverse("sharing:disclosure-detail", args=[disclosure.pk]) in page
    assert "Information shared with Greater Manchester Police" in page
    detail = officer_client.get(
        reverse("sharing:disclosure-detail", args=[disclosure.pk])
    ).content.decode()
    assert "Amina Test, born 1 May 1990" in detail
    assert "not the lawful basis" in detail


@pytest.fixture
def shared_with_police(case, make_case, police, make_recipient, officer, make_consent, decision):
    def share(target_case, recipient):
        make_consent(target_case, [recipient])
        return disclose(
            case=target_case,
            recipient=recipient,
            purpose=Purpose.SAFEGUARDING_REFERRAL,
            categories=[DataCategory.IDENTITY],
            content='=HYPERLINK("http://evil.example")',
            method=DisclosureMethod.PHONE,
            record_of_decision=decision(),
            actor=officer,
        )

    charity = make_recipient("Partner Charity Shared")
    return share(case, police), share(make_case(), charity)


@pytest.mark.django_db
def test_a_partner_sees_only_what_was_shared_with_their_agency(
    client, make_user, shared_with_police
):
    to_police, to_charity = shared_with_police
    police_user = make_user("partner", agency=to_police.recipient)
    client.force_login(police_user)
    log = client.get(reverse("sharing:disclosure-log")).content.decode()
    assert to_police.case.reference in log
    assert to_charity.case.reference not in log
    assert client.get(reverse("sharing:disclosure-detail", args=[to_police.pk])).status_code == 200
    assert client.get(reverse("sharing:disclosure-detail", args=[to_charity.pk])).status_code == 404
    assert client.get(reverse("sharing:case-detail", args=[to_police.case_id])).status_code == 404
    assert AuditEvent.objects.filter(verb=Verb.VIEW_DENIED, object_id=str(to_charity.pk)).exists()


@pytest.mark.django_db
def test_the_disclosure_log_exports_csv_with_formula_cells_made_harmless(
    manager_client, shared_with_police
):
    response = manager_client.get(reverse("sharing:disclosure-log") + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "disclosed at"
    assert len(rows) == 3
    assert AuditEvent.objects.filter(verb=Verb.EXPORTED).exists()


@pytest.mark.django_db
def test_the_disclosure_log_filters_by_agency(manager_client, shared_with_police):
    to_police, to_charity = shared_with_police
    page = manager_client.get(
        reverse("sharing:disclosure-log"), {"recipient": to_police.recipient_id}
    ).content.decode()
    assert to_police.case.reference in page and to_charity.case.reference not in page


@pytest.mark.django_db
def test_who_received_what_lists_every_recipient_of_a_case(officer_client, shared_with_police):
    to_police, _ = shared_with_police
    page = officer_client.get(
        reverse("sharing:case-recipients", args=[to_police.case_id])
    ).content.decode()
    assert "Greater Manchester Police" in page
    exported = officer_client.get(
        reverse("sharing:case-recipients", args=[to_police.case_id]) + "?format=csv"
    )
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    assert rows[1][2] == "Greater Manchester Police"


@pytest.mark.django_db
def test_the_authority_revokes_a_consent_from_the_case_page(
    authority_client, case, police, make_consent
):
    consent = make_consent(case, [police])
    missing_reason = authority_client.post(
        reverse("sharing:consent-revoke", args=[consent.pk]), {"reason": ""}
    )
    assert "Give the reason for revoking" in missing_reason.content.decode()
    authority_client.post(
        reverse("sharing:consent-revoke", args=[consent.pk]),
        {"reason": "The person has left the UK"},
    )
    consent.refresh_from_db()
    assert consent.revoked_at is not None


@pytest.mark.django_db
def test_a_decision_not_to_share_is_recorded_with_its_reason(officer_client, case, police):
    response = officer_client.post(
        reverse("sharing:decision-not-to-share-create", args=[case.pk]),
        {
            "requested_by_agency": police.pk,
            "what_was_asked_for": "Her full case history",
            "reason": "Not necessary for their enquiry",
        },
    )
    assert response.status_code == 302
    assert (
        "Not necessary for their enquiry"
        in officer_client.get(reverse("sharing:case-detail", args=[case.pk])).content.decode()
    )


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_disclosure_log_and_case_page_queries_do_not_grow_with_data(
    manager_client, case, make_case, make_recipient, police, make_consent, officer, decision
):
    def share(target, times):
        for _ in range(times):
            disclose(
                case=target,
                recipient=police,
                purpose=Purpose.SAFEGUARDING_REFERRAL,
                categories=[DataCategory.IDENTITY],
                content="x",
                method=DisclosureMethod.PHONE,
                record_of_decision=decision(),
                actor=officer,
            )

    make_consent(case, [police, make_recipient("Second Agency")])
    share(case, 1)
    log_url, case_url = (
        reverse("sharing:disclosure-log"),
        reverse("sharing:case-detail", args=[case.pk]),
    )
    small = (_queries(manager_client, log_url), _queries(manager_client, case_url))
    for _ in range(10):
        other = make_case()
        make_consent(other, [police])
        share(other, 3)
    make_consent(case, [police])
    share(case, 20)
    large = (_queries(manager_client, log_url), _queries(manager_client, case_url))
    assert large == small


@pytest.mark.django_db
def test_narrowing_a_consent_makes_a_new_version_and_keeps_the_old_record(
    authority_client, officer, case, police, make_recipient, make_consent, decision
):
    health = make_recipient("Manchester NHS Trust")
    original = make_consent(case, [police, health])
    disclose(
        case=case, recipient=health, purpose=Purpose.SAFEGUARDING_REFERRAL,
        categories=[DataCategory.IDENTITY], content="Name", method=DisclosureMethod.PHONE,
        record_of_decision=decision(), actor=officer,
    )  # fmt: skip
    response = authority_client.post(
        reverse("sharing:consent-amend", args=[original.pk]),
        {
            "recipients": [police.pk],
            "purposes": [Purpose.SAFEGUARDING_REFERRAL],
            "categories": [DataCategory.IDENTITY],
            "valid_until": _date(10),
            "reason": "The trust no longer needs it.",
        },
    )
    assert response.status_code == 302
    original.refresh_from_db()
    replacement = Consent.objects.get(supersedes=original)
    assert list(replacement.recipients.all()) == [police]
    assert original.revoked_at is not None
    assert "Replaced by consent" in original.revocation_reason
    assert set(original.recipients.all()) == {police, health}
    assert Disclosure.objects.get().consent == original


@pytest.mark.django_db
def test_the_disclosure_log_prints_the_latest_audit_checkpoint_for_reviewers(
    compliance_client, partner_client, settings
):
    from audit.services import write_checkpoint

    settings.AUDIT_CHECKPOINT_KEY = "a-secret-the-database-never-holds"
    settings.COMPLIANCE_EMAIL = "compliance@example.org"
    written = write_checkpoint()
    page = compliance_client.get(reverse("sharing:disclosure-log")).content.decode()
    assert written.checkpoint.row_hash in page
    assert (
        written.checkpoint.row_hash
        not in partner_client.get(reverse("sharing:disclosure-log")).content.decode()
    )


@pytest.fixture
def pending_request(case, police, officer):
    return request_consent(
        case=case,
        recipients=[police],
        purposes=[Purpose.RISK_ASSESSMENT],
        categories=[DataCategory.IDENTITY, DataCategory.HOUSEHOLD],
        necessity="The police need to know for the MARAC.",
        actor=officer,
    )


@pytest.mark.django_db
def test_the_case_page_lists_a_request_still_awaiting_the_authority(
    officer_client, case, pending_request
):
    page = officer_client.get(reverse("sharing:case-detail", args=[case.pk])).content.decode()
    section = page[page.index("Requests to the Authority") :]
    assert "Greater Manchester Police for multi-agency risk assessment (e.g. marac)" in section
    assert "Awaiting the Authority" in section


@pytest.mark.django_db
def test_the_authority_grants_a_request_as_asked_from_its_queue(
    authority_client, authority_user, officer_client, case, police, pending_request
):
    queue = authority_client.get(reverse("sharing:consent-queue")).content.decode()
    decide_url = reverse("sharing:consent-request-decide", args=[pending_request.pk])
    assert decide_url in queue
    # As the page posts it: every box ticked as asked.
    response = authority_client.post(
        decide_url,
        {
            "decision": "grant",
            "recipients": [police.pk],
            "purposes": pending_request.purposes,
            "categories": pending_request.categories,
            "valid_until": _date(30),
        },
    )
    assert response.status_code == 302
    pending_request.refresh_from_db()
    assert pending_request.status == "granted"
    consent = Consent.objects.get(request=pending_request)
    assert list(consent.recipients.all()) == [police]
    assert consent.purposes == [Purpose.RISK_ASSESSMENT]
    assert consent.categories == sorted([DataCategory.IDENTITY, DataCategory.HOUSEHOLD])
    assert consent.granted_by_user == authority_user
    assert timezone.localtime(consent.valid_until).date().isoformat() == _date(30)
    assert decide_url not in authority_client.get(reverse("sharing:consent-queue")).content.decode()
    case_page = officer_client.get(reverse("sharing:case-detail", args=[case.pk])).content.decode()
    assert "Granted as asked" in case_page


@pytest.mark.django_db
def test_sharing_records_the_colleague_who_decided_and_the_officer_who_released(
    officer_client, officer, manager, case, police, make_consent
):
    make_consent(case, [police])
    response = officer_client.post(
        reverse("sharing:disclosure-create", args=[case.pk]),
        _share_fields(police, decided_by=manager.pk),
    )
    assert response.status_code == 302
    disclosure = Disclosure.objects.get()
    assert (disclosure.disclosed_by, disclosure.decided_by) == (officer, manager)
    detail = officer_client.get(
        reverse("sharing:disclosure-detail", args=[disclosure.pk])
    ).content.decode()
    assert "Morgan Manager" in detail


@pytest.mark.django_db
def test_sharing_without_naming_a_decision_maker_records_the_releaser_as_deciding(
    officer_client, officer, case, police, make_consent
):
    make_consent(case, [police])
    officer_client.post(reverse("sharing:disclosure-create", args=[case.pk]), _share_fields(police))
    assert Disclosure.objects.get().decided_by == officer


@pytest.mark.django_db
def test_who_received_what_prints_without_the_sites_navigation(
    officer_client, officer, shared_with_police
):
    to_police, _ = shared_with_police
    url = reverse("sharing:case-recipients", args=[to_police.case_id])
    screen = officer_client.get(url).content.decode()
    assert 'href="?format=print"' in screen
    printed = officer_client.get(url, {"format": "print"}).content.decode()
    assert "Who received information about this case" in printed
    assert "Greater Manchester Police" in printed
    assert "Printed from Partnerhub on" in printed and "by Sam Officer" in printed
    for chrome in ("partnerhub-header", "govuk-service-navigation", "govuk-footer", "<script"):
        assert chrome in screen and chrome not in printed
    assert AuditEvent.objects.filter(
        verb=Verb.EXPORTED, actor_id=officer.pk, object_id=str(to_police.case_id)
    ).exists()

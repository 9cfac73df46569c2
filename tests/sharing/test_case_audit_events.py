"""Cases on the audit log: every page that shows case information is a "viewed" event (a list
says which controlled filters were used and that a search was made, never what was searched
for), every refused case page is recorded once, and no label or detail repeats free text."""

import json

import pytest
from django.urls import reverse

from audit.models import AuditEvent, Verb
from core.roles import Role
from sharing import services
from sharing.models import DataCategory, Purpose
from sharing.services import request_consent

pytestmark = pytest.mark.django_db

MARKER = "Zebracorn"


def _viewed(person, target):
    return AuditEvent.objects.filter(
        verb=Verb.VIEWED,
        actor_id=person.pk,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
    )


def test_opening_a_cases_edit_page_is_recorded_as_viewing_it(officer_client, officer, case):
    assert officer_client.get(reverse("sharing:case-update", args=[case.pk])).status_code == 200
    viewed = _viewed(officer, case).get()
    assert viewed.detail == {"page": "edit"}
    assert viewed.object_label == case.reference


def test_each_view_of_a_case_list_is_one_event_naming_its_filters_but_not_the_search(
    manager_client, manager, case
):
    response = manager_client.get(
        reverse("sharing:case-list"),
        {"q": case.family_name, "status": "open", "risk_level": "medium", "page": "1"},
    )
    assert case.reference in response.content.decode()
    manager_client.get(reverse("sharing:case-list"))

    listed = AuditEvent.objects.filter(
        verb=Verb.VIEWED, actor_id=manager.pk, object_type="sharing.case", object_id=""
    ).order_by("sequence")
    assert [event.detail for event in listed] == [
        {
            "list": "All cases",
            "filters": {"q": "given", "status": "open", "risk_level": "medium"},
        },
        {"list": "All cases", "filters": {}},
    ]
    assert case.family_name not in json.dumps(list(AuditEvent.objects.values("detail")))


def test_an_officers_own_list_is_recorded_too(officer_client, officer, case):
    officer_client.get(reverse("sharing:case-mine"), {"q": "PH-"})
    event = AuditEvent.objects.get(verb=Verb.VIEWED, actor_id=officer.pk, object_id="")
    assert event.detail == {"list": "My cases", "filters": {"q": "given"}}


def test_a_list_asked_for_with_an_impossible_filter_records_only_which_field_failed(
    manager_client, manager
):
    manager_client.get(reverse("sharing:case-list"), {"status": MARKER})
    event = AuditEvent.objects.get(verb=Verb.VIEWED, actor_id=manager.pk)
    assert event.detail["filters"] == {"invalid": ["status"]}


def test_opening_the_referral_send_page_is_recorded_as_viewing_it(
    officer_client, officer, case, make_referral
):
    referral = make_referral(case)
    assert officer_client.get(reverse("sharing:referral-send", args=[referral.pk])).status_code == (
        200
    )
    viewed = _viewed(officer, referral).get()
    assert viewed.detail == {"page": "send", "case_id": case.pk}
    assert viewed.object_label == f"Referral {referral.pk}"


@pytest.mark.parametrize("page", ["sharing:case-detail", "sharing:case-update"])
def test_a_refused_case_page_is_recorded_exactly_once(make_user, make_case, client, page):
    colleague = make_user(Role.SAFEGUARDING_OFFICER)
    theirs = make_case(officers=[colleague], actor=colleague)
    outsider = make_user(Role.SAFEGUARDING_OFFICER)
    client.force_login(outsider)
    assert client.get(reverse(page, args=[theirs.pk])).status_code == 404
    refused = AuditEvent.objects.filter(verb=Verb.VIEW_DENIED, actor_id=outsider.pk)
    assert [(event.object_type, event.object_id) for event in refused] == [
        ("sharing.case", str(theirs.pk))
    ]


def test_a_case_list_refused_to_a_partner_is_recorded(partner_client, partner_user):
    assert partner_client.get(reverse("sharing:case-list")).status_code == 403
    refused = AuditEvent.objects.get(verb=Verb.VIEW_DENIED, actor_id=partner_user.pk)
    assert refused.detail == {
        "page": "sharing:case-list",
        "ids": {},
        "status": 403,
        "method": "GET",
    }


def test_no_label_or_detail_carries_free_text_about_a_case(
    make_case, officer, officer_client, make_referral
):
    case = make_case(family_name=f"Haddad{MARKER}", address=f"12 {MARKER} Road")
    services.add_case_note(case=case, text=f"Told us about {MARKER}", actor=officer)
    referral = make_referral(case)
    for page in ("sharing:case-detail", "sharing:case-update"):
        officer_client.get(reverse(page, args=[case.pk]))
    officer_client.get(reverse("sharing:referral-send", args=[referral.pk]))
    officer_client.get(reverse("sharing:case-mine"), {"q": MARKER})
    services.close_case(case=case, reason="needs_met", actor=officer)

    written = json.dumps(
        list(AuditEvent.objects.values("object_label", "detail", "changed_fields"))
    )
    assert MARKER not in written
    assert referral.reason not in written
    assert case.reference in written


def test_the_authoritys_queue_and_a_request_it_decides_on_are_recorded_as_viewed(
    authority_client, authority_user, case, officer, idva_service
):
    asked = request_consent(
        case=case,
        recipients=[idva_service],
        purposes=[Purpose.RISK_ASSESSMENT],
        categories=[DataCategory.IDENTITY],
        necessity=f"The IDVA must know about {MARKER}.",
        actor=officer,
    )
    authority_client.get(reverse("sharing:consent-queue"))
    authority_client.get(reverse("sharing:consent-request-decide", args=[asked.pk]))
    viewed = AuditEvent.objects.filter(verb=Verb.VIEWED, actor_id=authority_user.pk).order_by(
        "sequence"
    )
    assert [(event.object_type, event.object_id, event.detail) for event in viewed] == [
        ("sharing.consentrequest", "", {"list": "consent queue"}),
        ("sharing.consentrequest", str(asked.pk), {"case_id": case.pk}),
    ]
    assert MARKER not in json.dumps(list(AuditEvent.objects.values("object_label", "detail")))


def test_the_disclosure_log_and_the_share_page_are_recorded_as_viewed(
    compliance_client, compliance_reviewer, officer_client, officer, case
):
    compliance_client.get(reverse("sharing:disclosure-log"), {"case": case.family_name})
    logged = AuditEvent.objects.get(verb=Verb.VIEWED, actor_id=compliance_reviewer.pk)
    assert logged.detail == {"list": "disclosure log", "filters": {"case": "given"}}

    assert officer_client.get(reverse("sharing:disclosure-create", args=[case.pk])).status_code == (
        200
    )
    assert _viewed(officer, case).get().detail == {"page": "share"}

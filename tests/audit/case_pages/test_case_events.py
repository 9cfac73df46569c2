"""Cases on the audit log: every page that shows case information is a "viewed" event (a list
says which controlled filters were used and that a search was made, never what was searched
for), every refused case page is recorded once, and no label or detail repeats free text."""

import json

import pytest
from django.urls import reverse

from audit.models import AuditEvent, Verb
from config.roles import Role
from sharing import services

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

"""Every page refused to a signed-in person is on the audit log once, by its URL name and numeric
ids only; an address that is no page at all, and anyone not signed in, leave nothing."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent, Verb

pytestmark = pytest.mark.django_db


def _refusals(person):
    return list(AuditEvent.objects.filter(verb=Verb.VIEW_DENIED, actor_id=person.pk))


def test_the_audit_log_refused_to_an_officer_is_recorded_once_per_attempt(officer_client, officer):
    assert officer_client.get(reverse("audit:event-list")).status_code == 403
    trail = reverse("audit:object-trail", kwargs={"object_type": "sharing.case", "object_id": "4"})
    assert officer_client.get(trail).status_code == 403
    assert officer_client.get(reverse("audit:event-export")).status_code == 403
    assert [(event.object_label, event.detail["status"]) for event in _refusals(officer)] == [
        ("audit:event-list", 403),
        ("audit:object-trail", 403),
        ("audit:event-export", 403),
    ]


def test_the_chain_check_refused_to_a_manager_is_recorded(manager_client, manager):
    assert manager_client.post(reverse("audit:chain-verify")).status_code == 403
    (refused,) = _refusals(manager)
    assert refused.detail == {
        "page": "audit:chain-verify",
        "ids": {},
        "status": 403,
        "method": "POST",
    }


def test_a_trail_with_no_events_is_a_recorded_not_found(compliance_client, compliance_reviewer):
    trail = reverse("audit:object-trail", kwargs={"object_type": "sharing.case", "object_id": "9"})
    assert compliance_client.get(trail).status_code == 404
    assert [event.detail["page"] for event in _refusals(compliance_reviewer)] == [
        "audit:object-trail"
    ]


def test_a_calendar_token_in_a_refused_address_is_never_copied_to_the_log(officer_client, officer):
    token = "not-a-real-token-Zebracorn"
    assert officer_client.get(f"/calendar/{token}.ics").status_code == 404
    written = json.dumps(list(AuditEvent.objects.values("object_label", "detail")))
    assert token not in written
    assert [event.detail["page"] for event in _refusals(officer)] == ["meetings:calendar-feed"]


def test_an_address_that_is_no_page_or_a_visitor_not_signed_in_leaves_nothing(officer_client):
    before = AuditEvent.objects.count()
    assert officer_client.get("/no-such-page/").status_code == 404
    Client().get(reverse("audit:event-list"))
    Client().get("/calendar/not-a-token.ics")
    assert AuditEvent.objects.count() == before

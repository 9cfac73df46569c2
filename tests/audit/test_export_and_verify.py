"""A compliance reviewer exports the audit log as CSV (the current filters, refused when they
are invalid, streamed, formulas neutralised, itself on record) and verifies the chain on demand
(the check `verify_audit` runs, its result on the page and on record)."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from audit.models import AuditEvent, Verb
from audit.services import record, verify_chain_now
from core.authority import NotPermitted
from tests.audit.tampering import tampering, verify

pytestmark = pytest.mark.django_db

EXPORT = reverse("audit:event-export")
VERIFY = reverse("audit:chain-verify")


def _rows(response) -> list[dict]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode().removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def events(officer):
    record(verb=Verb.DISCLOSED, actor=officer, object_type="sharing.case", object_id="3",
           object_label="PH-2026-000003", changed_fields=["categories"])  # fmt: skip
    record(verb=Verb.CHANGED, actor_label='=HYPERLINK("http://evil")', object_type="x")
    record(verb=Verb.EXPORTED, actor=officer, object_type="agencies.agency")


def test_only_compliance_reviewers_see_and_use_the_export_and_the_chain_check(
    compliance_client, manager_client, administrator_client, officer_client
):
    page = compliance_client.get(reverse("audit:event-list")).content.decode()
    assert "Export these events (CSV)" in page and "Verify the chain now" in page
    for client in (manager_client, administrator_client):
        page = client.get(reverse("audit:event-list")).content.decode()
        assert "Export these events (CSV)" not in page and "Verify the chain now" not in page
        assert client.get(EXPORT).status_code == 403
        assert client.post(VERIFY).status_code == 403
    assert officer_client.get(EXPORT).status_code == 403
    assert compliance_client.get(VERIFY).status_code == 405


def test_the_export_holds_the_filtered_events_in_chain_order_with_formulas_neutralised(
    events, compliance_client
):
    every = _rows(compliance_client.get(EXPORT))
    assert [row["row"] for row in every] == sorted((row["row"] for row in every), key=int)
    assert '\'=HYPERLINK("http://evil")' in [row["who"] for row in every]

    disclosed = _rows(compliance_client.get(EXPORT, {"verb": "disclosed"}))
    assert [(row["what happened"], row["record"], row["fields changed"]) for row in disclosed] == [
        ("Disclosed", "PH-2026-000003", "categories")
    ]
    assert len(disclosed[0]["row hash"]) == 64


def test_the_export_is_on_record_with_its_filters_but_not_a_typed_person(
    events, compliance_client, compliance_reviewer
):
    response = compliance_client.get(
        EXPORT, {"verb": "exported", "actor": "jo.bloggs", "occurred_from": "2026-01-01"}
    )
    rows = _rows(response)
    assert response["Content-Disposition"].startswith('attachment; filename="partnerhub-audit-log')
    exported = AuditEvent.objects.filter(verb=Verb.EXPORTED, actor_id=compliance_reviewer.pk).get()
    assert exported.object_type == "audit.auditevent"
    assert exported.detail == {
        "filters": {"verb": "exported", "occurred_from": "2026-01-01", "actor": "given"}
    }
    # A fixed cut: the file ends before its own export event.
    assert all(int(row["row"]) < exported.sequence for row in rows)


def test_invalid_filters_refuse_the_export_with_the_error_at_the_field(events, compliance_client):
    response = compliance_client.get(EXPORT, {"occurred_from": "2026-02-30"})
    assert response.status_code == 400
    assert "From must be a real date" in response.content.decode()
    response = compliance_client.get(EXPORT, {"verb": "not-a-verb"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(object_type="audit.auditevent").exists()


def test_the_export_link_carries_the_filters_shown(events, compliance_client):
    page = compliance_client.get(
        reverse("audit:event-list"), {"verb": "disclosed", "before": "99"}
    ).content.decode()
    assert f'href="{EXPORT}?verb=disclosed"' in page


def test_verifying_an_intact_chain_says_so_and_is_recorded(
    events, compliance_client, compliance_reviewer
):
    response = compliance_client.post(VERIFY, follow=True)
    checked = AuditEvent.objects.filter(verb=Verb.CHAIN_VERIFIED).get()
    assert f"Audit chain intact: {checked.sequence - 1} events checked." in (
        response.content.decode()
    )
    assert checked.actor_id == compliance_reviewer.pk
    assert checked.detail == {"intact": True, "events": checked.sequence - 1, "broken_at": None}
    assert verify()[0]


def test_verifying_a_tampered_chain_names_the_first_broken_row(events, compliance_client):
    target = AuditEvent.objects.filter(verb=Verb.DISCLOSED).get()
    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET object_label = %s WHERE id = %s", ["PH-X", target.pk]
        )
    html = compliance_client.post(VERIFY, follow=True).content.decode()
    assert f"Audit chain broken at row {target.sequence}" in html
    checked = AuditEvent.objects.filter(verb=Verb.CHAIN_VERIFIED).get()
    assert checked.detail["intact"] is False
    assert checked.detail["broken_at"] == target.sequence
    ok, said = verify()
    assert not ok and f"row {target.sequence}" in said


def test_the_chain_check_service_refuses_anyone_but_a_compliance_reviewer(manager, events):
    with pytest.raises(NotPermitted):
        verify_chain_now(actor=manager)
    assert not AuditEvent.objects.filter(verb=Verb.CHAIN_VERIFIED).exists()

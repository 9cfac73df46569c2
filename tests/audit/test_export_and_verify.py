"""A compliance reviewer exports the audit log as CSV (the current filters, refused when they
are invalid, streamed, formulas neutralised, itself on record) and asks for the chain to be
verified (the check `verify_audit` runs, walked by the background worker, one at a time, its
result on the page and on record)."""

import csv
import io

import pytest
from django.db import transaction
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEvent, Verb
from audit.services import (
    ABANDONED_WALK_AFTER,
    record,
    request_chain_verification,
    verify_chain_in_background,
    verify_chain_now,
)
from core.authority import NotPermitted
from tests.audit.tampering import tampering, verify

pytestmark = pytest.mark.django_db

LOG = reverse("audit:event-list")
EXPORT = reverse("audit:event-export")
VERIFY = reverse("audit:chain-verify")
QUEUED = "Verification of the audit chain has been queued."
UNDER_WAY = "A check of the chain is under way; asked for at"
BUTTON = "Verify the chain now</button>"


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


def _press(client, capture) -> str:
    """Press "Verify the chain now" and read the page it returns to. The walk is queued when
    the press's transaction commits, which the test's own transaction holds back until here."""
    with capture(execute=True):
        response = client.post(VERIFY)
    assert response.status_code == 302 and response["Location"] == LOG
    return client.get(LOG).content.decode()


def _walks_asked_for():
    return DBTaskResult.objects.filter(task_path=verify_chain_in_background.module_path)


def _worker_runs(queued: DBTaskResult) -> None:
    """As `manage.py db_worker` does: claim the task, then run it by its path."""
    worker = Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="test-worker", excluded_queue_names=[],
    )  # fmt: skip
    queued.claim(worker.worker_id)
    worker.run_task(queued)


def test_the_chain_check_services_refuse_anyone_but_a_compliance_reviewer_and_queue_nothing(
    manager, events, database_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(NotPermitted):
        request_chain_verification(actor=manager)
    assert not _walks_asked_for().exists()
    # The walk itself holds the person to the rule again, as the worker runs it.
    with pytest.raises(NotPermitted):
        verify_chain_in_background.call(manager.pk)
    with pytest.raises(NotPermitted):
        verify_chain_now(actor=manager)
    assert not AuditEvent.objects.filter(verb=Verb.CHAIN_VERIFIED).exists()


def test_pressing_verify_queues_one_walk_for_the_worker_and_records_nothing_yet(
    events, compliance_client, compliance_reviewer, database_queue,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    page = _press(compliance_client, django_capture_on_commit_callbacks)
    queued = _walks_asked_for().get()
    assert queued.status == TaskResultStatus.READY
    assert queued.args_kwargs == {"args": [compliance_reviewer.pk, "127.0.0.1"], "kwargs": {}}
    assert not AuditEvent.objects.filter(verb=Verb.CHAIN_VERIFIED).exists()
    assert QUEUED in page
    assert UNDER_WAY in page
    assert f">{timezone.localtime(queued.enqueued_at):%H:%M}</time>. Its result will show" in page
    assert BUTTON not in page
    assert "Not yet checked from this page" in page


def test_pressing_again_while_a_walk_waits_or_runs_queues_no_second_and_says_so(
    events, compliance_client, database_queue, django_capture_on_commit_callbacks
):
    _press(compliance_client, django_capture_on_commit_callbacks)
    queued = _walks_asked_for().get()
    already = (
        "A check of the chain is already under way; "
        f"asked for at {timezone.localtime(queued.enqueued_at):%H:%M}."
    )
    page = _press(compliance_client, django_capture_on_commit_callbacks)
    assert already in page and QUEUED not in page
    queued.claim("test-worker")
    assert already in _press(compliance_client, django_capture_on_commit_callbacks)
    assert _walks_asked_for().count() == 1

    _worker_runs(queued)
    assert QUEUED in _press(compliance_client, django_capture_on_commit_callbacks)
    assert _walks_asked_for().count() == 2


def test_a_second_press_before_the_first_commits_queues_no_second_walk(
    events, compliance_reviewer, database_queue
):
    # Both inside one transaction: the second asks after the first has queued, under the lock
    # that makes two requests at once ask one after the other.
    with transaction.atomic():
        first = request_chain_verification(actor=compliance_reviewer)
        second = request_chain_verification(actor=compliance_reviewer)
    assert _walks_asked_for().count() == 1
    assert first.run is not None and first.already_asked_at is None
    assert second.run is None
    assert second.already_asked_at == _walks_asked_for().get().enqueued_at


def test_a_walk_its_worker_abandoned_does_not_hold_the_button_back(
    events, compliance_client, database_queue, django_capture_on_commit_callbacks
):
    _press(compliance_client, django_capture_on_commit_callbacks)
    abandoned = _walks_asked_for().get()
    abandoned.claim("test-worker")
    _walks_asked_for().update(started_at=timezone.now() - ABANDONED_WALK_AFTER)

    page = compliance_client.get(LOG).content.decode()
    assert BUTTON in page and UNDER_WAY not in page
    assert QUEUED in _press(compliance_client, django_capture_on_commit_callbacks)
    assert _walks_asked_for().count() == 2


def test_the_worker_records_the_walk_for_the_person_who_asked_and_the_page_shows_it(
    events, compliance_client, compliance_reviewer, database_queue,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    _press(compliance_client, django_capture_on_commit_callbacks)
    queued = _walks_asked_for().get()
    _worker_runs(queued)

    checked = AuditEvent.objects.filter(verb=Verb.CHAIN_VERIFIED).get()
    assert checked.actor_id == compliance_reviewer.pk
    assert checked.ip_address == "127.0.0.1"
    assert checked.detail == {
        "intact": True, "events": checked.sequence - 1, "broken_at": None, "reason": None,
    }  # fmt: skip
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    assert queued.return_value == checked.detail
    page = compliance_client.get(LOG).content.decode()
    assert (
        f"{timezone.localtime(checked.occurred_at):%H:%M}</time>, asked for by {compliance_reviewer.email}"
        in page
    )
    assert f"Intact</strong> {checked.sequence - 1} events checked" in page
    assert BUTTON in page and UNDER_WAY not in page
    assert verify()[0]


def test_a_tampered_chain_shows_on_the_page_as_broken_at_its_first_altered_row(
    events, compliance_client, database_queue, django_capture_on_commit_callbacks
):
    target = AuditEvent.objects.filter(verb=Verb.DISCLOSED).get()
    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET object_label = %s WHERE id = %s", ["PH-X", target.pk]
        )
    _press(compliance_client, django_capture_on_commit_callbacks)
    _worker_runs(_walks_asked_for().get())

    checked = AuditEvent.objects.filter(verb=Verb.CHAIN_VERIFIED).get()
    ok, said = verify()
    reason = "its content does not match its hash (altered)"
    assert not ok and f"row {target.sequence}: {reason}" in said
    assert checked.detail == {
        "intact": False, "events": target.sequence - 1, "broken_at": target.sequence,
        "reason": reason,
    }  # fmt: skip
    page = compliance_client.get(LOG).content.decode()
    assert (
        f"Broken</strong> at row {target.sequence}: {escape(reason)} "
        f"({target.sequence - 1} rows verified before it)"
    ) in page


@pytest.mark.django_db(transaction=True)
def test_with_the_immediate_backend_the_walk_runs_at_once_and_the_message_gives_its_result(
    events, compliance_client, compliance_reviewer, settings
):
    # When debugging there is no worker: the walk runs as the press's transaction commits.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    html = compliance_client.post(VERIFY, follow=True).content.decode()
    checked = AuditEvent.objects.filter(verb=Verb.CHAIN_VERIFIED).get()
    assert f"Audit chain intact: {checked.sequence - 1} events checked." in html
    assert QUEUED not in html
    assert checked.actor_id == compliance_reviewer.pk
    assert f"Intact</strong> {checked.sequence - 1} events checked" in html
    assert BUTTON in html


@pytest.mark.django_db(transaction=True)
def test_with_the_immediate_backend_a_walk_that_fails_says_so_and_records_nothing(
    events, compliance_client, settings, monkeypatch
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    def lost_connection():
        raise ConnectionError("database went away")

    monkeypatch.setattr("audit.services.check_chain", lost_connection)
    html = compliance_client.post(VERIFY, follow=True).content.decode()
    assert "The check of the audit chain failed before it finished; nothing was recorded." in html
    assert QUEUED not in html and "Audit chain intact" not in html
    assert not AuditEvent.objects.filter(verb=Verb.CHAIN_VERIFIED).exists()

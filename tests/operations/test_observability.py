"""Observability: a request id on the response, every log line and the audit events; JSON log
lines that name the route, never what was typed into the URL; and /metrics for a Prometheus
scraper holding the token, with request counts by view, queues, failed e-mails and the age of
the last audit checkpoint."""

import io
import json
import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from audit.chain import find_break
from audit.models import AuditEvent, Verb
from audit.selectors import chain_rows
from audit.services import record, write_checkpoint
from core.observability import JsonFormatter, RequestIdFilter
from notifications.models import EmailStatus, Notification, NotificationKind

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
METRICS_TOKEN = "scraper-token-for-the-tests-0123456789"


@pytest.fixture
def json_log():
    """The lines the console handler would write in production, as parsed JSON."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def test_a_well_formed_request_id_from_the_proxy_is_kept_and_returned(officer_client):
    response = officer_client.get(reverse("home"), HTTP_X_REQUEST_ID="lb-7f3a9c2e-0001")
    assert response["X-Request-ID"] == "lb-7f3a9c2e-0001"


@pytest.mark.parametrize(
    "sent",
    [None, "", "short", "has spaces in it ok", "x" * 65, "new\nline-injected-0001"],
    ids=["none", "empty", "too short", "spaces", "too long", "newline"],
)
def test_a_missing_or_malformed_request_id_is_replaced_by_a_new_one(officer_client, sent):
    headers = {} if sent is None else {"HTTP_X_REQUEST_ID": sent}
    first = officer_client.get(reverse("home"), **headers)["X-Request-ID"]
    second = officer_client.get(reverse("home"), **headers)["X-Request-ID"]
    assert first != sent and len(first) == 32 and first != second


def test_each_request_logs_one_json_line_naming_its_route_not_its_path_or_query(
    officer_client, case, json_log
):
    response = officer_client.get(
        reverse("sharing:case-detail", args=[case.pk]) + "?search=Amina+Haddad",
        HTTP_X_REQUEST_ID="lb-7f3a9c2e-0002",
    )

    request_lines = [line for line in json_log() if line["logger"] == "partnerhub.requests"]
    assert len(request_lines) == 1
    line = request_lines[0]
    assert line["request_id"] == "lb-7f3a9c2e-0002" == response["X-Request-ID"]
    assert (line["level"], line["method"], line["status"]) == ("INFO", "GET", 200)
    assert line["path"] == "/cases/<int:pk>/"
    assert line["duration_ms"] >= 0 and line["time"].endswith("+00:00")
    assert "Amina" not in json.dumps(json_log()) and str(case.pk) not in line["message"]


def test_djangos_own_warning_for_a_refused_link_names_its_route_not_its_token(json_log):
    from django.test import Client

    Client().get("/links/secret-token-of-a-partner-0123456789/")

    warnings = [line for line in json_log() if line["logger"] == "django.request"]
    assert [line["message"] for line in warnings] == ["Not Found: /links/<str:token>/"]
    assert "secret-token" not in json.dumps(json_log())


def test_lines_logged_inside_a_request_carry_its_id_and_lines_outside_carry_none(json_log):
    from django.test import Client

    Client().get(reverse("healthz"), HTTP_X_REQUEST_ID="lb-7f3a9c2e-0003")
    logging.getLogger("partnerhub.elsewhere").warning("not in a request")

    by_logger = {line["logger"]: line for line in json_log()}
    assert by_logger["partnerhub.requests"]["request_id"] == "lb-7f3a9c2e-0003"
    assert by_logger["partnerhub.elsewhere"]["request_id"] is None


def test_extra_fields_other_than_the_request_line_are_not_written(json_log):
    logging.getLogger("partnerhub.elsewhere").info(
        "saved", extra={"person": "Amina Haddad", "status": 201}
    )
    (line,) = json_log()
    assert line["status"] == 201 and "Amina" not in json.dumps(line)


def test_audit_events_carry_the_request_id_outside_the_hash(officer_client, case):
    officer_client.get(
        reverse("sharing:case-detail", args=[case.pk]), HTTP_X_REQUEST_ID="lb-7f3a9c2e-0004"
    )
    viewed = AuditEvent.objects.filter(verb=Verb.VIEWED).latest("sequence")
    assert viewed.request_id == "lb-7f3a9c2e-0004"
    assert AuditEvent.objects.filter(sequence__lt=viewed.sequence, request_id=None).exists()
    assert find_break(chain_rows()) == (AuditEvent.objects.count(), None)


def test_the_audit_export_names_each_events_request(compliance_client, officer_client, case):
    officer_client.get(
        reverse("sharing:case-detail", args=[case.pk]), HTTP_X_REQUEST_ID="lb-7f3a9c2e-0005"
    )
    response = compliance_client.get(reverse("audit:event-export"), {"verb": "viewed"})
    text = b"".join(response.streaming_content).decode()
    assert "request id" in text.splitlines()[0]
    assert "lb-7f3a9c2e-0005" in text


def test_metrics_do_not_exist_without_a_token_configured(client, settings):
    settings.PARTNERHUB_METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {METRICS_TOKEN}").status_code == 404
    assert client.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {METRICS_TOKEN}").status_code == 404


def test_metrics_are_only_read(client, settings):
    settings.PARTNERHUB_METRICS_TOKEN = METRICS_TOKEN
    assert client.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {METRICS_TOKEN}").status_code == 405


@pytest.mark.parametrize(
    ("authorization", "status"),
    [(None, 401), ("Basic c2NyYXBlcjp4", 401), ("Bearer ", 401), ("Bearer wrong-token", 403)],
    ids=["none", "basic", "empty bearer", "wrong token"],
)
def test_metrics_refuse_a_missing_or_wrong_token(client, settings, authorization, status):
    settings.PARTNERHUB_METRICS_TOKEN = METRICS_TOKEN
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    response = client.get("/metrics", **headers)
    assert response.status_code == status
    assert b"partnerhub_" not in response.content


def _scrape(client) -> str:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {METRICS_TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def _value(text: str, series: str) -> float:
    for line in text.splitlines():
        name, _, value = line.rpartition(" ")
        if name == series:
            return float(value)
    raise AssertionError(f"{series} is not in the scrape:\n{text}")


def test_metrics_count_requests_by_view_name_and_status_class(client, officer_client, settings):
    settings.PARTNERHUB_METRICS_TOKEN = METRICS_TOKEN
    series = 'partnerhub_http_requests_total{method="GET",status="2xx",view="home"}'
    before = _value(_scrape(client), series) if series in _scrape(client) else 0
    officer_client.get(reverse("home"))
    officer_client.get(reverse("home"))
    officer_client.get("/cases/999999/")

    text = _scrape(client)
    assert _value(text, series) == before + 2
    assert 'view="sharing:case-detail"' in text and 'status="4xx"' in text
    assert "/cases/999999/" not in text
    assert 'partnerhub_http_request_duration_seconds_count{view="home"}' in text


def test_an_invented_method_is_counted_as_other_not_as_a_new_series(client, settings):
    settings.PARTNERHUB_METRICS_TOKEN = METRICS_TOKEN
    client.generic("BREW", reverse("healthz"))

    text = _scrape(client)
    assert 'method="other"' in text and "BREW" not in text


def test_metrics_report_queues_failed_emails_and_the_checkpoint_age(client, officer, settings):
    settings.PARTNERHUB_METRICS_TOKEN = METRICS_TOKEN
    settings.AUDIT_CHECKPOINT_KEY = "checkpoint-key-for-the-tests"
    settings.COMPLIANCE_EMAIL = "compliance@example.org"
    text = _scrape(client)
    assert _value(text, 'partnerhub_task_queue_length{queue="default"}') == 0
    assert _value(text, "partnerhub_notification_emails_failed") == 0
    assert "partnerhub_audit_checkpoint_age_seconds" not in text

    for status in (TaskResultStatus.READY, TaskResultStatus.READY, TaskResultStatus.FAILED):
        DBTaskResult.objects.create(
            status=status, args_kwargs={"args": [], "kwargs": {}}, task_path="notifications.x",
            backend_name="default", queue_name="default", run_after=timezone.now(),
            exception_class_path="", traceback="",
        )  # fmt: skip
    for email_status in (EmailStatus.FAILED, EmailStatus.SENT):
        Notification.objects.create(
            recipient=officer, kind=NotificationKind.CONSENT_REQUESTED, message="m", url="/",
            email_status=email_status,
        )  # fmt: skip
    record(verb=Verb.CHANGED, actor=officer, target=officer)
    written = write_checkpoint()
    ten_minutes_on = timezone.now() + timedelta(minutes=10)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("home.metrics.timezone.now", lambda: ten_minutes_on)
        text = _scrape(client)
    assert _value(text, 'partnerhub_task_queue_length{queue="default"}') == 2
    assert _value(text, 'partnerhub_tasks_failed{queue="default"}') == 1
    assert _value(text, "partnerhub_notification_emails_failed") == 1
    age = _value(text, "partnerhub_audit_checkpoint_age_seconds")
    assert 599 <= age <= 601, written


ADD_UP = """
import sys
import django
django.setup()
from home import metrics


class NoDatabase:
    def collect(self):
        return []


metrics.DatabaseCollector = NoDatabase
if sys.argv[1] == "count":
    for _ in range(int(sys.argv[2])):
        metrics.REQUESTS.labels("home", "GET", "2xx").inc()
else:
    sys.stdout.write(metrics.scrape().decode())
"""


def test_in_multiprocess_mode_a_scrape_adds_up_every_workers_requests(tmp_path):
    # As under gunicorn: each worker process counts into the shared directory.
    environment = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }

    def run(*args):
        return subprocess.run(
            [sys.executable, "-c", ADD_UP, *args], cwd=ROOT, env=environment,
            capture_output=True, text=True, timeout=60, check=True,
        ).stdout  # fmt: skip

    run("count", "3")
    run("count", "4")
    scraped = run("scrape")
    assert (
        _value(scraped, 'partnerhub_http_requests_total{method="GET",status="2xx",view="home"}')
        == 7
    )

"""Metrics for Prometheus at /metrics, for a scraper holding PARTNERHUB_METRICS_TOKEN.

Requests are counted, and their latency measured, by view name and status class, in each
process; under gunicorn, with PROMETHEUS_MULTIPROC_DIR set, every worker writes its figures to
that directory and a scrape adds them up, whichever worker answers it. What the database knows
(tasks waiting, e-mails that failed, how old the last audit checkpoint is) is read at scrape
time, so it is the same from every worker and needs no shared state.
"""

import hmac
import os
import time
from datetime import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as prometheus_multiprocess
from prometheus_client.core import GaugeMetricFamily

from audit.selectors import latest_checkpoint
from notifications.models import EmailStatus, Notification

# Collected by the scrape's own registry, never the library's global one, so that in
# multiprocess mode each figure is read once, from the shared directory.
_request_registry = CollectorRegistry()

REQUESTS = Counter(
    "partnerhub_http_requests",
    "Requests answered, by view name, method and status class.",
    ["view", "method", "status"],
    registry=_request_registry,
)
LATENCY = Histogram(
    "partnerhub_http_request_duration_seconds",
    "Time taken to answer a request, by view name.",
    ["view"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=_request_registry,
)


def view_name(request) -> str:
    # Never the raw path: its ids and tokens would make a series per case and leak links.
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else "unresolved"


# Any other method a client invents is counted as "other", so it cannot add series at will.
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        view = view_name(request)
        method = request.method if request.method in METHODS else "other"
        REQUESTS.labels(view, method, f"{response.status_code // 100}xx").inc()
        LATENCY.labels(view).observe(time.perf_counter() - started)
        return response


class DatabaseCollector:
    """Figures read from the database when scraped."""

    def collect(self):
        waiting = GaugeMetricFamily(
            "partnerhub_task_queue_length",
            "Background tasks waiting for the worker, by queue.",
            labels=["queue"],
        )
        failed_tasks = GaugeMetricFamily(
            "partnerhub_tasks_failed",
            "Background tasks that failed and are kept for inspection, by queue.",
            labels=["queue"],
        )
        for gauge, status in (
            (waiting, TaskResultStatus.READY),
            (failed_tasks, TaskResultStatus.FAILED),
        ):
            rows = (
                DBTaskResult.objects.filter(status=status)
                .values("queue_name")
                .annotate(count=Count("id"))
                .order_by("queue_name")
            )
            counts = {row["queue_name"]: row["count"] for row in rows}
            for queue in sorted({*counts, "default"}):
                gauge.add_metric([queue], counts.get(queue, 0))
        yield waiting
        yield failed_tasks

        yield GaugeMetricFamily(
            "partnerhub_notification_emails_failed",
            "Notification e-mails that failed and wait to be tried again.",
            value=Notification.objects.filter(email_status=EmailStatus.FAILED).count(),
        )

        checkpoint = latest_checkpoint()
        if checkpoint is not None:
            written_at = datetime.fromisoformat(checkpoint.written_at)
            yield GaugeMetricFamily(
                "partnerhub_audit_checkpoint_age_seconds",
                "Seconds since the last signed audit checkpoint was written (absent before the "
                "first one).",
                value=(timezone.now() - written_at).total_seconds(),
            )


def scrape() -> bytes:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        prometheus_multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(DatabaseCollector())
    return generate_latest(registry)


def presented_token(request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    return token.strip()


@login_not_required
@never_cache
def metrics(request):
    expected = settings.PARTNERHUB_METRICS_TOKEN
    # Unconfigured, the page does not exist for any method; configured, it is read only.
    if not expected:
        raise Http404("Not found")
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    token = presented_token(request)
    if token is None:
        response = HttpResponse("A bearer token is required.\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if not hmac.compare_digest(token.encode(), expected.encode()):
        return HttpResponse("That token is not the metrics token.\n", status=403)
    return HttpResponse(scrape(), content_type=CONTENT_TYPE_LATEST)

"""A request id on every log line, the audit events and the response, and logs as JSON.

The id comes from the proxy's X-Request-ID when it is well-formed, so one request can be
followed from the load balancer's log into ours; otherwise one is made here. The request line
names the page by its route ("/cases/<int:pk>/"), never the path as typed or its query string,
which could carry a secure link's token or a name searched for.
"""

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

REQUEST_ID_HEADER = "X-Request-ID"
# Letters, digits and a few separators, as load balancers and uuid4 write them; anything else
# (a header used to smuggle text into the logs) is replaced by an id of our own.
_WELL_FORMED_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,63}")

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

request_logger = logging.getLogger("partnerhub.requests")


def current_request_id() -> str | None:
    """The id of the request being handled, or None outside one (a command, the worker)."""
    return _request_id.get()


def request_id_from(header_value: str | None) -> str:
    if header_value and _WELL_FORMED_REQUEST_ID.fullmatch(header_value):
        return header_value
    return uuid.uuid4().hex


def route_of(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unresolved"
    return "/" + match.route


class RequestIdMiddleware:
    """Outermost, so every line logged while a request is handled carries its id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            request_logger.info(
                "%s %s %s",
                request.method,
                route_of(request),
                response.status_code,
                extra={
                    "method": request.method,
                    "path": route_of(request),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts the current request id on each record, for either format to show, and names the
    route instead of the path in Django's own request warnings ("Not Found: /links/<token>/"),
    which would otherwise write a secure link's token into the log."""

    def filter(self, record):
        record.request_id = current_request_id()
        request = getattr(record, "request", None)
        if request is not None and isinstance(record.args, tuple):
            path = getattr(request, "path", None)
            record.args = tuple(
                route_of(request) if argument == path else argument for argument in record.args
            )
        return True


# What a request line adds to the message; nothing else a caller passes in `extra` is written,
# so a careless `extra` cannot put case data into the logs.
REQUEST_FIELDS = ("method", "path", "status", "duration_ms")


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request_id, and for a request its
    method, route, status and duration."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for name in REQUEST_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)

"""The audit log pages, for managers and compliance reviewers; its CSV export and the on-demand
chain check, for compliance reviewers."""

import json
import re
from datetime import UTC
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tasks.base import TaskResultStatus

from audit import permissions
from audit.filters import AuditEventFilter, object_type_choices
from audit.models import AuditEvent, Verb
from audit.selectors import event_page, last_chain_verification
from audit.services import (
    client_ip,
    filters_on_record,
    pending_chain_verification,
    record,
    request_chain_verification,
)
from core.exports import csv_lines

# ASCII digits only, and no longer than a sequence number can be: `str.isdigit()` also accepts
# "²" or "٣", which `int()` then refuses or reads as another number.
POSITION = re.compile(r"[0-9]{1,18}")

EXPORT_HEADER = [
    "row", "occurred at (UTC)", "who", "what happened", "verb", "kind of record", "record id",
    "record", "fields changed", "detail", "from", "previous hash", "row hash", "request id",
]  # fmt: skip
EXPORT_COLUMNS = (
    "sequence", "occurred_at", "actor_label", "verb", "object_type", "object_id", "object_label",
    "changed_fields", "detail", "ip_address", "previous_hash", "row_hash", "request_id",
)  # fmt: skip


def _position(request, name) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if POSITION.fullmatch(value) else None


def _page(request, events):
    return event_page(
        events, before=_position(request, "before"), after=_position(request, "after")
    )


def _filter(request) -> AuditEventFilter:
    return AuditEventFilter(request.GET or None, queryset=AuditEvent.objects.all())


def _list_page(request, filterset, *, status=200):
    # Invalid filters list nothing, with the error at the field: showing every event would look
    # as if the filter had been applied.
    valid = not filterset.is_bound or filterset.is_valid()
    events = filterset.qs if valid else AuditEvent.objects.none()
    can_verify = permissions.may_verify_chain(request.user)
    return render(
        request,
        "audit/event_list.html",
        {
            "filterset": filterset,
            "page": _page(request, events),
            "can_export": permissions.may_export(request.user),
            "can_verify": can_verify,
            "last_verification": last_chain_verification() if can_verify else None,
            "verification_pending": pending_chain_verification() if can_verify else None,
            # A date filter arrives as its boxes (`occurred_from-day`, …) or as one ISO value.
            "export_query": urlencode(
                [
                    (name, value)
                    for name, value in request.GET.items()
                    if name.partition("-")[0] in filterset.filters
                ]
            ),
        },
        status=status,
    )


@permission_required("audit.view_auditevent", raise_exception=True)
def event_list(request):
    return _list_page(request, _filter(request))


def _export_rows(events):
    labels = dict(Verb.choices)
    for row in events.values_list(*EXPORT_COLUMNS).iterator(chunk_size=2_000):
        values = dict(zip(EXPORT_COLUMNS, row, strict=True))
        yield [
            values["sequence"],
            values["occurred_at"].astimezone(UTC).isoformat(),
            values["actor_label"],
            labels.get(values["verb"], values["verb"]),
            values["verb"],
            values["object_type"],
            values["object_id"],
            values["object_label"],
            ", ".join(values["changed_fields"]),
            json.dumps(values["detail"], sort_keys=True) if values["detail"] else "",
            values["ip_address"] or "",
            values["previous_hash"],
            values["row_hash"],
            values["request_id"] or "",
        ]


@permission_required("audit.export_auditevent", raise_exception=True)
def event_export(request):
    filterset = _filter(request)
    if filterset.is_bound and not filterset.is_valid():
        return _list_page(request, filterset, status=400)
    exported = record(
        verb=Verb.EXPORTED,
        actor=request.user,
        object_type="audit.auditevent",
        detail={"filters": filters_on_record(filterset, free_text=("actor",))},
        ip_address=client_ip(request),
    )
    # Up to the row before the export's own event: a fixed cut of the chain, however long the
    # download takes while others keep writing.
    events = filterset.qs.filter(sequence__lt=exported.sequence).order_by("sequence")
    response = StreamingHttpResponse(
        csv_lines(EXPORT_HEADER, _export_rows(events)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="partnerhub-audit-log-to-row-{exported.sequence - 1}.csv"'
    )
    return response


def _clock(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


@require_POST
@permission_required("audit.verify_auditevent", raise_exception=True)
def chain_verify(request):
    asked = request_chain_verification(actor=request.user, ip_address=client_ip(request))
    run = asked.run
    if asked.already_asked_at is not None:
        messages.info(
            request,
            "A check of the chain is already under way; "
            f"asked for at {_clock(asked.already_asked_at)}.",
        )
    elif run is not None and run.status == TaskResultStatus.SUCCESSFUL:
        # The immediate backend (when debugging) has walked the chain already.
        found = run.return_value
        if found["intact"]:
            messages.success(request, f"Audit chain intact: {found['events']} events checked.")
        else:
            messages.error(
                request,
                f"Audit chain broken at row {found['broken_at']}: {found['reason']} "
                f"({found['events']} rows verified before it).",
            )
    elif run is not None and run.status == TaskResultStatus.FAILED:
        messages.error(
            request, "The check of the audit chain failed before it finished; nothing was recorded."
        )
    else:
        messages.success(
            request,
            "Verification of the audit chain has been queued. Its result will show on this page "
            "when the background worker has walked the chain.",
        )
    return redirect("audit:event-list")


@permission_required("audit.view_auditevent", raise_exception=True)
def object_trail(request, object_type, object_id):
    events = AuditEvent.objects.filter(object_type=object_type, object_id=object_id)
    page = _page(request, events)
    if not page.events and page.newer is None:
        raise Http404("No audit events for this record")
    return render(
        request,
        "audit/object_trail.html",
        {
            "page": page,
            "object_kind": dict(object_type_choices()).get(object_type, object_type),
            "object_id": object_id,
            "object_label": page.events[0].object_label if page.events else "",
        },
    )

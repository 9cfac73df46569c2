"""The audit log pages, for managers and compliance reviewers."""

from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import render

from audit.filters import AuditEventFilter, object_type_choices
from audit.models import AuditEvent
from audit.selectors import event_page


def _position(request, name) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def _page(request, events):
    return event_page(
        events, before=_position(request, "before"), after=_position(request, "after")
    )


@permission_required("audit.view_auditevent", raise_exception=True)
def event_list(request):
    filterset = AuditEventFilter(request.GET or None, queryset=AuditEvent.objects.all())
    page = _page(request, filterset.qs)
    return render(request, "audit/event_list.html", {"filterset": filterset, "page": page})


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

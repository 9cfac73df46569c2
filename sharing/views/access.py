"""What every sharing page does before showing a record: find it if this person may see it,
and otherwise answer 404 and record the refused attempt, so the log shows who tried to open
what. A record a person may not see looks the same as one that does not exist."""

from django.http import Http404

from audit.models import Verb
from audit.services import client_ip, record
from sharing import permissions
from sharing.models import Case


def posted(request):
    # An empty POST is still a submission; `request.POST or None` would treat it as unbound.
    return request.POST if request.method == "POST" else None


def refuse_sight(request, model, pk) -> Http404:
    """The 404 for a record this person may not see or that does not exist, recorded as a
    denied attempt; the caller raises it."""
    record(
        verb=Verb.VIEW_DENIED,
        actor=request.user,
        object_type=model._meta.label_lower,
        object_id=str(pk),
        ip_address=client_ip(request),
    )
    return Http404(f"No such {model._meta.verbose_name}")


def case_or_404(request, pk, *, change=False) -> Case:
    """The case if this person may see (or change) it; otherwise a 404 recorded as refused."""
    try:
        if change:
            return permissions.case_for_changing(request.user, pk)
        return permissions.case_for_viewing(request.user, pk)
    except Http404:
        raise refuse_sight(request, Case, pk) from None

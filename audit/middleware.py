"""Every refused request by a signed-in person goes on record, once.

A 403 or a 404 from a page that exists (the URL resolved) is an attempt on something the person
may not see or do. Views that record their own refusal (`Verb.VIEW_DENIED` with the record's
type and id, as the case pages do) are left alone; for the rest the event names the page by its
URL name and the numeric ids in its path — never a token or other text from the URL.
"""

from audit.models import Verb
from audit.services import client_ip, record, stop_watching_refusals, watch_refusals

REFUSED = {403, 404}


def refused_page_label(url_name: str, ids: dict) -> str:
    return " ".join([url_name, *(f"{name}={value}" for name, value in sorted(ids.items()))])


class RefusalAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusals, token = watch_refusals()
        try:
            response = self.get_response(request)
        finally:
            stop_watching_refusals(token)
        match = getattr(request, "resolver_match", None)
        if (
            response.status_code in REFUSED
            and match is not None
            and not refusals
            and request.user.is_authenticated
        ):
            ids = {name: value for name, value in match.kwargs.items() if isinstance(value, int)}
            record(
                verb=Verb.VIEW_DENIED,
                actor=request.user,
                object_label=refused_page_label(match.view_name, ids),
                detail={
                    "page": match.view_name,
                    "ids": ids,
                    "status": response.status_code,
                    "method": request.method,
                },
                ip_address=client_ip(request),
            )
        return response

"""Project-wide pages: the home dashboard, the health check, the local demo's outbox and the
error pages."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

from core.roles import Role
from home import outbox as demo_outbox
from home.dashboard import cards_for


def home(request):
    roles = set(request.user.groups.values_list("name", flat=True))
    return render(
        request,
        "home/home.html",
        {
            "roles": [Role(name).label for name in sorted(roles) if name in Role.values],
            "cards": cards_for(request.user),
        },
    )


@login_not_required
@never_cache
def healthz(request):
    """200 when the database answers a query, 503 when it does not (for the load balancer)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"database": "unavailable"}, status=503)
    return JsonResponse({"database": "ok"})


def outbox(request):
    """Every e-mail the local demo sent (invitations with their calendar part, notifications,
    digests), so a newcomer sees what Partnerhub sends. Debug with the file backend only."""
    if not demo_outbox.in_use():
        raise Http404("Not found")
    return render(request, "home/outbox.html", {"messages_sent": demo_outbox.messages()})


def view_on_site(request, content_type_id, object_id):
    """The administration site's "view on site" shortcut. Django's own answers 404 for an id a
    number key cannot read, but lets through the ValidationError of one a UUID key cannot
    (the task results' table), which would be a server error."""
    try:
        return shortcut(request, content_type_id, object_id)
    except ValidationError:
        raise Http404 from None


def bad_request(request, exception):
    return render(request, "400.html", status=400)


def permission_denied(request, exception):
    return render(request, "403.html", status=403)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: whatever broke the page may break them too.
    return HttpResponseServerError(render_to_string("500.html"))

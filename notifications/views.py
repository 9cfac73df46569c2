from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from core.pagination import paginate
from notifications import permissions, selectors, services
from notifications.forms import PreferenceForm
from notifications.models import Delivery

PER_PAGE = 25


@require_GET
def notification_list(request):
    page, pagination = paginate(
        selectors.notifications_for_list(user=request.user), request.GET, PER_PAGE
    )
    return render(request, "notifications/list.html", {"page": page, "pagination": pagination})


@require_GET
def open_notification(request, pk):
    """Mark it read and go to the thing. The thing's own page decides whether the person may
    still see it (a reassigned case or a revoked consent answers 404 like any other)."""
    notification = permissions.notifications_of(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404("Not found")
    services.mark_read(notification=notification, actor=request.user)
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect("notifications:list")
    return redirect(notification.url)


@require_POST
def mark_all_read(request):
    marked = services.mark_all_read(actor=request.user)
    messages.success(request, f"{marked} notification{'s' if marked != 1 else ''} marked as read")
    return redirect("notifications:list")


@require_GET
def preferences(request):
    return render(
        request,
        "notifications/preferences.html",
        {"preferences": selectors.preferences_of(person=request.user)},
    )


def change_preference(request):
    current = {
        row["kind"].value: row["delivery"] for row in selectors.preferences_of(person=request.user)
    }
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                services.set_preference(
                    person=request.user,
                    kind=form.cleaned_data["kind"],
                    delivery=form.cleaned_data["delivery"],
                    actor=request.user,
                )
            except services.PreferenceRefused as refusal:
                form.add_error("delivery", str(refusal))
            else:
                messages.success(request, "Your notification setting is saved")
                return redirect("notifications:preferences")
    else:
        kind = request.GET.get("kind", "")
        form = PreferenceForm(
            initial={"kind": kind, "delivery": current.get(kind, Delivery.IMMEDIATELY)}
        )
    return render(
        request,
        "notifications/preference_change.html",
        {"form": form, "back_url": reverse("notifications:preferences")},
    )

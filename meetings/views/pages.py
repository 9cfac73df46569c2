"""The shape the meetings pages share: who may open a manager's page, how a form page is shown,
and how a posted form becomes a call to a service."""

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from meetings import permissions
from meetings.refusals import Refused


def manager_only(user, check=permissions.may_manage_meetings) -> None:
    # Someone who may see a meeting but not manage it is told nothing more about the page.
    if not check(user):
        raise Http404("Not found")


def form_page(request, form, *, back_url, context=None, template="meetings/form_page.html"):
    return render(request, template, {"form": form, "back_url": back_url, **(context or {})})


def show_refusal(form, refusal: Refused) -> None:
    """Each agency the gate refused, with its reason, as its own error; else the refusal.
    The refusal stays with the form, for a page that offers a way past it."""
    form.refusal = refusal
    refusals = getattr(refusal, "refusals", ())
    for agency, reason in refusals:
        form.add_error(None, f"{agency}: {reason}")
    if not refusals:
        form.add_error(None, str(refusal))


def submitted(
    request, form, change: Callable, *, success: str | Callable, redirect_to: str
) -> HttpResponse | None:
    """The change a posted, valid form asks for: `change(cleaned_data)` calls the service.

    Done, the person is told `success` (or `success(result)`) and sent on to `redirect_to`.
    Refused, or not posted, or not valid, it returns None with any refusal on the form, for
    the page to show the form again.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = change(form.cleaned_data)
    except Refused as refusal:
        show_refusal(form, refusal)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(redirect_to)

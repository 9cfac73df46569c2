"""The pages a directory contact opens from the signed links sent to them, without signing in:
their invitation (answer, send a deputy, the general agenda and its papers) and circulated
minutes to comment on. The link is the authority (meetings/links.py); the services check it
again for every change."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from audit.services import client_ip
from meetings import forms, links, services
from meetings.refusals import Refused
from meetings.views.pages import show_refusal


def _refused(request, refusal: links.LinkRefused):
    return render(
        request,
        "meetings/contact_link_refused.html",
        {"refusal": refusal},
        status=410 if refusal.code in {"expired", "withdrawn"} else 403,
    )


def _posted(request, form_class, prefix, initial=None):
    """The form that was sent (its fields carry its prefix), bound; the other one unbound."""
    sent = request.method == "POST" and any(key.startswith(f"{prefix}-") for key in request.POST)
    return form_class(request.POST if sent else None, prefix=prefix, initial=initial)


def _change(request, form, change, success) -> bool:
    if not form.is_bound or not form.is_valid():
        return False
    try:
        change(form.cleaned_data)
    except Refused as refusal:
        show_refusal(form, refusal)
        return False
    messages.success(request, success)
    return True


@login_not_required
@never_cache
def contact_invitation(request, token):
    try:
        link = links.verify_invitation(token)
    except links.LinkRefused as refusal:
        return _refused(request, refusal)
    ip_address = client_ip(request)
    answer_form = _posted(
        request,
        forms.LinkAnswerForm,
        "answer",
        initial={"response": link.attendance.response},
    )
    deputy_form = _posted(request, forms.LinkDeputyForm, "deputy")
    if _change(
        request,
        answer_form,
        lambda data: services.answer_by_link(
            token=token, response=data["response"], ip_address=ip_address
        ),
        "Your answer is recorded and the organiser can see it",
    ) or _change(
        request,
        deputy_form,
        lambda data: services.send_deputy_by_link(
            token=token,
            deputy_name=data["deputy_name"],
            deputy_email=data["deputy_email"],
            ip_address=ip_address,
        ),
        "The person you are sending is sent the invitation",
    ):
        return redirect("meetings:contact-invitation", token=token)
    attendance = link.attendance
    return render(
        request,
        "meetings/contact_invitation.html",
        {
            "token": token,
            "attendance": attendance,
            "meeting": attendance.meeting,
            "agenda": list(links.agenda_shown_by_link(link)),
            "answer_form": answer_form,
            "deputy_form": deputy_form,
            "has_errors": bool(answer_form.errors or deputy_form.errors),
        },
    )


@login_not_required
@never_cache
def contact_paper(request, token, pk):
    try:
        paper = services.paper_by_link(token=token, pk=pk, ip_address=client_ip(request))
    except links.LinkRefused as refusal:
        return _refused(request, refusal)
    if paper is None:
        raise Http404("No such paper")
    return FileResponse(
        paper.file.open("rb"),
        as_attachment=True,
        filename=paper.original_name,
        content_type=paper.content_type,
    )


@login_not_required
@never_cache
def contact_minutes(request, token):
    try:
        link = links.verify_minutes(token)
    except links.LinkRefused as refusal:
        return _refused(request, refusal)
    form = forms.MinutesCommentForm(request.POST or None)
    if request.method == "POST" and _change(
        request,
        form,
        lambda data: services.comment_by_link(
            token=token, text=data["text"], ip_address=client_ip(request)
        ),
        "Your comment is sent to the chair",
    ):
        return redirect("meetings:contact-minutes", token=token)
    return render(
        request,
        "meetings/contact_minutes.html",
        {
            "attendance": link.attendance,
            "meeting": link.attendance.meeting,
            "minutes": link.minutes,
            "minutes_shown": links.minutes_shown_by_link(link),
            "form": form,
        },
    )

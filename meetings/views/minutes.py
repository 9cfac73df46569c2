"""Writing, correcting, circulating and approving minutes, and the agenda and minutes as a
document."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.models import Verb
from audit.services import client_ip, record, record_view
from meetings import forms, permissions, selectors, services
from meetings.documents import meeting_document
from meetings.models import MinutesComment
from meetings.refusals import Refused
from meetings.views.pages import form_page, submitted
from sharing.documents import DocumentFailed


def _minutes_initial(meeting, current) -> tuple[list, dict]:
    """The meeting's case items (whoever keeps the minutes is shown every one) and the form's
    starting text: the current version's general part and case parts."""
    case_items = list(
        meeting.agenda_items.filter(case__isnull=False)
        .select_related("case")
        .order_by("position", "pk")
    )
    initial = {"body": current.body if current else ""}
    if current is not None:
        for part in current.case_parts.all():
            initial[f"{forms.CASE_PART_PREFIX}{part.agenda_item_id}"] = part.body
    return case_items, initial


def minutes_edit(request, pk):
    meeting = permissions.meeting_for(request.user, pk)
    if not permissions.may_keep_minutes(request.user, meeting):
        raise Http404("Not found")
    current = services.current_minutes(meeting)
    if current is not None and current.is_locked:
        return redirect("meetings:minutes-correct", pk=meeting.pk)
    case_items, initial = _minutes_initial(meeting, current)
    form = forms.MinutesForm(request.POST or None, initial=initial, case_items=case_items)
    meeting_url = reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk})
    if done := submitted(
        request,
        form,
        lambda data: services.write_minutes(
            meeting=meeting,
            body=data["body"],
            case_parts=form.case_parts(),
            actor=request.user,
            ip_address=client_ip(request),
        ),
        success="Draft minutes saved",
        redirect_to=meeting_url + "#minutes",
    ):
        return done
    if current is not None:
        record_view(request, target=current, detail={"page": "edit"})
    return form_page(request, form, back_url=meeting_url, context={"intro": str(meeting)})


def minutes_correct(request, pk):
    meeting = permissions.meeting_for(request.user, pk)
    if not permissions.may_keep_minutes(request.user, meeting):
        raise Http404("Not found")
    current = services.current_minutes(meeting)
    case_items, initial = _minutes_initial(meeting, current)
    form = forms.CorrectionForm(request.POST or None, initial=initial, case_items=case_items)
    meeting_url = reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk})
    if done := submitted(
        request,
        form,
        lambda data: services.correct_minutes(
            meeting=meeting,
            body=data["body"],
            reason=data["reason"],
            case_parts=form.case_parts(),
            actor=request.user,
            ip_address=client_ip(request),
        ),
        success="Correction saved as a draft: circulate it for approval",
        redirect_to=meeting_url + "#minutes",
    ):
        return done
    if current is not None:
        record_view(request, target=current, detail={"page": "correct"})
    return form_page(
        request,
        form,
        back_url=meeting_url,
        context={
            "intro": "The approved version stays on record. The correction is a new version "
            "that is circulated and approved in the same way."
        },
    )


@require_POST
def minutes_transition(request, pk, step):
    change = {"circulate": services.circulate_minutes, "approve": services.approve_minutes}.get(
        step
    )
    meeting = permissions.meeting_for(request.user, pk)
    # Nobody approves minutes they may not read.
    if not permissions.may_keep_minutes(request.user, meeting):
        raise Http404("Not found")
    current = services.current_minutes(meeting)
    if current is None or change is None:
        raise Http404("No minutes")
    try:
        change(minutes=current, actor=request.user, ip_address=client_ip(request))
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, "Minutes circulated" if step == "circulate" else "Minutes approved and locked"
        )
    return redirect(reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk}) + "#minutes")


def minutes_comment(request, pk):
    """An attendee comments on the circulated minutes of a meeting."""
    meeting = permissions.meeting_for(request.user, pk)
    current = services.current_minutes(meeting)
    if current is None or not permissions.may_comment_on_minutes(request.user, meeting):
        raise Http404("Not found")
    form = forms.MinutesCommentForm(request.POST or None)
    meeting_url = reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk})
    if done := submitted(
        request,
        form,
        lambda data: services.comment_on_minutes(
            minutes=current, text=data["text"], actor=request.user, ip_address=client_ip(request)
        ),
        success="Comment sent to the chair",
        redirect_to=meeting_url + "#minutes-comments",
    ):
        return done
    closes = current.comments_close_at
    return form_page(
        request,
        form,
        back_url=meeting_url,
        context={
            "intro": f"{meeting}. Comments close on {timezone.localtime(closes):%-d %B %Y at %H:%M}."
            if closes
            else str(meeting)
        },
    )


def minutes_comment_resolve(request, pk):
    comment = get_object_or_404(MinutesComment.objects.select_related("minutes"), pk=pk)
    meeting = permissions.meeting_for(request.user, comment.minutes.meeting_id)
    if not permissions.may_keep_minutes(request.user, meeting):
        raise Http404("Not found")
    form = forms.ResolveCommentForm(request.POST or None)
    meeting_url = reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk})
    if done := submitted(
        request,
        form,
        lambda data: services.resolve_minutes_comment(
            comment=comment,
            resolution=data["resolution"],
            actor=request.user,
            ip_address=client_ip(request),
        ),
        success="Comment resolved",
        redirect_to=meeting_url + "#minutes-comments",
    ):
        return done
    return form_page(request, form, back_url=meeting_url, context={"intro": comment.text})


def meeting_document_download(request, pk):
    """The agenda and minutes as a PDF, holding only what the meeting page shows this person:
    an export, so on record with the cases and case parts it carried."""
    meeting = permissions.meeting_for(request.user, pk)
    page = selectors.meeting_page(meeting=meeting, user=request.user)
    try:
        pdf = meeting_document(page=page, reader=request.user)
    except DocumentFailed:
        messages.error(request, "The document could not be produced. Try again later.")
        return redirect("meetings:meeting-detail", pk=meeting.pk)
    current = page.minutes[0] if page.minutes else None
    record(
        verb=Verb.EXPORTED,
        actor=request.user,
        target=meeting,
        detail={
            "format": "pdf",
            "case_ids": sorted(
                item.case_id for item in page.agenda if getattr(item, "details_shown", False)
            ),
            "minutes_version": current.version if current else None,
            "case_part_ids": [part.pk for part in current.shown_case_parts] if current else [],
        },
        ip_address=client_ip(request),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="meeting-{meeting.pk}-agenda-and-minutes.pdf"'
    )
    return response

"""Agenda items and their papers."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from audit.services import client_ip
from meetings import forms, permissions, services
from meetings.models import AgendaItem, Paper
from meetings.views.pages import form_page, manager_only, submitted


def agenda_item_for(user, pk) -> AgendaItem:
    item = get_object_or_404(AgendaItem, pk=pk)
    item.meeting = permissions.meeting_for(user, item.meeting_id)
    return item


def agenda_item_create(request, pk):
    manager_only(request.user)
    meeting = permissions.meeting_for(request.user, pk)
    form = forms.AgendaItemForm(request.POST or None)
    meeting_url = reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk})
    if done := submitted(
        request,
        form,
        lambda data: services.add_agenda_item(
            meeting=meeting,
            title=data["title"],
            description=data["description"],
            presenter=data["presenter"],
            actor=request.user,
            ip_address=client_ip(request),
        ),
        success="Agenda item added",
        redirect_to=meeting_url + "#agenda",
    ):
        return done
    return form_page(request, form, back_url=meeting_url)


def agenda_item_edit(request, pk):
    manager_only(request.user)
    item = agenda_item_for(request.user, pk)
    if item.case_id is not None:
        raise Http404("Not found")
    form = forms.AgendaItemForm(request.POST or None, instance=item)
    meeting_url = reverse("meetings:meeting-detail", kwargs={"pk": item.meeting_id})
    if done := submitted(
        request,
        form,
        lambda data: services.change_agenda_item(
            item=form.save(commit=False),
            changed_fields=form.changed_data,
            actor=request.user,
            ip_address=client_ip(request),
        ),
        success="Agenda item saved",
        redirect_to=meeting_url + "#agenda",
    ):
        return done
    return form_page(request, form, back_url=meeting_url)


@require_POST
def agenda_item_move(request, pk):
    manager_only(request.user)
    item = agenda_item_for(request.user, pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    services.move_agenda_item(
        item=item, offset=offset, actor=request.user, ip_address=client_ip(request)
    )
    return redirect(reverse("meetings:meeting-detail", kwargs={"pk": item.meeting_id}) + "#agenda")


def paper_upload(request, pk):
    item = agenda_item_for(request.user, pk)
    if not permissions.may_add_paper(request.user, item):
        raise Http404("Not found")
    form = forms.PaperForm(request.POST or None, request.FILES or None)
    meeting_url = reverse("meetings:meeting-detail", kwargs={"pk": item.meeting_id})
    if done := submitted(
        request,
        form,
        lambda data: services.add_paper(
            item=item, uploaded=data["file"], actor=request.user, ip_address=client_ip(request)
        ),
        success="Paper added",
        redirect_to=meeting_url + "#agenda",
    ):
        return done
    return form_page(
        request,
        form,
        back_url=meeting_url,
        context={"intro": f"For agenda item {item.position}: {item.title}"},
    )


def paper_download(request, pk):
    paper = get_object_or_404(Paper.objects.select_related("agenda_item"), pk=pk)
    # Only those who may see the meeting may have its papers, and a case item's papers only
    # those who may see its details.
    item = paper.agenda_item
    item.meeting = permissions.meeting_for(request.user, item.meeting_id)
    if not permissions.may_download_paper(request.user, item):
        raise Http404("No such paper")
    services.record_paper_download(paper=paper, actor=request.user, ip_address=client_ip(request))
    return FileResponse(
        paper.file.open("rb"),
        as_attachment=True,
        filename=paper.original_name,
        content_type=paper.content_type,
    )

"""Forum, meeting, attendance, agenda, minutes and action pages. Thin: parse, authorise, call a
service, render."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_GET, require_POST

from audit.services import client_ip, record_view
from meetings import (
    calendar,
    feeds,
    forms,
    invitations,
    permissions,
    schedule,
    selectors,
    services,
)
from meetings.models import (
    CONFIDENTIALITY_STATEMENT,
    AgendaItem,
    Attendance,
    Forum,
    MeetingStatus,
    Paper,
    Refused,
)
from meetings.papers import PaperRefused


def _manager_only(user, check=permissions.may_manage_meetings):
    # Someone who may see a meeting but not manage it is told nothing more about the page.
    if not check(user):
        raise Http404("Not found")


def _form_page(request, form, *, back_url, context=None, template="meetings/form_page.html"):
    return render(request, template, {"form": form, "back_url": back_url, **(context or {})})


def _refusal_on(form, refusal: Exception) -> None:
    form.add_error(None, str(refusal))


# Forums -------------------------------------------------------------------------------------


def forum_list(request):
    return render(
        request,
        "meetings/forum_list.html",
        {
            "forums": selectors.forums_for_list(request.user),
            "may_manage": permissions.may_manage_forums(request.user),
        },
    )


def _forum_form_page(request, form, *, back_url):
    preview = None
    if request.method == "POST" and "preview" in request.POST:
        # The schedule's own fields are enough for a preview, whatever else is still missing.
        form.is_valid()
        preview = form.preview()
        if request.htmx:
            return render(
                request, "meetings/_schedule_preview.html", {"form": form, "preview": preview}
            )
    return render(
        request,
        "meetings/forum_form.html",
        {"form": form, "back_url": back_url, "preview": preview},
    )


def _wants_preview(request) -> bool:
    return "preview" in request.POST


def forum_create(request):
    _manager_only(request.user, permissions.may_manage_forums)
    form = forms.ForumForm(request.POST or None)
    if request.method == "POST" and not _wants_preview(request) and form.is_valid():
        forum = services.save_forum(
            forum=form.save(commit=False),
            member_agencies=form.cleaned_data["member_agencies"],
            members=form.cleaned_data["members"],
            actor=request.user,
            ip_address=client_ip(request),
        )
        messages.success(request, f"{forum.name} is set up")
        return redirect("meetings:forum-detail", pk=forum.pk)
    return _forum_form_page(request, form, back_url=reverse("meetings:forum-list"))


def forum_edit(request, pk):
    _manager_only(request.user, permissions.may_manage_forums)
    forum = get_object_or_404(Forum, pk=pk)
    form = forms.ForumForm(request.POST or None, instance=forum)
    if request.method == "POST" and not _wants_preview(request) and form.is_valid():
        try:
            services.save_forum(
                forum=form.save(commit=False),
                member_agencies=form.cleaned_data["member_agencies"],
                members=form.cleaned_data["members"],
                actor=request.user,
                changed_fields=form.changed_data,
                ip_address=client_ip(request),
            )
        except Refused as refusal:
            _refusal_on(form, refusal)
        else:
            messages.success(request, "Forum saved")
            return redirect("meetings:forum-detail", pk=forum.pk)
    return _forum_form_page(
        request, form, back_url=reverse("meetings:forum-detail", kwargs={"pk": forum.pk})
    )


def forum_detail(request, pk):
    forum = permissions.forum_for(request.user, pk)
    page = selectors.forum_page(forum=forum, user=request.user)
    return render(
        request,
        "meetings/forum_detail.html",
        {
            "page": page,
            "forum": forum,
            "schedule_words": schedule.describe(forum.schedule_rrule),
            "may_manage": permissions.may_manage_meetings(request.user),
            "may_manage_forum": permissions.may_manage_forums(request.user),
            "undelivered": (
                selectors.undelivered_count(forum)
                if permissions.may_manage_meetings(request.user)
                else 0
            ),
            "today": timezone.localdate(),
        },
    )


def forum_overdue_actions(request, pk):
    forum = permissions.forum_for(request.user, pk)
    actions = selectors.overdue_actions(forum=forum, user=request.user)
    if actions:
        record_view(request, target=forum, detail={"list": "overdue actions"})
    return render(
        request,
        "meetings/overdue_actions.html",
        {"forum": forum, "actions": actions, "today": timezone.localdate()},
    )


# Meetings -----------------------------------------------------------------------------------


def meeting_generate(request, pk):
    _manager_only(request.user)
    forum = permissions.forum_for(request.user, pk)
    back_url = reverse("meetings:forum-detail", kwargs={"pk": forum.pk})
    if not forum.has_schedule:
        messages.error(request, "Add a recurrence rule to the forum before generating meetings")
        return redirect(back_url)
    form = forms.GenerateMeetingsForm(request.POST or None, initial=forms.default_period())
    if request.method == "POST" and form.is_valid():
        try:
            created = services.schedule_series(
                forum=forum,
                start_date=form.cleaned_data["start_date"],
                end_date=form.cleaned_data["end_date"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except Refused as refusal:
            _refusal_on(form, refusal)
        else:
            if created:
                messages.success(request, f"{len(created)} meetings added to {forum.name}")
            else:
                messages.success(request, "Every meeting in that period already exists")
            return redirect(back_url)
    return _form_page(
        request,
        form,
        back_url=back_url,
        context={"forum": forum, "schedule_words": schedule.describe(forum.schedule_rrule)},
        template="meetings/meeting_generate.html",
    )


def meeting_create(request, pk):
    _manager_only(request.user)
    forum = permissions.forum_for(request.user, pk)
    initial = {"location": forum.schedule_location, "online_url": forum.schedule_online_url}
    if forum.schedule_time:
        initial["start_time"] = forum.schedule_time
    form = forms.MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        meeting = services.create_meeting(
            forum=forum,
            title=form.cleaned_data["title"],
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            location=form.cleaned_data["location"],
            online_url=form.cleaned_data["online_url"],
            actor=request.user,
            ip_address=client_ip(request),
        )
        messages.success(request, "Meeting added")
        return redirect("meetings:meeting-detail", pk=meeting.pk)
    return _form_page(
        request, form, back_url=reverse("meetings:forum-detail", kwargs={"pk": forum.pk})
    )


def meeting_detail(request, pk):
    meeting = permissions.meeting_for(request.user, pk)
    page = selectors.meeting_page(meeting=meeting, user=request.user)
    if shown := sorted(
        item.case_id for item in page.agenda if getattr(item, "details_shown", False)
    ):
        record_view(request, target=meeting, detail={"case_ids": shown})
    may_manage = permissions.may_manage_meetings(request.user)
    now = timezone.now()
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "page": page,
            "meeting": meeting,
            "may_manage": may_manage,
            "may_change": may_manage and meeting.status == MeetingStatus.SCHEDULED,
            "may_record": may_manage
            and meeting.status != MeetingStatus.CANCELLED
            and meeting.start <= now,
            "may_respond": page.my_attendance is not None
            and meeting.status != MeetingStatus.CANCELLED
            and meeting.end > now,
            "may_invite_again": may_manage
            and meeting.status == MeetingStatus.SCHEDULED
            and meeting.start > now,
            "current_minutes": page.minutes[0] if page.minutes else None,
            "may_keep_minutes": page.may_keep_minutes and meeting.status != MeetingStatus.CANCELLED,
            "meeting_started": meeting.start <= now,
            "may_review": permissions.may_review_actions(request.user, meeting)
            and meeting.start <= now,
            "today": timezone.localdate(),
            "confidentiality_statement": CONFIDENTIALITY_STATEMENT,
        },
    )


def meeting_edit(request, pk):
    _manager_only(request.user)
    meeting = permissions.meeting_for(request.user, pk)
    form = forms.MeetingForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.reschedule_meeting(
                meeting=meeting,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                location=form.cleaned_data["location"],
                online_url=form.cleaned_data["online_url"],
                title=form.cleaned_data["title"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except Refused as refusal:
            _refusal_on(form, refusal)
        else:
            messages.success(request, "Meeting changed")
            return redirect("meetings:meeting-detail", pk=meeting.pk)
    return _form_page(
        request, form, back_url=reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk})
    )


def meeting_cancel(request, pk):
    _manager_only(request.user)
    meeting = permissions.meeting_for(request.user, pk)
    form = forms.CancelMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_meeting(
                meeting=meeting,
                reason=form.cleaned_data["reason"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except Refused as refusal:
            _refusal_on(form, refusal)
        else:
            messages.success(request, "Meeting cancelled")
            return redirect("meetings:meeting-detail", pk=meeting.pk)
    return _form_page(
        request,
        form,
        back_url=reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk}),
        context={"meeting": meeting},
        template="meetings/meeting_cancel.html",
    )


# Attendance ---------------------------------------------------------------------------------


def attendance_invite(request, pk):
    _manager_only(request.user)
    meeting = permissions.meeting_for(request.user, pk)
    form = forms.InviteForm(request.POST or None, forum=meeting.forum)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite(
                meeting=meeting,
                agency=form.cleaned_data["agency"],
                person=form.cleaned_data["person"],
                optional=form.cleaned_data["is_optional"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except Refused as refusal:
            _refusal_on(form, refusal)
        else:
            messages.success(request, "Invitation added")
            return redirect("meetings:meeting-detail", pk=meeting.pk)
    return _form_page(
        request, form, back_url=reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk})
    )


def attendance_fill_seat(request, pk):
    _manager_only(request.user)
    seat = get_object_or_404(Attendance.objects.select_related("agency"), pk=pk, person=None)
    meeting = permissions.meeting_for(request.user, seat.meeting_id)
    form = forms.FillSeatForm(request.POST or None, agency=seat.agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite(
                meeting=meeting,
                agency=seat.agency,
                person=form.cleaned_data["person"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except Refused as refusal:
            _refusal_on(form, refusal)
        else:
            messages.success(request, "Seat filled")
            return redirect("meetings:meeting-detail", pk=meeting.pk)
    return _form_page(
        request,
        form,
        back_url=reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk}),
        context={"intro": f"{seat.agency}'s seat at {meeting}"},
    )


def attendance_respond(request, pk):
    meeting = permissions.meeting_for(request.user, pk)
    attendance = meeting.attendances.filter(person=request.user).first()
    if attendance is None:
        raise Http404("Not invited")
    attendance.meeting = meeting
    form = forms.RespondForm(request.POST or None, initial={"response": attendance.response})
    if request.method == "POST" and form.is_valid():
        try:
            services.respond(
                attendance=attendance,
                response=form.cleaned_data["response"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except Refused as refusal:
            _refusal_on(form, refusal)
        else:
            messages.success(request, "Your response is recorded")
            return redirect("meetings:meeting-detail", pk=meeting.pk)
    return _form_page(
        request,
        form,
        back_url=reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk}),
        context={"intro": str(meeting)},
    )


def attendance_record(request, pk):
    _manager_only(request.user)
    meeting = permissions.meeting_for(request.user, pk)
    attendances = list(
        meeting.attendances.select_related("agency", "person").order_by(
            "agency__name", "person__full_name"
        )
    )
    entry_forms = [
        forms.AttendanceEntryForm(request.POST or None, attendance=attendance)
        for attendance in attendances
    ]
    problem = None
    if request.method == "POST" and all(form.is_valid() for form in entry_forms):
        try:
            services.record_attendance(
                meeting=meeting,
                entries=[
                    (
                        form.attendance,
                        form.cleaned_data["outcome"],
                        form.cleaned_data["deputy_name"],
                        form.cleaned_data["sent_information_in_advance"],
                    )
                    for form in entry_forms
                ],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except (Refused, ValidationError) as refusal:
            problem = refusal.messages[0] if isinstance(refusal, ValidationError) else refusal
        else:
            messages.success(request, "Attendance recorded")
            return redirect("meetings:meeting-detail", pk=meeting.pk)
    return render(
        request,
        "meetings/attendance_record.html",
        {
            "meeting": meeting,
            "entry_forms": entry_forms,
            "problem": problem,
            "has_errors": any(form.is_bound and form.errors for form in entry_forms),
        },
    )


# Agenda and papers --------------------------------------------------------------------------


def _agenda_item(user, pk) -> AgendaItem:
    item = get_object_or_404(AgendaItem, pk=pk)
    item.meeting = permissions.meeting_for(user, item.meeting_id)
    return item


def agenda_item_create(request, pk):
    _manager_only(request.user)
    meeting = permissions.meeting_for(request.user, pk)
    form = forms.AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_agenda_item(
                meeting=meeting,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                presenter=form.cleaned_data["presenter"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except Refused as refusal:
            _refusal_on(form, refusal)
        else:
            messages.success(request, "Agenda item added")
            return redirect(
                reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk}) + "#agenda"
            )
    return _form_page(
        request, form, back_url=reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk})
    )


def agenda_item_edit(request, pk):
    _manager_only(request.user)
    item = _agenda_item(request.user, pk)
    if item.case_id is not None:
        raise Http404("Not found")
    form = forms.AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_agenda_item(
                item=form.save(commit=False),
                changed_fields=form.changed_data,
                actor=request.user,
                ip_address=client_ip(request),
            )
        except Refused as refusal:
            _refusal_on(form, refusal)
        else:
            messages.success(request, "Agenda item saved")
            return redirect(
                reverse("meetings:meeting-detail", kwargs={"pk": item.meeting_id}) + "#agenda"
            )
    return _form_page(
        request, form, back_url=reverse("meetings:meeting-detail", kwargs={"pk": item.meeting_id})
    )


@require_POST
def agenda_item_move(request, pk):
    _manager_only(request.user)
    item = _agenda_item(request.user, pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    services.move_agenda_item(
        item=item, offset=offset, actor=request.user, ip_address=client_ip(request)
    )
    return redirect(reverse("meetings:meeting-detail", kwargs={"pk": item.meeting_id}) + "#agenda")


def paper_upload(request, pk):
    item = _agenda_item(request.user, pk)
    if not permissions.may_add_paper(request.user, item):
        raise Http404("Not found")
    form = forms.PaperForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_paper(
                item=item,
                uploaded=form.cleaned_data["file"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except (Refused, PaperRefused) as refusal:
            _refusal_on(form, refusal)
        else:
            messages.success(request, "Paper added")
            return redirect(
                reverse("meetings:meeting-detail", kwargs={"pk": item.meeting_id}) + "#agenda"
            )
    return _form_page(
        request,
        form,
        back_url=reverse("meetings:meeting-detail", kwargs={"pk": item.meeting_id}),
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


# Case items and confidentiality -------------------------------------------------------------


def _refusals_on(form, refusal: Refused) -> None:
    """Each agency the gate refused, with its reason, as its own error; else the refusal."""
    refusals = getattr(refusal, "refusals", ())
    for agency, reason in refusals:
        form.add_error(None, f"{agency}: {reason}")
    if not refusals:
        form.add_error(None, str(refusal))


def case_item_create(request, pk):
    meeting = permissions.meeting_for(request.user, pk)
    if not (meeting.forum.discusses_cases and permissions.may_list_cases(request.user)):
        raise Http404("Not found")
    form = forms.CaseItemForm(request.POST or None, meeting=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_case_item(
                meeting=meeting,
                case=form.cleaned_data["case"],
                title=form.cleaned_data["heading"],
                purpose=form.cleaned_data["purpose"],
                categories=form.cleaned_data["categories"],
                content=form.cleaned_data["content"],
                record_of_decision=form.record_of_decision(request.user),
                actor=request.user,
                ip_address=client_ip(request),
            )
        except Refused as refusal:
            _refusals_on(form, refusal)
        else:
            messages.success(request, "Case added to the agenda and shared with the agencies")
            return redirect(
                reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk}) + "#agenda"
            )
    return _form_page(
        request,
        form,
        back_url=reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk}),
        template="meetings/case_item_form.html",
        context={
            "intro": f"Adding a case to the agenda of {meeting} shares it with every agency "
            "attending.",
            "agencies": selectors.attending_agencies(
                meeting.attendances.select_related("agency"), besides=request.user.agency_id
            ),
        },
    )


def case_item_share(request, pk):
    item = _agenda_item(request.user, pk)
    if item.case_id is None or not permissions.may_work_on_case_item(request.user, item):
        raise Http404("Not found")
    earlier = permissions.disclosures_for_items([item.pk]).order_by("-disclosed_at").first()
    form = forms.CaseItemShareForm(request.POST or None, disclosure=earlier)
    if request.method == "POST" and form.is_valid():
        try:
            shared = services.share_case_item(
                item=item,
                purpose=form.cleaned_data["purpose"],
                categories=form.cleaned_data["categories"],
                record_of_decision=form.record_of_decision(request.user),
                actor=request.user,
                ip_address=client_ip(request),
            )
        except Refused as refusal:
            _refusals_on(form, refusal)
        else:
            messages.success(
                request, f"Case shared with {len(shared)} more agenc{pluralize(shared, 'y,ies')}"
            )
            return redirect(
                reverse("meetings:meeting-detail", kwargs={"pk": item.meeting_id}) + "#agenda"
            )
    return _form_page(
        request,
        form,
        back_url=reverse("meetings:meeting-detail", kwargs={"pk": item.meeting_id}),
        template="meetings/case_item_form.html",
        context={
            "intro": f"Agenda item {item.position}, {item.title}, is shared with each agency "
            "attending when it is added. Agencies invited since have not been given it.",
            "agencies": selectors.agencies_not_yet_covered(item, besides=request.user.agency_id),
            "sharing_later": True,
        },
    )


@require_POST
def meeting_affirm(request, pk):
    meeting = permissions.meeting_for(request.user, pk)
    if not (meeting.forum.discusses_cases or meeting.agenda_items.exclude(case=None).exists()):
        raise Http404("Not found")
    try:
        services.affirm_confidentiality(
            meeting=meeting, actor=request.user, ip_address=client_ip(request)
        )
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "You have affirmed the confidentiality statement")
    return redirect(reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk}) + "#agenda")


# Minutes ------------------------------------------------------------------------------------


def minutes_edit(request, pk):
    meeting = permissions.meeting_for(request.user, pk)
    if not permissions.may_keep_minutes(request.user, meeting):
        raise Http404("Not found")
    current = services.current_minutes(meeting)
    if current is not None and current.is_locked:
        return redirect("meetings:minutes-correct", pk=meeting.pk)
    form = forms.MinutesForm(
        request.POST or None, initial={"body": current.body if current else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.write_minutes(
                meeting=meeting,
                body=form.cleaned_data["body"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except Refused as refusal:
            _refusal_on(form, refusal)
        else:
            messages.success(request, "Draft minutes saved")
            return redirect(
                reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk}) + "#minutes"
            )
    if current is not None:
        record_view(request, target=current, detail={"page": "edit"})
    return _form_page(
        request,
        form,
        back_url=reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk}),
        context={"intro": str(meeting)},
    )


def minutes_correct(request, pk):
    meeting = permissions.meeting_for(request.user, pk)
    if not permissions.may_keep_minutes(request.user, meeting):
        raise Http404("Not found")
    current = services.current_minutes(meeting)
    form = forms.CorrectionForm(
        request.POST or None, initial={"body": current.body if current else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_minutes(
                meeting=meeting,
                body=form.cleaned_data["body"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except Refused as refusal:
            _refusal_on(form, refusal)
        else:
            messages.success(request, "Correction saved as a draft: circulate it for approval")
            return redirect(
                reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk}) + "#minutes"
            )
    if current is not None:
        record_view(request, target=current, detail={"page": "correct"})
    return _form_page(
        request,
        form,
        back_url=reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk}),
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


# Actions ------------------------------------------------------------------------------------


def action_create(request, pk):
    meeting = permissions.meeting_for(request.user, pk)
    manages = permissions.may_manage_meetings(request.user)
    items = permissions.action_agenda_items(request.user, meeting)
    if not (manages or items):
        raise Http404("Not found")
    initial = {"due_on": timezone.localdate() + timedelta(days=28)}
    if item_pk := request.GET.get("item"):
        initial["agenda_item"] = item_pk
    form = forms.ActionForm(
        request.POST or None,
        meeting=meeting,
        agenda_items=items,
        whole_meeting=manages,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.create_action(
                meeting=meeting,
                agenda_item=form.cleaned_data["agenda_item"],
                description=form.cleaned_data["description"],
                owner=form.cleaned_data["owner"],
                owner_agency=form.cleaned_data["owner_agency"],
                due_on=form.cleaned_data["due_on"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except Refused as refusal:
            _refusals_on(form, refusal)
        else:
            messages.success(request, "Action added")
            return redirect(
                reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk}) + "#actions"
            )
    return _form_page(
        request,
        form,
        back_url=reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk}),
        context={"intro": str(meeting)},
    )


def action_review(request, pk, action_pk):
    meeting = permissions.meeting_for(request.user, pk)
    if not permissions.may_review_actions(request.user, meeting):
        raise Http404("Not found")
    action = get_object_or_404(
        selectors.carried_over_actions(meeting)
        .still_open()
        .select_related("meeting", "agenda_item"),
        pk=action_pk,
    )
    if not permissions.may_update_action(request.user, action):
        raise Http404("Not found")
    back_url = reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk}) + "#carried-over"
    form = forms.ActionReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_action(
                action=action,
                meeting=meeting,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except Refused as refusal:
            _refusal_on(form, refusal)
        else:
            messages.success(request, "Review recorded")
            return redirect(back_url)
    return _form_page(
        request,
        form,
        back_url=back_url,
        context={
            "intro": f"{action.description}, from the meeting of "
            f"{timezone.localtime(action.meeting.start):%-d %B %Y}"
        },
    )


def action_detail(request, pk):
    action = permissions.action_for(request.user, pk)
    restricted = bool(permissions.actions_restricted(request.user, [action]))
    # Someone not shown the case item an action is about writes nothing on it, organisers
    # included: an update is part of that case's record.
    may_update = (
        permissions.may_update_action(request.user, action) and action.is_open and not restricted
    )
    update_form = forms.ActionUpdateForm(action=action) if may_update else None
    close_form = forms.CloseActionForm() if may_update else None
    if request.method == "POST" and may_update:
        if request.POST.get("form") == "close":
            close_form = forms.CloseActionForm(request.POST)
            target_form = close_form
        else:
            update_form = forms.ActionUpdateForm(request.POST, action=action)
            target_form = update_form
        if target_form.is_valid():
            try:
                if target_form is close_form:
                    services.close_action(
                        action=action,
                        closure=close_form.cleaned_data["closure"],
                        reason=close_form.cleaned_data["reason"],
                        actor=request.user,
                        ip_address=client_ip(request),
                    )
                else:
                    services.update_action(
                        action=action,
                        note=update_form.cleaned_data["note"],
                        in_progress=update_form.cleaned_data.get("in_progress", False),
                        actor=request.user,
                        ip_address=client_ip(request),
                    )
            except Refused as refusal:
                _refusal_on(target_form, refusal)
            else:
                messages.success(
                    request, "Action closed" if target_form is close_form else "Update added"
                )
                return redirect("meetings:action-detail", pk=action.pk)
    record_view(request, target=action)
    return render(
        request,
        "meetings/action_detail.html",
        {
            "action": action,
            "updates": list(
                action.updates.select_related("created_by").order_by("created_at", "pk")
            ),
            "update_form": update_form,
            "close_form": close_form,
            "may_see_meeting": permissions.visible_meetings(request.user)
            .filter(pk=action.meeting_id)
            .exists(),
            "details_restricted": restricted,
            "today": timezone.localdate(),
        },
    )


def my_actions(request):
    open_actions, closed_actions = selectors.my_actions(request.user)
    if open_actions or closed_actions:
        record_view(request, object_type="meetings.action", detail={"list": "my actions"})
    return render(
        request,
        "meetings/my_actions.html",
        {
            "open_actions": open_actions,
            "closed_actions": closed_actions,
            "today": timezone.localdate(),
        },
    )


# My meetings --------------------------------------------------------------------------------


def my_meetings(request):
    if request.GET.get("view") == "week":
        day = forms.parse_day(request.GET.get("date"))
        monday = day - timedelta(days=day.weekday())
        return render(
            request,
            "meetings/my_meetings_week.html",
            {
                "days": selectors.my_week(request.user, monday),
                "monday": monday,
                "sunday": monday + timedelta(days=6),
                "previous": monday - timedelta(days=7),
                "next": monday + timedelta(days=7),
                "today": timezone.localdate(),
            },
        )
    year, month = forms.parse_month(request.GET.get("month"))
    first_of_month = date(year, month, 1)
    return render(
        request,
        "meetings/my_meetings_month.html",
        {
            "weeks": selectors.my_month(request.user, year, month),
            "month": first_of_month,
            "previous": (first_of_month - timedelta(days=1)).replace(day=1),
            "next": (first_of_month + timedelta(days=31)).replace(day=1),
            "today": timezone.localdate(),
        },
    )


# Calendar invitations -----------------------------------------------------------------------


def series_cancel(request, pk):
    _manager_only(request.user)
    forum = permissions.forum_for(request.user, pk)
    form = forms.CancelSeriesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_series(
                forum=forum,
                reason=form.cleaned_data["reason"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except Refused as refusal:
            _refusal_on(form, refusal)
        else:
            messages.success(request, "Series cancelled: invitees are sent a cancellation")
            return redirect("meetings:forum-detail", pk=forum.pk)
    return _form_page(
        request,
        form,
        back_url=reverse("meetings:forum-detail", kwargs={"pk": forum.pk}),
        context={"forum": forum},
        template="meetings/series_cancel.html",
    )


def _attendance_for(user, pk) -> Attendance:
    attendance = get_object_or_404(
        Attendance.objects.select_related("agency", "person", "deputy_person"),
        pk=pk,
        person__isnull=False,
    )
    attendance.meeting = permissions.meeting_for(user, attendance.meeting_id)
    return attendance


def attendance_remove(request, pk):
    _manager_only(request.user)
    attendance = _attendance_for(request.user, pk)
    meeting = attendance.meeting
    form = forms.RemoveInvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_invitation(
                attendance=attendance, actor=request.user, ip_address=client_ip(request)
            )
        except Refused as refusal:
            _refusal_on(form, refusal)
        else:
            messages.success(
                request, f"{attendance.person.full_name} is no longer invited and is told so"
            )
            return redirect("meetings:meeting-detail", pk=meeting.pk)
    return _form_page(
        request,
        form,
        back_url=reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk}),
        context={
            "intro": f"{attendance.person.full_name} will be sent a cancellation for {meeting}. "
            f"{attendance.agency} keeps its seat unless someone else from it is invited."
        },
    )


def attendance_deputy(request, pk):
    attendance = _attendance_for(request.user, pk)
    if not permissions.may_answer_for(request.user, attendance):
        raise Http404("Not found")
    meeting = attendance.meeting
    form = forms.DeputyForm(request.POST or None, attendance=attendance)
    if request.method == "POST" and form.is_valid():
        try:
            services.send_deputy(
                attendance=attendance,
                deputy_person=form.cleaned_data["deputy_person"],
                deputy_name=form.cleaned_data["deputy_name"],
                deputy_email=form.cleaned_data["deputy_email"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except Refused as refusal:
            _refusal_on(form, refusal)
        else:
            messages.success(request, "The deputy is sent the invitation")
            return redirect("meetings:meeting-detail", pk=meeting.pk)
    return _form_page(
        request,
        form,
        back_url=reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk}),
        context={
            "intro": f"Someone to attend {meeting} in place of {attendance.person.full_name}. "
            "They are sent the calendar invitation, marked as a deputy."
        },
    )


def calendar_messages(request, pk):
    _manager_only(request.user)
    forum = permissions.forum_for(request.user, pk)
    if request.method == "POST":
        queued = invitations.requeue_undelivered(forum=forum, actor=request.user)
        messages.success(request, f"{queued} message{pluralize(queued)} sent to be tried again")
        return redirect("meetings:calendar-messages", pk=forum.pk)
    return render(
        request,
        "meetings/calendar_messages.html",
        {"forum": forum, "page": selectors.calendar_messages_page(forum)},
    )


# Calendar downloads and feeds ---------------------------------------------------------------


def _calendar_response(request, text: str, *, filename: str | None, last_modified=None):
    etag = '"' + feeds.token_hash(text)[:40] + '"'
    timestamp = int(last_modified.timestamp()) if last_modified else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if not_modified is not None:
        return not_modified
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_cache=True)
    return response


@require_GET
def meeting_calendar(request, pk):
    meeting = permissions.meeting_for(request.user, pk)
    plan, loaded = None, None
    if meeting.is_from_series:
        plan = invitations.series_plan(
            Forum.objects.prefetch_related("members").get(pk=meeting.forum_id)
        )
        if plan is not None:
            loaded = next((m for m in plan.meetings if m.pk == meeting.pk), None)
    if loaded is not None:
        event = calendar.occurrence_event(plan, loaded)
    else:
        loaded = selectors.meeting_for_calendar(meeting)
        event = calendar.meeting_event(loaded)
    text = calendar.as_text(calendar.build_calendar([event], name=meeting.display_title))
    return _calendar_response(
        request,
        text,
        filename=f"meeting-{meeting.pk}.ics",
        last_modified=feeds.last_modified([loaded], floor=meeting.updated_at),
    )


@require_GET
def forum_calendar(request, pk):
    forum = permissions.forum_for(request.user, pk)
    meetings, whole = selectors.forum_calendar_meetings(forum, request.user)
    now = timezone.now()
    events = feeds.published_events(
        meetings, whole_series_forums={forum.pk} if whole else set(), now=now
    )
    text = feeds.published_calendar_text(events, name=forum.name)
    return _calendar_response(
        request,
        text,
        filename=f"forum-{forum.pk}.ics",
        last_modified=feeds.last_modified(meetings, floor=forum.updated_at),
    )


@login_not_required
@require_GET
def calendar_feed(request, token):
    feed = feeds.feed_for_token(token)
    if feed is None:
        raise Http404("No such calendar")
    now = timezone.now()
    meetings, forums = selectors.personal_feed_meetings(feed.user, now=now)
    events = feeds.published_events(meetings, whole_series_forums=forums, now=now)
    text = feeds.published_calendar_text(events, name="Partnerhub meetings")
    return _calendar_response(
        request,
        text,
        filename=None,
        last_modified=feeds.last_modified(meetings, floor=feed.created_at),
    )


@login_not_required
@require_GET
def forum_feed(request, token, pk):
    feed = feeds.feed_for_token(token)
    if feed is None or not permissions.may_manage_meetings(feed.user):
        raise Http404("No such calendar")
    forum = get_object_or_404(Forum, pk=pk)
    now = timezone.now()
    meetings = selectors.forum_feed_meetings(forum, now=now)
    events = feeds.published_events(meetings, whole_series_forums={forum.pk}, now=now)
    text = feeds.published_calendar_text(events, name=f"{forum.name} (Partnerhub)")
    return _calendar_response(
        request,
        text,
        filename=None,
        last_modified=feeds.last_modified(meetings, floor=max(forum.updated_at, feed.created_at)),
    )


def my_calendar(request):
    token, ended = selectors.my_calendar_token(request.user)
    forum_feeds = []
    if token and permissions.may_manage_meetings(request.user):
        forum_feeds = [
            (
                forum,
                calendar.site_link(reverse("meetings:forum-feed", args=[token, forum.pk])),
            )
            for forum in Forum.objects.filter(is_active=True).order_by("name")
        ]
    return render(
        request,
        "meetings/my_calendar.html",
        {
            "feed_url": (
                calendar.site_link(reverse("meetings:calendar-feed", args=[token]))
                if token
                else None
            ),
            "feed_ended": ended,
            "forums": selectors.my_calendar_forums(request.user),
            "forum_feeds": forum_feeds,
        },
    )


@require_POST
def calendar_reset(request):
    services.reset_calendar_feed(
        user=request.user, actor=request.user, ip_address=client_ip(request)
    )
    messages.success(request, "Your calendar address is new: the old one no longer works anywhere")
    return redirect("meetings:calendar-mine")

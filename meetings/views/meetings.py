"""Meeting pages: a meeting's page, and generating, adding, changing and cancelling meetings."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from audit.services import client_ip, record_view
from meetings import forms, permissions, selectors, services
from meetings.case_lists import circulation_day as case_list_day
from meetings.models import CONFIDENTIALITY_STATEMENT, MeetingStatus
from meetings.recurrence import describe
from meetings.views.pages import form_page, manager_only, submitted


def meeting_generate(request, pk):
    manager_only(request.user)
    forum = permissions.forum_for(request.user, pk)
    back_url = reverse("meetings:forum-detail", kwargs={"pk": forum.pk})
    if not forum.has_schedule:
        messages.error(request, "Add a recurrence rule to the forum before generating meetings")
        return redirect(back_url)
    form = forms.GenerateMeetingsForm(request.POST or None, initial=forms.default_period())
    if done := submitted(
        request,
        form,
        lambda data: services.schedule_series(
            forum=forum,
            start_date=data["start_date"],
            end_date=data["end_date"],
            actor=request.user,
            ip_address=client_ip(request),
        ),
        success=lambda created: (
            f"{len(created)} meetings added to {forum.name}"
            if created
            else "Every meeting in that period already exists"
        ),
        redirect_to=back_url,
    ):
        return done
    return form_page(
        request,
        form,
        back_url=back_url,
        context={"forum": forum, "schedule_words": describe(forum.schedule_rrule)},
        template="meetings/meeting_generate.html",
    )


def meeting_create(request, pk):
    manager_only(request.user)
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
    return form_page(
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
            "may_comment": bool(page.minutes)
            and page.minutes[0].takes_comments
            and permissions.may_comment_on_minutes(request.user, meeting),
            "meeting_started": meeting.start <= now,
            "may_review": permissions.may_review_actions(request.user, meeting)
            and meeting.start <= now,
            "today": timezone.localdate(),
            "confidentiality_statement": CONFIDENTIALITY_STATEMENT,
            "case_list_day": case_list_day(meeting) if page.is_marac else None,
            "case_list_working_days": settings.PARTNERHUB_MARAC_CASE_LIST_WORKING_DAYS,
        },
    )


def meeting_edit(request, pk):
    manager_only(request.user)
    meeting = permissions.meeting_for(request.user, pk)
    form = forms.MeetingForm(request.POST or None, meeting=meeting)
    meeting_url = reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk})
    if done := submitted(
        request,
        form,
        lambda data: services.reschedule_meeting(
            meeting=meeting,
            start=data["start"],
            end=data["end"],
            location=data["location"],
            online_url=data["online_url"],
            title=data["title"],
            actor=request.user,
            ip_address=client_ip(request),
        ),
        success="Meeting changed",
        redirect_to=meeting_url,
    ):
        return done
    return form_page(request, form, back_url=meeting_url)


def meeting_cancel(request, pk):
    manager_only(request.user)
    meeting = permissions.meeting_for(request.user, pk)
    form = forms.CancelMeetingForm(request.POST or None)
    meeting_url = reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk})
    if done := submitted(
        request,
        form,
        lambda data: services.cancel_meeting(
            meeting=meeting,
            reason=data["reason"],
            actor=request.user,
            ip_address=client_ip(request),
        ),
        success="Meeting cancelled",
        redirect_to=meeting_url,
    ):
        return done
    return form_page(
        request,
        form,
        back_url=meeting_url,
        context={"meeting": meeting},
        template="meetings/meeting_cancel.html",
    )

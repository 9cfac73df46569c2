"""Forum pages: the list, a forum's page and its overdue actions, setting one up or changing it,
and cancelling its series."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from audit.services import client_ip, record_view
from meetings import forms, permissions, selectors, services
from meetings.models import Forum
from meetings.recurrence import describe
from meetings.views.pages import form_page, manager_only, submitted


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
    manager_only(request.user, permissions.may_manage_forums)
    form = forms.ForumForm(request.POST or None, user=request.user)
    if request.method == "POST" and not _wants_preview(request) and form.is_valid():
        forum = services.save_forum(
            forum=form.save(commit=False),
            member_agencies=form.cleaned_data["member_agencies"],
            members=form.cleaned_data["members"],
            quorum_agencies=form.cleaned_data["quorum_agencies"],
            actor=request.user,
            ip_address=client_ip(request),
        )
        messages.success(request, f"{forum.name} is set up")
        return redirect("meetings:forum-detail", pk=forum.pk)
    return _forum_form_page(request, form, back_url=reverse("meetings:forum-list"))


def forum_edit(request, pk):
    manager_only(request.user, permissions.may_manage_forums)
    forum = get_object_or_404(Forum, pk=pk)
    form = forms.ForumForm(request.POST or None, instance=forum, user=request.user)
    back_url = reverse("meetings:forum-detail", kwargs={"pk": forum.pk})
    if not _wants_preview(request) and (
        done := submitted(
            request,
            form,
            lambda data: services.save_forum(
                forum=form.save(commit=False),
                member_agencies=data["member_agencies"],
                members=data["members"],
                quorum_agencies=data["quorum_agencies"],
                actor=request.user,
                changed_fields=form.changed_data,
                ip_address=client_ip(request),
            ),
            success="Forum saved",
            redirect_to=back_url,
        )
    ):
        return done
    return _forum_form_page(request, form, back_url=back_url)


def forum_detail(request, pk):
    forum = permissions.forum_for(request.user, pk)
    page = selectors.forum_page(forum=forum, user=request.user)
    return render(
        request,
        "meetings/forum_detail.html",
        {
            "page": page,
            "forum": forum,
            "schedule_words": describe(forum.schedule_rrule),
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


def series_cancel(request, pk):
    manager_only(request.user)
    forum = permissions.forum_for(request.user, pk)
    form = forms.CancelSeriesForm(request.POST if request.method == "POST" else None)
    back_url = reverse("meetings:forum-detail", kwargs={"pk": forum.pk})
    if done := submitted(
        request,
        form,
        lambda data: services.cancel_series(
            forum=forum, reason=data["reason"], actor=request.user, ip_address=client_ip(request)
        ),
        success="Series cancelled: invitees are sent a cancellation",
        redirect_to=back_url,
    ):
        return done
    return form_page(
        request,
        form,
        back_url=back_url,
        context={"forum": forum},
        template="meetings/series_cancel.html",
    )

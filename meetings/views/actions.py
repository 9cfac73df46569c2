"""Actions: giving one, its page with updates and closing, reviews at later meetings, and a
person's own actions."""

from datetime import timedelta

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from audit.services import client_ip, record_view
from core.pagination import filter_and_paginate
from meetings import forms, permissions, selectors, services
from meetings.filters import ActionDueFilter
from meetings.views.pages import form_page, submitted

ACTIONS_PER_PAGE = 50


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
    meeting_url = reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk})
    if done := submitted(
        request,
        form,
        lambda data: services.create_action(
            meeting=meeting,
            agenda_item=data["agenda_item"],
            description=data["description"],
            owner=data["owner"],
            owner_agency=data["owner_agency"],
            due_on=data["due_on"],
            actor=request.user,
            ip_address=client_ip(request),
        ),
        success="Action added",
        redirect_to=meeting_url + "#actions",
    ):
        return done
    return form_page(request, form, back_url=meeting_url, context={"intro": str(meeting)})


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
    if done := submitted(
        request,
        form,
        lambda data: services.review_action(
            action=action,
            meeting=meeting,
            outcome=data["outcome"],
            note=data["note"],
            actor=request.user,
            ip_address=client_ip(request),
        ),
        success="Review recorded",
        redirect_to=back_url,
    ):
        return done
    return form_page(
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
    action_url = reverse("meetings:action-detail", kwargs={"pk": action.pk})
    if request.method == "POST" and may_update:
        if request.POST.get("form") == "close":
            close_form = forms.CloseActionForm(request.POST)
            done = submitted(
                request,
                close_form,
                lambda data: services.close_action(
                    action=action,
                    closure=data["closure"],
                    reason=data["reason"],
                    actor=request.user,
                    ip_address=client_ip(request),
                ),
                success="Action closed",
                redirect_to=action_url,
            )
        else:
            update_form = forms.ActionUpdateForm(request.POST, action=action)
            done = submitted(
                request,
                update_form,
                lambda data: services.update_action(
                    action=action,
                    note=data["note"],
                    in_progress=data.get("in_progress", False),
                    actor=request.user,
                    ip_address=client_ip(request),
                ),
                success="Update added",
                redirect_to=action_url,
            )
        if done:
            return done
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
    """The person's open actions, filtered to those overdue or due soon if asked, and their
    most recently closed ones."""
    action_filter, page, pagination = filter_and_paginate(
        ActionDueFilter, selectors.my_open_actions(request.user), request.GET, ACTIONS_PER_PAGE
    )
    page.object_list = selectors.mark_restricted_actions(request.user, list(page.object_list))
    closed_actions = selectors.my_closed_actions(request.user)
    if page.object_list or closed_actions:
        record_view(request, object_type="meetings.action", detail={"list": "my actions"})
    return render(
        request,
        "meetings/my_actions.html",
        {
            "filter": action_filter,
            "page": page,
            "pagination": pagination,
            "closed_actions": closed_actions,
            "today": timezone.localdate(),
        },
    )

"""Calendars: a person's meetings by month or week, calendar downloads and feeds, a person's
feed address, and a forum's calendar e-mails."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_GET, require_POST

from audit.services import client_ip
from core.pagination import paginate
from meetings import forms, permissions, selectors, services
from meetings.calendars import delivery, feeds, ics, invitations
from meetings.models import Forum
from meetings.views.pages import manager_only

UPCOMING_PER_PAGE = 50


def my_meetings(request):
    if request.GET.get("view") == "upcoming":
        page, pagination = paginate(
            selectors.my_upcoming_meetings(request.user), request.GET, UPCOMING_PER_PAGE
        )
        return render(
            request,
            "meetings/my_meetings_upcoming.html",
            {
                "page": page,
                "pagination": pagination,
                "days": selectors.UPCOMING_MEETING_DAYS,
                "today": timezone.localdate(),
            },
        )
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


def calendar_messages(request, pk):
    manager_only(request.user)
    forum = permissions.forum_for(request.user, pk)
    if request.method == "POST":
        queued = delivery.requeue_undelivered(forum=forum, actor=request.user)
        messages.success(request, f"{queued} message{pluralize(queued)} sent to be tried again")
        return redirect("meetings:calendar-messages", pk=forum.pk)
    return render(
        request,
        "meetings/calendar_messages.html",
        {"forum": forum, "page": selectors.calendar_messages_page(forum)},
    )


# Calendar downloads and feeds ---------------------------------------------------------------


def _calendar_response(
    request, text: str, *, filename: str | None, last_modified=None, etag: str | None = None
):
    etag = etag or '"' + feeds.token_hash(text)[:40] + '"'
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


def _feed_response(request, meetings, *, name: str, whole_series_forums, now, floor):
    """A subscription feed: answered "not modified" from its inputs alone when the client's
    copy is current, and built only when no copy of these inputs' text is kept."""
    inputs = selectors.calendar_inputs(meetings)
    etag = inputs.validator(name=name, whole_series_forums=whole_series_forums, now=now)
    last_modified = inputs.last_modified(floor=floor)
    not_modified = get_conditional_response(
        request, etag=etag, last_modified=int(last_modified.timestamp())
    )
    if not_modified is not None:
        return not_modified

    def build() -> str:
        events = feeds.published_events(
            selectors.for_calendar(meetings), whole_series_forums=whole_series_forums, now=now
        )
        return feeds.published_calendar_text(events, name=name)

    text = feeds.kept_feed_text(etag, build)
    return _calendar_response(request, text, filename=None, last_modified=last_modified, etag=etag)


@require_GET
def meeting_calendar(request, pk):
    meeting = permissions.meeting_for(request.user, pk)
    plan, loaded = None, None
    if meeting.is_from_series:
        plan = invitations.series_plan(
            Forum.objects.prefetch_related("members", "member_agencies__contacts").get(
                pk=meeting.forum_id
            )
        )
        if plan is not None:
            loaded = next((m for m in plan.meetings if m.pk == meeting.pk), None)
    if loaded is not None:
        event = ics.occurrence_event(plan, loaded)
    else:
        loaded = selectors.meeting_for_calendar(meeting)
        event = ics.meeting_event(loaded)
    text = ics.as_text(ics.build_calendar([event], name=meeting.display_title))
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
    return _feed_response(
        request,
        meetings,
        name="Partnerhub meetings",
        whole_series_forums=forums,
        now=now,
        floor=feed.created_at,
    )


@login_not_required
@require_GET
def forum_feed(request, token, pk):
    feed = feeds.feed_for_token(token)
    if feed is None or not permissions.may_manage_meetings(feed.user):
        raise Http404("No such calendar")
    forum = get_object_or_404(Forum, pk=pk)
    now = timezone.now()
    return _feed_response(
        request,
        selectors.forum_feed_meetings(forum, now=now),
        name=f"{forum.name} (Partnerhub)",
        whole_series_forums={forum.pk},
        now=now,
        floor=max(forum.updated_at, feed.created_at),
    )


def my_calendar(request):
    token, ended = selectors.my_calendar_token(request.user)
    forum_feeds = []
    if token and permissions.may_manage_meetings(request.user):
        forum_feeds = [
            (
                forum,
                ics.site_link(reverse("meetings:forum-feed", args=[token, forum.pk])),
            )
            for forum in Forum.objects.filter(is_active=True).order_by("name")
        ]
    return render(
        request,
        "meetings/my_calendar.html",
        {
            "feed_url": (
                ics.site_link(reverse("meetings:calendar-feed", args=[token])) if token else None
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

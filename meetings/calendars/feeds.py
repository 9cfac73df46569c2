"""Published calendars: downloads and subscription feeds, and the secret feed addresses.

A published calendar has no METHOD: it is a view of the meetings, not an invitation, so
DTSTAMP is each item's last change and an unchanged feed is byte-for-byte the same (its ETag
holds, and subscribers get 304 Not Modified).
"""

import hashlib
import hmac
import json
import secrets
import time
from base64 import urlsafe_b64encode
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.utils.crypto import salted_hmac

from meetings.calendars import ics
from meetings.models import CalendarFeed, Meeting, MeetingStatus

FEED_PAST = timedelta(days=92)
FEED_AHEAD = timedelta(days=366)
# Subscribers see a cancellation as a cancelled event for this long, not as a silent gap.
CANCELLED_SHOWN_FOR = timedelta(days=30)
# Part of every feed's validator: raise it when a change to the code changes what a feed says
# for the same meetings, so subscribers fetch the new text rather than keep their copy.
FORMAT_VERSION = 1
_MAX_TOKEN_LENGTH = 100


# Feed addresses -----------------------------------------------------------------------------


def new_nonce() -> str:
    return secrets.token_hex(32)


def token_for(feed: CalendarFeed) -> str:
    """The secret in the feed's address: 256 bits derived from the feed's random nonce and the
    site's secret key, so the database alone does not give it away."""
    digest = salted_hmac(
        "meetings.calendar-feed", f"{feed.user_id}:{feed.nonce}", algorithm="sha256"
    ).digest()
    return urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed a token opens, or None: unknown, replaced by a reset, or made before its
    person's current agency membership began or before they were last deactivated (a later
    reactivation does not bring it back)."""
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        return None
    presented = token_hash(token)
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=presented).first()
    if feed is None or not hmac.compare_digest(feed.token_hash, presented):
        return None
    return feed if is_live(feed) else None


def is_live(feed: CalendarFeed) -> bool:
    """Whether the feed still opens: its person is active, and it was made after their current
    agency membership began and after they were last deactivated. Reads `feed.user`."""
    user = feed.user
    if not user.is_active:
        return False
    if user.agency_since is not None and feed.created_at < user.agency_since:
        return False
    return user.deactivated_at is None or user.deactivated_at < feed.created_at


# What a published calendar carries ----------------------------------------------------------


def published_events(meetings: list[Meeting], *, whole_series_forums=(), now: datetime) -> list:
    """Events for these meetings (each with `forum` and prefetched attendances). For forums in
    `whole_series_forums` the series goes out as one recurring event; otherwise only the
    listed occurrences, each named by the series' UID and its RECURRENCE-ID."""
    shown_since = now - CANCELLED_SHOWN_FOR
    by_forum: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        by_forum[meeting.forum_id].append(meeting)
    # A series invites the forum's chair even when not a member: one query for every chair.
    prefetch_related_objects([items[0].forum for items in by_forum.values()], "chair")
    events = []
    for forum_id, items in sorted(by_forum.items()):
        forum = items[0].forum
        for meeting in items:
            meeting.forum = forum
        plan = ics.plan_series(forum, items, cancelled_shown_since=shown_since)
        in_plan = {m.pk for m in plan.meetings} if plan else set()
        if plan is not None and forum_id in whole_series_forums:
            if not plan.is_cancelled or forum.series_cancelled_at >= shown_since:
                events.extend(ics.series_events(plan))
        elif plan is not None:
            events.extend(
                ics.occurrence_event(plan, meeting)
                for meeting in plan.meetings
                if _still_shown(meeting, shown_since)
            )
        for meeting in sorted(items, key=lambda m: m.start):
            if meeting.pk in in_plan or not _still_shown(meeting, shown_since):
                continue
            if meeting.is_from_series and meeting.status == MeetingStatus.CANCELLED:
                # Generated under an earlier pattern and cancelled with it: never sent alone.
                continue
            events.append(ics.meeting_event(meeting))
    return events


def _still_shown(meeting: Meeting, shown_since: datetime) -> bool:
    return meeting.status != MeetingStatus.CANCELLED or meeting.updated_at >= shown_since


def last_modified(meetings: list[Meeting], *, floor: datetime) -> datetime:
    """The latest change to anything these meetings' events carry. Inviting someone or sending
    a deputy changes only the invitation, so its time counts too: a client asking only
    If-Modified-Since would otherwise be told nothing changed. Reads the prefetched
    attendances, so it costs no queries."""
    moments = [floor]
    for meeting in meetings:
        moments.append(meeting.updated_at)
        moments.append(meeting.forum.updated_at)
        moments.extend(attendance.updated_at for attendance in meeting.attendances.all())
    return max(moments)


@dataclass(frozen=True)
class CalendarInputs:
    """What a published calendar is built from, as plain rows (`meetings.selectors.
    calendar_inputs`): enough to tell whether it changed without building it."""

    meetings: list[dict]
    forums: list[dict]
    rows: list[list[tuple]]
    last_changed: datetime | None

    def validator(self, *, name: str, whole_series_forums, now: datetime) -> str:
        """The calendar's ETag: a digest of everything it is built from and of what `now`
        decides in it (which cancellations are still shown). Equal inputs build equal text,
        so equal validators mean an unchanged calendar."""
        shown_since = now - CANCELLED_SHOWN_FOR
        still_shown = [
            meeting["id"]
            for meeting in self.meetings
            if meeting["status"] == MeetingStatus.CANCELLED and meeting["updated_at"] >= shown_since
        ]
        series_still_shown = [
            forum["id"]
            for forum in self.forums
            if forum["series_cancelled_at"] and forum["series_cancelled_at"] >= shown_since
        ]
        state = [
            FORMAT_VERSION,
            name,
            settings.PARTNERHUB_SITE_URL,
            settings.PARTNERHUB_CALENDAR_DOMAIN,
            sorted(whole_series_forums),
            still_shown,
            series_still_shown,
            self.meetings,
            self.forums,
            self.rows,
        ]
        encoded = json.dumps(state, default=str, sort_keys=True, separators=(",", ":"))
        return '"' + hashlib.sha256(encoded.encode()).hexdigest()[:40] + '"'

    def last_modified(self, *, floor: datetime) -> datetime:
        """As `last_modified`, from the rows: the latest change to a meeting, its forum or an
        invitation, and never before `floor`."""
        return max(floor, self.last_changed) if self.last_changed else floor


# How long a built feed is kept under its validator (`kept_feed_text`).
FEED_TEXT_KEPT_FOR = timedelta(days=1)
# How long one process may hold the right to build a feed (`kept_feed_text`): past this, its
# build is taken to have died with its worker, and the next process asking builds it instead.
FEED_BUILD_HELD_FOR = timedelta(seconds=15)
FEED_WAIT_STEP = timedelta(milliseconds=100)


def kept_feed_text(validator: str, build: Callable[[], str]) -> str:
    """A feed's text, built once for each validator and kept in the shared cache: a person in
    forty forums waited seconds for every poll from a client that keeps no copy, or from a
    second device. Equal validators mean equal inputs and so equal text (`CalendarInputs`);
    the key is the digest alone and names no one, and a change to anything the feed shows
    makes a new one.

    One process builds a given feed at a time, and any other asking for it meanwhile waits for
    the text in the cache: two devices polling together, or a client that retries, each spent
    seconds of a web worker on the same text."""
    key = "calendar-feed-text:" + validator.strip('"')
    building = key + ":building"
    while (text := cache.get(key)) is None:
        if cache.add(building, True, FEED_BUILD_HELD_FOR.total_seconds()):
            try:
                text = build()
                cache.set(key, text, FEED_TEXT_KEPT_FOR.total_seconds())
            finally:
                cache.delete(building)
            return text
        time.sleep(FEED_WAIT_STEP.total_seconds())
    return text


def published_calendar_text(events, *, name: str) -> str:
    return ics.as_text(ics.build_calendar(events, name=name))

"""People's secret calendar feed addresses."""

from django.db import transaction
from django.utils import timezone

from audit.models import Verb
from audit.services import record
from meetings import permissions
from meetings.calendars import feeds
from meetings.models import CalendarFeed


def reset_calendar_feed(*, user, actor, ip_address: str | None = None) -> CalendarFeed:
    """Give the person a new secret feed address; the old one stops working at once."""
    permissions.require_reset_feed(actor, user)
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
        creating = feed is None
        feed = feed or CalendarFeed(user=user)
        feed.nonce = feeds.new_nonce()
        feed.token_hash = feeds.token_hash(feeds.token_for(feed))
        feed.created_at = timezone.now()
        feed.save()
        record(
            verb=Verb.CREATED if creating else Verb.CHANGED,
            actor=actor,
            target=feed,
            changed_fields=[] if creating else ["token"],
            detail={"user_id": user.pk},
            ip_address=ip_address,
        )
    return feed

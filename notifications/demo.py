"""The notifications part of `seed_demo`. Most of the demo's notifications come from the other
apps' demo steps, through the same services people use; this makes one person read their news
as a daily digest, so the outbox shows one."""

from django.contrib.auth import get_user_model

from notifications.models import ALWAYS_DELIVERED, Delivery, NotificationKind
from notifications.services import set_preference

DIGEST_READER = "compliance@demo.partnerhub.test"


def seed() -> None:
    reader = get_user_model().objects.filter(email=DIGEST_READER).first()
    if reader is None:
        return
    for kind in NotificationKind:
        if kind not in ALWAYS_DELIVERED:
            set_preference(person=reader, kind=kind, delivery=Delivery.DIGEST, actor=reader)

"""Linking any record to its audit trail: `{% load audit_trail %}{{ case|audit_trail_url }}`."""

from django import template
from django.urls import reverse

register = template.Library()


@register.filter
def audit_trail_url(instance) -> str:
    return reverse(
        "audit:object-trail",
        kwargs={"object_type": instance._meta.label_lower, "object_id": str(instance.pk)},
    )

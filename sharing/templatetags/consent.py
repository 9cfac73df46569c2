"""Labels for the consent gate's coded lists, for pages."""

from django import template
from django.utils import timezone

from sharing.models import DataCategory, Purpose

register = template.Library()


@register.filter
def purpose_labels(codes) -> str:
    return "; ".join(Purpose(code).label for code in codes or ())


@register.filter
def category_labels(codes) -> str:
    return "; ".join(DataCategory(code).label for code in codes or ())


@register.filter
def consent_state(consent) -> str:
    return consent.state_at(timezone.now())

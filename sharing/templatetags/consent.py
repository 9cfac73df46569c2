"""Labels for the consent gate's coded lists, for pages."""

from django import template
from django.utils import timezone

from sharing.models import Case, DataCategory, Purpose

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


@register.filter
def case_field_labels(names) -> str:
    """A correction's changed fields in words, as the case form names them."""
    fields = {field.name: field.verbose_name for field in Case._meta.get_fields() if field.concrete}
    fields["household_members"] = "household"
    return ", ".join(str(fields.get(name, name.replace("_", " "))) for name in names or ())

"""Widgets, hints and choices the meetings forms share."""

from django import forms

from agencies.models import Agency, User

MARKDOWN_HINT = (
    "You can use Markdown: **bold**, *italic*, ## headings, - bulleted lists, 1. numbered "
    "lists and [link text](https://example.org)."
)


class TimeInput(forms.TimeInput):
    """A time typed on a 24-hour clock (14:30) in a short box, like the Time box of a date and
    time: a browser's own time picker follows its locale, which shows 2:30 PM in many."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"class": "govuk-input--width-5", "spellcheck": "false", **(attrs or {})},
            format="%H:%M",
        )


def person_label(person) -> str:
    return f"{person.full_name}, {person.agency}" if person.agency_id else person.full_name


def active_people():
    return User.objects.filter(is_active=True).select_related("agency").order_by("full_name")


def active_agencies():
    return Agency.objects.filter(is_active=True).order_by("name")

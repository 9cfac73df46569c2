"""The month or week a person's meeting calendar page is asked for."""

from datetime import datetime

from django.utils import timezone

# The calendar pages step a month or a week either side of the one asked for; outside these
# years there are no meetings to show, and that arithmetic fails at the ends of Python's calendar.
_CALENDAR_YEARS = range(1900, 2101)


def parse_month(value: str | None):
    """'2026-03' as (2026, 3); anything else, or a year outside the calendar, as this month."""
    try:
        parsed = datetime.strptime(value or "", "%Y-%m")
    except ValueError:
        parsed = None
    if parsed is None or parsed.year not in _CALENDAR_YEARS:
        today = timezone.localdate()
        return today.year, today.month
    return parsed.year, parsed.month


def parse_day(value: str | None):
    """'2026-03-17' as that date; anything else, or a year outside the calendar, as today."""
    try:
        parsed = datetime.strptime(value or "", "%Y-%m-%d").date()
    except ValueError:
        return timezone.localdate()
    return parsed if parsed.year in _CALENDAR_YEARS else timezone.localdate()

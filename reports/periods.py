"""The periods reports count over: a calendar month, or a range of days, both in UK time.

Dates (a concern received, an indicator identified) are compared with a period's days;
moments (a disclosure, a decision) with its bounds as aware datetimes, so a release at 23:30 on
the last day of October belongs to October, not November, whatever the server's zone.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.utils import timezone

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Month":
        """`YYYY-MM`; a ValueError says what is wrong."""
        found = _MONTH.match(text.strip())
        if not found:
            raise ValueError("Enter the month as a year and month, like 2026-10")
        year, month = int(found[1]), int(found[2])
        if not 1 <= month <= 12:
            raise ValueError("The month must be between 01 and 12")
        if year < 2000:
            raise ValueError("The year must be 2000 or later")
        return cls(year, month)

    @classmethod
    def of(cls, day: date) -> "Month":
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return self.first_day.strftime("%B %Y")

    @property
    def short_label(self) -> str:
        return self.first_day.strftime("%b %Y")

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    # Cached: a report compares thousands of moments with a month's bounds, and making a
    # datetime aware in the UK's zone each time was most of the monthly report's time.
    @cached_property
    def start(self) -> datetime:
        return start_of(self.first_day)

    @cached_property
    def end(self) -> datetime:
        """The first moment after the month."""
        return self.next().start

    def plus(self, months: int) -> "Month":
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def next(self) -> "Month":
        return self.plus(1)

    def previous(self) -> "Month":
        return self.plus(-1)

    def year_before(self) -> "Month":
        return self.plus(-12)

    def days(self) -> tuple[date, date]:
        return self.first_day, self.last_day


@dataclass(frozen=True)
class DateRange:
    """From one day to another, both included."""

    first_day: date
    last_day: date

    @property
    def start(self) -> datetime:
        return start_of(self.first_day)

    @property
    def end(self) -> datetime:
        return start_of(self.last_day + timedelta(days=1))

    @property
    def label(self) -> str:
        return f"{self.first_day:%-d %B %Y} to {self.last_day:%-d %B %Y}"

    def __str__(self) -> str:
        return f"{self.first_day.isoformat()}-to-{self.last_day.isoformat()}"

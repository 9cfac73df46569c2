"""Working days in England and Wales: the Authority's targets are counted in them, so a request
made on a Friday afternoon is not late on Monday morning, nor one made before a bank holiday."""

from datetime import date, timedelta
from functools import cache, lru_cache

import holidays


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    # England's calendar: Wales shares every bank holiday with it.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


# Reports count the same few hundred pairs of days thousands of times over.
@lru_cache(maxsize=65_536)
def working_days_between(start: date, end: date) -> int:
    """How many working days have passed from `start` to `end`: the working days after `start`
    up to and including `end` (0 on the same day, and when `end` is not after `start`)."""
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count


def working_days_before(day: date, count: int) -> date:
    """The working day `count` working days before `day`: `working_days_between` of the two is
    `count` (`day` itself for 0)."""
    while count > 0:
        day -= timedelta(days=1)
        count -= is_working_day(day)
    return day

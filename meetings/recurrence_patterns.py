"""The schedules the forum form builds from plain choices (every few weeks on some weekdays,
or every few months on the first to fourth or last weekday, ending never, on a date or after
some meetings), written as RRULE values and read back from them.

A rule the builder cannot say (yearly, a day of the month, WKST…) reads back as None: only an
administrator may write one by hand.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from icalendar.prop import vRecur

from meetings.recurrence import normalise_rrule

WEEKLY, MONTHLY = "weekly", "monthly"
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Outlook's nth weekdays: first to fourth, or last (recurrence.check_outlook_can_store).
POSITIONS = (1, 2, 3, 4, -1)
LARGEST_INTERVAL = 12
LARGEST_COUNT = 200
# Meetings are expanded over naive local times, so UNTIL is a local time too; it is the end of
# the last day, because a bare date means that day's midnight and would drop a meeting on it.
_END_OF_DAY = time(23, 59, 59)
_PARTS = {"FREQ", "INTERVAL", "BYDAY", "COUNT", "UNTIL"}


@dataclass(frozen=True)
class SchedulePattern:
    frequency: str
    interval: int = 1
    # Weekly: one or more, in week order. Monthly: exactly one, at `position` in the month.
    weekdays: tuple[str, ...] = ()
    position: int | None = None
    ends_on: date | None = None
    count: int | None = None

    def as_rule(self) -> str:
        parts: dict = {"FREQ": self.frequency.upper()}
        if self.interval != 1:
            parts["INTERVAL"] = self.interval
        if self.count is not None:
            parts["COUNT"] = self.count
        if self.ends_on is not None:
            parts["UNTIL"] = datetime.combine(self.ends_on, _END_OF_DAY)
        if self.frequency == MONTHLY:
            parts["BYDAY"] = [f"{self.position}{self.weekdays[0]}"]
        else:
            parts["BYDAY"] = sorted(self.weekdays, key=WEEKDAYS.index)
        return vRecur(parts).to_ical().decode()


def pattern_from_rule(rule_text: str) -> SchedulePattern | None:
    """The builder's choices that write this rule, or None when the builder cannot say it."""
    text = normalise_rrule(rule_text)
    if not text:
        return None
    try:
        parts = vRecur.from_ical(text)
    except (ValueError, TypeError, KeyError, IndexError):
        return None
    if set(parts) - _PARTS or "FREQ" not in parts or "BYDAY" not in parts:
        return None
    if any(len(values) != 1 for name, values in parts.items() if name != "BYDAY"):
        return None
    frequency = str(parts["FREQ"][0]).lower()
    interval = parts.get("INTERVAL", [1])[0]
    count = parts["COUNT"][0] if "COUNT" in parts else None
    until = parts["UNTIL"][0] if "UNTIL" in parts else None
    if not isinstance(interval, int) or not 1 <= interval <= LARGEST_INTERVAL:
        return None
    if count is not None and (not isinstance(count, int) or not 1 <= count <= LARGEST_COUNT):
        return None
    if until is not None and not (
        isinstance(until, datetime) and until.tzinfo is None and until.time() == _END_OF_DAY
    ):
        return None
    if count is not None and until is not None:
        return None
    ends_on = until.date() if until is not None else None
    days = [
        (getattr(day, "relative", None), getattr(day, "weekday", None)) for day in parts["BYDAY"]
    ]
    if any(weekday not in WEEKDAYS for _, weekday in days):
        return None
    if frequency == WEEKLY:
        weekdays = {weekday for _, weekday in days}
        if any(position is not None for position, _ in days) or len(weekdays) != len(days):
            return None
        return SchedulePattern(
            WEEKLY,
            interval,
            tuple(sorted(weekdays, key=WEEKDAYS.index)),
            ends_on=ends_on,
            count=count,
        )
    if frequency == MONTHLY and len(days) == 1 and days[0][0] in POSITIONS:
        position, weekday = days[0]
        return SchedulePattern(MONTHLY, interval, (weekday,), position, ends_on, count)
    return None


def builder_can_express(rule_text: str) -> bool:
    return pattern_from_rule(rule_text) is not None

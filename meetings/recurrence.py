"""Recurrence rules (RFC 5545 RRULE values) as text: normalised, checked without expanding
them, and said in plain words.

Model validation and forms read rules through here, so it imports no meetings models and no
calendar code.
"""

import re
from datetime import date, datetime

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError

# Days every year has in each month (29 February is not one), and the most a month can have.
_DAYS_IN_EVERY = dict(enumerate([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], start=1))
_DAYS_IN_LEAP_YEAR = {**_DAYS_IN_EVERY, 2: 29}

_DAYS = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
_UNITS = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}


# The time of day comes from the schedule's start time, so a rule may not move it.
_TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND", "DTSTART")
# One RRULE value and nothing else: no further lines (EXDATE, RDATE) smuggled in.
_RRULE_CHARACTERS = re.compile(r"[A-Z0-9=;,+\-]+")


def normalise_rrule(value: str) -> str:
    value = (value or "").strip().upper()
    return value.removeprefix("RRULE:")


def validate_rrule(value: str) -> None:
    """Accept an RFC 5545 RRULE value (without DTSTART) that repeats at most daily, at the
    schedule's one start time (so never twice a day), in a form Outlook can store."""
    rule_text = normalise_rrule(value)
    if not rule_text:
        return
    if "RDATE" in rule_text or "EXDATE" in rule_text:
        raise ValidationError(
            "Enter a repeating rule only: add a meeting on an extra date as a single meeting, "
            "and cancel one you do not need"
        )
    if any(part in rule_text for part in _TIME_PARTS):
        raise ValidationError(
            "Enter a rule without a time of day: the start time is set separately"
        )
    malformed = ValidationError(
        "Enter a recurrence rule in RFC 5545 form, like FREQ=MONTHLY;BYDAY=2TU"
    )
    if not _RRULE_CHARACTERS.fullmatch(rule_text):
        raise malformed
    anchor = datetime(2000, 1, 1, 10, 0)
    try:
        rule = rrulestr(rule_text, dtstart=anchor)
    except (ValueError, TypeError):
        raise malformed from None
    # Every check that needs no expansion comes first: expanding an impossible rule
    # (FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30) searches every hour to the year 9999.
    check_expansion_is_bounded(rule_text)
    check_outlook_can_store(rule_text)
    if rule.after(anchor, inc=True) is None:
        raise ValidationError("Enter a rule that produces at least one meeting")


# What can be expanded cheaply ---------------------------------------------------------------

# The longest gap a series may have between meetings, in the rule's own unit. Forums meet at
# least yearly; larger intervals only make the expansion step through centuries.
_LARGEST_INTERVAL = {"DAILY": 366, "WEEKLY": 52, "MONTHLY": 24, "YEARLY": 5}
_LARGEST_COUNT = 1000
_SCHEDULE_FREQUENCIES = frozenset(_LARGEST_INTERVAL)


def _number(text: str) -> int | None:
    # ASCII digits only: str.isdigit() also accepts "²", which int() then refuses.
    sign, digits = (text[0], text[1:]) if text[:1] in "+-" else ("", text)
    if not digits or not digits.isascii() or not digits.isdigit():
        return None
    return int(sign + digits)


def check_expansion_is_bounded(rule_text: str) -> None:
    """Refuse, without expanding it, a rule whose expansion could run for a long time: one that
    repeats more often than daily, has an interval or count out of proportion, or asks for a
    day of the month that never occurs in the months it names (FREQ=YEARLY;BYMONTH=2;
    BYMONTHDAY=30). An expansion of a rule that passes yields a meeting within a few periods of
    its frequency, so its work grows with the meetings asked for, not with the calendar."""
    if not rule_text:
        return
    parts = {
        name: value.split(",")
        for name, _, value in (part.partition("=") for part in rule_text.split(";") if part)
    }
    frequency = parts.get("FREQ", [""])[0]
    if frequency not in _SCHEDULE_FREQUENCIES:
        raise ValidationError("Enter a rule that repeats at most once a day")
    interval = _number(parts.get("INTERVAL", ["1"])[0])
    if interval is None or not 1 <= interval <= _LARGEST_INTERVAL[frequency]:
        raise ValidationError(
            f"Enter an INTERVAL from 1 to {_LARGEST_INTERVAL[frequency]} for a "
            f"{frequency.lower()} rule"
        )
    if "COUNT" in parts:
        count = _number(parts["COUNT"][0])
        if count is None or not 1 <= count <= _LARGEST_COUNT:
            raise ValidationError(f"Enter a COUNT from 1 to {_LARGEST_COUNT}")
    months = [_number(month) for month in parts.get("BYMONTH", [])]
    month_days = [_number(day) for day in parts.get("BYMONTHDAY", [])]
    if None in months or None in month_days:
        raise ValidationError(
            "Enter a recurrence rule in RFC 5545 form, like FREQ=MONTHLY;BYDAY=2TU"
        )
    if month_days:
        longest = max((_DAYS_IN_LEAP_YEAR.get(month, 0) for month in months), default=31)
        if not any(1 <= abs(day) <= longest for day in month_days):
            raise ValidationError(
                "Enter a rule whose day of the month occurs: "
                f"BYMONTHDAY={','.join(parts['BYMONTHDAY'])} is not a day of "
                + (f"BYMONTH={','.join(parts['BYMONTH'])}" if months else "any month")
            )


# What Outlook can store ---------------------------------------------------------------------

# Outlook keeps a series as one of a few patterns (every n days; weeks on some weekdays; months
# or years on one day or one nth weekday) and rewrites or rejects anything else, so a rule with
# any other part would show partners different dates from Partnerhub's.
_ALWAYS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST"}
_ALLOWED = {
    "DAILY": _ALWAYS,
    "WEEKLY": _ALWAYS | {"BYDAY"},
    "MONTHLY": _ALWAYS | {"BYDAY", "BYMONTHDAY", "BYSETPOS"},
    "YEARLY": _ALWAYS | {"BYMONTH", "BYDAY", "BYMONTHDAY", "BYSETPOS"},
}
# Outlook's nth weekdays: first to fourth, or last. A fifth is missing from most months.
_NTH = {"1", "2", "3", "4", "-1"}
_SHORT_MONTHS = (
    "is not in every month (Outlook moves those meetings to the last day of a shorter month, "
    "other calendars skip that month)"
)


def _refuse(reason: str):
    return ValidationError(f"Enter a rule Outlook can store: {reason}")


def _nth_weekday(token: str) -> tuple[str, str]:
    return token[:-2].lstrip("+"), token[-2:]


def check_outlook_can_store(rule_text: str) -> None:
    """Refuse, naming the part, a rule (already valid RFC 5545) that Outlook cannot store as
    the same dates."""
    parts = {
        name: value.split(",")
        for name, _, value in (part.partition("=") for part in rule_text.split(";") if part)
    }
    frequency = parts.get("FREQ", [""])[0]
    if frequency not in _ALLOWED:
        return
    words = frequency.lower()
    for name in parts:
        if name not in _ALLOWED[frequency]:
            raise _refuse(f"a {words} rule cannot use {name}")
    days = parts.get("BYDAY", [])
    month_days = parts.get("BYMONTHDAY", [])
    positions = parts.get("BYSETPOS", [])
    if frequency == "WEEKLY":
        numbered = [token for token in days if _nth_weekday(token)[0]]
        if numbered:
            raise _refuse(
                f"a weekly rule takes weekdays without a number, not BYDAY={numbered[0]}; for "
                f"one weekday a month use FREQ=MONTHLY;BYDAY={numbered[0]}"
            )
        return
    if frequency == "DAILY":
        return
    if len(days) > 1 or len(month_days) > 1 or len(positions) > 1 or (days and month_days):
        raise _refuse(
            f"a {words} rule meets on one day of the month, like BYMONTHDAY=15, or one "
            "weekday of the month, like BYDAY=2TU"
        )
    if days:
        nth, _ = _nth_weekday(days[0])
        if positions and nth:
            raise _refuse(f"BYSETPOS cannot be used with a numbered weekday, BYDAY={days[0]}")
        if not positions and not nth:
            raise _refuse(
                f"BYDAY={days[0]} means every {_DAYS.get(days[0], days[0])}: say which one in "
                f"the month, like BYDAY=2{days[0]}"
            )
        if (nth or positions[0]) not in _NTH:
            written = f"BYSETPOS={positions[0]}" if positions else f"BYDAY={days[0]}"
            raise _refuse(
                f"{written} is not in every month: choose the first to fourth weekday, or -1 "
                "for the last, like BYDAY=-1FR"
            )
    elif positions:
        raise _refuse("BYSETPOS needs one weekday, like BYDAY=TU;BYSETPOS=2")
    months = parts.get("BYMONTH", [])
    if frequency == "YEARLY":
        if len(months) > 1:
            raise _refuse("a yearly rule has one month, like BYMONTH=6")
        if (days or month_days) and not months:
            raise _refuse("a yearly rule with BYDAY or BYMONTHDAY needs its month, like BYMONTH=6")
    if month_days:
        day = month_days[0]
        longest = _DAYS_IN_EVERY.get(int(months[0]), 28) if months else 28
        if day.startswith("-"):
            raise _refuse(
                f"BYMONTHDAY={day} counts back from the end of the month, which Outlook cannot "
                "store: choose a day from the start, or a weekday, like BYDAY=-1FR"
            )
        if not 1 <= int(day.lstrip("+")) <= longest:
            raise _refuse(
                f"BYMONTHDAY={day} {_SHORT_MONTHS}: choose a day from 1 to {longest}, or a "
                "weekday, like BYDAY=-1FR for the last Friday"
            )


def check_start_day_outlook_can_store(rule_text: str, starts_on: date) -> None:
    """A monthly or yearly rule without its own day repeats the start date's day, which must
    then be in every month (or year) for Outlook to keep the same dates."""
    parts = _parts(rule_text)
    if parts.get("FREQ") not in ("MONTHLY", "YEARLY") or {"BYDAY", "BYMONTHDAY"} & set(parts):
        return
    month = int(parts.get("BYMONTH", starts_on.month)) if parts["FREQ"] == "YEARLY" else None
    longest = _DAYS_IN_EVERY[month] if month else 28
    if starts_on.day > longest:
        raise ValidationError(
            f"Enter a rule with its own day, like BYMONTHDAY={longest} or BYDAY=-1FR: the series "
            f"starts on day {starts_on.day}, which {_SHORT_MONTHS}"
        )


def _parts(rule_text: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in rule_text.split(";") if "=" in part)


def _day_phrase(token: str) -> str:
    day = _DAYS.get(token[-2:], token)
    ordinal = token[:-2]
    if ordinal:
        try:
            return f"the {_ORDINALS[int(ordinal)]} {day}"
        except (KeyError, ValueError):
            return token
    return day


def describe(rule_text: str) -> str:
    """Common rules in words ("Monthly on the second Tuesday"); anything else as written."""
    parts = _parts(rule_text)
    frequency = parts.get("FREQ")
    if frequency not in _UNITS or set(parts) - {
        "FREQ",
        "INTERVAL",
        "BYDAY",
        "BYMONTHDAY",
        "COUNT",
        "UNTIL",
        "BYMONTH",
    }:
        return rule_text
    month = _number(parts["BYMONTH"]) if "BYMONTH" in parts else None
    if "BYMONTH" in parts and (frequency != "YEARLY" or month not in _DAYS_IN_EVERY):
        return rule_text
    ending = ""
    if "COUNT" in parts:
        count = _number(parts["COUNT"])
        if count is None:
            return rule_text
        ending = f", {count} meeting{'s' if count != 1 else ''} in all"
    if "UNTIL" in parts:
        until = _until_date(parts["UNTIL"])
        if until is None:
            return rule_text
        ending = f", until {until.day} {until:%B %Y}"
    interval = int(parts.get("INTERVAL", "1") or 1)
    if interval == 1:
        words = {"DAILY": "Daily", "WEEKLY": "Weekly", "MONTHLY": "Monthly", "YEARLY": "Yearly"}[
            frequency
        ]
    elif interval == 2 and frequency == "WEEKLY":
        words = "Fortnightly"
    else:
        words = f"Every {interval} {_UNITS[frequency]}s"
    if "BYDAY" in parts:
        days = [_day_phrase(token) for token in parts["BYDAY"].split(",")]
        words += " on " + " and ".join(days)
    elif "BYMONTHDAY" in parts:
        words += " on day " + parts["BYMONTHDAY"] + " of the month"
    if month is not None:
        words += " in " + date(2000, month, 1).strftime("%B")
    return words + ending


def _until_date(value: str) -> date | None:
    try:
        return datetime.strptime(value[:8], "%Y%m%d").date()
    except ValueError:
        return None

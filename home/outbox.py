"""The local demo's outbox: every e-mail the file mail backend wrote, read back for a page.

Only the local demo sends mail to files (`make run` sets EMAIL_URL=filemail://); production
sends through a mail server and this page answers 404 there.
"""

from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

from django.conf import settings
from icalendar import Calendar

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
# What Django's file backend writes after each message.
SEPARATOR = b"\n" + b"-" * 79 + b"\n"


@dataclass
class CalendarPart:
    method: str
    summary: str
    starts: str
    ends: str
    location: str
    organiser: str
    attendees: list[str]
    status: str
    sequence: str


@dataclass
class OutboxMessage:
    number: int
    sent_at: object
    sender: str
    to: str
    subject: str
    text: str
    calendars: list[CalendarPart] = field(default_factory=list)


def in_use() -> bool:
    return settings.DEBUG and settings.EMAIL_BACKEND == FILE_BACKEND


def _calendar(data: bytes | str) -> CalendarPart | None:
    try:
        calendar = Calendar.from_ical(data)
    except ValueError:
        return None
    event = next(iter(calendar.walk("VEVENT")), None)
    if event is None:
        return None

    def text(name):
        value = event.get(name)
        return "" if value is None else str(value).removeprefix("mailto:").removeprefix("MAILTO:")

    def when(name):
        value = event.get(name)
        return "" if value is None else f"{value.dt:%-d %B %Y %H:%M %Z}".strip()

    attendees = event.get("ATTENDEE", [])
    if not isinstance(attendees, list):
        attendees = [attendees]
    return CalendarPart(
        method=str(calendar.get("METHOD", "")),
        summary=text("SUMMARY"),
        starts=when("DTSTART"),
        ends=when("DTEND"),
        location=text("LOCATION"),
        organiser=text("ORGANIZER"),
        attendees=[str(a).removeprefix("mailto:").removeprefix("MAILTO:") for a in attendees],
        status=text("STATUS"),
        sequence=text("SEQUENCE"),
    )


def _read(raw: bytes, number: int) -> OutboxMessage:
    message: EmailMessage = message_from_bytes(raw, policy=policy.default)
    text_part = message.get_body(preferencelist=("plain",))
    calendars = []
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            calendar = _calendar(part.get_payload(decode=True))
            if calendar is not None:
                calendars.append(calendar)
    sent = message.get("Date")
    return OutboxMessage(
        number=number,
        sent_at=parsedate_to_datetime(sent) if sent else None,
        sender=str(message.get("From", "")),
        to=str(message.get("To", "")),
        subject=str(message.get("Subject", "")),
        text=text_part.get_content() if text_part is not None else "",
        calendars=calendars,
    )


def messages() -> list[OutboxMessage]:
    """Every message in the outbox, newest first."""
    folder = Path(settings.EMAIL_FILE_PATH)
    if not folder.is_dir():
        return []
    raw_messages = []
    for path in sorted(folder.glob("*.log"), key=lambda path: (path.stat().st_mtime_ns, path.name)):
        raw_messages.extend(chunk for chunk in path.read_bytes().split(SEPARATOR) if chunk.strip())
    read = [_read(raw, number) for number, raw in enumerate(raw_messages, start=1)]
    return read[::-1]

"""Reading the calendar e-mails a change sends: as a mail client parses them, through ical.js
(an independent parser), and against golden files."""

import email
import json
import os
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

from icalendar import Calendar

from meetings.calendars.schedule import LONDON

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
ORGANISER = "marac.coordinator@manchester.example"
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=LONDON)


# Reading what was sent ------------------------------------------------------------------------


def parsed(message):
    """The e-mail as a mail client receives it."""
    return email.message_from_bytes(message.message().as_bytes())


def calendar_parts(message):
    raw = parsed(message)
    inline = [part for part in raw.walk() if part.get_content_type() == "text/calendar"]
    attached = [part for part in raw.walk() if part.get_filename() == "invite.ics"]
    return raw, inline, attached


def calendar_of(message) -> Calendar:
    _, inline, _ = calendar_parts(message)
    return Calendar.from_ical(inline[0].get_payload(decode=True))


def to_of(message) -> str:
    return message.to[0]


def by_recipient(messages) -> dict:
    return {re.search(r"<(.+)>", to_of(m)).group(1): m for m in messages}


# ical.js, an independent parser -----------------------------------------------------------------


def icaljs(text: str, limit: int = 30) -> dict:
    """Parse and expand a calendar with ical.js (Thunderbird's parser), run by node."""
    node = shutil.which("node")
    assert node, "node is needed to check calendars with ical.js"
    result = subprocess.run(
        [node, str(HERE / "icaljs_expand.mjs"), str(limit)],
        input=text,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        cwd=HERE.parent.parent,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# Golden files -----------------------------------------------------------------------------------

_VOLATILE = [
    (re.compile(r"DTSTAMP:\d{8}T\d{6}Z"), "DTSTAMP:<now>"),
    (re.compile(r"=+\d+=="), "<boundary>"),
    (re.compile(r"^Message-ID: .*$", re.M), "Message-ID: <id>"),
    (re.compile(r"^Date: .*$", re.M), "Date: <date>"),
    (re.compile(r"meeting-\d+@"), "meeting-<id>@"),
    (re.compile(r"forum-\d+-series@"), "forum-<id>-series@"),
    (re.compile(r"/meetings/\d+/"), "/meetings/<id>/"),
    (re.compile(r"/forums/\d+/"), "/forums/<id>/"),
    # A contact's signed link names their attendance, whose id differs from run to run.
    (re.compile(r"/invitations/[^/\s\"<>]+/"), "/invitations/<signed>/"),
]


def normalised(text: str) -> str:
    # Unfold first, so a volatile value split over two lines is still recognised.
    text = text.replace("\r\n", "\n").replace("\n ", "")
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def _unfolded(header) -> str:
    return re.sub(r"\r?\n(?=[ \t])", "", str(header))


def mime_text(message) -> str:
    """The e-mail as a reader sees it: every part's headers and decoded content, in order."""
    lines = []
    for part in parsed(message).walk():
        lines.append(f"----- {part.get_content_type()}")
        lines.extend(f"{name}: {_unfolded(value)}" for name, value in part.items())
        if not part.is_multipart():
            lines.extend(["", part.get_payload(decode=True).decode()])
    return "\n".join(lines)


def matches_golden(name: str, text: str) -> None:
    """Compare with tests/calendars/golden/<name>; UPDATE_GOLDEN=1 rewrites the files (then
    read the difference before keeping it)."""
    path = GOLDEN / name
    actual = normalised(text)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(actual)
    assert path.exists(), f"No golden file {name}: run with UPDATE_GOLDEN=1 and read it"
    assert actual == path.read_text(), f"{name} differs from its golden file"

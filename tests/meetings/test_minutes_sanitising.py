"""Minutes are Markdown rendered through the one shared sanitiser: hostile input comes out
harmless, ordinary formatting survives, and the meeting page shows only the safe result."""

import re
from datetime import date, datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import time_machine
from django.urls import reverse

from core.rich_text import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown, sanitise_html
from meetings import services
from meetings.calendars.schedule import LONDON
from tests.meetings.hostile_markdown import HOSTILE_INPUTS

SAFE_SCHEMES = {"", "http", "https", "mailto"}
# Characters browsers drop from a URL before reading its scheme.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]")


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag


def problems_in(rendered: str) -> list[str]:
    """Anything a browser could run or load from this HTML."""
    parser = _Elements()
    parser.feed(rendered)
    found = []
    for tag, attrs in parser.elements:
        if tag not in ALLOWED_TAGS:
            found.append(f"<{tag}> element")
        for name, value in attrs:
            if name not in ALLOWED_ATTRIBUTES.get(tag, []):
                found.append(f"{name} attribute on <{tag}>")
            if name == "href":
                # The parser has already decoded entities once, as a browser does.
                url = _IGNORED_IN_SCHEME.sub("", value or "")
                scheme = urlsplit(url).scheme.lower() if ":" in url.split("/")[0] else ""
                if scheme not in SAFE_SCHEMES:
                    found.append(f"{scheme}: link")
    if re.search(r"<\s*(script|style|iframe|svg|math|img|object|embed)", rendered, re.I):
        found.append("raw dangerous tag")
    return found


def test_the_corpus_holds_at_least_fifty_hostile_inputs():
    assert len(set(HOSTILE_INPUTS)) >= 50


@pytest.mark.parametrize("source", HOSTILE_INPUTS)
def test_hostile_markdown_is_neutralised(source):
    assert problems_in(render_markdown(source)) == []


@pytest.mark.parametrize("source", HOSTILE_INPUTS)
def test_hostile_html_is_neutralised_by_the_sanitiser_alone(source):
    # Second line of defence: if Markdown ever let raw HTML through, the sanitiser still holds.
    assert problems_in(sanitise_html(source)) == []


def test_the_checker_notices_what_it_is_meant_to_catch():
    assert problems_in('<a href="javascript:alert(1)">x</a>') == ["javascript: link"]
    assert problems_in('<p onclick="x()">x</p>') == ["onclick attribute on <p>"]
    assert "<img> element" in problems_in("<img src=x>")


def test_ordinary_formatting_is_kept():
    rendered = render_markdown(
        "## Attendance\n\n"
        "**Present**: police, *IDVA* and housing.\n\n"
        "- first point\n- second point\n\n"
        "3. third\n4. fourth\n\n"
        "> A quoted remark\n\n"
        "Contact [the coordinator](https://example.org/marac) or "
        "[e-mail](mailto:marac@example.org). Use `code`.\n\n"
        "| Agency | Actions |\n|---|---|\n| Police | 2 |\n"
    )
    for fragment in [
        "<h2>Attendance</h2>",
        "<strong>Present</strong>",
        "<em>IDVA</em>",
        "<ul>",
        "<li>first point</li>",
        '<ol start="3">',
        "<blockquote>",
        'href="https://example.org/marac"',
        'href="mailto:marac@example.org"',
        'rel="noopener noreferrer nofollow"',
        "<code>code</code>",
        "<table>",
        "<td>Police</td>",
    ]:
        assert fragment in rendered, fragment
    assert problems_in(rendered) == []


def test_escaped_text_stays_visible_as_text():
    rendered = render_markdown("Use <b>bold</b> & keep 2 < 3")
    assert "&lt;b&gt;bold&lt;/b&gt;" in rendered
    assert "2 &lt; 3" in rendered


@pytest.mark.django_db
def test_the_meeting_page_renders_every_hostile_input_harmlessly(
    marac, generate, partnership_manager, partnership_manager_client
):
    meeting = generate(marac, date(2026, 1, 1), date(2026, 1, 31))[0]
    with time_machine.travel(datetime(2026, 1, 14, tzinfo=LONDON)):
        services.write_minutes(
            meeting=meeting,
            body="## Notes\n\n" + "\n\n".join(HOSTILE_INPUTS),
            actor=partnership_manager,
        )
    page = partnership_manager_client.get(reverse("meetings:meeting-detail", args=[meeting.pk]))
    body = page.content.decode()
    opening = '<div class="govuk-inset-text">'
    start = body.index(opening) + len(opening)
    minutes = body[start : body.index("</div>", start)]
    assert "<h2>Notes</h2>" in minutes
    assert problems_in(minutes) == []

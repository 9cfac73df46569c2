"""Helpers for tests that look at pages as a browser would receive them."""

import re
from html.parser import HTMLParser

EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "module", "application/javascript"}


class _InlineCodeFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            executable = (attributes.get("type") or "").lower() in EXECUTABLE_SCRIPT_TYPES
            self._in_inline_script = executable and not attributes.get("src")
        if tag == "style":
            self.problems.append("<style> element")
        if "style" in attributes:
            self.problems.append(f"style attribute on <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name} handler on <{tag}>")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"javascript: URL in {name}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.problems.append(f"inline script: {data.strip()[:60]!r}")


def inline_code_in(html: str) -> list[str]:
    """What in this page the strict Content-Security-Policy would block."""
    finder = _InlineCodeFinder()
    finder.feed(html)
    return finder.problems


def links_in(html: str) -> list[str]:
    return re.findall(r'href="(/[^"#]*)"', html)


class _SelectFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.selects = []

    def handle_starttag(self, tag, attrs):
        if tag == "select":
            attributes = dict(attrs)
            self.selects.append(
                {
                    "name": attributes.get("name"),
                    "module": attributes.get("data-module"),
                    "options": 0,
                }
            )
        elif tag == "option" and self.selects:
            self.selects[-1]["options"] += 1


def selects_in(html: str) -> list[dict]:
    """Each <select> in the page: its name, its data-module and how many options it offers."""
    finder = _SelectFinder()
    finder.feed(html)
    return finder.selects

"""Helpers for tests that look at pages as a browser would receive them."""

import re
from collections import Counter
from html import unescape
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


# One page of each kind keeps a crawl of every role over the whole demo to seconds; the cap
# stops a page of endless links (a calendar's next month, and the next) from running on.
PAGES_OF_A_KIND = 1
PAGES_PER_PERSON = 80


def kind_of(path: str) -> str:
    """The page a path shows, whatever record it is about: /cases/7/?page=2 → /cases/N/?page."""
    route, _, query = path.partition("?")
    keys = sorted(part.partition("=")[0] for part in query.split("&") if part)
    return re.sub(r"/\d+(?=/|$)", "/N", route) + ("?" + "&".join(keys) if keys else "")


def crawl(client) -> dict:
    """Pages reachable by links from the home page, as this client's person, one of every kind:
    {path: (response, html)}. The links carry the demo's own records, so every detail page is
    reached with a record this person may see."""
    seen, queue, pages, kinds = set(), ["/"], {}, Counter()
    while queue and len(pages) < PAGES_PER_PERSON:
        path = queue.pop(0)
        if (
            path in seen
            or kinds[kind_of(path)] >= PAGES_OF_A_KIND
            or path.startswith(("/accounts/logout", "/admin/", "/static/"))
            or "export" in path
        ):
            continue
        seen.add(path)
        kinds[kind_of(path)] += 1
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        pages[path] = (response, html)
        queue.extend(unescape(link) for link in links_in(html))
    return pages


def pages_of_everyone(clients: dict) -> dict:
    """Every page the crawl reaches as each of `clients` ({role: client}), as that person
    sees it: {(role, path): html}."""
    return {
        (role, path): html
        for role, client in clients.items()
        for path, (_, html) in crawl(client).items()
    }


def pages_by_path(clients: dict) -> dict:
    """Every page the crawl reaches as any of `clients` ({role: client}), each once, with the
    first role that reached it: {path: (role, html)}. For a check too slow to repeat for
    everyone who sees the page (a browser's)."""
    found = {}
    for (role, path), html in pages_of_everyone(clients).items():
        found.setdefault(path, (role, html))
    return found


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


# Elements that never hold others, so never an ancestor of what follows them.
_VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _ElementTree(HTMLParser):
    """Each element of a page as (tag, attributes, its ancestors' (tag, attributes)), in order."""

    def __init__(self):
        super().__init__()
        self.elements = []
        self._open = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes, tuple(self._open)))
        if tag not in _VOID_ELEMENTS:
            self._open.append((tag, attributes))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs), tuple(self._open)))

    def handle_endtag(self, tag):
        # Close up to the nearest open element of this name; a stray end tag closes nothing.
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth][0] == tag:
                del self._open[depth:]
                break


def elements_in(html: str) -> list[tuple[str, dict, tuple]]:
    """Every element of the page: (tag, attributes, ancestors as (tag, attributes), outermost
    first)."""
    tree = _ElementTree()
    tree.feed(html)
    return tree.elements


def duplicate_ids_in(html: str) -> list[str]:
    """Ids that more than one element of the page carries."""
    counted = Counter(
        attributes["id"] for _, attributes, _ in elements_in(html) if "id" in attributes
    )
    return sorted(name for name, count in counted.items() if count > 1)

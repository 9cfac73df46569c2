"""Markdown in, safe HTML out: the one place that decides what HTML a page may contain.

Minutes, case notes and agenda text are written as Markdown, rendered by markdown-it-py with raw
HTML off (the `js-default` preset; its `commonmark` preset lets raw HTML through), and the result
always passes through `sanitise_html`. bleach does the sanitising today; nh3, its successor, can
replace it inside this module without any caller changing.

Rendering is cached, keyed by a digest of the source, so a page that shows long minutes does
not parse and sanitise them again on every view.
"""

import hashlib
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter
from django.core.cache import cache
from markdown_it import MarkdownIt

# About twenty pages of minutes. Rendering grows with the text (a list-heavy text at this size
# takes seconds the first time), so forms refuse more at the field (core.forms).
MARKDOWN_MAX_CHARACTERS = 50_000
# Bump when the Markdown options, the allowed tags or the sanitiser change, so no page shows
# HTML made under the old rules.
_RENDERING_VERSION = "1"
_CACHE_SECONDS = 7 * 24 * 60 * 60

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
        "ul", "ol", "li", "h2", "h3", "h4", "a",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
# No style attributes: the Content-Security-Policy forbids them, and no class either, so pasted
# HTML cannot borrow the page's own components.
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "ol": ["start"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

_markdown = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})


def _safe_link(attrs, new=False):
    attrs[(None, "rel")] = "noopener noreferrer nofollow"
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_safe_link], skip_tags={"pre", "code"})],
)


def sanitise_html(html: str) -> str:
    """Keep ordinary formatting; remove scripts, event handlers, styles and unsafe links."""
    return _cleaner.clean(html)


def render_markdown(source: str) -> str:
    """Markdown as safe HTML, ready to mark safe in a template."""
    if not source:
        return ""
    digest = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
    key = f"rich-text:{_RENDERING_VERSION}:{digest}"
    html = cache.get(key)
    if html is None:
        html = sanitise_html(_markdown.render(source))
        cache.set(key, html, _CACHE_SECONDS)
    return html

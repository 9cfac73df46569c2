"""What a web process does once, after Django is set up and before it serves anyone."""

import gc

from django.urls import get_resolver


def settle() -> None:
    """Import every view (through the URLconf), then put everything the process holds so far
    beyond the garbage collector's full collections. Those objects (modules, models, URL
    patterns) live as long as the process, yet a full collection walked them all again every
    dozen or so requests of a long list page, which added about 50 ms to that request."""
    get_resolver().url_patterns  # noqa: B018 - reading it imports every view module
    gc.freeze()

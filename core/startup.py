"""What a web process does once, after Django is set up and before it serves anyone."""

import gc

from django.urls import get_resolver


def settle() -> None:
    """Import every view (through the URLconf), then put everything the process holds so far
    beyond the garbage collector's full collections. Those objects (modules, models, URL
    patterns) live as long as the process, yet a full collection walked them all again every
    dozen or so requests of a long list page, which added about 50 ms to that request. Then
    collect the youngest objects less often than Python does, for the same reason."""
    get_resolver().url_patterns  # noqa: B018 - reading it imports every view module
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS_BEFORE_A_COLLECTION, *gc.get_threshold()[1:])


# Python collects its youngest objects every 700 new ones. A report's request makes hundreds
# of thousands, nearly all gone by its end, yet collected so often that many outlived a
# collection or two; with so little left unfrozen, that much promotion soon called a full
# collection (about 12 ms, in one request in twelve of the partnership report). Collected every
# 10,000, most are gone first: that report spent 1.4 ms a request collecting, not 3.2.
YOUNG_OBJECTS_BEFORE_A_COLLECTION = 10_000

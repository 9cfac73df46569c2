"""What a web process does before it serves anyone (config/wsgi.py)."""

import gc
import importlib
import sys

# Python's own: the youngest objects collected every 700 new ones.
PYTHONS_THRESHOLDS = (700, 10, 10)


def test_the_web_entry_point_puts_what_it_loaded_beyond_full_collections():
    # What a process holds after start-up lives as long as it does; a full collection that
    # walks it all again costs a list page about 50 ms every dozen requests.
    gc.unfreeze()
    thresholds = gc.get_threshold()
    gc.set_threshold(*PYTHONS_THRESHOLDS)
    sys.modules.pop("config.wsgi", None)
    try:
        wsgi = importlib.import_module("config.wsgi")
        assert callable(wsgi.application)
        assert gc.get_freeze_count() > 10_000
        # A request's short-lived objects are mostly gone before the young are collected, so
        # few are promoted towards a full collection.
        young, *older = gc.get_threshold()
        assert young >= 10 * PYTHONS_THRESHOLDS[0]
        assert older == list(PYTHONS_THRESHOLDS[1:])
        # Every view was imported on the way, so it is among what was set aside.
        assert "sharing.views.cases" in sys.modules
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)

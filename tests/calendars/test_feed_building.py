"""A feed that takes seconds to build is built by one process at a time: whoever else asks for
the same feed meanwhile waits for its text in the shared cache."""

import threading
from datetime import timedelta

import pytest
from django.core.cache import cache

from meetings.calendars import feeds

VALIDATOR = '"0123456789abcdef"'
TEXT = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_feed_asked_for_twice_at_once_is_built_once():
    building, finish = threading.Event(), threading.Event()
    builds, answers = [], []

    def slow_build():
        builds.append(threading.current_thread().name)
        building.set()
        assert finish.wait(5)
        return TEXT

    def ask():
        answers.append(feeds.kept_feed_text(VALIDATOR, slow_build))

    first = threading.Thread(target=ask, name="first")
    first.start()
    assert building.wait(5)
    second = threading.Thread(target=ask, name="second")
    second.start()
    second.join(0.5)
    assert second.is_alive(), "the second request waits while the first builds"
    finish.set()
    first.join(5)
    second.join(5)

    assert builds == ["first"]
    assert answers == [TEXT, TEXT]


def test_a_build_that_died_with_its_worker_is_taken_over(monkeypatch):
    # A worker killed mid-build leaves its claim behind; it lapses, and the next asker builds.
    monkeypatch.setattr(feeds, "FEED_BUILD_HELD_FOR", timedelta(milliseconds=300))
    cache.add(
        "calendar-feed-text:" + VALIDATOR.strip('"') + ":building",
        True,
        feeds.FEED_BUILD_HELD_FOR.total_seconds(),
    )
    assert feeds.kept_feed_text(VALIDATOR, lambda: TEXT) == TEXT
    assert feeds.kept_feed_text(VALIDATOR, lambda: "never built again") == TEXT


def test_a_build_that_fails_leaves_the_next_asker_free_to_build():
    def broken():
        raise ConnectionError("database went away")

    with pytest.raises(ConnectionError):
        feeds.kept_feed_text(VALIDATOR, broken)
    assert feeds.kept_feed_text(VALIDATOR, lambda: TEXT) == TEXT

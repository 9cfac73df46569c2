"""Fixtures for the sign-in tests."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _no_rate_limits_or_used_codes_left_by_other_tests():
    # allauth counts failed attempts per address and remembers used codes in the cache, which
    # outlives a test; without this, one test's failures would lock the next one out.
    cache.clear()
    yield
    cache.clear()

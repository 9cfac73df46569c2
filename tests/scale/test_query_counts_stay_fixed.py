"""Every page the benchmark measures (tests/bench/pages.py) costs the same number of queries
over the small national-scale fill as after a larger batch is added on top: a page whose count
grows with the data would cost without bound at national scale."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agencies.models import User
from home.scale import SIZES, generate, landmarks
from tests.bench.pages import PAGES

# Marked as database tests so that pytest-django runs them among the others, before the
# transactional tests whose flush empties the reference data (local authorities) the fill needs.
pytestmark = pytest.mark.django_db

# Pages whose count grows today, each a known failure to fix (see the reason).
KNOWN_TO_GROW: dict[str, str] = {}


def _count(page, marks) -> tuple[int, int]:
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(User.objects.get(pk=marks.users[page.role]))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.url(marks))
        if response.streaming:
            b"".join(response.streaming_content)
    return response.status_code, len(captured.captured_queries)


def _count_every_page() -> dict[str, tuple[int, int]]:
    marks = landmarks()
    return {page.label: _count(page, marks) for page in PAGES}


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker):
    """Each page's status and query count over the small fill, then after a medium batch."""
    with django_db_blocker.unblock(), transaction.atomic():
        generate(SIZES["small"], seed=1)
        small = _count_every_page()
        generate(SIZES["medium"], seed=2)
        larger = _count_every_page()
        transaction.set_rollback(True)
    return small, larger


@pytest.mark.parametrize(
    "label",
    [
        pytest.param(
            page.label,
            marks=pytest.mark.xfail(strict=True, reason=KNOWN_TO_GROW[page.label]),
        )
        if page.label in KNOWN_TO_GROW
        else page.label
        for page in PAGES
    ],
)
def test_page_costs_the_same_queries_with_more_data(counts, label):
    small, larger = counts
    assert small[label][0] == 200, f"{label}: answered {small[label][0]} over the small fill"
    assert larger[label][0] == 200, f"{label}: answered {larger[label][0]} with more data"
    assert larger[label][1] == small[label][1], (
        f"{label}: {small[label][1]} queries over the small fill, {larger[label][1]} with more"
    )

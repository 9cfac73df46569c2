"""Each case gets the next reference of its year, never one already used."""

import threading

import pytest
import time_machine
from django.db import connections, transaction

from sharing.models import Case
from sharing.services import next_case_reference


@pytest.mark.django_db
def test_references_run_in_sequence_within_a_year(make_case):
    with time_machine.travel("2026-03-01 10:00 +0000"):
        first = make_case()
        second = make_case()
    assert first.reference == "PH-2026-000001"
    assert second.reference == "PH-2026-000002"


@pytest.mark.django_db
def test_numbering_starts_again_in_a_new_year(make_case):
    with time_machine.travel("2026-12-31 10:00 +0000"):
        make_case()
    with time_machine.travel("2027-01-02 10:00 +0000"):
        case = make_case()
    assert case.reference == "PH-2027-000001"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_cases_opened_at_the_same_time_get_different_references(make_case):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    make_case()  # the year's counter row exists, as it does after the first case
    barrier = threading.Barrier(4)
    references, errors = [], []

    def open_one():
        try:
            barrier.wait()
            with transaction.atomic():
                references.append(next_case_reference(year=2026))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(references)) == 4
    assert Case.objects.count() == 1

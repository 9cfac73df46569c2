"""What the reports ask the database to count and take the middle of agrees with Python's own
answers, on either database: working days (`core.working_days.working_days_between`) over
weekends, bank holidays, the UK date of a moment near midnight, a pair on one day and a pair
the wrong way round; medians."""

import statistics
from collections import Counter
from datetime import UTC, date, datetime

import pytest
from django.db.models import Case, DateTimeField, Q, Value, When
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agencies.models import Agency
from core.working_days import working_days_between
from reports import counting
from tests.factories import AgencyFactory

# Christmas, New Year, Easter and the May bank holidays, and the change to and from summer time.
MOMENTS = st.datetimes(
    min_value=datetime(2025, 12, 18), max_value=datetime(2026, 6, 3), timezones=st.just(UTC)
)
PAIRS = st.lists(st.tuples(MOMENTS, MOMENTS), min_size=1, max_size=6)


@pytest.fixture
def rows():
    return [AgencyFactory(name=f"Agency {number}").pk for number in range(6)]


def _moments(pks, moments):
    return Case(
        *(When(pk=pk, then=Value(moment)) for pk, moment in zip(pks, moments, strict=False)),
        output_field=DateTimeField(),
    )


@pytest.mark.django_db
def test_a_count_of_every_row_is_not_narrowed_by_the_other_counts_beside_it(rows):
    """A breakdown with an "every row" count beside conditional ones counts each category's
    rows in full, however few of them the conditions pick out."""
    Agency.objects.filter(pk__in=rows[:2]).update(kind="police")
    Agency.objects.filter(pk__in=rows[2:]).update(kind="housing_provider")

    counted = counting.counts_by(
        Agency.objects.filter(pk__in=rows),
        "kind",
        {"all": counting.EVERY, "first": Q(pk=rows[0])},
    )

    assert counted == {"police": {"all": 2, "first": 1}, "housing_provider": {"all": 4, "first": 0}}
    assert counting.counts_of(
        Agency.objects.filter(pk__in=rows), {"all": counting.EVERY, "first": Q(pk=rows[0])}
    ) == {"all": 6, "first": 1}


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pairs=PAIRS, picked=st.integers(min_value=0, max_value=63))
def test_the_median_wait_taken_in_the_database_is_pythons(pairs, picked, rows):
    """Median waits are taken in the database (PostgreSQL's percentile, SQLite's registered
    aggregate) as statistics.median takes them, the middle two of an even number averaged,
    with or without a filter; a wait the wrong way round counts as negative."""
    pks = rows[: len(pairs)]
    moments = Agency.objects.filter(pk__in=pks).annotate(
        began=_moments(pks, [began for began, _ in pairs]),
        finished=_moments(pks, [finished for _, finished in pairs]),
    )
    chosen = [pk for place, pk in enumerate(pks) if picked >> place & 1]
    wait = counting.SecondsBetween("began", "finished")

    found = moments.aggregate(
        every=counting.Median(wait), chosen=counting.Median(wait, filter=Q(pk__in=chosen))
    )

    waits = {
        pk: (finished - began).total_seconds()
        for pk, (began, finished) in zip(pks, pairs, strict=False)
    }
    # SQLite reads a moment to the millisecond.
    assert found["every"] == pytest.approx(statistics.median(waits.values()), abs=0.01)
    assert found["chosen"] == (
        pytest.approx(statistics.median([waits[pk] for pk in chosen]), abs=0.01) if chosen else None
    )


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pairs=PAIRS)
def test_working_days_taken_in_the_database_are_the_calendars_for_each_pair(pairs, rows):
    """Each row's working days from one moment to another, worked out by the database itself
    (so that their median is taken there), are the calendar's: over weekends and bank
    holidays, across midnight in the UK, on one day, and the wrong way round."""
    pks = rows[: len(pairs)]
    moments = Agency.objects.filter(pk__in=pks).annotate(
        began=_moments(pks, [began for began, _ in pairs]),
        finished=_moments(pks, [finished for _, finished in pairs]),
    )

    counted = dict(
        moments.annotate(days=counting.WorkingDaysBetween("began", "finished")).values_list(
            "pk", "days"
        )
    )
    middle = moments.aggregate(
        days=counting.Median(counting.WorkingDaysBetween("began", "finished"))
    )["days"]

    calendar = {
        pk: working_days_between(timezone.localdate(began), timezone.localdate(finished))
        for pk, (began, finished) in zip(pks, pairs, strict=False)
    }
    assert counted == calendar
    assert middle == statistics.median(calendar.values())


@given(
    first=st.dates(min_value=date(2000, 1, 3), max_value=date(2027, 12, 31)),
    second=st.dates(min_value=date(2000, 1, 3), max_value=date(2027, 12, 31)),
)
def test_working_day_numbers_differ_by_the_working_days_between_any_two_days(first, second):
    """From the first day the numbers start at to the end of next year, whatever the years."""
    numbers = [
        counting.working_day_number((day - counting.DAY_ZERO).days) for day in (first, second)
    ]

    assert max(numbers[1] - numbers[0], 0) == working_days_between(first, second)


@pytest.mark.django_db
def test_categories_are_labelled_from_a_mapping_read_beforehand(rows):
    """A breakdown by a key can take its labels from names read once, rather than grouping by
    the names in the database."""
    Agency.objects.filter(pk__in=rows[:2]).update(kind="police")
    Agency.objects.filter(pk=rows[2]).update(kind="housing_provider")

    counted = counting.counts_by(
        Agency.objects.filter(pk__in=rows[:3]),
        "kind",
        {"all": counting.EVERY},
        label={"police": "Police forces", "housing_provider": "Housing"},
    )

    assert counted == {
        ("police", "Police forces"): {"all": 2},
        ("housing_provider", "Housing"): {"all": 1},
    }


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pairs=PAIRS)
def test_rows_are_counted_by_the_working_days_they_took(pairs, rows):
    """`working_days` sends back how many rows took each number of working days, by the
    fields asked for, as the calendar counts each row's days."""
    pks = rows[: len(pairs)]
    moments = Agency.objects.filter(pk__in=pks).annotate(
        began=_moments(pks, [began for began, _ in pairs]),
        finished=_moments(pks, [finished for _, finished in pairs]),
    )

    counted = {
        (values, days): how_many
        for values, days, how_many in counting.working_days(moments, "began", "finished", "kind")
    }

    expected = Counter(
        (
            ("ngo",),
            working_days_between(timezone.localdate(began), timezone.localdate(finished)),
        )
        for began, finished in pairs
    )
    assert counted == dict(expected)


SIGNED_ON = st.sampled_from([None, date(2026, 1, 5), date(2026, 3, 2)])


@pytest.mark.django_db
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(signed=st.lists(SIGNED_ON, min_size=6, max_size=6), picked=st.integers(0, 63))
def test_each_group_and_all_the_rows_are_aggregated_together(signed, picked, rows):
    """A breakdown with a total beside it: each key's count and median, and the count and
    median over all the rows, which no sum of the groups gives. The rows without a key are a
    group of their own, not mistaken for the total (PostgreSQL's ROLLUP marks that total with
    a key of nothing too), and no rows at all still give a total of none."""
    for pk, day in zip(rows, signed, strict=True):
        Agency.objects.filter(pk=pk).update(
            information_sharing_agreement_signed_on=day,
            information_sharing_agreement_review_due_on=day and day.replace(year=2027),
        )
    chosen = {
        pk: day
        for place, (pk, day) in enumerate(zip(rows, signed, strict=True))
        if picked >> place & 1
    }

    groups, total = counting.by_key_with_total(
        Agency.objects.filter(pk__in=chosen),
        "information_sharing_agreement_signed_on",
        agencies=counting.count(counting.EVERY),
        middle=counting.Median("pk"),
    )

    by_day = {}
    for pk, day in chosen.items():
        by_day.setdefault(day, []).append(pk)
    assert sorted(
        groups, key=lambda group: str(group["information_sharing_agreement_signed_on"])
    ) == [
        {
            "information_sharing_agreement_signed_on": day,
            "agencies": len(pks),
            "middle": statistics.median(pks),
        }
        for day, pks in sorted(by_day.items(), key=lambda item: str(item[0]))
    ]
    assert total == {
        "agencies": len(chosen),
        "middle": statistics.median(chosen) if chosen else None,
    }

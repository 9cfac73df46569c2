"""The consent report's proof that every release was covered: proved once for each day that is
over and kept, read back only while the day holds the same releases, and proved again for
today and for a day that has gained one."""

from collections import Counter
from datetime import date, timedelta

import time_machine
from django.utils import timezone

from reports import coverage
from reports.consent import consent_report
from reports.models import ReleaseTally
from reports.periods import DateRange
from sharing import services
from sharing.models import Disclosure, DisclosureMethod
from tests.reports.history import _record, at

PERIOD = DateRange(date(2026, 9, 1), date(2026, 10, 31))


def _coverage(period=PERIOD):
    return consent_report(period, hide_small=False, threshold=5).table("coverage").rows[0].values


def _released_on_each_day(period=PERIOD) -> Counter:
    return Counter(
        timezone.localdate(moment)
        for moment in Disclosure.objects.filter(
            disclosed_at__gte=period.start, disclosed_at__lt=period.end
        ).values_list("disclosed_at", flat=True)
    )


def _release_again(disclosure, moment, actor):
    with time_machine.travel(moment, tick=False):
        return services.disclose(
            case=disclosure.case,
            recipient=disclosure.recipient,
            purpose=disclosure.purpose,
            categories=disclosure.categories,
            content="The new address.",
            method=DisclosureMethod.SECURE_EMAIL,
            record_of_decision=_record("They need it to act."),
            actor=actor,
        )


def test_each_day_over_is_proved_once_and_its_tally_gives_the_same_figures(history):
    first = _coverage()

    released = _released_on_each_day()
    assert first["all"] == first["covered"] == sum(released.values()) > 0
    tallies = {tally.day: tally for tally in ReleaseTally.objects.all()}
    assert set(tallies) == set(released)
    assert all(tally.releases == tally.covered == released[tally.day] for tally in tallies.values())
    assert _coverage() == first
    assert ReleaseTally.objects.count() == len(released)


def test_a_tally_that_no_longer_matches_its_days_releases_is_not_believed(history):
    """A tally speaks for its day only while the day holds as many releases as it counted."""
    _coverage()
    day = min(_released_on_each_day())
    ReleaseTally.objects.create(day=day, releases=999, covered=0)

    figures = _coverage()

    assert figures["all"] == figures["covered"] == sum(_released_on_each_day().values())


def test_a_day_that_gains_a_release_after_its_tally_is_proved_again(history):
    _coverage()
    earlier = Disclosure.objects.filter(
        disclosed_at__gte=PERIOD.start, disclosed_at__lt=PERIOD.end
    ).earliest("disclosed_at")
    day = timezone.localdate(earlier.disclosed_at)
    before = _released_on_each_day()[day]

    _release_again(earlier, earlier.disclosed_at + timedelta(minutes=30), history.officer)
    figures = _coverage()

    assert figures["all"] == figures["covered"] == sum(_released_on_each_day().values())
    assert sorted(ReleaseTally.objects.filter(day=day).values_list("releases", flat=True)) == [
        before,
        before + 1,
    ]


def test_today_is_proved_afresh_and_never_tallied(history):
    """Today can still gain releases, so it is counted at every view and tallied only once it
    is over."""
    today = date(2026, 11, 20)
    this_year = DateRange(today - timedelta(days=364), today)
    earlier = Disclosure.objects.filter(disclosed_at__lt=at(today, 0)).latest("disclosed_at")
    with time_machine.travel(at(today, 15), tick=False):
        _release_again(earlier, timezone.now(), history.officer)

        figures = _coverage(this_year)

        assert (
            figures["all"] == figures["covered"] == sum(_released_on_each_day(this_year).values())
        )
        assert _released_on_each_day(this_year)[today] == 1
        assert not ReleaseTally.objects.filter(day=today).exists()


def test_a_long_range_is_tallied_over_several_views_with_the_same_figures(history, monkeypatch):
    monkeypatch.setattr(coverage, "TALLIED_AT_ONCE", 3)
    released = _released_on_each_day()

    first = _coverage()
    tallied_by_the_first = ReleaseTally.objects.count()
    views = [_coverage() for _ in range(len(released) // 3 + 1)]

    assert tallied_by_the_first == 3
    assert all(view == first for view in views)
    assert first["covered"] == sum(released.values())
    assert ReleaseTally.objects.count() == len(released) > 3

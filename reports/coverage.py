"""The consent compliance report's proof: of the releases made in a period, how many a consent
current at the time and naming the recipient covered. The database refuses any release that no
consent covers; counting the covered ones apart shows the reader the proof rather than asking
them to take it on trust.

Once a UK day is over its answer cannot change: its releases cannot be changed or deleted, nor
the consents they relied on, and a revocation takes effect from the moment it is made
(sharing/guards.py, sharing.services.consent). So each day is proved once and its tally kept
(`ReleaseTally`); a later report reads it back while the day still holds the same number of
releases, which, since they can only be added to, means the same releases. Today, a day not
yet tallied and a day that has gained a release are proved from the releases themselves
([decision 26](../docs/decisions/0026-release-coverage-tallied-by-day.md))."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce
from operator import or_

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from reports import counting
from reports.models import ReleaseTally
from reports.periods import DateRange, start_of
from sharing.models import Consent, Disclosure

# Days tallied by one view: few enough for one INSERT on either database (SQLite takes 999
# values a statement), so a view runs the same queries however many days it proved. A longer
# range is tallied over the next views.
TALLIED_AT_ONCE = 200


@dataclass(frozen=True)
class Releases:
    by_agreement: dict[str, int]
    covered: int

    @property
    def all(self) -> int:
        return sum(self.by_agreement.values())


def releases_in(period: DateRange) -> Releases:
    """The period's releases by the recipient's agreement at the time, and how many of them a
    consent covered."""
    by_agreement: dict[str, int] = defaultdict(int)
    by_day: dict[date, int] = defaultdict(int)
    for day, agreement, releases in (
        Disclosure.objects.filter(disclosed_at__gte=period.start, disclosed_at__lt=period.end)
        .order_by()
        .values("agreement_status", day=counting.uk_date("disclosed_at"))
        .annotate(releases=Count("*"))
        .values_list("day", "agreement_status", "releases")
    ):
        by_agreement[agreement] += releases
        by_day[day] += releases
    return Releases(dict(by_agreement), _covered(by_day))


def _current_and_named() -> Q:
    named = Consent.recipients.through.objects.filter(
        consent_id=OuterRef("consent_id"), agency_id=OuterRef("recipient_id")
    )
    return (
        Q(consent__valid_from__lte=F("disclosed_at"), consent__valid_until__gt=F("disclosed_at"))
        & (Q(consent__revoked_at__isnull=True) | Q(consent__revoked_at__gt=F("disclosed_at")))
        & Q(Exists(named))
    )


def _covered(by_day: dict[date, int]) -> int:
    """The covered releases among `by_day`'s (UK day: how many released): from the day's tally
    where its number of releases is the day's, else proved now, and tallied if the day is over."""
    if not by_day:
        return 0
    tallies: dict[date, dict[int, int]] = defaultdict(dict)
    for day, releases, covered in ReleaseTally.objects.filter(
        day__range=(min(by_day), max(by_day))
    ).values_list("day", "releases", "covered"):
        tallies[day][releases] = covered
    kept = {
        day: tallies[day][releases] for day, releases in by_day.items() if releases in tallies[day]
    }
    to_prove = sorted(set(by_day) - set(kept))
    proved = _proved(to_prove) if to_prove else {}
    today = timezone.localdate()
    closed = [
        ReleaseTally(day=day, releases=by_day[day], covered=proved.get(day, 0))
        for day in to_prove
        # A release that committed between the two counts would make the day's tally
        # disagree with itself: the day is left to be proved again next time.
        if day < today and proved.get(day, 0) <= by_day[day]
    ][:TALLIED_AT_ONCE]
    ReleaseTally.objects.bulk_create(closed, batch_size=TALLIED_AT_ONCE, ignore_conflicts=True)
    return sum(kept.values()) + sum(proved.values())


def _proved(days: list[date]) -> dict[date, int]:
    """{UK day: covered releases} for the days, counted from the releases: a WHERE, not a
    filter on a count, so PostgreSQL joins each release to its consent's recipients rather
    than asking once per release."""
    return dict(
        Disclosure.objects.filter(_on_days(days), _current_and_named())
        .order_by()
        .values(day=counting.uk_date("disclosed_at"))
        .annotate(covered=Count("*"))
        .values_list("day", "covered")
    )


def _on_days(days: list[date]) -> Q:
    """Releases made on any of the sorted `days`, a range of moments for each run of
    consecutive days."""
    runs: list[list[date]] = []
    for day in days:
        if runs and runs[-1][1] == day:
            runs[-1][1] = day + timedelta(days=1)
        else:
            runs.append([day, day + timedelta(days=1)])
    return reduce(
        or_,
        (
            Q(disclosed_at__gte=start_of(first), disclosed_at__lt=start_of(after))
            for first, after in runs
        ),
    )

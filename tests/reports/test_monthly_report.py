"""The monthly report to the Authority, each figure checked against a count of the rows made in
plain Python: what the database aggregated must be what a person counting would find."""

import statistics
from collections import Counter, defaultdict

from django.utils import timezone

from core.working_days import working_days_between
from reports.monthly import Scope, monthly_report
from reports.periods import Month
from reports.tables import Hidden
from sharing.models import (
    Case,
    CaseIndicator,
    ConsentRequest,
    Disclosure,
    Escalation,
    Referral,
    ReferralStatusChange,
)
from sharing.models.referrals import REFERRAL_OUTCOMES
from tests.reports.history import REPORT_MONTH

PERIODS = {
    "this": REPORT_MONTH,
    "previous": REPORT_MONTH.previous(),
    "year": REPORT_MONTH.year_before(),
}


def _day(value):
    return timezone.localtime(value).date() if hasattr(value, "hour") else value


def counted(rows, *, label, when) -> dict:
    """{label: {period: n}} counted one row at a time."""
    found = defaultdict(Counter)
    for row in rows:
        moment = when(row)
        if moment is None:
            continue
        day = _day(moment)
        for name, month in PERIODS.items():
            if month.first_day <= day <= month.last_day:
                found[label(row)][name] += 1
    return found


def shown(table) -> dict:
    return {
        row.label: {name: row.values[name] for name in PERIODS}
        for row in table.body
        if any(row.values[name] for name in PERIODS)
    }


def nonzero(expected) -> dict:
    return {
        label: {name: counts.get(name, 0) for name in PERIODS}
        for label, counts in expected.items()
        if any(counts.values())
    }


def open_at_end(case, month: Month) -> bool:
    return case.concern_received_on <= month.last_day and (
        case.closed_at is None or _day(case.closed_at) > month.last_day
    )


def test_every_breakdown_is_what_counting_the_rows_finds(history):
    figures = monthly_report(REPORT_MONTH, Scope(), hide_small=False, threshold=5)
    cases = list(Case.objects.select_related("local_authority", "concern_source"))
    indicators = list(CaseIndicator.objects.select_related("indicator", "case"))
    referrals = list(Referral.objects.select_related("kind", "agency"))
    expected = {
        "local-authority": counted(
            cases, label=lambda c: c.local_authority.name, when=lambda c: c.concern_received_on
        ),
        "household-type": counted(
            cases,
            label=lambda c: c.get_household_type_display(),
            when=lambda c: c.concern_received_on,
        ),
        "support-type": counted(
            cases,
            label=lambda c: c.get_support_type_display(),
            when=lambda c: c.concern_received_on,
        ),
        "concern-source": counted(
            cases, label=lambda c: c.concern_source.name, when=lambda c: c.concern_received_on
        ),
        "vulnerabilities-identified": counted(
            indicators, label=lambda i: i.indicator.name, when=lambda i: i.identified_on
        ),
        "referral-kind": counted(referrals, label=lambda r: r.kind.name, when=lambda r: r.sent_at),
        "referral-agency-kind": counted(
            referrals, label=lambda r: r.agency.get_kind_display(), when=lambda r: r.sent_at
        ),
        "referral-outcome": counted(
            ReferralStatusChange.objects.filter(to_status__in=REFERRAL_OUTCOMES),
            label=lambda change: change.get_to_status_display(),
            when=lambda change: change.changed_at,
        ),
        "escalation-decision": counted(
            Escalation.objects.exclude(decision=""),
            label=lambda e: e.get_decision_display(),
            when=lambda e: e.decided_at,
        ),
        "consent-outcome": counted(
            ConsentRequest.objects.exclude(status="pending"),
            label=lambda r: r.get_status_display(),
            when=lambda r: r.decided_at,
        ),
        "disclosure-purpose": counted(
            Disclosure.objects.all(),
            label=lambda d: d.get_purpose_display(),
            when=lambda d: d.disclosed_at,
        ),
        "disclosure-recipient-kind": counted(
            Disclosure.objects.select_related("recipient"),
            label=lambda d: d.recipient.get_kind_display(),
            when=lambda d: d.disclosed_at,
        ),
        "closure-reason": counted(
            cases, label=lambda c: c.get_closure_reason_display(), when=lambda c: c.closed_at
        ),
    }
    for slug, counts in expected.items():
        table = figures.table(slug)
        assert shown(table) == nonzero(counts), slug
        if table.total is not None:
            for name in PERIODS:
                assert table.total.values[name] == sum(row.values[name] for row in table.body), slug
    # The history made something of each kind in the month, or these checks would prove little.
    assert all(
        figures.table(slug).total.values["this"]
        for slug in ("local-authority", "consent-outcome", "disclosure-purpose")
    )


def test_open_vulnerabilities_and_open_cases_are_those_still_open_at_each_months_end(history):
    figures = monthly_report(REPORT_MONTH, Scope(), hide_small=False, threshold=5)
    indicators = list(CaseIndicator.objects.select_related("indicator", "case"))
    expected = defaultdict(Counter)
    for name, month in PERIODS.items():
        for recorded in indicators:
            if (
                recorded.identified_on <= month.last_day
                and (recorded.ended_on is None or recorded.ended_on > month.last_day)
                and open_at_end(recorded.case, month)
            ):
                expected[recorded.indicator.name][name] += 1
    assert shown(figures.table("vulnerabilities-open")) == nonzero(expected)

    cases = list(Case.objects.all())
    for row in figures.trend.rows:
        month = next(
            REPORT_MONTH.plus(offset)
            for offset in range(-12, 1)
            if REPORT_MONTH.plus(offset).short_label == row.label
        )
        assert row.values["new"] == sum(
            month.first_day <= case.concern_received_on <= month.last_day for case in cases
        )
        assert row.values["open"] == sum(open_at_end(case, month) for case in cases)
    glance = {row.label: row.values for row in figures.table("summary").rows}
    assert glance["Open cases at the month's end"]["this"] == sum(
        open_at_end(case, REPORT_MONTH) for case in cases
    )
    assert glance["New cases"]["change_previous"] == (
        glance["New cases"]["this"] - glance["New cases"]["previous"]
    )


def test_time_to_a_consent_decision_is_the_median_and_90th_percentile_of_working_days(history):
    figures = monthly_report(REPORT_MONTH, Scope(), hide_small=False, threshold=5)
    taken = [
        working_days_between(_day(request.requested_at), _day(request.decided_at))
        for request in ConsentRequest.objects.exclude(status="pending")
        if REPORT_MONTH.first_day <= _day(request.decided_at) <= REPORT_MONTH.last_day
    ]
    row = figures.table("consent-turnaround").rows[0]
    assert row.values["decisions"] == len(taken) > 0
    assert row.values["median"] == statistics.median(taken)
    ordered = sorted(taken)
    assert row.values["ninetieth"] == ordered[-(-9 * len(ordered) // 10) - 1]


def test_a_local_authority_filter_counts_only_its_cases(history):
    authority = history.cases[0].local_authority
    figures = monthly_report(
        REPORT_MONTH, Scope(local_authority=authority), hide_small=False, threshold=5
    )
    ours = [case for case in Case.objects.all() if case.local_authority_id == authority.pk]
    assert figures.table("household-type").total.values["this"] == sum(
        REPORT_MONTH.first_day <= case.concern_received_on <= REPORT_MONTH.last_day for case in ours
    )
    assert [row.label for row in figures.table("local-authority").body] in ([authority.name], [])
    region_figures = monthly_report(
        REPORT_MONTH, Scope(region=authority.region), hide_small=False, threshold=5
    )
    assert {row.label for row in region_figures.table("local-authority").body} <= set(
        authority.region.local_authorities.values_list("name", flat=True)
    )


def test_a_month_with_nothing_in_it_shows_zeros(db):
    figures = monthly_report(Month(2001, 1), Scope(), hide_small=True, threshold=5)
    for table in figures.tables:
        for row in table.rows:
            for column in table.columns:
                value = row.values[column.key]
                assert value in (0, None), (table.slug, row.label, column.key, value)


def test_seen_by_the_authority_no_count_under_the_threshold_is_shown(history):
    figures = monthly_report(REPORT_MONTH, Scope(), hide_small=True, threshold=5)
    hidden = 0
    for table in figures.tables:
        for row in table.rows:
            for column in table.columns:
                value = row.values[column.key]
                if column.kind == "count" and not isinstance(value, Hidden):
                    assert value == 0 or value >= 5, (table.slug, row.label, column.key)
                hidden += isinstance(value, Hidden)
    assert hidden, "the history is small: some of its counts must be hidden"

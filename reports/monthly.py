"""The monthly report to the Authority: the service users referred into the team in a month,
their vulnerabilities, where the concerns came from, where they live, singles and families,
and what the team did about them — each figure beside the month before and the same month a
year before.

A case is new in the month its concern was received, and open at a month's end when its concern
was received by then and it was not yet closed. Every figure is filtered by the case's local
authority (and so its region).
"""

from dataclasses import dataclass, replace

from django.db import models
from django.db.models import Q, Value, When
from django.utils import timezone

from agencies.models import AgencyKind, LocalAuthority, Region
from reports import counting, summaries
from reports.periods import Month
from reports.suppression import suppress
from reports.tables import (
    CHANGE,
    DECISION_TIMES,
    DECISIONS,
    Card,
    Column,
    Figures,
    Row,
    Section,
    Table,
    total_row,
    with_changes,
)
from sharing.models import (
    Case,
    CaseIndicator,
    ClosureReason,
    ConcernSource,
    ConsentRequest,
    ConsentRequestStatus,
    Disclosure,
    Escalation,
    EscalationDecision,
    HouseholdType,
    Purpose,
    Referral,
    ReferralKind,
    ReferralStatus,
    ReferralStatusChange,
    SupportType,
    VulnerabilityIndicator,
)
from sharing.models.referrals import REFERRAL_OUTCOMES

TREND_MONTHS = 13
PERIOD_KEYS = ("this", "previous", "year")


@dataclass(frozen=True)
class Scope:
    """Which cases the report counts: all, a region's, or one local authority's."""

    region: Region | None = None
    local_authority: LocalAuthority | None = None

    def cases(self, prefix: str = "") -> Q:
        if self.local_authority is not None:
            return Q(**{f"{prefix}local_authority": self.local_authority})
        if self.region is not None:
            return Q(**{f"{prefix}local_authority__region": self.region})
        return Q()

    def described(self) -> tuple[tuple[str, str], ...]:
        return (
            ("Region", self.region.name if self.region else "All regions"),
            (
                "Local authority",
                self.local_authority.name if self.local_authority else "All local authorities",
            ),
        )


class _Builder:
    def __init__(self, month: Month, scope: Scope, *, hide_small: bool, threshold: int):
        self.month = month
        self.scope = scope
        self.hide_small = hide_small
        self.threshold = threshold
        self.periods = {"this": month, "previous": month.previous(), "year": month.year_before()}
        self.columns = (
            Column("this", month.label),
            Column("previous", month.previous().label),
            Column("change_previous", f"Change from {month.previous().label}", CHANGE),
            Column("year", month.year_before().label),
            Column("change_year", f"Change from {month.year_before().label}", CHANGE),
        )

    def finish(self, table: Table) -> Table:
        if self.hide_small:
            table = suppress(table, self.threshold)
        table = with_changes(
            table, {"change_previous": ("this", "previous"), "change_year": ("this", "year")}
        )
        return summaries.summarise(table, self.threshold)

    def comparison(
        self,
        slug: str,
        title: str,
        row_heading: str,
        categories,
        counted: dict,
        *,
        adds_up: bool = True,
        total_label: str = "Total",
        note: str = "",
    ) -> Table:
        zero = dict.fromkeys(PERIOD_KEYS, 0)
        rows = [
            Row(label, {**counted.get(key, zero), "change_previous": None, "change_year": None})
            for key, label in categories
        ]
        if adds_up:
            total = total_row(rows, PERIOD_KEYS, total_label)
            rows.append(
                Row(
                    total.label,
                    {**total.values, "change_previous": None, "change_year": None},
                    True,
                )
            )
        return self.finish(
            Table(
                slug=slug,
                title=title,
                row_heading=row_heading,
                columns=self.columns,
                rows=tuple(rows),
                columns_add_up=adds_up,
                chart_column="this",
                note=note,
            )
        )


def _reference(model, counted: dict) -> list[tuple]:
    """A reference list's entries in order: those in use, and retired ones that were counted."""
    return [
        (entry.pk, entry.name)
        for entry in model.objects.order_by("position", "name")
        if entry.is_active or entry.pk in counted
    ]


def _present(counted: dict) -> list[tuple]:
    """The categories counted by (key, label), in order of label."""
    return [(category, category[1]) for category in sorted(counted, key=lambda c: c[1])]


def monthly_report(month: Month, scope: Scope, *, hide_small: bool, threshold: int) -> Figures:
    build = _Builder(month, scope, hide_small=hide_small, threshold=threshold)
    periods = build.periods
    cases = Case.objects.filter(scope.cases())
    new = counting.on_days("concern_received_on", periods)

    months, trend_counts = _trend_counts(build, cases)
    by_authority = counting.counts_by(
        cases, "local_authority_id", new, label="local_authority__name"
    )
    household = counting.counts_by(cases, "household_type", new)
    support = counting.counts_by(cases, "support_type", new)
    sources = counting.counts_by(cases, "concern_source_id", new)

    indicators = CaseIndicator.objects.filter(scope.cases("case__"))
    identified = counting.counts_by(
        indicators, "indicator_id", counting.on_days("identified_on", periods)
    )
    still_open = counting.counts_by(indicators, "indicator_id", _open_indicators(periods))
    indicator_names = [
        (entry.pk, entry.name)
        for entry in VulnerabilityIndicator.objects.order_by("category", "name")
        if entry.is_active or entry.pk in identified or entry.pk in still_open
    ]

    referrals = Referral.objects.filter(scope.cases("case__"))
    sent = counting.at_moments("sent_at", periods)
    by_kind = counting.counts_by(referrals, "kind_id", sent)
    by_agency_kind = counting.counts_by(referrals, "agency__kind", sent)
    outcomes = counting.counts_by(
        ReferralStatusChange.objects.filter(
            scope.cases("referral__case__"), to_status__in=REFERRAL_OUTCOMES
        ),
        "to_status",
        counting.at_moments("changed_at", periods),
    )

    escalations = Escalation.objects.filter(scope.cases("case__"))
    raised = counting.counts_of(escalations, counting.at_moments("raised_at", periods))
    decisions = counting.counts_by(
        escalations.exclude(decision=""), "decision", counting.at_moments("decided_at", periods)
    )

    requests = ConsentRequest.objects.filter(scope.cases("case__"))
    made = counting.counts_of(requests, counting.at_moments("requested_at", periods))
    outcomes_of_requests = counting.counts_by(
        requests.exclude(status=ConsentRequestStatus.PENDING),
        "status",
        counting.at_moments("decided_at", periods),
    )
    turnaround = _turnaround(build, requests)

    disclosures = Disclosure.objects.filter(scope.cases("case__"))
    released = counting.at_moments("disclosed_at", periods)
    by_purpose = counting.counts_by(disclosures, "purpose", released)
    by_recipient_kind = counting.counts_by(disclosures, "recipient__kind", released)

    closures = counting.counts_by(
        cases.exclude(closure_reason=""),
        "closure_reason",
        counting.at_moments("closed_at", periods),
    )

    no_change = {"change_previous": None, "change_year": None}
    last = TREND_MONTHS - 1
    open_at_end = {
        "this": trend_counts[f"open_{last}"],
        "previous": trend_counts[f"open_{last - 1}"],
        "year": trend_counts["open_0"],
    }

    def summed(counted):
        return {key: sum(counts[key] for counts in counted.values()) for key in PERIOD_KEYS}

    glance = build.finish(
        Table(
            slug="summary",
            title="The month at a glance",
            row_heading="Figure",
            columns=build.columns,
            rows=tuple(
                Row(label, {**values, **no_change})
                for label, values in (
                    ("New cases", summed(household)),
                    ("Open cases at the month's end", open_at_end),
                    ("Vulnerabilities identified", summed(identified)),
                    ("Referrals sent", summed(by_kind)),
                    ("Escalations raised", raised),
                    ("Consent requests made", made),
                    ("Disclosures", summed(by_purpose)),
                    ("Cases closed", summed(closures)),
                )
            ),
        )
    )

    glance = replace(glance, summary=_glance_summary(glance, month, threshold))
    sections = (
        Section(
            "Cases",
            (
                glance,
                build.comparison(
                    "local-authority",
                    "New cases by local authority",
                    "Local authority",
                    _present(by_authority),
                    by_authority,
                ),
                build.comparison(
                    "household-type",
                    "New cases: singles and families",
                    "Household",
                    HouseholdType.choices,
                    household,
                ),
                build.comparison(
                    "support-type",
                    "New cases by support type",
                    "Support",
                    SupportType.choices,
                    support,
                ),
                build.comparison(
                    "concern-source",
                    "Where the concerns came from",
                    "Source",
                    _reference(ConcernSource, sources),
                    sources,
                ),
            ),
        ),
        Section(
            "Vulnerabilities",
            (
                build.comparison(
                    "vulnerabilities-identified",
                    "Vulnerabilities identified in the month",
                    "Vulnerability",
                    indicator_names,
                    identified,
                    adds_up=False,
                    note="A case may have several vulnerabilities, so these do not add up to the "
                    "number of cases.",
                ),
                build.comparison(
                    "vulnerabilities-open",
                    "Vulnerabilities on open cases at the month's end",
                    "Vulnerability",
                    indicator_names,
                    still_open,
                    adds_up=False,
                ),
            ),
        ),
        Section(
            "Referrals",
            (
                build.comparison(
                    "referral-kind",
                    "Referrals sent, by kind",
                    "Kind of referral",
                    _reference(ReferralKind, by_kind),
                    by_kind,
                ),
                build.comparison(
                    "referral-agency-kind",
                    "Referrals sent, by kind of agency",
                    "Kind of agency",
                    [(key, label) for key, label in AgencyKind.choices if key in by_agency_kind],
                    by_agency_kind,
                ),
                build.comparison(
                    "referral-outcome",
                    "Referral outcomes recorded",
                    "Outcome",
                    [
                        (key, ReferralStatus(key).label)
                        for key in ReferralStatus.values
                        if key in REFERRAL_OUTCOMES
                    ],
                    outcomes,
                ),
            ),
        ),
        Section(
            "Escalations",
            (
                build.comparison(
                    "escalation-decision",
                    "Escalation decisions",
                    "Decision",
                    EscalationDecision.choices,
                    decisions,
                    total_label="Decided",
                ),
            ),
        ),
        Section(
            "Consent",
            (
                build.comparison(
                    "consent-outcome",
                    "Consent requests decided",
                    "Outcome",
                    [
                        (key, label)
                        for key, label in ConsentRequestStatus.choices
                        if key != ConsentRequestStatus.PENDING
                    ],
                    outcomes_of_requests,
                    total_label="Decided",
                ),
                turnaround,
            ),
        ),
        Section(
            "Disclosures",
            (
                build.comparison(
                    "disclosure-purpose",
                    "Disclosures by purpose",
                    "Purpose",
                    Purpose.choices,
                    by_purpose,
                ),
                build.comparison(
                    "disclosure-recipient-kind",
                    "Disclosures by kind of recipient",
                    "Kind of agency",
                    [(key, label) for key, label in AgencyKind.choices if key in by_recipient_kind],
                    by_recipient_kind,
                ),
            ),
        ),
        Section(
            "Closures",
            (
                build.comparison(
                    "closure-reason",
                    "Cases closed, by reason",
                    "Reason",
                    ClosureReason.choices,
                    closures,
                ),
            ),
        ),
    )
    cards = tuple(
        Card(row.label, row.values["this"], _change_note(row.values["change_previous"], month))
        for row in glance.rows
        if row.label
        in {"New cases", "Open cases at the month's end", "Referrals sent", "Disclosures"}
    )
    return Figures(
        report="monthly",
        title="Monthly report to the Authority",
        period_label=month.label + (" (so far)" if month == Month.of(timezone.localdate()) else ""),
        filters=scope.described(),
        cards=cards,
        sections=sections,
        trend=_trend_table(build, months, trend_counts),
        threshold=threshold,
        small_numbers_hidden=hide_small,
    )


def _glance_summary(glance: Table, month: Month, threshold: int) -> str:
    """Which figures rose and which fell since the month before."""
    hidden = summaries.hidden_note(threshold) if glance.hidden_any else ""
    rose = [row.label for row in glance.rows if _is_change(row, lambda change: change > 0)]
    fell = [row.label for row in glance.rows if _is_change(row, lambda change: change < 0)]
    if not rose and not fell:
        return f"No figure that can be shown changed from {month.previous().label}.{hidden}"
    parts = []
    if rose:
        parts.append(f"rose: {_sentence_case_list(rose)}")
    if fell:
        parts.append(f"fell: {_sentence_case_list(fell)}")
    changes = "; these ".join(parts)
    return f"Compared with {month.previous().label}, these figures {changes}.{hidden}"


def _is_change(row: Row, test) -> bool:
    change = row.values["change_previous"]
    return isinstance(change, int) and test(change)


def _sentence_case_list(labels: list[str]) -> str:
    lowered = [label[0].lower() + label[1:] for label in labels]
    if len(lowered) == 1:
        return lowered[0]
    return ", ".join(lowered[:-1]) + " and " + lowered[-1]


def _change_note(change, month: Month) -> str:
    if not isinstance(change, int):
        return ""
    if change == 0:
        return f"the same as {month.previous().label}"
    direction = "more" if change > 0 else "fewer"
    return f"{abs(change):,} {direction} than {month.previous().label}"


def _open_cases(month: Month, prefix: str = "") -> Q:
    return Q(**{f"{prefix}concern_received_on__lte": month.last_day}) & (
        Q(**{f"{prefix}closed_at__isnull": True}) | Q(**{f"{prefix}closed_at__gte": month.end})
    )


def _open_indicators(periods: dict) -> dict[str, Q]:
    return {
        name: Q(identified_on__lte=month.last_day)
        & (Q(ended_on__isnull=True) | Q(ended_on__gt=month.last_day))
        & _open_cases(month, "case__")
        for name, month in periods.items()
    }


def _trend_counts(build: _Builder, cases) -> tuple[list[Month], dict[str, int]]:
    """New and open cases in each of the thirteen months up to this one, in one query."""
    months = [build.month.plus(offset) for offset in range(1 - TREND_MONTHS, 1)]
    conditions = {}
    for index, month in enumerate(months):
        conditions[f"new_{index}"] = Q(concern_received_on__range=month.days())
        conditions[f"open_{index}"] = _open_cases(month)
    return months, counting.counts_of(cases, conditions)


def _trend_table(build: _Builder, months: list[Month], counted: dict[str, int]) -> Table:
    rows = tuple(
        Row(month.short_label, {"new": counted[f"new_{index}"], "open": counted[f"open_{index}"]})
        for index, month in enumerate(months)
    )
    table = Table(
        slug="trend",
        title="New and open cases over thirteen months",
        row_heading="Month",
        columns=(Column("new", "New cases"), Column("open", "Open at the month's end")),
        rows=rows,
    )
    return summaries.finish(table, hide_small=build.hide_small, threshold=build.threshold)


def _turnaround(build: _Builder, requests) -> Table:
    """Working days from a consent request to the Authority's decision, for the decisions made
    in each month: how many decisions took each number of days in each month, counted in one
    query (`counting.working_days`)."""
    decided = counting.at_moments("decided_at", build.periods)
    decided_in_periods = requests.exclude(status=ConsentRequestStatus.PENDING).filter(
        decided["this"] | decided["previous"] | decided["year"]
    )
    # The three months do not overlap: each decision is in one of them.
    month = models.Case(*(When(decided[name], then=Value(name)) for name in PERIOD_KEYS))
    taken: dict[str, list[int]] = {name: [] for name in PERIOD_KEYS}
    for (name,), days, decisions in counting.days_to_decide(
        decided_in_periods.annotate(month=month), "month"
    ):
        taken[name].extend([days] * decisions)
    rows = tuple(
        Row(
            build.periods[name].label,
            counting.decision_times(taken[name]),
        )
        for name in PERIOD_KEYS
    )
    table = Table(
        slug="consent-turnaround",
        title="Time to a consent decision",
        row_heading="Month",
        columns=(DECISIONS, *DECISION_TIMES),
        rows=rows,
        note="From the request to the Authority's decision, in working days in England and Wales.",
    )
    return summaries.finish(table, hide_small=build.hide_small, threshold=build.threshold)

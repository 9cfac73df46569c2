"""The consent compliance report: for a range of days, that every release was covered, what the
gate refused and why, how the Authority answered requests, what runs out soon, decisions not to
share, releases made while an agency's agreement was only warned about, and subject access
requests answered from "who received what"."""

from dataclasses import replace
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.fields.json import KT
from django.utils import timezone

from agencies.models import AgencyKind, InformationSharingAgreementStatus
from audit.models import AuditEvent, Verb
from audit.selectors import latest_checkpoint
from reports import counting, summaries
from reports.coverage import releases_in
from reports.periods import DateRange
from reports.tables import (
    DECISION_TIMES,
    DECISIONS,
    PERCENT,
    Card,
    Column,
    Figures,
    Hidden,
    Row,
    Section,
    Table,
    total_row,
)
from sharing.models import (
    Consent,
    ConsentRequest,
    ConsentRequestStatus,
    DecisionNotToShare,
)
from sharing.services.gate import RefusalReason

EXPIRY_WINDOW_DAYS = 30
# (key, more than this many days away, at most this many, label)
EXPIRY_BANDS = (
    ("week", 0, 7, "Within 7 days"),
    ("fortnight", 7, 14, "In 8 to 14 days"),
    ("month", 14, EXPIRY_WINDOW_DAYS, f"In 15 to {EXPIRY_WINDOW_DAYS} days"),
)


def _one_column(slug, title, row_heading, label, categories, counted, *, note="", total="Total"):
    rows = [Row(name, {"count": counted.get(key, 0)}) for key, name in categories]
    rows.append(total_row(rows, ["count"], total))
    return Table(
        slug=slug,
        title=title,
        row_heading=row_heading,
        columns=(Column("count", label),),
        rows=tuple(rows),
        columns_add_up=True,
        chart_column="count",
        note=note,
    )


def _flat(counted: dict) -> dict:
    return {key: counts["in_period"] for key, counts in counted.items()}


def consent_report(period: DateRange, *, hide_small: bool, threshold: int) -> Figures:
    def finish(table):
        return summaries.finish(table, hide_small=hide_small, threshold=threshold)

    in_period = {"in_period": period}
    releases = releases_in(period)
    coverage_counts = {"all": releases.all, "covered": releases.covered}
    coverage = finish(
        Table(
            slug="coverage",
            title="Disclosures covered by consent",
            row_heading="Disclosures",
            columns=(
                Column("all", "Disclosures in the period"),
                Column(
                    "covered", "Covered by a consent current at the time that named the recipient"
                ),
                Column("share", "Share covered", PERCENT, derived_from=("all", "covered")),
            ),
            rows=(
                Row(
                    period.label,
                    {
                        **coverage_counts,
                        "share": (
                            coverage_counts["covered"] / coverage_counts["all"]
                            if coverage_counts["all"]
                            else None
                        ),
                    },
                ),
            ),
            note="Each day's disclosures are checked against their consents once the day is "
            "over, and the check is kept; today, and any day with a disclosure recorded since, "
            "are checked again at every view.",
        )
    )

    coverage = replace(coverage, summary=_coverage_summary(coverage, threshold))

    refused = counting.counts_by(
        AuditEvent.objects.filter(verb=Verb.DISCLOSURE_REFUSED),
        KT("detail__reason"),
        counting.at_moments("occurred_at", in_period),
    )
    refusals = finish(
        _one_column(
            "refused-releases",
            "Releases the consent gate refused, by reason",
            "Reason",
            "Refused",
            RefusalReason.choices,
            _flat(refused),
            note="Each refusal is an audit event; nothing was released.",
        )
    )

    requests = ConsentRequest.objects.filter(
        counting.at_moments("requested_at", in_period)["in_period"]
    )
    by_status = counting.counts_by(requests, "status", {"in_period": counting.EVERY})
    requests_table = finish(
        _one_column(
            "consent-requests",
            "Consent requests made in the period, by outcome",
            "Outcome",
            "Requests",
            ConsentRequestStatus.choices,
            _flat(by_status),
        )
    )
    turnaround = finish(_turnaround(period))

    now = timezone.now()
    expiring = Consent.objects.filter(
        revoked_at__isnull=True,
        valid_from__lte=now,
        valid_until__gt=now,
        valid_until__lte=now + timedelta(days=EXPIRY_WINDOW_DAYS),
    )
    bands = {
        key: Q(
            valid_until__gt=now + timedelta(days=after),
            valid_until__lte=now + timedelta(days=until),
        )
        for key, after, until, _ in EXPIRY_BANDS
    }
    expiring_counts = counting.counts_of(expiring, bands)
    expiring_table = finish(
        _one_column(
            "consents-expiring",
            f"Consents running out in the next {EXPIRY_WINDOW_DAYS} days",
            "When",
            "Consents",
            [(key, label) for key, _, _, label in EXPIRY_BANDS],
            expiring_counts,
            note="Counted from today, whatever period is chosen.",
        )
    )

    not_shared = counting.counts_by(
        DecisionNotToShare.objects.all(),
        "requested_by_agency__kind",
        counting.at_moments("decided_at", in_period),
    )
    not_shared_table = finish(
        _one_column(
            "decisions-not-to-share",
            "Decisions not to share, by kind of agency that asked",
            "Kind of agency",
            "Decisions",
            [(key, label) for key, label in AgencyKind.choices if key in not_shared],
            _flat(not_shared),
        )
    )

    agreement_table = finish(
        _one_column(
            "agreement-status",
            "Disclosures by the recipient's information sharing agreement at the time",
            "Agreement",
            "Disclosures",
            InformationSharingAgreementStatus.choices,
            releases.by_agreement,
            note=(
                "A release to an agency whose agreement is missing or past its review date is "
                "refused unless the warn setting is in force (PARTNERHUB_AGREEMENT_CHECK is "
                f"‘{settings.PARTNERHUB_AGREEMENT_CHECK}’ now)."
            ),
        )
    )

    # Both counts in one query: the copies, and the cases they were about.
    answered = AuditEvent.objects.filter(
        counting.at_moments("occurred_at", in_period)["in_period"],
        verb=Verb.EXPORTED,
        detail__page__in=["recipients", "subject-access"],
    ).aggregate(copies=Count("pk"), cases=Count("object_label", distinct=True))
    subject_access = finish(
        Table(
            slug="subject-access",
            title="Subject access requests answered: “who received what” and whole-case copies",
            row_heading="Period",
            columns=(
                Column("copies", "Copies printed or downloaded"),
                Column("cases", "Cases they covered"),
            ),
            rows=(Row(period.label, answered),),
            note="A copy of a case's “who received what” page, printed or downloaded, answers "
            "the part of a request that asks who received the person's information; a subject "
            "access copy of the whole case answers all of it. Both are counted.",
        )
    )

    checkpoint = latest_checkpoint()
    share = coverage.rows[0].values["share"]
    cards = (
        Card("Disclosures", coverage.rows[0].values["all"], period.label),
        Card(
            "Covered by consent",
            coverage.rows[0].values["covered"],
            f"{share:.0%} of them" if isinstance(share, float) else "",
        ),
        Card(
            "Latest signed audit checkpoint",
            f"#{checkpoint.sequence:,}" if checkpoint else "None yet",
            (
                f"written {checkpoint.written_at}, {checkpoint.count:,} events, "
                f"HMAC {checkpoint.hmac_sha256[:16]}…"
            )
            if checkpoint
            else "",
        ),
    )
    return Figures(
        report="consent",
        title="Consent compliance",
        period_label=period.label,
        filters=(),
        cards=cards,
        sections=(
            Section("Disclosures", (coverage, agreement_table)),
            Section("Refusals and decisions not to share", (refusals, not_shared_table)),
            Section("Consent requests", (requests_table, turnaround, expiring_table)),
            Section("Subject access", (subject_access,)),
        ),
        threshold=threshold,
        small_numbers_hidden=hide_small,
    )


def _coverage_summary(coverage: Table, threshold: int) -> str:
    values = coverage.rows[0].values
    if values["all"] == 0:
        return "No disclosure was made in the period."
    if isinstance(values["all"], Hidden) or isinstance(values["covered"], Hidden):
        return "Fewer disclosures were made than can be shown." + summaries.hidden_note(threshold)
    return (
        f"{values['covered']:,} of the {values['all']:,} disclosures made in the period were "
        f"covered by a consent current at the time that named the recipient ({values['share']:.0%}). "
        "The database refuses to record a disclosure that no consent covers."
    )


def _turnaround(period: DateRange) -> Table:
    """Requests decided in the period, by outcome: how many, the median and 90th percentile
    working days to the decision, and how many met the Authority's target for their urgency."""
    decided = ConsentRequest.objects.exclude(status=ConsentRequestStatus.PENDING).filter(
        decided_at__gte=period.start, decided_at__lt=period.end
    )
    taken: dict[str, list[int]] = {}
    on_time: dict[str, int] = {}
    targets = settings.PARTNERHUB_CONSENT_TARGET_WORKING_DAYS
    for (status, urgency), days, decisions in counting.days_to_decide(decided, "status", "urgency"):
        for key in (status, "all"):
            taken.setdefault(key, []).extend([days] * decisions)
            on_time[key] = on_time.get(key, 0) + (decisions if days <= targets[urgency] else 0)
    outcomes = [
        (key, label)
        for key, label in ConsentRequestStatus.choices
        if key != ConsentRequestStatus.PENDING
    ] + [("all", "All decisions")]
    rows = tuple(
        Row(
            label,
            {**counting.decision_times(taken.get(key, [])), "on_time": on_time.get(key, 0)},
            is_total=key == "all",
        )
        for key, label in outcomes
    )
    return Table(
        slug="consent-turnaround",
        title="Consent requests decided in the period: time to a decision",
        row_heading="Outcome",
        columns=(DECISIONS, Column("on_time", "Within the target"), *DECISION_TIMES),
        rows=rows,
        columns_add_up=True,
        chart_column="decisions",
        note="Targets: "
        + ", ".join(
            f"{urgency} {days} working day{'s' if days != 1 else ''}"
            for urgency, days in targets.items()
        )
        + ".",
    )

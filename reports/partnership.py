"""The partnership activity report: for a range of days, which meetings were held, who came for
each agency, which agencies deliver their actions, and how quickly agencies answer referrals.
Filtered by forum (meetings, attendance, actions) and by agency (everything)."""

from collections import defaultdict
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from agencies.models import Agency
from meetings.models import (
    MARAC,
    Action,
    AgendaItem,
    Attendance,
    CaseHearing,
    Forum,
    HearingOutcome,
    Meeting,
    MeetingStatus,
)
from meetings.models.attendance import Outcome
from reports import counting, summaries
from reports.periods import DateRange
from reports.tables import (
    COUNT,
    DAYS,
    HOURS,
    PERCENT,
    Card,
    Column,
    Figures,
    Row,
    Section,
    Table,
    total_row,
)
from sharing.models import DASH_HIGH_RISK_SCORE, MARAC_KIND, Referral

NO_AGENCY = "No agency named"


@dataclass(frozen=True)
class Filters:
    forum: Forum | None = None
    agency: Agency | None = None

    def described(self) -> tuple[tuple[str, str], ...]:
        return (
            ("Forum", self.forum.name if self.forum else "All forums"),
            ("Agency", self.agency.name if self.agency else "All agencies"),
        )


def _grid(
    slug, title, row_heading, columns, counted, *, total_key="total", parts=(), chart=None, note=""
):
    """A table of agencies (or forums) by counts, with a total row and, if `total_key` names a
    column, a total column adding up `parts` (by default every other count)."""
    count_keys = [column.key for column in columns if column.kind == COUNT]
    parts = list(parts) or [key for key in count_keys if key != total_key]
    rows = []
    for (_, label), counts in sorted(counted.items(), key=lambda item: item[0][1]):
        values = {key: counts.get(key, 0) for key in count_keys if key != total_key}
        if total_key in count_keys:
            values[total_key] = sum(values[key] for key in parts)
        rows.append(Row(label, values))
    rows.append(total_row(rows, count_keys))
    return Table(
        slug=slug,
        title=title,
        row_heading=row_heading,
        columns=tuple(columns),
        rows=tuple(rows),
        columns_add_up=True,
        total_column=total_key if total_key in count_keys else None,
        total_parts=tuple(parts) if total_key in count_keys else (),
        chart_column=chart,
        note=note,
    )


def partnership_report(
    period: DateRange, filters: Filters, *, hide_small: bool, threshold: int
) -> Figures:
    def finish(table):
        return summaries.finish(table, hide_small=hide_small, threshold=threshold)

    now = timezone.now()
    # Names by key, unordered: the tables sort their rows by label themselves.
    agency_names = {None: NO_AGENCY, **dict(Agency.objects.order_by().values_list("pk", "name"))}
    forum_names = dict(Forum.objects.order_by().values_list("pk", "name"))
    meetings = Meeting.objects.filter(start__gte=period.start, start__lt=period.end)
    if filters.forum:
        meetings = meetings.filter(forum=filters.forum)
    if filters.agency:
        meetings = meetings.filter(
            Exists(Attendance.objects.filter(meeting=OuterRef("pk"), agency=filters.agency))
        )
    # Held without someone from an agency the forum needs: a needed agency with no seat at the
    # meeting where someone attended.
    attended_for = Attendance.objects.filter(
        meeting_id=OuterRef(OuterRef("pk")), outcome=Outcome.ATTENDED
    ).values("agency_id")
    missing_someone = Forum.quorum_agencies.through.objects.filter(
        forum_id=OuterRef("forum_id")
    ).exclude(agency_id__in=attended_for)
    meeting_counts = counting.counts_by(
        meetings.annotate(inquorate=Exists(missing_someone)),
        "forum_id",
        {
            "held": Q(status=MeetingStatus.HELD),
            # The held meetings alone are asked whether they were quorate: Q sorts its keywords,
            # which would ask every meeting first.
            "inquorate": Q(status=MeetingStatus.HELD) & Q(inquorate=True),
            "cancelled": Q(status=MeetingStatus.CANCELLED),
            "not_recorded": Q(status=MeetingStatus.SCHEDULED, start__lt=now),
            "to_come": Q(status=MeetingStatus.SCHEDULED, start__gte=now),
        },
        label=forum_names,
    )
    meetings_table = finish(
        _grid(
            "meetings",
            "Meetings by forum",
            "Forum",
            (
                Column("held", "Held"),
                Column("inquorate", "Of those, not quorate"),
                Column("cancelled", "Cancelled"),
                Column("not_recorded", "Past, not yet marked held"),
                Column("to_come", "Still to come"),
                Column("total", "All meetings"),
            ),
            meeting_counts,
            parts=("held", "cancelled", "not_recorded", "to_come"),
            chart="held",
        )
    )

    seats = Attendance.objects.filter(
        meeting__status=MeetingStatus.HELD,
        meeting__start__gte=period.start,
        meeting__start__lt=period.end,
    )
    if filters.forum:
        seats = seats.filter(meeting__forum=filters.forum)
    if filters.agency:
        seats = seats.filter(agency=filters.agency)
    deputy = Q(outcome=Outcome.ATTENDED) & (~Q(deputy_name="") | Q(deputy_person__isnull=False))
    attendance_counts = counting.counts_by(
        seats,
        "agency_id",
        {
            "attended": Q(outcome=Outcome.ATTENDED) & ~deputy,
            "deputy": deputy,
            "apologies_sent": Q(outcome=Outcome.APOLOGIES, sent_information_in_advance=True),
            "apologies": Q(outcome=Outcome.APOLOGIES, sent_information_in_advance=False),
            "absent": Q(outcome=Outcome.ABSENT),
            "not_recorded": Q(outcome=""),
        },
        label=agency_names,
    )
    attendance_table = _grid(
        "attendance",
        "Attendance by agency at the meetings held",
        "Agency",
        (
            Column("attended", "Attended"),
            Column("deputy", "A deputy attended"),
            Column("apologies_sent", "Apologies, information sent"),
            Column("apologies", "Apologies"),
            Column("absent", "Absent"),
            Column("not_recorded", "Not recorded"),
            Column("total", "Seats"),
            Column("rate", "Attendance", PERCENT, derived_from=("attended", "deputy", "total")),
        ),
        attendance_counts,
        chart="total",
        note="Attendance counts the seats where the invitee or a deputy came.",
    )
    attendance_table = finish(
        attendance_table.with_rows(
            Row(
                row.label,
                {
                    **row.values,
                    "rate": (
                        (row.values["attended"] + row.values["deputy"]) / row.values["total"]
                        if row.values["total"]
                        else None
                    ),
                },
                row.is_total,
            )
            for row in attendance_table.rows
        )
    )

    actions = Action.objects.all()
    if filters.forum:
        actions = actions.filter(meeting__forum=filters.forum)
    if filters.agency:
        actions = actions.filter(owner_agency=filters.agency)
    still_open_at_end = Q(created_at__lt=period.end) & (
        Q(closed_at__isnull=True) | Q(closed_at__gte=period.end)
    )
    action_counts = counting.counts_by(
        actions,
        "owner_agency_id",
        {
            "opened": Q(created_at__gte=period.start, created_at__lt=period.end),
            "closed": Q(closed_at__gte=period.start, closed_at__lt=period.end),
            "closed_late": Q(
                closed_at__gte=period.start,
                closed_at__lt=period.end,
                closed_at__date__gt=F("due_on"),
            ),
            "overdue": still_open_at_end
            & Q(due_on__lte=min(period.last_day, timezone.localdate())),
        },
        label=agency_names,
    )
    actions_table = finish(
        _grid(
            "actions",
            "Actions by owning agency",
            "Agency",
            (
                Column("opened", "Opened"),
                Column("closed", "Closed"),
                Column("closed_late", "Closed after their due date"),
                Column("overdue", "Overdue at the end of the period"),
            ),
            action_counts,
            total_key="",
            chart="overdue",
        )
    )

    response_table = finish(_referral_responses(period, filters, agency_names))
    marac_table = finish(_marac_cases(period, filters))
    marac_referrals_table = finish(_marac_referrals(period, filters, agency_names))
    idva_table, outcomes_table = (
        finish(table) for table in _marac_hearings(period, filters, forum_names)
    )

    held = meetings_table.total.values["held"] if meetings_table.total else 0
    cards = (
        Card("Meetings held", held, period.label),
        Card("Meetings cancelled", meetings_table.total.values["cancelled"]),
        Card("Actions overdue", actions_table.total.values["overdue"], "at the end of the period"),
    )
    return Figures(
        report="partnership",
        title="Partnership activity",
        period_label=period.label,
        filters=filters.described(),
        cards=cards,
        sections=(
            Section("Meetings", (meetings_table, attendance_table)),
            Section(
                "MARAC",
                (marac_table, idva_table, outcomes_table, marac_referrals_table),
                intro="Cases heard at each MARAC held in the period, and repeats as SafeLives "
                "counts them: a case heard at the same MARAC in the twelve months before. "
                "IDVA allocations and outcomes count the cases whose outcome was recorded. Then "
                "the team's MARAC referrals sent in the period, by the agency of the person who "
                "made each one, with their DASH scores and how many repeat a hearing in the "
                "twelve months before they were sent.",
            ),
            Section("Actions", (actions_table,)),
            Section(
                "Referrals",
                (response_table,),
                intro="How quickly agencies answered the referrals sent to them in the period. "
                "The forum filter does not apply: a referral is not made at a forum.",
            ),
        ),
        threshold=threshold,
        small_numbers_hidden=hide_small,
    )


def _marac_cases(period: DateRange, filters: Filters) -> Table:
    """Cases heard at each MARAC in the period and how many were repeats. The case items of the
    year before the period are read with them (one query), so a repeat is found the way the
    meeting page flags it (meetings.selectors.repeat_case_ids)."""
    listed = AgendaItem.objects.filter(
        case__isnull=False,
        meeting__forum__kind__code="marac",
        meeting__start__gte=period.start - relativedelta(months=12),
        meeting__start__lt=period.end,
    ).exclude(meeting__status=MeetingStatus.CANCELLED)
    if filters.forum:
        listed = listed.filter(meeting__forum=filters.forum)
    if filters.agency:
        listed = listed.filter(meeting__attendances__agency=filters.agency).distinct()
    heard_at: dict[tuple[int, int], list] = defaultdict(list)
    rows = listed.values_list(
        "meeting__forum_id", "meeting__forum__name", "case_id", "meeting__start", "meeting__status"
    )
    names, hearings = {}, []
    for forum_id, name, case_id, start, status in rows:
        names[forum_id] = name
        heard_at[(forum_id, case_id)].append(start)
        if status == MeetingStatus.HELD and period.start <= start < period.end:
            hearings.append((forum_id, case_id, start))
    counts: dict[int, dict] = defaultdict(lambda: {"heard": 0, "repeats": 0})
    for forum_id, case_id, start in hearings:
        counts[forum_id]["heard"] += 1
        counts[forum_id]["repeats"] += any(
            start - relativedelta(months=12) <= earlier < start
            for earlier in heard_at[(forum_id, case_id)]
        )
    table_rows = [
        Row(names[forum_id], {**values, "rate": _share(values, "repeats", "heard")})
        for forum_id, values in sorted(counts.items(), key=lambda item: names[item[0]])
    ]
    total = total_row(table_rows, ["heard", "repeats"])
    table_rows.append(
        Row(
            total.label,
            {
                **total.values,
                "rate": _share(total.values, "repeats", "heard"),
            },
            True,
        )
    )
    return Table(
        slug="marac-cases",
        title="Cases heard at MARAC, and repeats",
        row_heading="MARAC",
        columns=(
            Column("heard", "Cases heard"),
            Column("repeats", "Repeats"),
            Column("rate", "Repeats as a share", PERCENT, derived_from=("heard", "repeats")),
        ),
        rows=tuple(table_rows),
        columns_add_up=True,
        chart_column="heard",
    )


def _share(values: dict, part: str, whole: str) -> float | None:
    """`part` as a share of `whole`, or None when there is no whole to share."""
    return values[part] / values[whole] if values[whole] else None


def _marac_referrals(period: DateRange, filters: Filters, agency_names: dict) -> Table:
    """The MARAC referrals sent in the period by referring agency (the agency of the person who
    made the referral): DASH scores under 14 and 14 or more (which add up to the referrals),
    those where professional judgement was used, and repeats, as counts and as a share. One
    GROUP BY; the forum filter does not apply, since a referral is not made at a forum."""
    referrals = Referral.objects.filter(
        kind__code=MARAC_KIND, sent_at__gte=period.start, sent_at__lt=period.end
    )
    if filters.agency:
        referrals = referrals.filter(created_by__agency=filters.agency)
    counted = counting.counts_by(
        referrals,
        "created_by__agency_id",
        {
            "under_high_risk": Q(dash_score__lt=DASH_HIGH_RISK_SCORE),
            "high_risk": Q(dash_score__gte=DASH_HIGH_RISK_SCORE),
            "professional_judgement": Q(professional_judgement=True),
            "repeats": Q(is_repeat_marac=True),
        },
        label=agency_names,
    )
    table = _grid(
        "marac-referrals",
        "MARAC referrals by referring agency",
        "Referring agency",
        (
            Column("referrals", "Referrals"),
            Column("under_high_risk", "DASH score under 14"),
            Column("high_risk", "DASH score 14 or more (high risk)"),
            Column("professional_judgement", "Professional judgement used"),
            Column("repeats", "Repeats"),
            Column("rate", "Repeats as a share", PERCENT, derived_from=("referrals", "repeats")),
        ),
        counted,
        total_key="referrals",
        parts=("under_high_risk", "high_risk"),
        chart="referrals",
        note="A referral is a repeat when it is sent within twelve months of the case's last "
        "MARAC hearing. Professional judgement can be used at any DASH score.",
    )
    return table.with_rows(
        Row(
            row.label,
            {
                **row.values,
                "rate": _share(row.values, "repeats", "referrals"),
            },
            row.is_total,
        )
        for row in table.rows
    )


def _marac_hearings(period: DateRange, filters: Filters, forum_names: dict) -> tuple[Table, Table]:
    """For each MARAC held in the period, the cases with an IDVA and without, and the outcome
    of each case: both tables from one grouped query of the outcomes recorded."""
    hearings = CaseHearing.objects.filter(
        agenda_item__meeting__forum__kind__code=MARAC,
        agenda_item__meeting__status=MeetingStatus.HELD,
        agenda_item__meeting__start__gte=period.start,
        agenda_item__meeting__start__lt=period.end,
    )
    if filters.forum:
        hearings = hearings.filter(agenda_item__meeting__forum=filters.forum)
    if filters.agency:
        hearings = hearings.filter(
            Exists(
                Attendance.objects.filter(
                    meeting_id=OuterRef("agenda_item__meeting_id"), agency=filters.agency
                )
            )
        )
    counted = counting.counts_by(
        hearings,
        "agenda_item__meeting__forum_id",
        {
            "with_idva": Q(idva_allocated=True),
            "without_idva": Q(idva_allocated=False),
            **{outcome.value: Q(outcome=outcome) for outcome in HearingOutcome},
        },
        label=forum_names,
    )
    idva = _grid(
        "marac-idva",
        "Cases with and without an IDVA, by MARAC",
        "MARAC",
        (
            Column("with_idva", "With an IDVA"),
            Column("without_idva", "Without an IDVA"),
            Column("total", "Outcomes recorded"),
        ),
        counted,
        chart="with_idva",
    )
    outcomes = _grid(
        "marac-outcomes",
        "Outcomes of the cases heard, by MARAC",
        "MARAC",
        (
            *(Column(outcome.value, outcome.label) for outcome in HearingOutcome),
            Column("total", "Outcomes recorded"),
        ),
        counted,
        chart=HearingOutcome.ACTION_PLAN_AGREED.value,
    )
    return idva, outcomes


def _referral_responses(period: DateRange, filters: Filters, agency_names: dict) -> Table:
    """For the referrals sent in the period, by agency: how many were acknowledged (and within
    the target for their urgency), the median hours to acknowledgement, and the median working
    days to an outcome. Counted, and the medians taken, in the database, by agency and over
    all."""
    sent = Referral.objects.filter(sent_at__gte=period.start, sent_at__lt=period.end).order_by()
    if filters.agency:
        sent = sent.filter(agency=filters.agency)
    acknowledged = Q(acknowledged_at__isnull=False)
    with_outcome = Q(outcome_at__isnull=False)
    wait = counting.SecondsBetween("sent_at", "acknowledged_at")
    days = counting.WorkingDaysBetween("sent_at", "outcome_at")
    by_agency, overall = counting.by_key_with_total(
        sent,
        "agency_id",
        sent=counting.count(counting.EVERY),
        acknowledged=counting.count(acknowledged),
        on_time=counting.count(
            acknowledged
            & (Q(acknowledge_by__isnull=True) | Q(acknowledged_at__lte=F("acknowledge_by")))
        ),
        outcomes=counting.count(with_outcome),
        wait=counting.Median(wait, filter=acknowledged),
        outcome_days=counting.Median(days, filter=with_outcome),
    )
    rows = [
        Row(
            agency_names[counts["agency_id"]],
            {
                "sent": counts["sent"],
                "on_time": counts["on_time"],
                "acknowledged": counts["acknowledged"],
                "hours": _hours(counts["wait"]),
                "outcomes": counts["outcomes"],
                "outcome_days": counts["outcome_days"],
            },
        )
        for counts in sorted(by_agency, key=lambda counts: agency_names[counts["agency_id"]])
    ]
    total = total_row(rows, ["sent", "acknowledged", "on_time", "outcomes"], "All agencies")
    rows.append(
        Row(
            total.label,
            {
                **total.values,
                "hours": _hours(overall["wait"]),
                "outcome_days": overall["outcome_days"],
            },
            True,
        )
    )
    return Table(
        slug="referral-responses",
        title="Referral response times by agency",
        row_heading="Agency",
        columns=(
            Column("sent", "Sent"),
            Column("acknowledged", "Acknowledged"),
            Column("on_time", "Acknowledged within the target"),
            Column("hours", "Median hours to acknowledge", HOURS, derived_from=("acknowledged",)),
            Column("outcomes", "With an outcome"),
            Column(
                "outcome_days",
                "Median working days to an outcome",
                DAYS,
                derived_from=("outcomes",),
            ),
        ),
        rows=tuple(rows),
        columns_add_up=True,
        chart_column="sent",
    )


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 3600

"""Reads for cases and referrals: each page's data in a fixed number of queries whatever the
number of rows. Which cases a person reaches is sharing.permissions' rule; these build on it."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from audit.models import AuditEvent, Verb
from audit.selectors import events_about
from core.roles import Role
from sharing.models import (
    Case,
    CaseIndicator,
    CaseNote,
    CaseStatus,
    DataCategory,
    Escalation,
    Purpose,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    SecureLink,
)
from sharing.permissions import (
    about_visible_cases,
    cases_changeable_by,
    cases_visible_to,
    escalations_to_decide_by,
)


def officers() -> QuerySet:
    """People who can hold cases: safeguarding officers and managers."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name__in=[Role.SAFEGUARDING_OFFICER, Role.SAFEGUARDING_MANAGER],
        )
        .distinct()
        .order_by("full_name")
    )


def open_cases_changeable_by(*, user) -> QuerySet[Case]:
    """The open cases this person may change: those they may list at a meeting, for instance."""
    return cases_changeable_by(user=user).filter(status=CaseStatus.OPEN)


def current_indicators() -> Prefetch:
    """Each case's current indicators, with only the code and name the case list shows, read
    beside each row rather than as an indicator of its own: a page of fifty cases holds about
    two hundred, and building whole rows, then each one's indicator, was a fifth of its time."""
    return Prefetch(
        "indicators",
        queryset=CaseIndicator.objects.filter(ended_on__isnull=True)
        .annotate(code=F("indicator__code"), label=F("indicator__name"))
        .only("case_id"),
        to_attr="current_indicators",
    )


# What a case list's row shows of each case (sharing.templatetags.cases.case_rows): a case has
# thirty columns, and fifty whole cases took longer to build than their rows took to write.
_LISTED = (
    "reference",
    "given_names",
    "family_name",
    "date_of_birth",
    "risk_level",
    "status",
    "local_authority__name",
)


def with_list_details(cases: QuerySet[Case]) -> QuerySet[Case]:
    return (
        cases.select_related("local_authority")
        .only(*_LISTED)
        .prefetch_related(
            Prefetch(
                "assigned_officers",
                queryset=get_user_model().objects.only("full_name"),
                to_attr="officers_listed",
            ),
            current_indicators(),
        )
    )


def case_for_page(*, user, pk) -> Case | None:
    """The case with everything its page shows, if this person may see it: one query per kind
    of row, whatever the case holds."""
    return (
        cases_visible_to(user=user)
        .select_related("local_authority__region", "concern_source", "created_by")
        .prefetch_related(
            "assigned_officers",
            "household_members",
            Prefetch(
                "indicators",
                queryset=CaseIndicator.objects.select_related("indicator", "identified_by"),
            ),
            Prefetch(
                "escalations",
                queryset=Escalation.objects.select_related("raised_by", "decided_by"),
            ),
            Prefetch("notes", queryset=CaseNote.objects.select_related("author")),
        )
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    title: str
    by: str = ""
    detail: str = ""
    date_only: bool = False


_AUDIT_VERBS_SHOWN = {Verb.CREATED, Verb.CHANGED, Verb.STATUS_CHANGED}

# How many of its latest events a case page shows. Each source is read newest first up to this
# many rows, so the merged timeline's latest entries are exact while a case with thousands of
# disclosures or status changes costs the page no more than one with a few.
CASE_PAGE_LATEST = 50
# The referrals a case page lists, newest first; the rest are a page of their own.
CASE_PAGE_REFERRALS = 20


def referrals_for_page(*, case: Case) -> QuerySet[Referral]:
    """Every referral about the case, newest first, with what its row on the case page shows:
    for the list of them all, a page at a time."""
    # Through the case's own manager, so each referral knows its case without asking again.
    return case.referrals.select_related("agency", "contact", "kind").prefetch_related(
        "indicators",
        Prefetch(
            "secure_links",
            queryset=SecureLink.objects.filter(replaced_at__isnull=True),
            to_attr="current_links",
        ),
    )


def case_timeline(*, case: Case) -> list[TimelineEntry]:
    """Everything that happened to a loaded case (from case_for_page), newest first.

    Indicators, notes, escalations and referrals come from their own rows, already prefetched;
    the referrals' status history and the case's own audit events (opened, changed, closed) cost
    one query each. Views are left out: they are in the audit log, not the case's story.
    """
    entries = []
    for item in case.indicators.all():
        entries.append(
            TimelineEntry(
                at=_moment(item.identified_on, item.created_at),
                title=f"Indicator identified: {item.indicator.name}",
                by=item.identified_by.full_name,
                date_only=True,
            )
        )
        if item.ended_on:
            entries.append(
                TimelineEntry(
                    at=_start_of(item.ended_on),
                    title=f"Indicator stopped applying: {item.indicator.name}",
                    date_only=True,
                )
            )
    for note in case.notes.all():
        entries.append(
            TimelineEntry(at=note.written_at, title="Note added", by=note.author.full_name)
        )
    for escalation in case.escalations.all():
        entries.append(
            TimelineEntry(
                at=escalation.raised_at,
                title="Escalated to a manager",
                by=escalation.raised_by.full_name,
            )
        )
        if escalation.is_decided:
            entries.append(
                TimelineEntry(
                    at=escalation.decided_at,
                    title=f"Escalation decided: {escalation.get_decision_display()}",
                    by=escalation.decided_by.full_name,
                )
            )
    changes = (
        ReferralStatusChange.objects.filter(referral__case=case)
        .select_related("referral__agency", "changed_by", "answered_through__contact")
        .order_by("-changed_at", "-pk")[:CASE_PAGE_LATEST]
    )
    for change in changes:
        status = ReferralStatus(change.to_status).label.lower()
        if not change.from_status:
            status = "drafted"
        elif change.from_status == ReferralStatus.DRAFT and change.to_status != ReferralStatus.SENT:
            status = "withdrawn as a draft"
        title = f"Referral to {change.referral.agency.name} {status}"
        entries.append(
            TimelineEntry(
                at=change.changed_at,
                title=title,
                by=change.changed_by_name,
                detail=change.note,
            )
        )
    events = (
        events_about(case)
        .filter(verb__in=_AUDIT_VERBS_SHOWN)
        .select_related("actor")
        .order_by("-sequence")[:CASE_PAGE_LATEST]
    )
    for event in events:
        entries.append(
            TimelineEntry(
                at=event.occurred_at,
                title=_audit_title(event),
                by=event.actor.full_name if event.actor else event.actor_label,
            )
        )
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries


def _audit_title(event: AuditEvent) -> str:
    if event.verb == Verb.CREATED:
        return "Case opened"
    if event.verb == Verb.STATUS_CHANGED:
        return "Case reopened" if event.detail.get("status") == "open" else "Case closed"
    fields = ", ".join(name.replace("_", " ") for name in event.changed_fields)
    return f"Case details changed: {fields}" if fields else "Case details changed"


def _moment(day, recorded_at: datetime) -> datetime:
    """Where a dated entry sorts: when it was recorded if that was the same day, so entries of
    one day keep the order they were made in."""
    if timezone.localtime(recorded_at).date() == day:
        return recorded_at
    return _start_of(day)


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def escalations_awaiting_decision(*, user) -> QuerySet[Escalation]:
    """The manager's queue: escalations to decide, oldest first, with what the list shows."""
    return (
        escalations_to_decide_by(user=user)
        .select_related("case", "raised_by")
        .order_by("raised_at", "pk")
    )


def referrals_visible_to(*, user) -> QuerySet[Referral]:
    return about_visible_cases(Referral.objects.all(), user=user)


def past_follow_up() -> Q:
    """A referral whose follow-up date has passed and that is not yet closed: overdue."""
    return Q(follow_up_on__lt=timezone.localdate()) & ~Q(status=ReferralStatus.CLOSED)


def overdue_referrals(*, user) -> QuerySet[Referral]:
    """Referrals whose follow-up date has passed and that are not yet closed."""
    return (
        referrals_visible_to(user=user)
        .filter(past_follow_up())
        .select_related("case", "agency", "kind")
        .order_by("follow_up_on", "pk")
    )


def search_filter(text: str) -> Q:
    """Cases whose reference, the Authority's reference or name contains every word typed."""
    condition = Q()
    for word in text.split():
        condition &= (
            Q(reference__icontains=word)
            | Q(authority_reference__icontains=word)
            | Q(given_names__icontains=word)
            | Q(family_name__icontains=word)
        )
    return condition


# The purpose a referral of each kind serves, offered first on the send page.
PURPOSE_OF_REFERRAL_KIND = {
    "marac": Purpose.RISK_ASSESSMENT,
    "taf-early-help": Purpose.EARLY_HELP,
    "health": Purpose.HEALTH_CARE,
    "mental-health": Purpose.HEALTH_CARE,
    "police": Purpose.CRIME_PREVENTION,
    "prevent": Purpose.CRIME_PREVENTION,
    "nrm": Purpose.MODERN_SLAVERY,
}

# What a referral offers to release unless the officer chooses otherwise, where consent allows.
DEFAULT_REFERRAL_CATEGORIES = (
    DataCategory.IDENTITY,
    DataCategory.CONTACT_AND_ADDRESS,
    DataCategory.VULNERABILITIES,
)


def purpose_of_referral(kind_code: str) -> str:
    """The purpose a referral of this kind serves; any other kind is a safeguarding referral."""
    return PURPOSE_OF_REFERRAL_KIND.get(kind_code, Purpose.SAFEGUARDING_REFERRAL)


def people_given_sight(*, case: Case) -> QuerySet:
    """Colleagues a manager gave sight of the case, beyond its officers."""
    return (
        get_user_model()
        .objects.filter(
            caseuserobjectpermission__content_object=case,
            caseuserobjectpermission__permission__codename="view_case",
        )
        .select_related("agency")
        .order_by("full_name")
    )

"""The consent compliance report, each figure checked against a count of the rows and the
audit log."""

from collections import Counter
from datetime import date, timedelta

from django.utils import timezone

from audit.models import AuditEvent, Verb
from audit.services import write_checkpoint
from reports.consent import consent_report
from reports.periods import DateRange
from sharing.models import Consent, ConsentRequest, DecisionNotToShare, Disclosure
from sharing.services import RefusalReason

PERIOD = DateRange(date(2026, 9, 1), date(2026, 10, 31))


def _in_period(moment) -> bool:
    return moment is not None and PERIOD.start <= moment < PERIOD.end


def _body(table) -> dict:
    return {row.label: row.values for row in table.body}


def test_every_disclosure_in_the_period_is_counted_as_covered(history):
    figures = consent_report(PERIOD, hide_small=False, threshold=5)
    made = [d for d in Disclosure.objects.all() if _in_period(d.disclosed_at)]
    row = figures.table("coverage").rows[0].values
    assert row["all"] == row["covered"] == len(made) > 0
    assert row["share"] == 1.0
    statuses = Counter(d.agreement_status for d in made)
    agreements = {
        label: values["count"] for label, values in _body(figures.table("agreement-status")).items()
    }
    assert agreements["Current"] == statuses["current"]


def test_refused_releases_are_counted_by_the_reason_the_gate_gave(history):
    figures = consent_report(PERIOD, hide_small=False, threshold=5)
    refused = Counter(
        event.detail["reason"]
        for event in AuditEvent.objects.filter(verb=Verb.DISCLOSURE_REFUSED)
        if _in_period(event.occurred_at)
    )
    assert sum(refused.values()) > 0
    table = _body(figures.table("refused-releases"))
    for reason, label in RefusalReason.choices:
        assert table[label]["count"] == refused[reason]
    assert figures.table("refused-releases").total.values["count"] == sum(refused.values())


def test_consent_requests_by_outcome_and_time_to_decision(history):
    figures = consent_report(PERIOD, hide_small=False, threshold=5)
    requested = Counter(
        r.get_status_display() for r in ConsentRequest.objects.all() if _in_period(r.requested_at)
    )
    table = _body(figures.table("consent-requests"))
    assert {label: values["count"] for label, values in table.items() if values["count"]} == dict(
        requested
    )
    decided = [
        r for r in ConsentRequest.objects.exclude(status="pending") if _in_period(r.decided_at)
    ]
    turnaround = figures.table("consent-turnaround")
    assert turnaround.total.values["decisions"] == len(decided) > 0


def test_consents_running_out_soon_are_counted_from_today(history, authority_user, case):
    from tests.factories import ConsentFactory

    now = timezone.now()
    for days in (2, 10, 20, 45):
        ConsentFactory(
            case=case, actor=authority_user, valid_from=now - timedelta(days=1),
            valid_until=now + timedelta(days=days),
        )  # fmt: skip
    figures = consent_report(PERIOD, hide_small=False, threshold=5)
    current = [
        c for c in Consent.objects.filter(revoked_at__isnull=True)
        if c.valid_from <= now < c.valid_until <= now + timedelta(days=30)
    ]  # fmt: skip
    table = figures.table("consents-expiring")
    assert table.total.values["count"] == len(current) >= 3
    assert _body(table)["Within 7 days"]["count"] == sum(
        c.valid_until <= now + timedelta(days=7) for c in current
    )


def test_decisions_not_to_share_and_subject_access_copies_are_counted(
    history, manager_client, case, officer
):
    from sharing import services

    police = history.agencies[0]
    services.record_decision_not_to_share(
        case=case,
        requested_by_agency=police,
        what_was_asked_for="Her address",
        reason="Not necessary for their enquiry",
        actor=officer,
    )
    manager_client.get(f"/cases/{case.pk}/recipients/?format=csv")
    manager_client.get(f"/cases/{case.pk}/recipients/?format=print")
    manager_client.get(f"/cases/{case.pk}/subject-access/?format=json")
    today = timezone.localdate()
    figures = consent_report(
        DateRange(today - timedelta(days=3), today), hide_small=False, threshold=5
    )
    assert figures.table("decisions-not-to-share").total.values["count"] == sum(
        1
        for d in DecisionNotToShare.objects.all()
        if d.decided_at.date() >= today - timedelta(days=3)
    )
    answered = figures.table("subject-access").rows[0].values
    assert answered == {"copies": 3, "cases": 1}


def test_the_latest_signed_checkpoint_is_named(history, settings, tmp_path):
    settings.AUDIT_CHECKPOINT_KEY = "report-test-key"
    settings.AUDIT_CHECKPOINT_DIR = tmp_path
    settings.COMPLIANCE_EMAIL = "compliance@example.org"
    written = write_checkpoint()
    figures = consent_report(PERIOD, hide_small=False, threshold=5)
    card = next(card for card in figures.cards if card.label == "Latest signed audit checkpoint")
    assert card.value == f"#{written.checkpoint.sequence:,}"

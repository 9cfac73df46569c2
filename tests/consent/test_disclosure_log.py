"""The disclosure log across cases: each filter narrows it, and the Authority's CSV export is
audited and cannot run as spreadsheet formulas."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent, Verb
from core.roles import Role
from sharing.models import DataCategory, DisclosureMethod, Purpose
from sharing.services import disclose

TODAY = timezone.localdate()
LOG = reverse("sharing:disclosure-log")


@pytest.fixture
def three_disclosures(make_case, make_recipient, make_user, officer, make_consent, decision):
    """To the police 20 days ago by Sam Officer, to a trust 10 days ago by a colleague, and to an
    agency with a formula for a name today."""
    colleague = make_user(Role.SAFEGUARDING_OFFICER, full_name="Robin Colleague")
    police = make_recipient("Greater Manchester Police")
    trust = make_recipient("Manchester NHS Trust")
    formula = make_recipient('=HYPERLINK("http://evil.example","Open")')
    shared = {}
    for name, recipient, purpose, actor, days_ago in [
        ("police", police, Purpose.SAFEGUARDING_REFERRAL, officer, 20),
        ("trust", trust, Purpose.HEALTH_CARE, colleague, 10),
        ("formula", formula, Purpose.CRIME_PREVENTION, officer, 0),
    ]:
        case = make_case()
        case.assigned_officers.add(actor)
        make_consent(
            case,
            [recipient],
            purposes=[purpose],
            valid_from=timezone.now() - timedelta(days=30),
            granted_at=timezone.now() - timedelta(days=30),
        )
        with time_machine.travel(timezone.now() - timedelta(days=days_ago), tick=False):
            shared[name] = disclose(
                case=case,
                recipient=recipient,
                purpose=purpose,
                categories=[DataCategory.IDENTITY],
                content="Name and date of birth",
                method=DisclosureMethod.PHONE,
                record_of_decision=decision(),
                actor=actor,
            )
    shared["colleague"] = colleague
    return shared


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"police", "trust", "formula"}),
        ({"disclosed_from": (TODAY - timedelta(days=15)).isoformat()}, {"trust", "formula"}),
        ({"disclosed_to": (TODAY - timedelta(days=15)).isoformat()}, {"police"}),
        (
            {
                "disclosed_from": (TODAY - timedelta(days=10)).isoformat(),
                "disclosed_to": (TODAY - timedelta(days=10)).isoformat(),
            },
            {"trust"},
        ),
        ({"purpose": Purpose.HEALTH_CARE}, {"trust"}),
        ({"purpose": Purpose.CASE_REVIEW}, set()),
    ],
)
def test_the_disclosure_log_narrows_by_date_and_purpose(
    manager_client, three_disclosures, query, expected
):
    assert _log_cases(manager_client, three_disclosures, query) == expected


@pytest.mark.django_db
def test_the_disclosure_log_narrows_by_the_officer_who_shared(manager_client, three_disclosures):
    colleague = three_disclosures["colleague"]
    assert _log_cases(manager_client, three_disclosures, {"disclosed_by": colleague.pk}) == {
        "trust"
    }


@pytest.mark.django_db
def test_the_disclosure_log_narrows_to_one_case_by_its_reference(manager_client, three_disclosures):
    reference = three_disclosures["police"].case.reference
    assert _log_cases(manager_client, three_disclosures, {"case": reference.lower()}) == {"police"}


def _log_cases(client, shared, query) -> set[str]:
    response = client.get(LOG, query)
    assert response.status_code == 200
    page = response.content.decode()
    return {name for name in ("police", "trust", "formula") if shared[name].case.reference in page}


def _csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.django_db
def test_the_authority_exports_the_filtered_log_and_the_export_is_audited(
    authority_client, authority_user, three_disclosures
):
    response = authority_client.get(
        LOG, {"purpose": Purpose.SAFEGUARDING_REFERRAL, "format": "csv"}
    )
    rows = _csv_rows(response)
    assert rows[0][:3] == ["disclosed at", "case", "recipient agency"]
    assert [row[1] for row in rows[1:]] == [three_disclosures["police"].case.reference]
    assert rows[1][2] == "Greater Manchester Police"
    exported = AuditEvent.objects.get(verb=Verb.EXPORTED)
    assert exported.actor_id == authority_user.pk
    assert exported.object_label == "disclosure log"


@pytest.mark.django_db
def test_an_exported_cell_that_starts_like_a_formula_is_text(authority_client, three_disclosures):
    rows = _csv_rows(authority_client.get(LOG, {"format": "csv"}))
    recipients = [row[2] for row in rows[1:]]
    assert "'" + '=HYPERLINK("http://evil.example","Open")' in recipients
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"purpose": "world_domination"}, "purpose"),
        ({"disclosed_from": "the-fifth-of-never"}, "disclosed_from"),
        ({"recipient": "999999"}, "recipient"),
    ],
)
def test_an_export_with_an_invalid_filter_is_refused_and_exports_nothing(
    authority_client, three_disclosures, query, field
):
    response = authority_client.get(LOG, {**query, "format": "csv"})
    assert response.status_code == 400
    assert not response["Content-Type"].startswith("text/csv")
    page = response.content.decode()
    [error] = response.context["filter"].form.errors[field]
    assert error in page
    assert "Nothing was downloaded" in page
    assert not any(shared.case.reference in page for shared in _shared(three_disclosures))
    assert not AuditEvent.objects.filter(verb=Verb.EXPORTED).exists()


@pytest.mark.django_db
def test_the_log_with_an_invalid_filter_lists_nothing_rather_than_everything(
    manager_client, three_disclosures
):
    response = manager_client.get(LOG, {"purpose": "world_domination"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert "purpose" in response.context["filter"].form.errors


def _shared(three_disclosures):
    return [three_disclosures[name] for name in ("police", "trust", "formula")]

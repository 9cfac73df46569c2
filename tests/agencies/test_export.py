"""CSV export of the filtered directory: streamed, recorded, and safe to open in a spreadsheet."""

import csv
import io

import pytest
from django.urls import reverse

from agencies.models import AgencyKind
from audit.models import AuditEvent, Verb
from core.exports import escape_cell, unescape_cell


def exported(client, **params) -> list[dict]:
    response = client.get(reverse("agencies:agency-export"), params)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.django_db
def test_export_holds_the_filtered_list_only(officer_client, manchester_police, make_agency):
    make_agency("Refugee Action Network", kind=AgencyKind.NGO)
    rows = exported(officer_client, kind="police")
    assert [row["name"] for row in rows] == ["Greater Manchester Police Public Protection"]
    assert rows[0]["kind"] == "Police"
    assert rows[0]["local_authorities"] == "Manchester"
    assert rows[0]["information_sharing_agreement"] == "Current"
    assert "notes" not in rows[0]


@pytest.mark.django_db
def test_cells_that_a_spreadsheet_would_run_as_formulas_become_text(officer_client, make_agency):
    make_agency(
        '=HYPERLINK("http://evil.example")',
        kind=AgencyKind.OTHER,
        services="@SUM(A1:A2)",
        phone="+44 161 000 0000",
        address="-1+1",
    )
    [row] = exported(officer_client, kind="other")
    assert row["name"] == '\'=HYPERLINK("http://evil.example")'
    assert row["services"] == "'@SUM(A1:A2)"
    assert row["phone"] == "'+44 161 000 0000"
    assert row["address"] == "'-1+1"


@pytest.mark.parametrize("text", ["=1+1", "+44", "-3", "@here", "\tx", "plain", "", "'quoted"])
def test_escaping_round_trips(text):
    assert unescape_cell(escape_cell(text)) == text


@pytest.mark.django_db
def test_every_export_is_recorded_with_the_filters_used(officer, officer_client, manchester_police):
    exported(officer_client, kind="police", q="")
    event = AuditEvent.objects.get(verb=Verb.EXPORTED)
    assert event.actor_id == officer.pk
    assert event.detail == {"filters": ["kind"]}


@pytest.mark.django_db
def test_export_needs_sight_of_the_directory(client):
    response = client.get(reverse("agencies:agency-export"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "spaceship"}, "Select a valid choice"),
        ({"region": "²"}, "Select a valid choice"),
        ({"active": "maybe"}, "Select a valid choice"),
        ({"knd": "police"}, "The filter knd is not one this list has"),
    ],
)
def test_an_export_with_an_invalid_or_unknown_filter_is_refused_and_not_recorded(
    officer_client, manchester_police, make_agency, params, message
):
    make_agency("Refugee Action Network", kind=AgencyKind.NGO)
    response = officer_client.get(reverse("agencies:agency-export"), params)
    assert response.status_code == 400
    assert not response.streaming
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(verb=Verb.EXPORTED).exists()

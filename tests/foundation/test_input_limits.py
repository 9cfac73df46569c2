"""The shared field types refuse values outside what their meaning allows, at the field, with
GOV.UK wording; Markdown is rendered once per distinct text."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agencies.forms import AgencyForm
from core import rich_text
from core.forms import (
    ConsentDateField,
    DateOfBirthField,
    MarkdownField,
    ParagraphsField,
    PastDateField,
    SingleLineField,
)
from sharing.forms import CaseIndicatorForm, WrittenConsentForm
from sharing.models import Case


def _refusal(field, value) -> list[str]:
    try:
        field.clean(value)
    except ValidationError as refusal:
        return refusal.messages
    return []


@pytest.mark.parametrize(
    "value", ["a\rb", "a\nb", "tab\there", "bell\x07", "escape\x1b[31m", "line\u2028sep", "\x85"]
)
def test_a_single_line_field_refuses_line_breaks_and_control_characters(value):
    assert _refusal(SingleLineField(label="Title"), f"x{value}x") == [
        "Title must be on one line, without line breaks or control characters"
    ]


@pytest.mark.parametrize("value", ["Zoë Ødegaard-Ñúñez", "Ахмед", "محمد", "李小龍", "O'Brien 😀"])
def test_a_single_line_field_keeps_names_in_any_script(value):
    assert SingleLineField(label="Name").clean(value) == value


def test_paragraphs_keep_line_breaks_and_tabs_but_not_other_control_characters():
    field = ParagraphsField(label="Reason")
    # A browser's CRLF is kept as a plain line break, whatever sent it.
    assert field.clean("First line\r\n\tSecond\rThird") == "First line\n\tSecond\nThird"
    assert _refusal(field, "bell\x07") == ["Reason must not contain control characters"]


def test_markdown_is_limited_in_size_with_the_limit_and_the_length_named():
    field = MarkdownField(label="Minutes")
    assert _refusal(field, "x" * (rich_text.MARKDOWN_MAX_CHARACTERS + 1)) == [
        "Minutes must be 50,000 characters or fewer (it has 50,001)"
    ]


def test_rendered_markdown_is_cached_by_its_source(monkeypatch):
    calls = []
    original = rich_text._markdown.render
    monkeypatch.setattr(
        rich_text._markdown, "render", lambda source: calls.append(source) or original(source)
    )
    source = "# Minutes\n\n- a point made at the meeting, unique to this test"
    first = rich_text.render_markdown(source)
    assert rich_text.render_markdown(source) == first
    assert "<h1>" not in first and "<li>" in first
    assert len(calls) == 1
    rich_text.render_markdown(source + ".")
    assert len(calls) == 2


def _years_ago(years: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (DateOfBirthField(label="Date of birth"), date(1, 1, 1), "must be within the last 120"),
        (DateOfBirthField(label="Date of birth"), date(9999, 12, 31), "must be in the past"),
        (PastDateField(label="Date identified"), date(1899, 12, 31), "must be on or after 1 January 1900"),
        (PastDateField(label="Date identified"), date(9999, 1, 1), "must be today or in the past"),
        (ConsentDateField(label="Valid from"), date(1999, 12, 31), "must be on or after 1 January 2000"),
        (ConsentDateField(label="Valid from"), date(9999, 1, 1), "must be on or before"),
    ],
)  # fmt: skip
def test_dates_outside_the_range_of_their_meaning_are_refused(field, value, message):
    [refusal] = _refusal(field, value.isoformat())
    assert refusal.startswith(field.label)
    assert message in refusal


def test_dates_inside_their_range_are_kept():
    assert DateOfBirthField(label="Date of birth").clean(_years_ago(119).isoformat())
    assert PastDateField(label="Date identified").clean(timezone.localdate().isoformat())
    in_four_years = timezone.localdate() + timedelta(days=4 * 365)
    assert ConsentDateField(label="Valid until").clean(in_four_years.isoformat()) == in_four_years


@pytest.mark.django_db
def test_a_written_consent_from_year_1_or_until_9999_is_refused_at_its_dates():
    form = WrittenConsentForm(
        data={"granted_on": "0001-01-01", "valid_from": "0001-01-01", "valid_until": "9999-12-31"}
    )
    form.is_valid()
    assert form.errors["granted_on"][0].startswith("Date of the letter or e-mail must be on or")
    assert form.errors["valid_from"] == ["Valid from must be on or after 1 January 2000"]
    assert form.errors["valid_until"][0].startswith("Valid until must be on or before")


@pytest.mark.django_db
def test_an_indicator_identified_before_1900_is_refused():
    form = CaseIndicatorForm(data={"identified_on": "1066-10-14"}, case=Case())
    form.is_valid()
    assert form.errors["identified_on"] == ["Date identified must be on or after 1 January 1900"]


@pytest.mark.django_db
def test_an_agreement_signed_in_year_1_or_due_in_9999_is_refused():
    form = AgencyForm(
        data={
            "information_sharing_agreement_signed_on": "0001-01-01",
            "information_sharing_agreement_review_due_on": "9999-01-01",
        }
    )
    form.is_valid()
    assert form.errors["information_sharing_agreement_signed_on"] == [
        "Information sharing agreement signed on must be on or after 1 January 1900"
    ]
    assert form.errors["information_sharing_agreement_review_due_on"][0].startswith(
        "Agreement review due on must be on or before"
    )

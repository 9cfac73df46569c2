"""Dates are typed in GOV.UK's Day, Month and Year boxes and refused with the Design System's
wording; what was typed shows again after a refusal, and a single ISO date is still read."""

from datetime import date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from core.forms import (
    DateAndTimeField,
    DateInput,
    DateOfBirthField,
    GovukForm,
    PlannedDateField,
)
from sharing.models import CaseIndicator, VulnerabilityIndicator


class _Questions(HTMLParser):
    """Each fieldset of a page by its legend: its attributes, inputs and labels."""

    def __init__(self, html):
        super().__init__()
        self.fieldsets, self._open, self._text_of = {}, None, None
        self.inputs = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "fieldset":
            self._open = {"attrs": attributes, "inputs": [], "labels": {}}
        elif tag in {"legend", "label"}:
            self._text_of = (tag, attributes.get("for"), [])
        elif tag == "input":
            self.inputs.append(attributes)
            if self._open is not None:
                self._open["inputs"].append(attributes)

    def handle_data(self, data):
        if self._text_of:
            self._text_of[2].append(data)

    def handle_endtag(self, tag):
        if tag in {"legend", "label"} and self._text_of:
            kind, target, text = self._text_of
            text = "".join(text).strip()
            if kind == "legend":
                self.fieldsets[text] = self._open
            elif self._open is not None:
                self._open["labels"][target] = text
            self._text_of = None
        elif tag == "fieldset":
            self._open = None


class _BirthForm(GovukForm):
    date_of_birth = DateOfBirthField(label="Date of birth")
    review_on = PlannedDateField(label="Review date", required=False, earliest=0)
    sent_at = DateAndTimeField(label="When it was sent", required=False)


def _typed(day, month, year, name="date_of_birth") -> dict:
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


def _errors(data) -> dict:
    form = _BirthForm(data=data)
    form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


def test_a_date_typed_in_the_three_boxes_is_read():
    form = _BirthForm(data=_typed("3", "02", "1990"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == date(1990, 2, 3)


def test_spaces_around_the_parts_and_a_month_name_are_accepted():
    form = _BirthForm(data=_typed(" 3 ", "Feb", "1990"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == date(1990, 2, 3)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2020", "Date of birth must be a real date"),
        ("29", "2", "2023", "Date of birth must be a real date"),
        ("0", "1", "2020", "Date of birth must be a real date"),
        ("1", "13", "2020", "Date of birth must be a real date"),
        ("1", "1", "20", "Year must include 4 numbers"),
        ("1", "1", "twenty", "Year must include 4 numbers"),
        ("1", "1", "²⁰²⁰", "Year must include 4 numbers"),
        ("1", "", "2020", "Date of birth must include a month"),
        ("", "1", "2020", "Date of birth must include a day"),
        ("1", "1", "", "Date of birth must include a year"),
        ("", "", "2020", "Date of birth must include a day and month"),
        ("1", "", "", "Date of birth must include a month and year"),
        ("", "", "", "Enter the date of birth"),
    ],
)
def test_impossible_or_incomplete_dates_are_refused_with_the_design_systems_words(
    day, month, year, message
):
    assert _errors(_typed(day, month, year)) == {"date_of_birth": [message]}


def test_a_future_date_of_birth_is_refused():
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = _typed(str(tomorrow.day), str(tomorrow.month), str(tomorrow.year))
    assert _errors(data) == {"date_of_birth": ["Date of birth must be in the past"]}


def test_a_date_that_must_be_ahead_says_so():
    data = {**_typed("1", "1", "1990"), **_typed("1", "1", "2000", name="review_on")}
    assert _errors(data) == {"review_on": ["Review date must be today or in the future"]}


def test_a_date_and_time_is_read_in_uk_time_and_its_time_is_checked():
    data = {**_typed("1", "1", "1990"), **_typed("2", "3", "2026", name="sent_at")}
    assert _errors({**data, "sent_at-time": ""}) == {
        "sent_at": ["When it was sent must include a time"]
    }
    assert _errors({**data, "sent_at-time": "25:00"}) == {
        "sent_at": ["When it was sent must include a real time, like 14:30"]
    }
    form = _BirthForm(data={**data, "sent_at-time": "14:30"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["sent_at"] == timezone.make_aware(datetime(2026, 3, 2, 14, 30))


def test_an_iso_date_posted_as_one_value_is_still_read():
    form = _BirthForm(data={"date_of_birth": "1990-02-03"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == date(1990, 2, 3)
    assert _errors({"date_of_birth": "1990-02-31"}) == {
        "date_of_birth": ["Date of birth must be a real date"]
    }


def _boxes(html, name="date_of_birth") -> dict:
    return {
        box["name"]: box
        for box in _Questions(html).inputs
        if box.get("name", "").startswith(f"{name}-")
    }


def test_a_date_question_is_a_fieldset_with_a_legend_and_three_labelled_boxes():
    questions = _Questions(str(_BirthForm())).fieldsets
    question = questions["Date of birth"]
    assert question["attrs"]["aria-describedby"] == "id_date_of_birth-hint"
    boxes = question["inputs"]
    assert [(box["name"], box["id"], box["inputmode"]) for box in boxes] == [
        ("date_of_birth-day", "id_date_of_birth", "numeric"),
        ("date_of_birth-month", "id_date_of_birth-month", "numeric"),
        ("date_of_birth-year", "id_date_of_birth-year", "numeric"),
    ]
    assert [box["class"].split()[-1] for box in boxes] == [
        "govuk-input--width-2",
        "govuk-input--width-2",
        "govuk-input--width-4",
    ]
    assert question["labels"] == {
        "id_date_of_birth": "Day",
        "id_date_of_birth-month": "Month",
        "id_date_of_birth-year": "Year",
    }
    assert [box["name"] for box in questions["When it was sent (optional)"]["inputs"]] == [
        "sent_at-day",
        "sent_at-month",
        "sent_at-year",
        "sent_at-time",
    ]


def test_a_refused_date_shows_again_as_typed_with_the_wrong_boxes_marked():
    html = str(_BirthForm(data=_typed("3", "", "1990")))
    boxes = _boxes(html)
    assert {name: box["value"] for name, box in boxes.items()} == {
        "date_of_birth-day": "3",
        "date_of_birth-month": "",
        "date_of_birth-year": "1990",
    }
    marked = [name for name, box in boxes.items() if "govuk-input--error" in box["class"].split()]
    assert marked == ["date_of_birth-month"]
    assert 'id="id_date_of_birth-error"' in html


def test_a_stored_date_fills_the_boxes():
    html = str(_BirthForm(initial={"date_of_birth": date(1990, 2, 3)}))
    assert [box["value"] for box in _boxes(html).values()] == ["3", "2", "1990"]


@pytest.mark.django_db
def test_a_page_refuses_31_february_keeps_what_was_typed_and_links_the_summary_to_the_day_box(
    officer_client, case
):
    indicator = VulnerabilityIndicator.objects.get(code="DA")
    response = officer_client.post(
        f"/cases/{case.pk}/indicators/new/",
        {"indicator": indicator.pk, **_typed("31", "2", "2026", name="identified_on")},
    )
    assert response.status_code == 200
    assert not CaseIndicator.objects.exists()
    html = response.content.decode()
    assert 'href="#id_identified_on">Date identified must be a real date' in html
    [day_box] = [box for box in _Questions(html).inputs if box.get("id") == "id_identified_on"]
    assert day_box["name"] == "identified_on-day"
    assert [box["value"] for box in _boxes(html, "identified_on").values()] == ["31", "2", "2026"]

    fixed = officer_client.post(
        f"/cases/{case.pk}/indicators/new/",
        {"indicator": indicator.pk, **_typed("28", "2", "2026", name="identified_on")},
    )
    assert fixed.status_code == 302
    assert CaseIndicator.objects.get().identified_on == date(2026, 2, 28)


@pytest.mark.django_db
def test_a_list_filter_reads_the_boxes_from_the_query_string(compliance_client):
    response = compliance_client.get("/audit/", {**_typed("31", "2", "2026", name="occurred_from")})
    assert response.status_code == 200
    assert "From must be a real date" in response.content.decode()
    assert compliance_client.get("/audit/", {"occurred_from": "2026-02-01"}).status_code == 200


def test_attributes_a_form_gives_its_date_widget_go_on_every_box():
    class _PreviewedForm(GovukForm):
        starts_on = PlannedDateField(
            label="Series starts on", widget=DateInput(attrs={"hx-post": "", "hx-trigger": "input"})
        )

    boxes = _boxes(str(_PreviewedForm()), "starts_on")
    assert [(box["hx-post"], box["hx-trigger"]) for box in boxes.values()] == [("", "input")] * 3


def test_a_date_question_given_a_stored_date_and_time_shows_the_day_only():
    html = str(_BirthForm(initial={"date_of_birth": timezone.make_aware(datetime(1990, 2, 3, 9))}))
    assert [box["value"] for box in _boxes(html).values()] == ["3", "2", "1990"]
    assert 'value="09:00"' not in html

"""GOV.UK Design System markup for every Django form, kept in this one place.

Forms render through these templates (templates/govuk/forms/), so a page writes `{{ form }}`
and gets labels, hints, error messages and inputs with GOV.UK classes. Each form may say its
own page title and button text.
"""

import html
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time

from django import forms
from django.forms.renderers import TemplatesSetting
from django.forms.utils import ErrorDict, flatatt
from django.utils import timezone
from django.utils.safestring import mark_safe

from core import iso_codes
from core.rich_text import MARKDOWN_MAX_CHARACTERS

_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"

    def render(self, template_name, context, request=None):
        """A select's markup is written in Python from the context Django made for its template
        (`_select`): rendering a template, and another for each option and for the attributes
        of each, was a sixth of a list page's filter panel."""
        if template_name == _SELECT and (markup := _select(context["widget"])) is not None:
            return markup
        return super().render(template_name, context, request)


def _escaped(text) -> str:
    """Django's `escape` without its wrapper for lazy text, which on a select of five hundred
    names cost as much as the rest of writing it: the select's text is read here anyway."""
    return html.escape(str(text))


def _conditionally_escaped(text) -> str:
    """Django's `conditional_escape`, likewise: markup marked safe as it is, all else escaped."""
    return text.__html__() if hasattr(text, "__html__") else html.escape(str(text))


def _attributes(attrs: dict) -> str:
    """Django's widgets/attrs.html: each attribute but those that are False, one that is True by
    its name alone. Most options have none, so they are spared building a generator."""
    if not attrs:
        return ""
    return "".join(
        f" {_conditionally_escaped(name)}"
        if value is True
        else f' {_conditionally_escaped(name)}="{_escaped(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _select(widget: dict) -> str | None:
    """Django's widgets/select.html and select_option.html, character for character (the
    option's template ends in a newline), or None for a select whose options have a template of
    their own."""
    parts = [
        f'<select name="{_conditionally_escaped(widget["name"])}"{_attributes(widget["attrs"])}>'
    ]
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_conditionally_escaped(group_name)}">')
        for option in options:
            if option["template_name"] != _OPTION:
                return None
            parts.append(
                f'\n  <option value="{_escaped(option["value"])}"{_attributes(option["attrs"])}>'
                f"{_conditionally_escaped(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class PageWords:
    """The words on a form's page. Templates read `page_title`, never `title`: a template looks
    `form.title` up as a field first, so a form with a field named "title" (an agenda item, a
    meeting) would put its text box in the page heading."""

    title = ""

    @property
    def page_title(self) -> str:
        return self.title


class GovukForm(PageWords, forms.Form):
    """A form that knows the words on its page."""

    submit_label = "Continue"


class GovukModelForm(PageWords, forms.ModelForm):
    submit_label = "Save"


class FilterableCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes for a long list (agencies, people): with JavaScript, a box above them filters
    the list as you type (static/js/partnerhub.mjs); without it, the plain list."""

    def __init__(self, filter_noun: str, attrs=None, choices=()):
        super().__init__(attrs=attrs, choices=choices)
        self.filter_noun = filter_noun


class AutocompleteSelect(forms.Select):
    """A select for a list that grows (agencies, people, cases): with JavaScript it becomes
    GOV.UK's accessible autocomplete, found by typing part of a name
    (static/js/partnerhub.mjs); without it, the plain select, which is what the form sends
    either way."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(
            attrs={"data-module": "partnerhub-autocomplete", **(attrs or {})}, choices=choices
        )

    def render(self, name, value, attrs=None, renderer=None):
        """Django's select markup (`_select`), from the choices themselves: Django builds a
        dictionary of a dozen keys for every option, and the lists of five hundred agencies and
        three hundred officers were most of their pages' time. Which option is chosen follows
        Django's rule: the first whose value matches."""
        chosen = self.format_value(value)
        has_selected = False

        def option(option_value, label) -> dict:
            nonlocal has_selected
            selected = not has_selected and str(option_value) in chosen
            has_selected |= selected
            return {
                "value": "" if option_value is None else option_value,
                "label": label,
                "attrs": {"selected": True} if selected else {},
                "template_name": _OPTION,
            }

        groups = []
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                groups.append((option_value, [option(*member) for member in label], len(groups)))
            else:
                groups.append((None, [option(option_value, label)], len(groups)))
        widget = {"name": name, "attrs": self.build_attrs(self.attrs, attrs), "optgroups": groups}
        return mark_safe(_select(widget))  # noqa: S308 - every value and label escaped there


class LabelledChoices(forms.models.ModelChoiceIterator):
    """The options of a `NamedModelChoiceField`: (id, label) pairs read in one query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", self.field.label_from)


class NamedModelChoiceField(forms.ModelChoiceField):
    """A choice of one row from a long list, each option labelled by a column (or an
    expression) read in the same query as its id. Django's own field builds a whole model for
    every option to call `label_from_instance` on it, which for lists of hundreds of agencies,
    local authorities or officers was a good part of a list page's time. What is sent is
    checked and cleaned into the chosen model exactly as Django does."""

    iterator = LabelledChoices

    def __init__(self, queryset, *, label_from, **kwargs):
        self.label_from = label_from
        super().__init__(queryset, **kwargs)


@dataclass(frozen=True)
class TypedDate:
    """What a person typed in a date's Day, Month and Year boxes (and Time, for a date and
    time), kept as typed so that a refused date shows again exactly as it was entered."""

    day: str = ""
    month: str = ""
    year: str = ""
    time: str | None = None  # None when the question asks for no time

    @property
    def is_empty(self) -> bool:
        return not (self.day or self.month or self.year or self.time)

    @classmethod
    def of(cls, value, *, with_time: bool) -> "TypedDate":
        """The boxes filled in from a stored date (or an ISO date posted by a link or a
        test), or left empty when there is none."""
        if isinstance(value, str):
            value = _from_iso(value)
        clock = "" if with_time else None
        if isinstance(value, datetime):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
            clock = f"{value:%H:%M}" if with_time else None
        if isinstance(value, date):
            return cls(str(value.day), str(value.month), str(value.year), clock)
        return cls(time=clock)


def _from_iso(text: str) -> date | datetime | None:
    try:
        return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
    except ValueError:
        return None


class DateProblem(forms.ValidationError):
    """A typed date refused with GOV.UK's wording; `boxes` says which boxes to mark."""

    def __init__(self, message: str, code: str, boxes: tuple[str, ...]):
        super().__init__(message, code=code)
        self.boxes = boxes


_DATE_BOXES = ("day", "month", "year")
_MONTH_NAMES = {
    name: number
    for number in range(1, 13)
    for name in (
        date(2000, number, 1).strftime("%B").lower(),
        date(2000, number, 1).strftime("%b").lower(),
    )
}
_TIME = re.compile(r"([01]?[0-9]|2[0-3])[:.]([0-5][0-9])")


def _digits(text: str, most: int) -> int | None:
    # str.isdigit() accepts "²", which int() then refuses.
    if text.isascii() and text.isdigit() and len(text) <= most:
        return int(text)
    return None


def read_typed_date(typed: TypedDate, label: str) -> date | datetime | None:
    """The date (or naive date and time) typed, None when nothing was, or a DateProblem
    worded as the GOV.UK Design System words it: what is missing first, then a year
    without four digits, then a date that does not exist."""
    if typed.is_empty:
        return None
    missing = [box for box in _DATE_BOXES if not getattr(typed, box)]
    if missing:
        raise DateProblem(
            f"{label} must include a {' and '.join(missing)}", "incomplete", tuple(missing)
        )
    if not (typed.year.isascii() and typed.year.isdigit() and len(typed.year) == 4):
        raise DateProblem("Year must include 4 numbers", "year_digits", ("year",))
    day = _digits(typed.day, 2)
    month = _MONTH_NAMES.get(typed.month.lower()) or _digits(typed.month, 2)
    try:
        if day is None or month is None:
            raise ValueError
        entered = date(int(typed.year), month, day)
    except ValueError:
        raise DateProblem(f"{label} must be a real date", "invalid", _DATE_BOXES) from None
    if typed.time is None:
        return entered
    if not typed.time:
        raise DateProblem(f"{label} must include a time", "incomplete", ("time",))
    if not (clock := _TIME.fullmatch(typed.time)):
        raise DateProblem(
            f"{label} must include a real time, like 14:30", "invalid_time", ("time",)
        )
    return datetime.combine(entered, time(int(clock[1]), int(clock[2])))


class DateInput(forms.Widget):
    """GOV.UK's date input: Day, Month and Year boxes, named NAME-day, NAME-month and
    NAME-year, in one fieldset (templates/govuk/forms/date.html). The Day box keeps the
    field's id, so an error summary's link lands in the question.

    A browser's own date picker follows its locale (mm/dd/yyyy in many), which is why the
    boxes: people type the day first, as they write it. A single ISO value (NAME=2026-02-03)
    is still read, for links to a filtered list and hand-written posts."""

    template_name = "govuk/forms/date_boxes.html"
    boxes = _DATE_BOXES
    example = "For example, 27 3 2007"

    def value_from_datadict(self, data, files, name):
        typed = {box: data.get(f"{name}-{box}") for box in self.boxes}
        if all(value is None for value in typed.values()):
            return data.get(name)
        return TypedDate(**{box: (value or "").strip()[:100] for box, value in typed.items()})

    def value_omitted_from_data(self, data, files, name):
        return name not in data and not any(f"{name}-{box}" in data for box in self.boxes)

    def format_value(self, value) -> TypedDate:
        if isinstance(value, TypedDate):
            return value
        return TypedDate.of(value, with_time="time" in self.boxes)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["boxes"] = date_boxes(
            self, name, context["widget"]["attrs"].get("id", ""), self.format_value(value), ()
        )
        return context

    def id_for_label(self, id_):
        return id_


class DateTimeInput(DateInput):
    """The date boxes and a Time box (HH:MM, 24-hour clock) in the same fieldset."""

    boxes = (*_DATE_BOXES, "time")
    example = "For example, 27 3 2007 and 14:30"


_BOX_WORDS = {
    "day": ("Day", "govuk-input--width-2", "numeric"),
    "month": ("Month", "govuk-input--width-2", "numeric"),
    "year": ("Year", "govuk-input--width-4", "numeric"),
    "time": ("Time", "govuk-input--width-5", "text"),
}


# Attributes the date template writes itself; any other a widget carries (a live preview's
# hx-* ones) goes on every box.
_WRITTEN_ATTRIBUTES = frozenset(
    {"id", "name", "type", "value", "class", "required", "inputmode", "spellcheck"}
)


def date_boxes(widget: DateInput, name: str, field_id: str, typed: TypedDate, marked) -> list[dict]:
    """Each box of a date question as the template writes it: the Day box keeps the field's
    own id, the others add their part's name to it."""
    extra = flatatt(
        {key: value for key, value in widget.attrs.items() if key not in _WRITTEN_ATTRIBUTES}
    )
    return [
        {
            "label": _BOX_WORDS[box][0],
            "name": f"{name}-{box}",
            "id": field_id if box == "day" else f"{field_id}-{box}",
            "value": getattr(typed, box),
            "width": _BOX_WORDS[box][1],
            "inputmode": _BOX_WORDS[box][2],
            "error": box in marked,
            "attrs": extra,
        }
        for box in widget.boxes
    ]


class RevealingRadioSelect(forms.RadioSelect):
    """Radios whose choices reveal further questions (GOV.UK's conditional reveal).

    `reveals` maps a choice's value to the names of the form's fields shown beneath it; the
    form renders those fields there and nowhere else. Without JavaScript every revealed field
    shows, so the form still works; the form decides in its clean() which ones it reads.
    """

    def __init__(self, attrs=None, choices=(), reveals=None):
        super().__init__(attrs, choices)
        self.reveals = {str(value): tuple(names) for value, names in (reveals or {}).items()}

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.reveals = dict(self.reveals)
        return copied


# Field types that say what a value may be --------------------------------------------------
#
# Every form declares its text and date fields with one of these, so a value is refused at the
# field, with words a person can act on, before any service sees it. Limits live here rather
# than in model validators so that changing one needs no migration.

# Characters that end a line or steer a terminal. Stored in a one-line value they break the
# places that value travels to (an invitation's header, a calendar's SUMMARY line, a CSV row).
_CONTROL_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})


def _controls_in(value: str) -> set[str]:
    return {c for c in value if unicodedata.category(c) in _CONTROL_CATEGORIES}


def _label(field: forms.Field) -> str:
    return str(field.label or "The text")


class _LimitedTextField(forms.CharField):
    default_max_length = 255
    allowed_controls: frozenset[str] = frozenset()
    controls_message = "{label} must not contain control characters"

    def __init__(self, *, max_length=None, **kwargs):
        super().__init__(max_length=max_length or self.default_max_length, **kwargs)

    def run_validators(self, value):
        # Worded here rather than in __init__ because a model form names the field (its label)
        # only after building it; Django's own wording says neither whose text nor what to do.
        if value and len(value) > self.max_length:
            raise forms.ValidationError(
                f"{_label(self)} must be {self.max_length:,} characters or fewer "
                f"(it has {len(value):,})",
                code="max_length",
            )
        if value and _controls_in(value) - self.allowed_controls:
            raise forms.ValidationError(
                self.controls_message.format(label=_label(self)), code="control_characters"
            )
        super().run_validators(value)


class SingleLineField(_LimitedTextField):
    """Text on one line: a name, a title, a reference. Refuses line breaks and control
    characters (tab included)."""

    controls_message = "{label} must be on one line, without line breaks or control characters"


class ParagraphsField(_LimitedTextField):
    """Text over several lines (a reason, a note): line breaks and tabs are kept, other control
    characters refused, and the text has a size a page can show."""

    default_max_length = 10_000
    allowed_controls = frozenset("\r\n\t")

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        super().__init__(**kwargs)

    def to_python(self, value):
        # Browsers send a text area's line breaks as CRLF; text is kept with "\n" alone, so what
        # is stored (and a released text's digest) does not depend on how it was typed.
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n")


class MarkdownField(ParagraphsField):
    """Minutes, notes and agenda text written as Markdown. The limit keeps a page that renders
    them quick: about twenty pages of minutes."""

    default_max_length = MARKDOWN_MAX_CHARACTERS


def _today() -> date:
    return timezone.localdate()


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _required_message(field: forms.Field) -> str:
    """The form's own words for an empty date, or GOV.UK's "Enter the date of birth" rather
    than Django's "This field is required"."""
    message = str(field.error_messages["required"])
    if message != str(forms.Field.default_error_messages["required"]):
        return message
    label = _label(field)
    return f"Enter the {label[:1].lower()}{label[1:]}"


def _read_date(field: forms.Field, value, read_one_value):
    """What was typed in a date question's boxes, or one ISO value (a link, a filter, an older
    form) read by the field's own parser; either way an impossible date is refused in GOV.UK's
    words."""
    if isinstance(value, TypedDate):
        return read_typed_date(value, _label(field))
    try:
        return read_one_value(value)
    except forms.ValidationError:
        raise DateProblem(f"{_label(field)} must be a real date", "invalid", _DATE_BOXES) from None


class BoundedDateField(forms.DateField):
    """A date within the range that makes sense for its meaning.

    `earliest` and `latest` are fixed dates, or whole years from today (a negative number of
    years is in the past, 0 is today). Subclasses name the usual ranges, so a form says what a
    date means (a date of birth, a consent's start) rather than repeating numbers.
    """

    earliest: date | int = date(1900, 1, 1)
    latest: date | int = date(2100, 12, 31)
    # Wording for a range with its own words; {label} and {date} are filled in.
    too_early_message = ""
    too_late_message = ""

    def __init__(self, *, earliest=None, latest=None, **kwargs):
        kwargs.setdefault("widget", DateInput)
        super().__init__(**kwargs)
        if earliest is not None:
            self.earliest = earliest
        if latest is not None:
            self.latest = latest

    def to_python(self, value):
        return _read_date(self, value, super().to_python)

    def bounds(self) -> tuple[date, date]:
        today = _today()
        return tuple(
            _years_from(today, bound) if isinstance(bound, int) else bound
            for bound in (self.earliest, self.latest)
        )

    def validate(self, value):
        if value in self.empty_values and self.required:
            raise forms.ValidationError(_required_message(self), code="required")
        if value in self.empty_values:
            return
        earliest, latest = self.bounds()
        if value > latest:
            message = self.too_late_message or (
                "{label} must be today or in the past"
                if self.latest == 0
                else "{label} must be on or before {date}"
            )
            raise self._refusal(message, latest, "too_late")
        if value < earliest:
            message = self.too_early_message or (
                "{label} must be today or in the future"
                if self.earliest == 0
                else "{label} must be on or after {date}"
            )
            raise self._refusal(message, earliest, "too_early")

    def _refusal(self, message: str, bound: date, code: str) -> forms.ValidationError:
        return forms.ValidationError(
            message.format(label=_label(self), date=_long_date(bound)), code=code
        )


class PastDateField(BoundedDateField):
    """When something happened: a concern was received, an indicator identified, a letter
    signed. Not in the future, not before 1900."""

    latest = 0


class DateOfBirthField(BoundedDateField):
    earliest = -120
    latest = 0
    too_early_message = "{label} must be within the last 120 years"
    too_late_message = "{label} must be in the past"


class ConsentDateField(BoundedDateField):
    """A consent's dates: the application's records start in 2000, and the Authority does not
    consent more than a few years ahead."""

    earliest = date(2000, 1, 1)
    latest = 5


class MeetingDateField(BoundedDateField):
    """A meeting, or a forum's schedule, within ten years back and five ahead."""

    earliest = -10
    latest = 5


class PlannedDateField(BoundedDateField):
    """A date something is due or to be reviewed: recorded up to ten years back (an old
    action brought in) and planned up to ten years ahead."""

    earliest = -10
    latest = 10


class SearchDateField(BoundedDateField):
    """A date typed into a list's filter: wide, but within years the database and the
    calendar arithmetic can hold."""

    earliest = date(1900, 1, 1)
    latest = date(2100, 12, 31)


class DateAndTimeField(forms.DateTimeField):
    """A date and time typed in GOV.UK's date boxes and a Time box, in UK time; not in the
    future, since every date and time typed says when something was done."""

    widget = DateTimeInput

    def to_python(self, value):
        read = _read_date(self, value, super().to_python)
        # The boxes give a naive date and time; a single ISO value is already made aware.
        return timezone.make_aware(read) if isinstance(value, TypedDate) and read else read

    def validate(self, value):
        if value in self.empty_values and self.required:
            raise forms.ValidationError(_required_message(self), code="required")
        if value not in self.empty_values and value > timezone.now():
            raise DateProblem(
                f"{_label(self)} must be now or in the past", "too_late", (*_DATE_BOXES, "time")
            )
        if value not in self.empty_values and value.year < 1900:
            raise DateProblem(
                f"{_label(self)} must be on or after 1 January 1900", "too_early", _DATE_BOXES
            )


class WholeNumberField(forms.IntegerField):
    """A whole number within a range that makes sense for its meaning (a score, a count), typed
    as digits; anything else is refused with one message that gives the range."""

    def __init__(self, *, min_value: int, max_value: int, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "spellcheck": "false",
                    "class": "govuk-input--width-2",
                }
            ),
        )
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def clean(self, value):
        try:
            return super().clean(value)
        except forms.ValidationError as refusal:
            if any(error.code == "required" for error in refusal.error_list):
                raise
            raise forms.ValidationError(
                f"{_label(self)} must be a whole number from {self.min_value} to {self.max_value}",
                code="out_of_range",
            ) from refusal


# The largest id any table holds (a 64-bit signed integer); a larger number is no row's id.
_LARGEST_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """An id read from a query string or a POST body, or None when it is not one: ASCII digits
    only (str.isdigit() accepts "²", which int() then refuses) and within the database's range.
    """
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= _LARGEST_ID else None


class SearchTextField(SingleLineField):
    """Words typed into a list's search box: one line, and short, since every word becomes a
    condition in the list's query."""

    default_max_length = 100


class RecordsField(forms.ModelMultipleChoiceField):
    """Several records chosen by id (checkboxes of agencies, people, areas).

    Django asks the database for every value posted in one IN list, and an integer beyond 64
    bits there fails on SQLite and PostgreSQL alike; a value that cannot be an id is refused
    before the query, as the choice it is not.
    """

    def _check_values(self, value):
        if (self.to_field_name or "pk") == "pk":
            for posted in value:
                if parse_id(str(posted)) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": str(posted)[:100]},
                    )
        return super()._check_values(value)


class _CodeChoiceField(forms.ChoiceField):
    """A code chosen from a standard's list, with an autocomplete to find it by name. A value
    recorded before the list was used stays offered, so saving the form does not lose it."""

    noun: str
    empty_label = "Not recorded"
    choices_of: staticmethod

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", AutocompleteSelect)
        kwargs.setdefault("required", False)
        super().__init__(choices=self._choices_with_empty, **kwargs)
        self.error_messages["invalid_choice"] = f"Choose a {self.noun} from the list"

    def _choices_with_empty(self):
        return [("", self.empty_label), *self.choices_of()]

    def keep_recorded(self, value: str) -> None:
        if value and value not in dict(self.choices_of()):
            self.choices = [*self._choices_with_empty(), (value, value)]


class CountryField(_CodeChoiceField):
    """A country, stored as its ISO 3166-1 two-letter code."""

    noun = "country"
    choices_of = staticmethod(iso_codes.country_choices)


class LanguageField(_CodeChoiceField):
    """A language, stored as its ISO 639-3 three-letter code."""

    noun = "language"
    choices_of = staticmethod(iso_codes.language_choices)


def shown_unjudged(*forms) -> None:
    """Show what was typed without judging it: a button that changes what a page offers (a
    household row more or less, every agency, the chosen agency's contacts) is not the form
    being sent, so no field is yet in error. Django has no public way to skip validation
    of bound data; marking it done with no errors is what full_clean() checks for."""
    for form in forms:
        if hasattr(form, "forms"):
            form._errors = [ErrorDict() for _ in form.forms]
            form._non_form_errors = form.error_class()
            shown_unjudged(*form.forms)
        elif form is not None:
            form._errors = ErrorDict()

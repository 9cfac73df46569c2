"""The filters above each report. Every value arrives in the query string, so each is checked
here and refused at its field with words a person can act on, never with a server error."""

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone

from agencies.models import Agency, LocalAuthority, Region
from core.forms import (
    AutocompleteSelect,
    GovukForm,
    NamedModelChoiceField,
    PastDateField,
    SingleLineField,
)
from meetings.models import Forum
from reports.periods import DateRange, Month

# Longer ranges would make a report that nobody reads and a query that scans years of rows.
LONGEST_RANGE_MONTHS = 24
FORMATS = {"csv", "xlsx"}


class _ReportForm(GovukForm):
    submit_label = "Show the report"

    def __init__(self, data=None, **kwargs):
        # Only the filters are the form's: `format` and `table` pick a download of the same report.
        # A date arrives as its boxes too (`from-day`, `from-month`, `from-year`).
        filters = {
            key: value
            for key, value in (data or {}).items()
            if key.partition("-")[0] in self.base_fields
        }
        super().__init__(filters, **kwargs)


class MonthlyReportForm(_ReportForm):
    month = SingleLineField(
        label="Month",
        help_text="As a year and month, for example 2026-10.",
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"spellcheck": "false", "class": "govuk-input--width-5"}),
    )
    region = NamedModelChoiceField(
        queryset=Region.objects.order_by("name"),
        label_from="name",
        required=False,
        empty_label="All regions",
        error_messages={"invalid_choice": "Choose a region from the list"},
    )
    local_authority = NamedModelChoiceField(
        label="Local authority",
        queryset=LocalAuthority.objects.order_by("name"),
        label_from="name",
        widget=AutocompleteSelect,
        required=False,
        empty_label="All local authorities",
        error_messages={"invalid_choice": "Choose a local authority from the list"},
    )

    @staticmethod
    def default_month() -> Month:
        """The last whole month: the one the report is due for."""
        return Month.of(timezone.localdate()).previous()

    def clean_month(self) -> Month:
        text = self.cleaned_data["month"]
        if not text:
            return self.default_month()
        try:
            month = Month.parse(text)
        except ValueError as problem:
            raise forms.ValidationError(str(problem)) from None
        if month > Month.of(timezone.localdate()):
            raise forms.ValidationError("The month must not be in the future")
        return month

    def clean(self):
        cleaned = super().clean()
        region, authority = cleaned.get("region"), cleaned.get("local_authority")
        if region and authority and authority.region_id != region.pk:
            self.add_error(
                "local_authority",
                f"{authority.name} is not in {region.name}. Choose one of its local authorities, "
                "or all regions",
            )
        return cleaned


class _RangeForm(_ReportForm):
    @staticmethod
    def default_range() -> DateRange:
        """The last three whole months and this one so far."""
        today = timezone.localdate()
        return DateRange(Month.of(today).plus(-3).first_day, today)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        end = cleaned.get("to") or timezone.localdate()
        start = cleaned.get("from") or min(self.default_range().first_day, end)
        if start > end:
            self.add_error("from", "The first day must be on or before the last day")
        elif start <= end - relativedelta(months=LONGEST_RANGE_MONTHS):
            self.add_error("to", f"Choose a range of {LONGEST_RANGE_MONTHS} months or less")
        else:
            cleaned["period"] = DateRange(start, end)
        return cleaned


# The URL says `from` and `to`, as people write a range; neither can be a class attribute's name.
_RangeForm.declared_fields = _RangeForm.base_fields = {
    "from": PastDateField(
        label="From",
        required=False,
    ),
    "to": PastDateField(
        label="To",
        required=False,
    ),
}


class ConsentReportForm(_RangeForm):
    pass


class PartnershipReportForm(_RangeForm):
    forum = NamedModelChoiceField(
        queryset=Forum.objects.order_by("name"),
        label_from="name",
        widget=AutocompleteSelect,
        required=False,
        empty_label="All forums",
        error_messages={"invalid_choice": "Choose a forum from the list"},
    )
    agency = NamedModelChoiceField(
        queryset=Agency.objects.order_by("name"),
        label_from="name",
        widget=AutocompleteSelect,
        required=False,
        empty_label="All agencies",
        error_messages={"invalid_choice": "Choose an agency from the list"},
    )


def requested_format(data) -> tuple[str, str | None]:
    """The download asked for ("" for the page) and, if the format is unknown, what to say."""
    wanted = data.get("format", "")
    if wanted in ("", "html") or wanted in FORMATS:
        return ("" if wanted == "html" else wanted), None
    return "", "Choose CSV or XLSX to download the report"

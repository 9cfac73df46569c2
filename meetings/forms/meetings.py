"""Forms to generate, add, change and cancel meetings, and to cancel a forum's series."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from core.forms import GovukForm, MeetingDateField, SingleLineField
from meetings.calendars.schedule import LONDON, local_datetime
from meetings.forms.fields import TimeInput
from meetings.services import MAX_SERIES_DAYS


class GenerateMeetingsForm(GovukForm):
    title = "Generate meetings from the schedule"
    submit_label = "Generate meetings"

    start_date = MeetingDateField(
        label="From",
        error_messages={
            "required": "Enter the first day of the period",
        },
    )
    end_date = MeetingDateField(
        label="To",
        error_messages={
            "required": "Enter the last day of the period",
        },
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end:
            if end < start:
                self.add_error("end_date", "The end of the period must be on or after its start")
            elif (end - start).days > MAX_SERIES_DAYS:
                self.add_error("end_date", "Choose a period of at most two years")
        return cleaned


class MeetingForm(GovukForm):
    submit_label = "Save meeting"

    title = SingleLineField(
        label="Title",
        required=False,
        max_length=200,
        help_text="Leave empty to use the forum's name.",
    )
    date = MeetingDateField(
        label="Date",
        error_messages={
            "required": "Enter the date of the meeting",
        },
    )
    start_time = forms.TimeField(
        label="Start time",
        widget=TimeInput,
        help_text="UK time, on a 24-hour clock, for example 10:00.",
        error_messages={"required": "Enter the start time", "invalid": "Enter a time, like 10:00"},
    )
    end_time = forms.TimeField(
        label="End time",
        widget=TimeInput,
        error_messages={"required": "Enter the end time", "invalid": "Enter a time, like 12:00"},
    )
    location = SingleLineField(label="Place", required=False, max_length=255)
    online_url = forms.URLField(
        label="Online joining link",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter a web address starting https://, like https://meet.example.org/abc"
        },
    )

    def __init__(self, *args, meeting=None, **kwargs):
        if meeting is not None:
            start = timezone.localtime(meeting.start, LONDON)
            kwargs.setdefault(
                "initial",
                {
                    "title": meeting.title,
                    "date": start.date(),
                    "start_time": start.time(),
                    "end_time": timezone.localtime(meeting.end, LONDON).time(),
                    "location": meeting.location,
                    "online_url": meeting.online_url,
                },
            )
        super().__init__(*args, **kwargs)
        self.title = "Move or change this meeting" if meeting is not None else "Add a meeting"

    def clean_online_url(self):
        url = self.cleaned_data["online_url"]
        if url and not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError(
                "Enter a web address starting https://, like https://meet.example.org/abc"
            )
        return url

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            if end <= start:
                self.add_error("end_time", "The end time must be after the start time")
            else:
                cleaned["start"] = local_datetime(day, start)
                cleaned["end"] = local_datetime(day, end)
        if (
            not cleaned.get("location")
            and not cleaned.get("online_url")
            and not self.has_error("online_url")
        ):
            self.add_error("location", "Enter a place or an online joining link")
        return cleaned


class CancelMeetingForm(GovukForm):
    title = "Cancel this meeting"
    submit_label = "Cancel meeting"

    reason = SingleLineField(label="Reason (shown to invitees)", required=False, max_length=255)


class CancelSeriesForm(GovukForm):
    title = "Cancel the whole series"
    submit_label = "Cancel the series"

    reason = SingleLineField(label="Reason (shown to invitees)", required=False, max_length=255)


def default_period(days: int = 92) -> dict:
    today = timezone.localdate()
    return {"start_date": today, "end_date": today + timedelta(days=days)}

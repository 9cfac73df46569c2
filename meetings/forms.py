"""Forms for forums, meetings, attendance, agendas, minutes and actions."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone

from agencies.models import Agency, User
from config.forms import (
    DateInput,
    GovukForm,
    GovukModelForm,
    MarkdownField,
    MeetingDateField,
    ParagraphsField,
    PlannedDateField,
    RecordsField,
    SingleLineField,
)
from meetings.models import (
    ActionStatus,
    AgendaItem,
    Closure,
    Forum,
    ForumKind,
    ForumLevel,
    MeetingStatus,
    Outcome,
    Response,
    normalise_rrule,
    validate_rrule,
)
from meetings.papers import ALLOWED_DESCRIPTION, PaperRefused, check_paper, max_paper_bytes
from meetings.schedule import (
    LONDON,
    check_start_day_outlook_can_store,
    local_datetime,
    upcoming_starts,
)
from meetings.services import MAX_SERIES_DAYS, STILL_OPEN
from sharing.models import (
    Case,
    DataCategory,
    LawfulBasis,
    PersonTold,
    Purpose,
    SpecialCategoryCondition,
)
from sharing.selectors import officers, open_cases_changeable_by
from sharing.services import DecisionRecord

MARKDOWN_HINT = (
    "You can use Markdown: **bold**, *italic*, ## headings, - bulleted lists, 1. numbered "
    "lists and [link text](https://example.org)."
)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def _person_label(person) -> str:
    return f"{person.full_name}, {person.agency}" if person.agency_id else person.full_name


def _people():
    return User.objects.filter(is_active=True).select_related("agency").order_by("full_name")


def _agencies():
    return Agency.objects.filter(is_active=True).order_by("name")


@dataclass
class PreviewOccurrence:
    start: datetime
    clock_change: str


# no-reply, noreply, no_reply, donotreply, do-not-reply, do.not.reply…
_NO_REPLY = re.compile(r"(no|do[-_.]?not)[-_.]?reply", re.IGNORECASE)
_PREVIEW_FIELDS = ("schedule_rrule", "schedule_starts_on", "schedule_time")
# The schedule's fields post the form (with the preview button's value) as the manager types,
# and the preview is swapped in; without JavaScript the preview button does the same.
# An empty hx-post posts to the page's own address, the create or the change page alike.
_LIVE_PREVIEW = {
    "hx-post": "",
    "hx-trigger": "input changed delay:500ms",
    "hx-vals": '{"preview": "yes"}',
    "hx-target": "#schedule-preview",
    "hx-swap": "outerHTML",
}


class SeriesStartDateField(MeetingDateField):
    """A forum's series may have started long ago (forums run for decades), but not before
    the records this application keeps."""

    earliest = date(2000, 1, 1)


class RecurrenceRuleField(SingleLineField):
    """A rule pasted with further lines (RDATE, EXDATE) is given validate_rrule's explanation of
    what to do instead; it refuses every other character a rule cannot hold."""

    allowed_controls = frozenset("\r\n")


class ForumForm(GovukModelForm):
    submit_label = "Save forum"

    level = forms.ChoiceField(
        label="Level",
        required=False,
        choices=[("", "As usual for the kind"), *ForumLevel.choices],
    )
    discusses_cases = forms.TypedChoiceField(
        label="Does it discuss individual cases?",
        required=False,
        choices=[("", "As usual for the kind"), ("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        empty_value=None,
    )
    schedule_online_url = forms.URLField(
        label="Usual online joining link",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter a web address starting https://, like https://meet.example.org/abc"
        },
    )

    class Meta:
        model = Forum
        fields = [
            "name",
            "kind",
            "level",
            "discusses_cases",
            "region",
            "local_authority",
            "chair",
            "coordinating_agency",
            "member_agencies",
            "members",
            "terms_of_reference",
            "schedule_rrule",
            "schedule_starts_on",
            "schedule_time",
            "schedule_duration_minutes",
            "schedule_location",
            "schedule_online_url",
            "organiser_email",
            "is_active",
        ]
        field_classes = {
            "name": SingleLineField,
            "terms_of_reference": MarkdownField,
            "schedule_starts_on": SeriesStartDateField,
            "schedule_location": SingleLineField,
            "schedule_rrule": RecurrenceRuleField,
            "member_agencies": RecordsField,
            "members": RecordsField,
        }
        widgets = {
            "member_agencies": forms.CheckboxSelectMultiple,
            "members": forms.CheckboxSelectMultiple,
            "schedule_starts_on": DateInput,
            "schedule_time": TimeInput,
            "terms_of_reference": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "schedule_rrule": (
                "An RFC 5545 recurrence rule, for example FREQ=MONTHLY;BYDAY=2TU for the second "
                "Tuesday of each month, or FREQ=WEEKLY;INTERVAL=2;BYDAY=WE for every other "
                "Wednesday. Leave empty if the forum has no regular schedule."
            ),
            "terms_of_reference": MARKDOWN_HINT,
            "member_agencies": "Agencies that send someone. Named members' agencies are added.",
        }
        error_messages = {
            "name": {"required": "Enter the forum's name"},
            "kind": {"required": "Choose the kind of forum"},
            "organiser_email": {
                "invalid": "Enter an e-mail address in the correct format, like name@example.org"
            },
            "schedule_duration_minutes": {"invalid": "Enter the duration as a number of minutes"},
            "schedule_starts_on": {"invalid": "Enter a real date"},
            "schedule_time": {"invalid": "Enter a time, like 10:00"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "Change forum" if self.instance.pk else "Set up a forum"
        if self.instance.pk:
            self.initial["discusses_cases"] = "yes" if self.instance.discusses_cases else "no"
        else:
            del self.fields["is_active"]
        self.fields["kind"].queryset = ForumKind.objects.filter(is_active=True)
        self.fields["kind"].empty_label = "Choose the kind of forum"
        self.fields["region"].empty_label = "No region"
        self.fields["local_authority"].empty_label = "No local authority"
        self.fields["local_authority"].help_text = "Choose a region or a local authority, not both."
        self.fields["chair"].queryset = _people()
        self.fields["chair"].label_from_instance = _person_label
        self.fields["chair"].empty_label = "No chair named"
        self.fields["coordinating_agency"].queryset = _agencies()
        self.fields["coordinating_agency"].empty_label = "No coordinating agency"
        self.fields["member_agencies"].queryset = _agencies()
        self.fields["members"].queryset = _people()
        self.fields["members"].label_from_instance = _person_label
        for name in _PREVIEW_FIELDS:
            self.fields[name].widget.attrs.update(_LIVE_PREVIEW)

    def clean_schedule_rrule(self):
        rule = normalise_rrule(self.cleaned_data["schedule_rrule"])
        validate_rrule(rule)
        return rule

    def clean_organiser_email(self):
        address = self.cleaned_data["organiser_email"]
        if _NO_REPLY.search(address.partition("@")[0]):
            raise forms.ValidationError(
                "Enter a monitored mailbox, not a no-reply address: attendees' replies to "
                "invitations go to it"
            )
        return address

    def clean(self):
        cleaned = super().clean()
        rule = cleaned.get("schedule_rrule")
        if rule and not cleaned.get("organiser_email") and not self.has_error("organiser_email"):
            self.add_error(
                "organiser_email",
                "Enter the organiser mailbox: invitations to the forum's meetings are sent from "
                "it, and none are sent without it",
            )
        if rule and cleaned.get("schedule_starts_on"):
            try:
                check_start_day_outlook_can_store(rule, cleaned["schedule_starts_on"])
            except forms.ValidationError as refusal:
                self.add_error("schedule_rrule", refusal)
        kind = cleaned.get("kind")
        if kind is not None:
            if not cleaned.get("level"):
                cleaned["level"] = kind.default_level
            if cleaned.get("discusses_cases") is None:
                cleaned["discusses_cases"] = kind.discusses_cases
        if (
            self.instance.pk
            and self.instance.schedule_rrule
            and not normalise_rrule(cleaned.get("schedule_rrule", ""))
            and not self.has_error("schedule_rrule")
            and self.instance.meetings.filter(
                original_start__isnull=False,
                start__gt=timezone.now(),
                status=MeetingStatus.SCHEDULED,
            ).exists()
        ):
            self.add_error(
                "schedule_rrule",
                "Meetings are planned from this schedule: cancel the series before removing "
                "its recurrence rule",
            )
        return cleaned

    def preview(self, count: int = 12) -> list[PreviewOccurrence]:
        """The next meetings the schedule as entered would make, in UK time, each marked when
        the clocks have changed since the one before."""
        data = self.cleaned_data
        rule = normalise_rrule(data.get("schedule_rrule", ""))
        starts_on, at = data.get("schedule_starts_on"), data.get("schedule_time")
        if not rule or starts_on is None or at is None or self.has_error("schedule_rrule"):
            return []
        anchor = datetime.combine(starts_on, at)
        after = datetime.combine(max(starts_on, timezone.localdate()), time.min)
        upcoming = []
        for naive in upcoming_starts(rule, anchor, after, count):
            start = naive.replace(tzinfo=LONDON)
            previous = upcoming[-1].start if upcoming else None
            change = ""
            if previous is not None and previous.utcoffset() != start.utcoffset():
                change = (
                    "After the clocks go forward (British Summer Time)"
                    if start.utcoffset()
                    else "After the clocks go back (Greenwich Mean Time)"
                )
            upcoming.append(PreviewOccurrence(start=start, clock_change=change))
        return upcoming

    def _get_validation_exclusions(self):
        # Both are filled from the kind in clean(); with no kind chosen, the kind's own error
        # is the one to show.
        return super()._get_validation_exclusions() | {"level", "discusses_cases"}


class GenerateMeetingsForm(GovukForm):
    title = "Generate meetings from the schedule"
    submit_label = "Generate meetings"

    start_date = MeetingDateField(
        label="From",
        error_messages={
            "required": "Enter the first day of the period",
            "invalid": "Enter a real date",
        },
    )
    end_date = MeetingDateField(
        label="To",
        error_messages={
            "required": "Enter the last day of the period",
            "invalid": "Enter a real date",
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
            "invalid": "Enter a real date",
        },
    )
    start_time = forms.TimeField(
        label="Start time",
        widget=TimeInput,
        help_text="UK time.",
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


class RemoveInvitationForm(GovukForm):
    title = "Withdraw this invitation"
    submit_label = "Withdraw invitation"


class DeputyForm(GovukForm):
    title = "Send a deputy"
    submit_label = "Send the invitation to the deputy"

    deputy_person = forms.ModelChoiceField(
        label="A colleague in Partnerhub",
        queryset=User.objects.none(),
        required=False,
        empty_label="Someone not in Partnerhub (enter their details below)",
    )
    deputy_name = SingleLineField(label="Deputy's full name", required=False, max_length=150)
    deputy_email = forms.EmailField(
        label="Deputy's e-mail address",
        required=False,
        error_messages={
            "invalid": "Enter an e-mail address in the correct format, like name@example.org"
        },
    )

    def __init__(self, *args, attendance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy_person"].queryset = (
            _people().filter(agency_id=attendance.agency_id).exclude(pk=attendance.person_id)
        )
        self.fields["deputy_person"].label_from_instance = _person_label
        self.fields["deputy_person"].help_text = f"From {attendance.agency}."

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("deputy_person") is None and not self.has_error("deputy_email"):
            if not cleaned.get("deputy_name", "").strip():
                self.add_error("deputy_name", "Enter the deputy's full name")
            if not cleaned.get("deputy_email"):
                self.add_error("deputy_email", "Enter the deputy's e-mail address")
        return cleaned


class InviteForm(GovukForm):
    title = "Invite someone"
    submit_label = "Invite"

    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency"},
    )
    person = forms.ModelChoiceField(
        label="Person",
        queryset=User.objects.none(),
        required=False,
        empty_label="Nobody yet: a seat for the agency to fill",
    )
    is_optional = forms.BooleanField(label="Their attendance is optional", required=False)

    def __init__(self, *args, forum: Forum, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = forum.member_agencies.order_by("name")
        self.fields["person"].queryset = _people().filter(agency__in=forum.member_agencies.all())
        self.fields["person"].label_from_instance = _person_label

    def clean(self):
        cleaned = super().clean()
        agency, person = cleaned.get("agency"), cleaned.get("person")
        if agency and person and person.agency_id != agency.pk:
            self.add_error("person", f"Choose someone who works for {agency}")
        return cleaned


class FillSeatForm(GovukForm):
    title = "Name who fills this seat"
    submit_label = "Save"

    person = forms.ModelChoiceField(
        label="Person",
        queryset=User.objects.none(),
        empty_label="Choose a person",
        error_messages={"required": "Choose who fills the seat"},
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people().filter(agency=agency)
        self.fields["person"].label_from_instance = _person_label


class RespondForm(GovukForm):
    title = "Your response"
    submit_label = "Send response"

    response = forms.ChoiceField(
        label="Will you attend?",
        choices=[
            (Response.ACCEPTED, "Yes, I will attend"),
            (Response.TENTATIVE, "Maybe"),
            (Response.DECLINED, "No, I cannot attend"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you will attend"},
    )


class AttendanceEntryForm(GovukForm):
    """One invitation's attendance on the record-attendance page."""

    outcome = forms.ChoiceField(
        choices=[*Outcome.choices, ("", "Not recorded")],
        widget=forms.RadioSelect,
        required=False,
    )
    deputy_name = SingleLineField(
        required=False,
        max_length=150,
        help_text="Only if someone else attended in their place.",
    )
    sent_information_in_advance = forms.BooleanField(
        required=False, label="Sent their information in advance (with apologies)"
    )

    def __init__(self, *args, attendance, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "outcome": attendance.outcome,
                "deputy_name": attendance.deputy_name,
                "sent_information_in_advance": attendance.sent_information_in_advance,
            },
        )
        super().__init__(*args, prefix=f"attendance-{attendance.pk}", **kwargs)
        self.attendance = attendance
        who = (
            f"{attendance.person.full_name} ({attendance.agency})"
            if attendance.person_id
            else f"{attendance.agency} (seat)"
        )
        self.fields["outcome"].label = f"Attendance: {who}"
        self.fields["deputy_name"].label = (
            f"Deputy for {attendance.person.full_name}"
            if attendance.person_id
            else f"Who attended for {attendance.agency}"
        )
        if not attendance.person_id:
            self.fields["deputy_name"].help_text = ""
        self.fields["sent_information_in_advance"].label = (
            f"{attendance.person.full_name if attendance.person_id else attendance.agency} "
            "sent their information in advance (with apologies)"
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("deputy_name") and cleaned.get("outcome") != Outcome.ATTENDED:
            self.add_error("deputy_name", "A deputy can be named only when they attended")
        if (
            cleaned.get("sent_information_in_advance")
            and cleaned.get("outcome") != Outcome.APOLOGIES
        ):
            self.add_error(
                "sent_information_in_advance",
                "Information in advance goes with apologies: choose apologies first",
            )
        return cleaned


class AgendaItemForm(GovukModelForm):
    submit_label = "Save agenda item"

    class Meta:
        model = AgendaItem
        fields = ["title", "description", "presenter"]
        field_classes = {"title": SingleLineField, "description": MarkdownField}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"description": MARKDOWN_HINT}
        error_messages = {"title": {"required": "Enter the agenda item's title"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "Change agenda item" if self.instance.pk else "Add an agenda item"
        self.fields["presenter"].queryset = _people()
        self.fields["presenter"].label_from_instance = _person_label
        self.fields["presenter"].empty_label = "No presenter named"


class PaperForm(GovukForm):
    title = "Add a paper"
    submit_label = "Upload paper"

    file = forms.FileField(
        label="Paper",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"{ALLOWED_DESCRIPTION}, smaller than {max_paper_bytes() // (1024 * 1024)} MB. "
            "Papers are seen by everyone who can see the meeting."
        )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            check_paper(uploaded)
        except PaperRefused as refusal:
            raise forms.ValidationError(str(refusal)) from None
        return uploaded


class MinutesForm(GovukForm):
    title = "Write the minutes"
    submit_label = "Save draft"

    body = MarkdownField(
        label="Minutes",
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=MARKDOWN_HINT,
        error_messages={"required": "Enter the minutes"},
    )


class CorrectionForm(GovukForm):
    title = "Correct the approved minutes"
    submit_label = "Save correction as a draft"

    reason = ParagraphsField(
        label="Reason for the correction",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for the correction"},
    )
    body = MarkdownField(
        label="Corrected minutes",
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=MARKDOWN_HINT,
        error_messages={"required": "Enter the corrected minutes"},
    )


class ActionForm(GovukForm):
    title = "Add an action"
    submit_label = "Add action"

    description = ParagraphsField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what needs to be done"},
    )
    agenda_item = forms.ModelChoiceField(
        label="Agenda item",
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label="The meeting as a whole",
    )
    owner = forms.ModelChoiceField(
        label="Owner", queryset=User.objects.none(), required=False, empty_label="No named person"
    )
    owner_agency = forms.ModelChoiceField(
        label="Owning agency",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="The owner's agency",
    )
    due_on = PlannedDateField(
        label="Due date",
        error_messages={"required": "Enter the due date", "invalid": "Enter a real date"},
    )

    def __init__(self, *args, meeting, agenda_items, whole_meeting=True, **kwargs):
        super().__init__(*args, **kwargs)
        item_field = self.fields["agenda_item"]
        item_field.queryset = meeting.agenda_items.filter(
            pk__in=[item.pk for item in agenda_items]
        ).order_by("position", "pk")
        # Only items whose details this person is shown are offered, so their titles may be.
        item_field.label_from_instance = lambda item: f"{item.position}. {item.title}"
        if not whole_meeting:
            item_field.required = True
            item_field.empty_label = None
            item_field.help_text = "The case item the action is for"
        self.fields["owner"].queryset = _people()
        self.fields["owner"].label_from_instance = _person_label
        self.fields["owner_agency"].queryset = _agencies()

    def clean(self):
        cleaned = super().clean()
        owner, agency = cleaned.get("owner"), cleaned.get("owner_agency")
        if owner is None and agency is None and not self.has_error("owner"):
            self.add_error("owner", "Choose who owns the action: a person, an agency or both")
        if owner and agency and owner.agency_id != agency.pk:
            self.add_error("owner_agency", f"Choose {owner.full_name}'s agency, or no agency")
        return cleaned


class ActionUpdateForm(GovukForm):
    title = "Add an update"
    submit_label = "Add update"

    note = ParagraphsField(
        label="Update",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the update"},
    )
    in_progress = forms.BooleanField(label="Work on this action has started", required=False)

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        if action.status != ActionStatus.OPEN:
            del self.fields["in_progress"]


class CloseActionForm(GovukForm):
    title = "Close this action"
    submit_label = "Close action"

    closure = forms.ChoiceField(
        label="Outcome",
        choices=Closure.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the action ended"},
    )
    reason = ParagraphsField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the agency did not undertake the action.",
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("closure") == Closure.NOT_UNDERTAKEN
            and not cleaned.get("reason", "").strip()
        ):
            self.add_error("reason", "Enter why the agency did not undertake the action")
        return cleaned


class ActionReviewForm(GovukForm):
    title = "Review a carried-over action"
    submit_label = "Record the review"

    outcome = forms.ChoiceField(
        label="Where the action stands at this meeting",
        choices=[(STILL_OPEN, "Still open: carry it over again"), *Closure.choices],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the action stands"},
    )
    note = ParagraphsField(
        label="Note or reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the agency did not undertake the action.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == Closure.NOT_UNDERTAKEN and not cleaned.get("note", "").strip():
            self.add_error("note", "Enter why the agency did not undertake the action")
        return cleaned


def default_period(days: int = 92) -> dict:
    today = timezone.localdate()
    return {"start_date": today, "end_date": today + timedelta(days=days)}


# The calendar pages step a month or a week either side of the one asked for; outside these
# years there are no meetings to show, and that arithmetic fails at the ends of Python's calendar.
_CALENDAR_YEARS = range(1900, 2101)


def parse_month(value: str | None):
    """'2026-03' as (2026, 3); anything else, or a year outside the calendar, as this month."""
    try:
        parsed = datetime.strptime(value or "", "%Y-%m")
    except ValueError:
        parsed = None
    if parsed is None or parsed.year not in _CALENDAR_YEARS:
        today = timezone.localdate()
        return today.year, today.month
    return parsed.year, parsed.month


def parse_day(value: str | None):
    """'2026-03-17' as that date; anything else, or a year outside the calendar, as today."""
    try:
        parsed = datetime.strptime(value or "", "%Y-%m-%d").date()
    except ValueError:
        return timezone.localdate()
    return parsed if parsed.year in _CALENDAR_YEARS else timezone.localdate()


# The usual purpose of discussing a case at each kind of forum; the officer may choose another.
_PURPOSE_OF_FORUM_KIND = {"marac": Purpose.RISK_ASSESSMENT, "taf": Purpose.EARLY_HELP}


class CaseItemReleaseForm(GovukForm):
    """What a case item shares with the agencies at the meeting, why, and the record of the
    decision to share it: what sharing.services.disclose() asks of every release."""

    purpose = forms.ChoiceField(
        label="Purpose",
        choices=[("", "Choose a purpose"), *Purpose.choices],
        error_messages={"required": "Choose the purpose"},
    )
    categories = forms.MultipleChoiceField(
        label="What you are sharing",
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose what you are sharing"},
    )
    content = MarkdownField(
        label="Exactly what is shared",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="This text is kept as the record of what was released.",
        error_messages={"required": "Enter exactly what is being shared"},
    )
    necessity = ParagraphsField(
        label="Why sharing is necessary and proportionate",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why sharing is necessary and proportionate"},
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis (UK GDPR Article 6)",
        choices=[("", "Choose the lawful basis"), *LawfulBasis.choices],
        help_text="The Authority's consent is permission to release, not the lawful basis.",
        error_messages={"required": "Choose the lawful basis"},
    )
    special_category_condition = forms.ChoiceField(
        label="Condition for health or other special-category information",
        choices=SpecialCategoryCondition.choices,
        initial=SpecialCategoryCondition.NOT_APPLICABLE,
    )
    person_told = forms.ChoiceField(
        label="Was the person told?",
        choices=PersonTold.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the person was told"},
    )
    person_not_told_reason = ParagraphsField(
        label="Why they were not told", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    decided_by = forms.ModelChoiceField(
        label="Who decided to share",
        queryset=officers(),
        required=False,
        empty_label="I did",
        help_text="If a manager or colleague made the decision, choose them. You are recorded as "
        "the person who released it.",
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("person_told") == PersonTold.NOT_TOLD_OTHER
            and not (cleaned.get("person_not_told_reason") or "").strip()
        ):
            self.add_error("person_not_told_reason", "Say why the person was not told")
        return cleaned

    def record_of_decision(self, releaser) -> DecisionRecord:
        """The decision behind the release: made by `releaser` unless the form names someone."""
        data = self.cleaned_data
        return DecisionRecord(
            necessity=data["necessity"],
            lawful_basis=data["lawful_basis"],
            special_category_condition=data["special_category_condition"],
            person_told=data["person_told"],
            person_not_told_reason=data.get("person_not_told_reason", ""),
            decided_by=data.get("decided_by") or releaser,
            categories=tuple(data["categories"]),
        )


class CaseItemForm(CaseItemReleaseForm):
    """A case on the agenda: which case, and the record of the decision to share it with every
    agency attending (how is always "at a meeting")."""

    title = "Add a case to the agenda"
    submit_label = "Check consent and add to the agenda"

    case = forms.ModelChoiceField(
        label="Case",
        queryset=Case.objects.none(),
        empty_label="Choose a case",
        help_text="Cases you work on. The agenda shows the case reference, never the name.",
        error_messages={"required": "Choose the case"},
    )
    heading = SingleLineField(
        label="Short title (optional)",
        max_length=150,
        required=False,
        help_text="Shown after the reference, for example “new referral”. Never the name.",
    )

    field_order = ["case", "heading", "purpose", "categories", "content"]

    def __init__(self, *args, meeting, user, **kwargs):
        super().__init__(*args, **kwargs)
        cases = open_cases_changeable_by(user=user)
        self.fields["case"].queryset = cases.order_by("reference")
        self.fields["case"].label_from_instance = lambda case: case.reference
        self.fields["content"].label = "Summary shared with the agencies attending"
        self.fields["content"].help_text = (
            "Shown on the agenda to the agencies it is shared with, and kept as the record of "
            "what was released. Markdown is allowed."
        )
        purpose = _PURPOSE_OF_FORUM_KIND.get(meeting.forum.kind.code, Purpose.CASE_REVIEW)
        self.fields["purpose"].initial = purpose


class CaseItemShareForm(CaseItemReleaseForm):
    """The decision to share an already listed case with agencies invited since."""

    title = "Share this case with the agencies not yet covered"
    submit_label = "Check consent and share"

    content = None

    def __init__(self, *args, disclosure=None, **kwargs):
        super().__init__(*args, **kwargs)
        if disclosure is not None and not self.is_bound:
            self.initial.update(
                purpose=disclosure.purpose,
                categories=disclosure.categories,
                necessity=disclosure.necessity,
                lawful_basis=disclosure.lawful_basis,
                special_category_condition=disclosure.special_category_condition,
                person_told=disclosure.person_told,
                person_not_told_reason=disclosure.person_not_told_reason,
            )

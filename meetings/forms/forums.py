"""The forum form, with its schedule and a preview of the meetings it makes."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django import forms
from django.utils import timezone

from core.forms import (
    DateInput,
    FilterableCheckboxes,
    GovukModelForm,
    MarkdownField,
    MeetingDateField,
    RecordsField,
    SingleLineField,
)
from meetings.calendars.schedule import LONDON, upcoming_starts
from meetings.forms.fields import (
    MARKDOWN_HINT,
    TimeInput,
    active_agencies,
    active_people,
    person_label,
)
from meetings.models import (
    Forum,
    ForumKind,
    ForumLevel,
    MeetingStatus,
    normalise_rrule,
    validate_rrule,
)
from meetings.recurrence import check_start_day_outlook_can_store


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
            "quorum_agencies",
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
            "quorum_agencies": RecordsField,
        }
        widgets = {
            "member_agencies": FilterableCheckboxes("agencies"),
            "members": FilterableCheckboxes("people"),
            "quorum_agencies": FilterableCheckboxes("agencies"),
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
            "quorum_agencies": (
                "The member agencies that must be there for the forum to decide. A meeting is "
                "quorate when someone attended for each of them, in person or as a deputy."
            ),
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
        self.fields["chair"].queryset = active_people()
        self.fields["chair"].label_from_instance = person_label
        self.fields["chair"].empty_label = "No chair named"
        self.fields["coordinating_agency"].queryset = active_agencies()
        self.fields["coordinating_agency"].empty_label = "No coordinating agency"
        self.fields["member_agencies"].queryset = active_agencies()
        self.fields["quorum_agencies"].queryset = active_agencies()
        self.fields["members"].queryset = active_people()
        self.fields["members"].label_from_instance = person_label
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
        self._check_quorum(cleaned)
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

    def _check_quorum(self, cleaned) -> None:
        needed = cleaned.get("quorum_agencies")
        if not needed:
            return
        members = {agency.pk for agency in cleaned.get("member_agencies") or ()}
        members |= {person.agency_id for person in cleaned.get("members") or ()}
        outside = sorted(agency.name for agency in needed if agency.pk not in members)
        if outside:
            self.add_error(
                "quorum_agencies",
                "Choose agencies that are members of the forum: "
                + ", ".join(outside)
                + (" is not" if len(outside) == 1 else " are not"),
            )

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

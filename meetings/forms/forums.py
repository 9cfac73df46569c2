"""The forum form, with its schedule and a preview of the meetings it makes."""

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from dateutil.rrule import rrulestr
from django import forms
from django.utils import timezone

from core.forms import (
    AutocompleteSelect,
    DateInput,
    FilterableCheckboxes,
    GovukModelForm,
    MarkdownField,
    MeetingDateField,
    PlannedDateField,
    RecordsField,
    RevealingRadioSelect,
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
from meetings.permissions import may_write_schedule_rules
from meetings.recurrence import check_start_day_outlook_can_store, describe
from meetings.recurrence_patterns import (
    LARGEST_COUNT,
    LARGEST_INTERVAL,
    MONTHLY,
    WEEKLY,
    SchedulePattern,
    pattern_from_rule,
)


@dataclass
class PreviewOccurrence:
    start: datetime
    clock_change: str


# no-reply, noreply, no_reply, donotreply, do-not-reply, do.not.reply…
_NO_REPLY = re.compile(r"(no|do[-_.]?not)[-_.]?reply", re.IGNORECASE)
# The schedule's fields post the form (with the preview button's value) as the manager types
# or chooses, and the preview is swapped in; without JavaScript the preview button does the
# same. An empty hx-post posts to the page's own address, the create or the change page alike.
_LIVE_PREVIEW = {
    "hx-post": "",
    "hx-trigger": "input changed delay:500ms",
    "hx-vals": '{"preview": "yes"}',
    "hx-target": "#schedule-preview",
    "hx-swap": "outerHTML",
}
# A radio's or checkbox's value never changes, so "changed" would let each fire only once.
_LIVE_PREVIEW_OF_CHOICES = {**_LIVE_PREVIEW, "hx-trigger": "change"}

NO_SCHEDULE, ADVANCED = "none", "advanced"
NEVER, ON_DATE, AFTER_COUNT = "never", "date", "count"
_WEEKDAY_NAMES = [
    ("MO", "Monday"),
    ("TU", "Tuesday"),
    ("WE", "Wednesday"),
    ("TH", "Thursday"),
    ("FR", "Friday"),
    ("SA", "Saturday"),
    ("SU", "Sunday"),
]
_POSITION_NAMES = [("1", "First"), ("2", "Second"), ("3", "Third"), ("4", "Fourth"), ("-1", "Last")]
# The builder's questions under each choice of how often, and of how the series ends.
_PATTERN_FIELDS = {
    WEEKLY: ("schedule_weeks_apart", "schedule_weekdays"),
    MONTHLY: ("schedule_months_apart", "schedule_week_of_month", "schedule_weekday"),
    ADVANCED: ("schedule_rrule",),
}
_END_FIELDS = {ON_DATE: ("schedule_ends_on",), AFTER_COUNT: ("schedule_meeting_count",)}
_BUILDER_FIELDS = (
    "schedule_pattern",
    *(name for names in _PATTERN_FIELDS.values() for name in names),
    "schedule_end",
    *(name for names in _END_FIELDS.values() for name in names),
)


class SeriesStartDateField(MeetingDateField):
    """A forum's series may have started long ago (forums run for decades), but not before
    the records this application keeps."""

    earliest = date(2000, 1, 1)


class RecurrenceRuleField(SingleLineField):
    """A rule pasted with further lines (RDATE, EXDATE) is given validate_rrule's explanation of
    what to do instead; it refuses every other character a rule cannot hold."""

    allowed_controls = frozenset("\r\n")


def _how_many(unit: str, largest: int, *, label: str, hint: str) -> forms.IntegerField:
    words = f"Enter a number of {unit} from 1 to {largest}"
    return forms.IntegerField(
        label=label,
        help_text=hint,
        min_value=1,
        max_value=largest,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "spellcheck": "false", "class": "govuk-input--width-2"}
        ),
        error_messages={
            "required": words,
            "invalid": words,
            "min_value": words,
            "max_value": words,
        },
    )


class ScheduleEndDateField(PlannedDateField):
    too_early_message = "The end date must be on or after {date}"
    too_late_message = "The end date must be on or before {date}"


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
    schedule_pattern = forms.ChoiceField(
        label="How often does the forum meet?",
        choices=[
            (WEEKLY, "Every week, or every few weeks"),
            (MONTHLY, "Every month, or every few months, on one weekday"),
            (NO_SCHEDULE, "It has no regular schedule"),
            (ADVANCED, "Write the rule yourself (advanced)"),
        ],
        widget=RevealingRadioSelect(reveals=_PATTERN_FIELDS),
        error_messages={
            "required": "Choose how often the forum meets, or that it has no regular schedule",
            "invalid_choice": "Choose how often the forum meets from the list",
        },
    )
    schedule_weeks_apart = _how_many(
        "weeks",
        LARGEST_INTERVAL,
        label="Every how many weeks?",
        hint=(
            "1 for every week, 2 for every other week. Weeks run Monday to Sunday, counted "
            "from the week the series starts."
        ),
    )
    schedule_weekdays = forms.MultipleChoiceField(
        label="On which days of the week?",
        choices=_WEEKDAY_NAMES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose the day of the week the forum meets",
            "invalid_choice": "Choose days of the week from the list",
        },
    )
    schedule_months_apart = _how_many(
        "months",
        LARGEST_INTERVAL,
        label="Every how many months?",
        hint="1 for every month, 3 for every quarter.",
    )
    schedule_week_of_month = forms.ChoiceField(
        label="Which one in the month?",
        choices=[("", "Choose"), *_POSITION_NAMES],
        error_messages={
            "required": "Choose which one in the month, like the second",
            "invalid_choice": "Choose the first, second, third, fourth or last",
        },
    )
    schedule_weekday = forms.ChoiceField(
        label="Which day of the week?",
        choices=[("", "Choose"), *_WEEKDAY_NAMES],
        error_messages={
            "required": "Choose the day of the week the forum meets",
            "invalid_choice": "Choose a day of the week from the list",
        },
    )
    schedule_rrule = RecurrenceRuleField(
        label="Recurrence rule",
        max_length=255,
        help_text=(
            "An RFC 5545 recurrence rule, for example FREQ=YEARLY;BYMONTH=3;BYDAY=1TU for the "
            "first Tuesday of March. Put any end in the rule (COUNT or UNTIL)."
        ),
        error_messages={"required": "Enter the recurrence rule"},
    )
    schedule_end = forms.ChoiceField(
        label="When does the series end?",
        choices=[
            (NEVER, "It has no end date"),
            (ON_DATE, "On a date"),
            (AFTER_COUNT, "After a number of meetings"),
        ],
        initial=NEVER,
        widget=RevealingRadioSelect(reveals=_END_FIELDS),
        error_messages={
            "required": "Choose when the series ends",
            "invalid_choice": "Choose when the series ends from the list",
        },
    )
    schedule_ends_on = ScheduleEndDateField(
        label="Date of the last meeting",
        help_text="No meeting is planned after this date.",
        error_messages={"required": "Enter the date the series ends"},
    )
    schedule_meeting_count = _how_many(
        "meetings",
        LARGEST_COUNT,
        label="How many meetings?",
        hint=f"Counted from the date the series starts, up to {LARGEST_COUNT}.",
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
            "schedule_pattern",
            "schedule_weeks_apart",
            "schedule_weekdays",
            "schedule_months_apart",
            "schedule_week_of_month",
            "schedule_weekday",
            "schedule_rrule",
            "schedule_starts_on",
            "schedule_end",
            "schedule_ends_on",
            "schedule_meeting_count",
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
            "member_agencies": RecordsField,
            "members": RecordsField,
            "quorum_agencies": RecordsField,
        }
        widgets = {
            "local_authority": AutocompleteSelect,
            "chair": AutocompleteSelect,
            "coordinating_agency": AutocompleteSelect,
            "member_agencies": FilterableCheckboxes("agencies"),
            "members": FilterableCheckboxes("people"),
            "quorum_agencies": FilterableCheckboxes("agencies"),
            "schedule_starts_on": DateInput,
            "schedule_time": TimeInput,
            "terms_of_reference": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
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
            "schedule_time": {"invalid": "Enter a time, like 10:00"},
        }

    def __init__(self, *args, user, **kwargs):
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
        self._set_up_schedule_builder(may_write_schedule_rules(user))
        for name, field in self.fields.items():
            if name in _BUILDER_FIELDS or name in ("schedule_starts_on", "schedule_time"):
                choosing = isinstance(
                    field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple
                )
                field.widget.attrs.update(_LIVE_PREVIEW_OF_CHOICES if choosing else _LIVE_PREVIEW)

    def _set_up_schedule_builder(self, writes_rules: bool) -> None:
        """The builder is filled in from the forum's rule. A rule it cannot express is shown
        as written to an administrator, and kept, untouched, for anyone else."""
        self.rule_before = self.instance.schedule_rrule
        # The rule kept as it is, in words, when this person may not change it.
        self.kept_schedule = ""
        pattern = pattern_from_rule(self.rule_before)
        if self.rule_before and pattern is None and not writes_rules:
            self.kept_schedule = describe(self.rule_before)
            for name in _BUILDER_FIELDS:
                del self.fields[name]
            return
        end = self.fields["schedule_end"]
        if writes_rules:
            end.help_text = "Not used for a rule written yourself: put its end in the rule."
        else:
            del self.fields["schedule_rrule"]
            pattern_field = self.fields["schedule_pattern"]
            pattern_field.choices = [c for c in pattern_field.choices if c[0] != ADVANCED]
            pattern_field.widget.reveals.pop(ADVANCED)
            end.help_text = (
                "Choose an end only if the forum meets a set number of times, or until a date."
            )
        self.initial.update(
            {"schedule_weeks_apart": 1, "schedule_months_apart": 1, "schedule_end": NEVER}
        )
        if pattern is not None:
            self.initial.update(_builder_initial(pattern))
        elif self.rule_before:
            self.initial["schedule_pattern"] = ADVANCED
        elif self.instance.pk:
            self.initial["schedule_pattern"] = NO_SCHEDULE

    @property
    def changed_data(self):
        # The builder's questions are how the rule was written, not what the forum holds.
        changed = [name for name in super().changed_data if name not in _BUILDER_FIELDS]
        if self.is_bound and self.cleaned_rule() != self.rule_before:
            changed.append("schedule_rrule")
        return changed

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
        rule = self._compose_schedule(cleaned)
        if rule is not None and not self.kept_schedule:
            cleaned["schedule_rrule"] = rule
        schedule_field = "schedule_pattern" if "schedule_pattern" in self.fields else None
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
                self.add_error(self._rule_field(cleaned), refusal)
        kind = cleaned.get("kind")
        if kind is not None:
            if not cleaned.get("level"):
                cleaned["level"] = kind.default_level
            if cleaned.get("discusses_cases") is None:
                cleaned["discusses_cases"] = kind.discusses_cases
        if (
            self.instance.pk
            and self.rule_before
            and rule == ""
            and schedule_field
            and self.instance.meetings.filter(
                original_start__isnull=False,
                start__gt=timezone.now(),
                status=MeetingStatus.SCHEDULED,
            ).exists()
        ):
            self.add_error(
                schedule_field,
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

    def cleaned_rule(self) -> str | None:
        """The rule the form would save, or None while the schedule has an error."""
        if self.kept_schedule:
            return self.rule_before
        if any(self.has_error(name) for name in _BUILDER_FIELDS):
            return None
        return getattr(self, "cleaned_data", {}).get("schedule_rrule")

    def _rule_field(self, cleaned) -> str:
        """Where a refusal of the whole rule is shown: at the rule written by hand, at the
        start date for a rule kept as it is (only the date can have changed), or else at the
        choice of how often."""
        if self.kept_schedule:
            return "schedule_starts_on"
        if cleaned.get("schedule_pattern") == ADVANCED:
            return "schedule_rrule"
        return "schedule_pattern"

    def _compose_schedule(self, cleaned) -> str | None:
        """The rule the builder's answers make ("" for no schedule), or None with the reason
        at the field. Questions under choices not taken are not read, nor their errors shown:
        without JavaScript every one of them is on the page."""
        if self.kept_schedule:
            return self.rule_before
        choice = cleaned.get("schedule_pattern")
        end = cleaned.get("schedule_end") if choice in (WEEKLY, MONTHLY) else None
        wanted = {*_PATTERN_FIELDS.get(choice, ()), *_END_FIELDS.get(end, ())}
        if choice in (WEEKLY, MONTHLY):
            wanted.add("schedule_end")
        for name in _BUILDER_FIELDS:
            if name != "schedule_pattern" and name not in wanted:
                self._errors.pop(name, None)
        if choice is None or any(name in self._errors for name in wanted):
            return None
        if choice == NO_SCHEDULE:
            return ""
        if choice == ADVANCED:
            return cleaned.get("schedule_rrule", "")
        if choice == WEEKLY:
            pattern = SchedulePattern(
                WEEKLY, cleaned["schedule_weeks_apart"], tuple(cleaned["schedule_weekdays"])
            )
        else:
            pattern = SchedulePattern(
                MONTHLY,
                cleaned["schedule_months_apart"],
                (cleaned["schedule_weekday"],),
                int(cleaned["schedule_week_of_month"]),
            )
        if end == ON_DATE:
            pattern = replace(pattern, ends_on=cleaned["schedule_ends_on"])
        elif end == AFTER_COUNT:
            pattern = replace(pattern, count=cleaned["schedule_meeting_count"])
        rule = pattern.as_rule()
        # The builder only offers what the checks accept; this keeps that true.
        validate_rrule(rule)
        if not self._ends_after_it_starts(pattern, rule, cleaned):
            return None
        if pattern == pattern_from_rule(self.rule_before):
            # The same schedule, however its rule was written: saving it changes no calendar.
            return self.rule_before
        return rule

    def _ends_after_it_starts(self, pattern: SchedulePattern, rule: str, cleaned) -> bool:
        starts_on = cleaned.get("schedule_starts_on")
        if pattern.ends_on is None or starts_on is None:
            return True
        if pattern.ends_on < starts_on:
            self.add_error(
                "schedule_ends_on",
                "The date of the last meeting must be on or after the date the series starts",
            )
            return False
        anchor = datetime.combine(starts_on, cleaned.get("schedule_time") or time.min)
        if rrulestr(rule, dtstart=anchor).after(anchor, inc=True) is None:
            self.add_error(
                "schedule_ends_on",
                "The series would end before its first meeting: enter a later date",
            )
            return False
        return True

    def preview(self, count: int = 12) -> list[PreviewOccurrence]:
        """The next meetings the schedule as entered would make, in UK time, each marked when
        the clocks have changed since the one before."""
        data = self.cleaned_data
        rule = self.cleaned_rule()
        starts_on, at = data.get("schedule_starts_on"), data.get("schedule_time")
        if not rule or starts_on is None or at is None:
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

    def schedule_errors(self) -> list[str]:
        """What stops the schedule making meetings, for the preview to say."""
        return [
            error
            for name in _BUILDER_FIELDS
            if name in self.fields
            for error in self.errors.get(name, [])
        ]

    def _get_validation_exclusions(self):
        # Both are filled from the kind in clean(); with no kind chosen, the kind's own error
        # is the one to show.
        return super()._get_validation_exclusions() | {"level", "discusses_cases"}


def _builder_initial(pattern: SchedulePattern) -> dict:
    """The builder's answers that write this pattern's rule."""
    if pattern.frequency == WEEKLY:
        initial = {
            "schedule_pattern": WEEKLY,
            "schedule_weeks_apart": pattern.interval,
            "schedule_weekdays": list(pattern.weekdays),
        }
    else:
        initial = {
            "schedule_pattern": MONTHLY,
            "schedule_months_apart": pattern.interval,
            "schedule_week_of_month": str(pattern.position),
            "schedule_weekday": pattern.weekdays[0],
        }
    if pattern.ends_on is not None:
        initial.update(schedule_end=ON_DATE, schedule_ends_on=pattern.ends_on)
    elif pattern.count is not None:
        initial.update(schedule_end=AFTER_COUNT, schedule_meeting_count=pattern.count)
    else:
        initial["schedule_end"] = NEVER
    return initial

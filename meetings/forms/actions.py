"""Forms to give, update, close and review actions."""

from django import forms

from agencies.models import Agency, User
from core.forms import (
    AutocompleteSelect,
    GovukForm,
    NamedModelChoiceField,
    ParagraphsField,
    PlannedDateField,
)
from meetings.forms.fields import active_agencies, active_people, person_label
from meetings.models import ActionStatus, AgendaItem, Closure
from meetings.services import STILL_OPEN


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
        label="Owner",
        queryset=User.objects.none(),
        widget=AutocompleteSelect,
        required=False,
        empty_label="No named person",
    )
    owner_agency = NamedModelChoiceField(
        label="Owning agency",
        queryset=Agency.objects.none(),
        label_from="name",
        widget=AutocompleteSelect,
        required=False,
        empty_label="The owner's agency",
    )
    due_on = PlannedDateField(
        label="Due date",
        error_messages={"required": "Enter the due date"},
    )

    def __init__(self, *args, meeting, agenda_items, whole_meeting=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
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
        self.fields["owner"].queryset = active_people()
        self.fields["owner"].label_from_instance = person_label
        self.fields["owner_agency"].queryset = active_agencies()

    def clean(self):
        cleaned = super().clean()
        owner, agency = cleaned.get("owner"), cleaned.get("owner_agency")
        if owner is None and agency is None and not self.has_error("owner"):
            self.add_error("owner", "Choose who owns the action: a person, an agency or both")
        if owner and agency and owner.agency_id != agency.pk:
            self.add_error("owner_agency", f"Choose {owner.full_name}'s agency, or no agency")
        item = cleaned.get("agenda_item")
        if (
            item is not None
            and item.case_id is not None
            and self.meeting.forum.is_marac
            and agency is None
            and (owner is None or owner.agency_id is None)
            and not self.has_error("owner")
        ):
            self.add_error(
                "owner_agency",
                "Choose the agency that owns this action: each action in a MARAC action plan "
                "has one",
            )
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

"""The form recording what a MARAC decided about a case it heard."""

from django import forms

from agencies.models import Agency
from core.forms import (
    GovukForm,
    NamedModelChoiceField,
    ParagraphsField,
    RevealingRadioSelect,
    SingleLineField,
)
from meetings.forms.fields import active_agencies
from meetings.models import CaseHearing, HearingOutcome

ALLOCATED = "yes"
NOT_ALLOCATED = "no"


class CaseHearingForm(GovukForm):
    title = "Record the outcome of this case"
    submit_label = "Save the outcome"

    outcome = forms.ChoiceField(
        label="What did the MARAC decide?",
        choices=HearingOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the outcome for this case",
            "invalid_choice": "Choose the outcome from the list",
        },
    )
    referring_agency = NamedModelChoiceField(
        label="Which agency referred the case to the MARAC?",
        queryset=Agency.objects.none(),
        label_from="name",
        error_messages={
            "required": "Choose the agency that referred the case",
            "invalid_choice": "Choose the agency that referred the case from the list",
        },
    )
    idva_allocated = forms.ChoiceField(
        label="Is an IDVA allocated?",
        help_text="An independent domestic violence adviser supporting the person.",
        choices=[(ALLOCATED, "Yes"), (NOT_ALLOCATED, "No")],
        widget=RevealingRadioSelect(reveals={ALLOCATED: ("idva_agency", "idva_name")}),
        error_messages={
            "required": "Choose whether an IDVA is allocated",
            "invalid_choice": "Choose yes or no",
        },
    )
    idva_agency = NamedModelChoiceField(
        label="The IDVA's agency",
        queryset=Agency.objects.none(),
        label_from="name",
        required=False,
        error_messages={"invalid_choice": "Choose the IDVA's agency from the list"},
    )
    idva_name = SingleLineField(label="The IDVA's name (optional)", required=False, max_length=150)
    notes = ParagraphsField(
        label="Notes (optional)",
        required=False,
        help_text="Why the MARAC decided this. The action plan is recorded as actions.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, hearing: CaseHearing | None = None, **kwargs):
        if hearing is not None:
            kwargs.setdefault(
                "initial",
                {
                    "outcome": hearing.outcome,
                    "referring_agency": hearing.referring_agency_id,
                    "idva_allocated": ALLOCATED if hearing.idva_allocated else NOT_ALLOCATED,
                    "idva_agency": hearing.idva_agency_id,
                    "idva_name": hearing.idva_name,
                    "notes": hearing.notes,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["referring_agency"].queryset = active_agencies()
        self.fields["idva_agency"].queryset = active_agencies()

    def clean(self):
        cleaned = super().clean()
        allocated = cleaned.get("idva_allocated") == ALLOCATED
        cleaned["idva_allocated"] = allocated
        if not allocated:
            # Hidden beneath "No" (or shown without JavaScript): not read.
            cleaned["idva_agency"], cleaned["idva_name"] = None, ""
        elif cleaned.get("idva_agency") is None and not self.has_error("idva_agency"):
            self.add_error("idva_agency", "Choose the agency of the IDVA allocated")
        return cleaned

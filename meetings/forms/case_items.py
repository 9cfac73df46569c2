"""Forms to put a case on a meeting's agenda and to share it later, through sharing's gate."""

from django import forms

from core.forms import AutocompleteSelect, SingleLineField
from sharing.forms import ReleaseForm
from sharing.models import Case, Purpose
from sharing.selectors import open_cases_changeable_by

# The usual purpose of discussing a case at each kind of forum; the officer may choose another.
_PURPOSE_OF_FORUM_KIND = {"marac": Purpose.RISK_ASSESSMENT, "taf": Purpose.EARLY_HELP}


class CaseItemForm(ReleaseForm):
    """A case on the agenda: which case, and the record of the decision to share it with every
    agency attending (how is always "at a meeting")."""

    title = "Add a case to the agenda"
    submit_label = "Check consent and add to the agenda"

    method = None
    case = forms.ModelChoiceField(
        label="Case",
        queryset=Case.objects.none(),
        widget=AutocompleteSelect,
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


class CaseItemShareForm(ReleaseForm):
    """The decision to share an already listed case with agencies invited since."""

    title = "Share this case with the agencies not yet covered"
    submit_label = "Check consent and share"

    method = None
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

"""Forms for agenda items and their papers."""

from django import forms

from core.forms import (
    AutocompleteSelect,
    GovukForm,
    GovukModelForm,
    MarkdownField,
    SingleLineField,
)
from meetings.forms.fields import MARKDOWN_HINT, active_people, person_label
from meetings.models import AgendaItem
from meetings.papers import ALLOWED_DESCRIPTION, PaperRefused, check_paper, max_paper_bytes


class AgendaItemForm(GovukModelForm):
    submit_label = "Save agenda item"

    class Meta:
        model = AgendaItem
        fields = ["title", "description", "presenter"]
        field_classes = {"title": SingleLineField, "description": MarkdownField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "presenter": AutocompleteSelect,
        }
        help_texts = {"description": MARKDOWN_HINT}
        error_messages = {"title": {"required": "Enter the agenda item's title"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "Change agenda item" if self.instance.pk else "Add an agenda item"
        self.fields["presenter"].queryset = active_people()
        self.fields["presenter"].label_from_instance = person_label
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

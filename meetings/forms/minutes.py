"""Forms to write and correct minutes."""

from django import forms

from core.forms import GovukForm, MarkdownField, ParagraphsField
from meetings.forms.fields import MARKDOWN_HINT


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

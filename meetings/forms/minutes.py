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


class MinutesCommentForm(GovukForm):
    title = "Comment on the minutes"
    submit_label = "Send comment"

    text = ParagraphsField(
        label="Your comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Say what should change and why. The chair resolves each comment before the "
        "minutes are approved.",
        error_messages={"required": "Enter your comment"},
    )


class ResolveCommentForm(GovukForm):
    title = "Resolve a comment on the minutes"
    submit_label = "Resolve comment"

    resolution = ParagraphsField(
        label="How it was resolved",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, the minutes were changed to say so, or why they stay as they are.",
        error_messages={"required": "Say how the comment was resolved"},
    )

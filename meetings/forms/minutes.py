"""Forms to write and correct minutes."""

from django import forms

from core.forms import GovukForm, MarkdownField, ParagraphsField
from meetings.forms.fields import MARKDOWN_HINT

CASE_PART_PREFIX = "case_part_"


class CasePartsMixin:
    """A text area per case item of the meeting, labelled by its case reference (never a
    name): what the minutes say about that case, released only to the agencies given it.
    `case_items` are the meeting's case items with their case loaded."""

    def add_case_parts(self, case_items) -> None:
        for item in case_items:
            self.fields[f"{CASE_PART_PREFIX}{item.pk}"] = MarkdownField(
                label=f"Case {item.case.reference}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 8}),
                help_text="Goes only to the agencies this case was shared with at the meeting. "
                "Leave it blank if nothing about this case is minuted.",
            )

    def case_parts(self) -> dict[int, str]:
        return {
            int(name.removeprefix(CASE_PART_PREFIX)): value
            for name, value in self.cleaned_data.items()
            if name.startswith(CASE_PART_PREFIX)
        }


GENERAL_PART_HINT = (
    "Everyone invited reads this part: say nothing here about any case. " + MARKDOWN_HINT
)


class MinutesForm(CasePartsMixin, GovukForm):
    title = "Write the minutes"
    submit_label = "Save draft"

    body = MarkdownField(
        label="Minutes",
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=MARKDOWN_HINT,
        error_messages={"required": "Enter the minutes"},
    )

    def __init__(self, *args, case_items=(), **kwargs):
        super().__init__(*args, **kwargs)
        if case_items:
            self.fields["body"].label = "General part"
            self.fields["body"].help_text = GENERAL_PART_HINT
            self.fields["body"].widget.attrs["rows"] = 12
        self.add_case_parts(case_items)


class CorrectionForm(CasePartsMixin, GovukForm):
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

    def __init__(self, *args, case_items=(), **kwargs):
        super().__init__(*args, **kwargs)
        if case_items:
            self.fields["body"].label = "Corrected general part"
            self.fields["body"].help_text = GENERAL_PART_HINT
            self.fields["body"].widget.attrs["rows"] = 12
        self.add_case_parts(case_items)


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

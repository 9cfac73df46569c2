"""The legal hold forms on a case: placing a hold and lifting it each need a reason."""

from core.forms import GovukForm, ParagraphsField


class LegalHoldForm(GovukForm):
    title = "Place the case on legal hold"
    submit_label = "Place on legal hold"

    reason = ParagraphsField(
        label="Why is the case being held?",
        help_text="For example, the claim, inquiry or review that needs the record kept. "
        "Nothing about the case is erased under retention while it is held.",
        error_messages={"required": "Enter why the case is being placed on legal hold"},
    )


class LiftLegalHoldForm(GovukForm):
    title = "Lift the legal hold"
    submit_label = "Lift legal hold"

    reason = ParagraphsField(
        label="Why is the hold being lifted?",
        help_text="Once lifted, the retention schedule applies to the case again.",
        error_messages={"required": "Enter why the legal hold is being lifted"},
    )

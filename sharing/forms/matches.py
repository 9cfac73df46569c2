"""The reason an officer gives for opening a case when one may already exist for the person."""

from core.forms import GovukForm, ParagraphsField


class WhyNewCaseForm(GovukForm):
    """Shown under the likely matches on the new-case page; the rule that it is needed is
    `open_case`'s, which refuses at this field."""

    why_new_case = ParagraphsField(
        label="Why open a new case?",
        help_text=(
            "For example, a different person with the same name and date of birth. Your reason "
            "is kept as a note on the new case."
        ),
        max_length=2000,
        required=False,
    )

    def ask(self) -> None:
        """Shown under likely matches, the question is not optional (`open_case` refuses without
        an answer); it is validated as optional because without a match nobody is asked, and
        before it is marked as needed, so a page whose other fields still need correcting does
        not also find this one wanting."""
        self.is_valid()
        self.fields["why_new_case"].required = True

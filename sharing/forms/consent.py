"""Forms for consent requests, the Authority's decisions, written consents and disclosures."""

from django import forms
from django.utils import timezone

from agencies.models import Agency, Contact
from core.forms import (
    AutocompleteSelect,
    ConsentDateField,
    GovukForm,
    MarkdownField,
    NamedModelChoiceField,
    ParagraphsField,
    PastDateField,
    RecordsField,
    SingleLineField,
)
from sharing.models import (
    ConsentUrgency,
    DataCategory,
    DisclosureMethod,
    LawfulBasis,
    PersonTold,
    Purpose,
    SpecialCategoryCondition,
)
from sharing.selectors import officers
from sharing.services import DecisionRecord, agreements_only_warn


def _active_agencies():
    return Agency.objects.filter(is_active=True).order_by("name")


class _ScopeFields(forms.Form):
    recipients = RecordsField(
        label="Agencies it may be shared with",
        queryset=_active_agencies(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one agency"},
    )
    purposes = forms.MultipleChoiceField(
        label="Purposes",
        choices=Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one purpose"},
    )
    categories = forms.MultipleChoiceField(
        label="Information it covers",
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one kind of information"},
    )


class ConsentRequestForm(GovukForm, _ScopeFields):
    title = "Ask the Authority for consent"
    submit_label = "Send request to the Authority"

    necessity = ParagraphsField(
        label="Why sharing is necessary",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What each agency needs to know, and why, so the Authority can decide.",
        error_messages={"required": "Say why sharing is necessary"},
    )
    urgency = forms.ChoiceField(
        label="How urgent is it?",
        choices=ConsentUrgency.choices,
        initial=ConsentUrgency.STANDARD,
        widget=forms.RadioSelect,
        required=False,
        help_text="The Authority aims to decide urgent requests within a working day.",
    )
    wanted_until = ConsentDateField(
        label="Consent needed until",
        required=False,
        help_text="Leave empty for the Authority's usual period.",
    )

    def clean_urgency(self):
        # A request is standard unless the officer says it is urgent.
        return self.cleaned_data["urgency"] or ConsentUrgency.STANDARD

    def clean_wanted_until(self):
        wanted = self.cleaned_data["wanted_until"]
        if wanted and wanted <= timezone.localdate():
            raise forms.ValidationError("The date consent is needed until must be in the future")
        return wanted


class ConsentDecisionForm(GovukForm, _ScopeFields):
    title = "Decide on this request"
    submit_label = "Record decision"

    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            ("grant", "Grant consent as asked"),
            ("narrow", "Grant consent for part of it (untick what is not allowed)"),
            ("refuse", "Refuse consent"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision"},
    )
    valid_until = ConsentDateField(
        label="Consent valid until",
        required=False,
        help_text="Leave empty for the date asked for, or the usual period.",
    )
    reason = ParagraphsField(
        label="Reasons",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required when refusing or granting in part.",
    )

    def __init__(self, *args, request, **kwargs):
        self.consent_request = request
        super().__init__(*args, **kwargs)
        self.fields["recipients"].required = False
        self.fields["purposes"].required = False
        self.fields["categories"].required = False
        self.fields["recipients"].queryset = request.recipients.all()
        self.fields["purposes"].choices = [(p, Purpose(p).label) for p in request.purposes]
        self.fields["categories"].choices = [(c, DataCategory(c).label) for c in request.categories]
        if not self.is_bound:
            self.initial.update(
                recipients=list(request.recipients.all()),
                purposes=request.purposes,
                categories=request.categories,
            )

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision in {"refuse", "narrow"} and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Give the reasons for the decision")
        if decision in {"grant", "narrow"}:
            for name, message in {
                "recipients": "Keep at least one agency",
                "purposes": "Keep at least one purpose",
                "categories": "Keep at least one kind of information",
            }.items():
                if not cleaned.get(name):
                    self.add_error(name, message)
        if cleaned.get("valid_until") and cleaned["valid_until"] <= timezone.localdate():
            self.add_error("valid_until", "The date consent is valid until must be in the future")
        return cleaned


class WrittenConsentForm(GovukForm, _ScopeFields):
    title = "Record consent the Authority gave in writing"
    submit_label = "Record consent"

    granted_by_official = SingleLineField(
        label="Authority official who granted it",
        max_length=200,
        help_text="Name and role, as on the letter or e-mail.",
        error_messages={"required": "Enter the name of the Authority official"},
    )
    granted_on = ConsentDateField(
        label="Date of the letter or e-mail",
        latest=0,
        error_messages={"required": "Enter the date consent was given"},
    )
    authority_reference = SingleLineField(
        label="The Authority's reference", max_length=100, required=False
    )
    valid_from = ConsentDateField(
        label="Valid from",
        error_messages={"required": "Enter the date consent starts"},
    )
    valid_until = ConsentDateField(
        label="Valid until",
        error_messages={"required": "Enter the date consent ends"},
    )
    evidence = forms.FileField(
        label="The letter or e-mail",
        help_text="A PDF, PNG or JPEG image, or an e-mail saved as .eml or .msg. Up to 10 MB.",
        error_messages={"required": "Choose the letter or e-mail to upload"},
    )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("valid_from"), cleaned.get("valid_until")
        if starts and ends and ends <= starts:
            self.add_error("valid_until", "The date consent ends must be after the date it starts")
        return cleaned


class RevokeConsentForm(GovukForm):
    title = "Revoke this consent"
    submit_label = "Revoke consent"

    reason = ParagraphsField(
        label="Why the consent is revoked",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for revoking the consent"},
    )


class ReleaseForm(GovukForm):
    """What is released, why, how, and the record of the decision: asked whenever information
    about a case leaves the team, whether as a referral or any other disclosure."""

    purpose = forms.ChoiceField(
        label="Purpose",
        choices=[("", "Choose a purpose"), *Purpose.choices],
        error_messages={"required": "Choose the purpose"},
    )
    categories = forms.MultipleChoiceField(
        label="What you are sharing",
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose what you are sharing"},
    )
    content = MarkdownField(
        label="Exactly what is shared",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="This text is kept as the record of what was released.",
        error_messages={"required": "Enter exactly what is being shared"},
    )
    method = forms.ChoiceField(
        label="How",
        choices=DisclosureMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it is shared"},
    )
    necessity = ParagraphsField(
        label="Why sharing is necessary and proportionate",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why sharing is necessary and proportionate"},
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis (UK GDPR Article 6)",
        choices=[("", "Choose the lawful basis"), *LawfulBasis.choices],
        help_text="The Authority's consent is permission to release, not the lawful basis.",
        error_messages={"required": "Choose the lawful basis"},
    )
    special_category_condition = forms.ChoiceField(
        label="Condition for health or other special-category information",
        choices=SpecialCategoryCondition.choices,
        initial=SpecialCategoryCondition.NOT_APPLICABLE,
    )
    person_told = forms.ChoiceField(
        label="Was the person told?",
        choices=PersonTold.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the person was told"},
    )
    person_not_told_reason = ParagraphsField(
        label="Why they were not told", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    decided_by = forms.ModelChoiceField(
        label="Who decided to share",
        queryset=officers(),
        widget=AutocompleteSelect,
        required=False,
        empty_label="I did",
        help_text="If a manager or colleague made the decision, choose them. You are recorded as "
        "the person who released it.",
    )

    @property
    def agreement_rule(self) -> str:
        """Which rule applies to an agency without a current information sharing agreement."""
        outcome = "allowed, with a warning" if agreements_only_warn() else "refused"
        return (
            "Sharing with an agency whose information sharing agreement is missing or past its "
            f"review date is {outcome}."
        )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("person_told") == PersonTold.NOT_TOLD_OTHER
            and not (cleaned.get("person_not_told_reason") or "").strip()
        ):
            self.add_error("person_not_told_reason", "Say why the person was not told")
        return cleaned

    def record_of_decision(self, releaser) -> DecisionRecord:
        """The decision behind the release: made by `releaser` unless the form names someone."""
        data = self.cleaned_data
        return DecisionRecord(
            necessity=data["necessity"],
            lawful_basis=data["lawful_basis"],
            special_category_condition=data["special_category_condition"],
            person_told=data["person_told"],
            person_not_told_reason=data.get("person_not_told_reason", ""),
            decided_by=data.get("decided_by") or releaser,
            categories=tuple(data["categories"]),
        )

    def release(self, releaser) -> dict:
        """The keyword arguments `disclose()` takes for what this form describes."""
        data = self.cleaned_data
        return {
            "purpose": data["purpose"],
            "categories": data["categories"],
            "content": data["content"],
            "method": data["method"],
            "record_of_decision": self.record_of_decision(releaser),
        }


class DisclosureForm(ReleaseForm):
    title = "Share information about this case"
    submit_label = "Share and record"

    recipient = NamedModelChoiceField(
        label="Agency",
        queryset=_active_agencies(),
        label_from="name",
        widget=AutocompleteSelect,
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency you are sharing with"},
    )
    recipient_contact = forms.ModelChoiceField(
        label="Named person at the agency",
        queryset=Contact.objects.none(),
        widget=AutocompleteSelect,
        required=False,
        empty_label="No named person",
    )

    field_order = ["recipient", "recipient_contact"]

    def __init__(self, *args, case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        self.fields["recipient_contact"].queryset = Contact.objects.filter(
            is_active=True
        ).select_related("agency")
        self.fields["recipient_contact"].label_from_instance = lambda contact: (
            f"{contact.full_name}, {contact.agency.name}"
        )

    def clean(self):
        cleaned = super().clean()
        contact, recipient = cleaned.get("recipient_contact"), cleaned.get("recipient")
        if contact and recipient and contact.agency_id != recipient.pk:
            self.add_error(
                "recipient_contact", "Choose a person who works at the agency you are sharing with"
            )
        return cleaned


class DecisionNotToShareForm(GovukForm):
    title = "Record a decision not to share"
    submit_label = "Record decision"

    requested_by_agency = NamedModelChoiceField(
        label="Agency that asked",
        queryset=_active_agencies(),
        label_from="name",
        widget=AutocompleteSelect,
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency that asked"},
    )
    requested_by_person = SingleLineField(label="Who asked", max_length=200, required=False)
    requested_categories = forms.MultipleChoiceField(
        label="What they asked for",
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    what_was_asked_for = ParagraphsField(
        label="Their request in their words",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what was asked for"},
    )
    reason = ParagraphsField(
        label="Why it is not being shared",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for not sharing"},
    )
    lawful_basis_considered = forms.ChoiceField(
        label="Lawful basis considered",
        required=False,
        choices=[("", "None"), *LawfulBasis.choices],
    )
    advice_sought = ParagraphsField(
        label="Advice sought", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CorrectionNoticeForm(GovukForm):
    title = "Tell the agencies that received the old information"
    submit_label = "Record who was told"

    recipients = RecordsField(
        label="Agencies told about the correction",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the agencies you told"},
    )
    how_told = SingleLineField(
        label="How they were told",
        max_length=200,
        help_text="For example, secure e-mail to the named contact.",
        error_messages={"required": "Say how the agencies were told"},
    )
    told_on = PastDateField(
        label="Date they were told",
        error_messages={"required": "Enter the date they were told"},
    )

    def __init__(self, *args, recipients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = recipients


class AmendConsentForm(GovukForm, _ScopeFields):
    title = "Narrow or extend this consent"
    submit_label = "Record the new version"

    valid_until = ConsentDateField(
        label="Valid until",
        error_messages={"required": "Enter the date the consent ends"},
    )
    reason = ParagraphsField(
        label="Why it changes",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the consent changes"},
    )

    def __init__(self, *args, consent, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(
                recipients=list(consent.recipients.all()),
                purposes=consent.purposes,
                categories=consent.categories,
                valid_until=timezone.localtime(consent.valid_until).date(),
            )

    def clean_valid_until(self):
        valid_until = self.cleaned_data["valid_until"]
        if valid_until < timezone.localdate():
            raise forms.ValidationError("The date the consent ends must be today or in the future")
        return valid_until

"""Forms for cases, household members, indicators, notes, escalations and referrals."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils import timezone

from agencies.models import Agency, Contact
from core.forms import (
    AutocompleteSelect,
    CountryField,
    DateAndTimeField,
    DateInput,
    DateOfBirthField,
    GovukForm,
    GovukModelForm,
    LanguageField,
    MarkdownField,
    ParagraphsField,
    PastDateField,
    PlannedDateField,
    RecordsField,
    RevealingRadioSelect,
    SingleLineField,
    WholeNumberField,
    parse_id,
)
from core.roles import Role
from sharing import selectors, snapshots
from sharing.forms.consent import ReleaseForm
from sharing.models import (
    DASH_HIGHEST_SCORE,
    MARAC_KIND,
    Case,
    CaseIndicator,
    ClosureReason,
    DataCategory,
    EscalationCriterion,
    EscalationDecision,
    HouseholdMember,
    HouseholdType,
    IndicatorCategory,
    Referral,
    ReferralKind,
    ReferralStatus,
    VulnerabilityIndicator,
    marac_detail_errors,
)
from sharing.services.delivery import proposed_route as delivery_route_proposed

MARKDOWN_HINT = (
    "You can use Markdown: a blank line between paragraphs, **bold**, *italic*, "
    "- for a bulleted list and [words](https://example.org) for a link."
)


def _radio_choices(field):
    """A model field's choices without Django's blank "---------" entry."""
    field.choices = [(value, label) for value, label in field.choices if value != ""]


def _require(form, messages: dict[str, str]):
    for name, message in messages.items():
        form.fields[name].error_messages["required"] = message


class CaseForm(GovukModelForm):
    title = "Open a case"
    submit_label = "Open case"

    nationality = CountryField(label="Nationality")
    language = LanguageField(
        label="Main language", help_text="Type its name, or the name it is also known by."
    )

    class Meta:
        model = Case
        fields = [
            "given_names",
            "family_name",
            "date_of_birth",
            "sex_or_gender",
            "nationality",
            "language",
            "interpreter_needed",
            "authority_reference",
            "support_type",
            "accommodation_type",
            "address",
            "postcode",
            "local_authority",
            "household_type",
            "concern_source",
            "concern_received_on",
            "user_agreement",
            "user_agreement_on",
            "user_agreement_method",
            "risk_level",
            "assigned_officers",
        ]
        field_classes = {
            "given_names": SingleLineField,
            "family_name": SingleLineField,
            "date_of_birth": DateOfBirthField,
            "sex_or_gender": SingleLineField,
            "authority_reference": SingleLineField,
            "address": ParagraphsField,
            "postcode": SingleLineField,
            "concern_received_on": PastDateField,
            "user_agreement_on": PastDateField,
            "assigned_officers": RecordsField,
        }
        widgets = {
            "local_authority": AutocompleteSelect,
            "date_of_birth": DateInput,
            "concern_received_on": DateInput,
            "user_agreement_on": DateInput,
            "support_type": forms.RadioSelect,
            "accommodation_type": forms.RadioSelect,
            "household_type": forms.RadioSelect,
            "user_agreement": forms.RadioSelect,
            "risk_level": forms.RadioSelect,
            "assigned_officers": forms.CheckboxSelectMultiple,
            "address": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "user_agreement": (
                "The person's own agreement. It is recorded, but only the Authority's written "
                "consent allows information to be shared."
            ),
            "household_type": "A single household is one adult. Choose family if anyone lives with them.",
        }

    def __init__(self, *args, can_assign: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.title = f"Change case {self.instance.reference}"
            self.submit_label = "Save changes"
            self.fields["nationality"].keep_recorded(self.instance.nationality)
            self.fields["language"].keep_recorded(self.instance.language)
        for name in (
            "support_type",
            "accommodation_type",
            "household_type",
            "user_agreement",
            "risk_level",
        ):
            _radio_choices(self.fields[name])
        self.fields["local_authority"].queryset = self.fields["local_authority"].queryset.filter(
            is_active=True
        )
        self.fields["local_authority"].empty_label = "Choose a local authority"
        self.fields["concern_source"].queryset = self.fields["concern_source"].queryset.filter(
            is_active=True
        )
        self.fields["concern_source"].empty_label = "Choose where the concern came from"
        self.fields["user_agreement_method"].choices = [
            ("", "Choose how"),
            *[(v, label) for v, label in self.fields["user_agreement_method"].choices if v],
        ]
        if can_assign:
            self.fields["assigned_officers"].queryset = selectors.officers()
            self.fields["assigned_officers"].required = True
            self.fields["assigned_officers"].label_from_instance = lambda user: user.full_name
        else:
            del self.fields["assigned_officers"]
        _require(
            self,
            {
                "given_names": "Enter the person's given names",
                "family_name": "Enter the person's family name",
                "date_of_birth": "Enter the person's date of birth",
                "support_type": "Choose the type of support",
                "accommodation_type": "Choose the type of accommodation",
                "local_authority": "Choose the local authority they live in",
                "household_type": "Choose single or family",
                "concern_source": "Choose where the concern came from",
                "concern_received_on": "Enter the date the concern was received",
                "user_agreement": "Choose whether they agreed to be referred",
                "risk_level": "Choose a risk level",
            },
        )
        if "assigned_officers" in self.fields:
            self.fields["assigned_officers"].error_messages["required"] = (
                "Choose at least one officer"
            )
        for name in ("date_of_birth", "concern_received_on", "user_agreement_on"):
            self.fields[name].error_messages["invalid"] = "Enter a real date"


# What a correction notice may say was corrected: the case form's facts and its household. The
# names arrive in the corrections page's query string, so anything else is dropped, not stored.
CORRECTABLE_FIELDS = frozenset(CaseForm.base_fields) | {"household_members"}


class HouseholdMemberForm(forms.ModelForm):
    class Meta:
        model = HouseholdMember
        fields = ["full_name", "relationship", "date_of_birth"]
        field_classes = {
            "full_name": SingleLineField,
            "relationship": SingleLineField,
            "date_of_birth": DateOfBirthField,
        }
        widgets = {"date_of_birth": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _require(
            self,
            {
                "full_name": "Enter the household member's full name",
                "relationship": "Enter their relationship to the service user",
                "date_of_birth": "Enter the household member's date of birth",
            },
        )
        self.fields["date_of_birth"].error_messages["invalid"] = "Enter a real date"
        if "DELETE" in self.fields:
            self.fields["DELETE"].label = "Remove this person"


# One blank row to start; "Add another member" adds more (sharing/views/cases.py). A row not
# yet saved is taken away with its "Remove" button, so only saved members have a remove box.
HouseholdFormSet = inlineformset_factory(
    Case,
    HouseholdMember,
    form=HouseholdMemberForm,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
    max_num=20,
)


def check_household(case_form: CaseForm, household) -> bool:
    """A single household has nobody else in it; say so at the household field."""
    if case_form.cleaned_data.get("household_type") != HouseholdType.SINGLE:
        return True
    deleted = household.deleted_forms
    remaining = [
        form
        for form in household.forms
        if form not in deleted and (form.instance.pk or form.has_changed())
    ]
    if remaining:
        case_form.add_error(
            "household_type",
            "A single household has no other members. Choose family, or remove the members",
        )
        return False
    return True


def _within_a_sentence(name: str) -> str:
    """A name that starts a list's line, as it reads within a sentence: "Domestic abuse" becomes
    "domestic abuse"; an initialism ("LGBTQI+ ...") stays as it is."""
    return name if name[:2].isupper() else name[:1].lower() + name[1:]


class NewCaseIndicatorsForm(GovukForm):
    """The vulnerability indicators identified when a case is opened: a box for each indicator
    of the matrix, grouped by category, and beneath each the date it was identified."""

    indicators = RecordsField(
        label="Vulnerability indicators",
        queryset=VulnerabilityIndicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose indicators from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offered = VulnerabilityIndicator.objects.filter(is_active=True)
        self.fields["indicators"].queryset = offered
        for indicator in offered:
            named = _within_a_sentence(indicator.name)
            # Required, so that it is not labelled optional: clean() drops the refusal of a
            # date beneath a box left unticked.
            date_field = PastDateField(label=f"Date identified: {indicator.name}")
            date_field.error_messages["required"] = f"Enter the date {named} was identified"
            date_field.too_late_message = (
                f"The date {named} was identified must be today or in the past"
            )
            self.fields[self.date_field_name(indicator)] = date_field

    @staticmethod
    def date_field_name(indicator: VulnerabilityIndicator) -> str:
        return f"identified_on_{indicator.code}"

    def by_category(self) -> list[tuple[str, list]]:
        """(category, [(box, date field), ...]) in the matrix's order of categories."""
        groups = {}
        for box in self["indicators"]:
            indicator = box.data["value"].instance
            groups.setdefault(indicator.category, []).append(
                (box, self[self.date_field_name(indicator)])
            )
        return [
            (label, groups[category])
            for category, label in IndicatorCategory.choices
            if category in groups
        ]

    def clean(self):
        ticked = self.cleaned_data.get("indicators") or []
        wanted = {self.date_field_name(indicator) for indicator in ticked}
        # Without JavaScript every date shows; one beneath an unticked box is not read.
        for name in list(self.errors):
            if name.startswith("identified_on_") and name not in wanted:
                del self.errors[name]
        return self.cleaned_data

    def case_indicators(self, case: Case) -> list[CaseIndicator]:
        return [
            CaseIndicator(
                case=case,
                indicator=indicator,
                identified_on=self.cleaned_data[self.date_field_name(indicator)],
            )
            for indicator in self.cleaned_data["indicators"]
        ]


def check_indicators(case_form: CaseForm, indicators_form: NewCaseIndicatorsForm) -> bool:
    """Each indicator's date held to the rules of CaseIndicator.clean() (not before the person
    was born), said at that indicator's date."""
    valid = True
    for case_indicator in indicators_form.case_indicators(case_form.instance):
        try:
            case_indicator.clean()
        except ValidationError as refusal:
            name = indicators_form.date_field_name(case_indicator.indicator)
            indicators_form.add_error(name, refusal.messages)
            valid = False
    return valid


class CaseCloseForm(GovukForm):
    title = "Close the case"
    submit_label = "Close case"

    closure_reason = forms.ChoiceField(
        label="Why is the case closing?",
        choices=ClosureReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the case is closing"},
    )


class CaseNoteForm(GovukForm):
    title = "Add a note"
    submit_label = "Add note"

    text = MarkdownField(
        label="Note",
        help_text=MARKDOWN_HINT,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Enter the note"},
    )


class CaseIndicatorForm(GovukModelForm):
    title = "Add a vulnerability indicator"
    submit_label = "Add indicator"

    class Meta:
        model = CaseIndicator
        fields = ["indicator", "identified_on", "notes"]
        field_classes = {"identified_on": PastDateField, "notes": ParagraphsField}
        widgets = {
            "indicator": AutocompleteSelect,
            "identified_on": DateInput,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, case: Case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        self.instance.case = case
        self.fields["indicator"].queryset = VulnerabilityIndicator.objects.filter(is_active=True)
        self.fields["indicator"].empty_label = "Choose an indicator"
        self.fields["indicator"].label_from_instance = lambda indicator: (
            f"{indicator.code} – {indicator.name}"
        )
        self.fields["identified_on"].initial = timezone.localdate()
        _require(
            self,
            {
                "indicator": "Choose an indicator",
                "identified_on": "Enter the date it was identified",
            },
        )
        self.fields["identified_on"].error_messages["invalid"] = "Enter a real date"

    def clean_indicator(self):
        indicator = self.cleaned_data["indicator"]
        if CaseIndicator.objects.filter(
            case=self.case, indicator=indicator, ended_on__isnull=True
        ).exists():
            raise forms.ValidationError("This indicator is already recorded on the case")
        return indicator


class EndIndicatorForm(GovukForm):
    title = "Record that an indicator stopped applying"
    submit_label = "Save"

    ended_on = PastDateField(
        label="Date it stopped applying",
        error_messages={
            "required": "Enter the date it stopped applying",
        },
    )

    def __init__(self, *args, case_indicator: CaseIndicator, **kwargs):
        self.case_indicator = case_indicator
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()

    def clean_ended_on(self):
        ended_on = self.cleaned_data["ended_on"]
        if ended_on < self.case_indicator.identified_on:
            raise forms.ValidationError(
                "Date it stopped applying must be on or after the date it was identified"
            )
        return ended_on


class EscalationForm(GovukForm):
    title = "Escalate to a manager"
    submit_label = "Escalate"

    reason = ParagraphsField(
        label="Why are you escalating this case?",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter why you are escalating the case"},
    )


class EscalationDecisionForm(GovukForm):
    title = "Record the decision"
    submit_label = "Record decision"

    decision = forms.ChoiceField(
        label="Decision",
        choices=EscalationDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision"},
    )
    decision_notes = ParagraphsField(
        label="Notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


# What a MARAC referral records, shown beneath the MARAC choice of kind.
MARAC_FIELDS = (
    "dash_score",
    "professional_judgement",
    "professional_judgement_reason",
    "escalation_criterion",
)


# Choosing an agency or a kind posts the form to its page, which saves nothing and sends back
# that agency's contacts and what consent covers, swapped in where they are shown; without
# JavaScript the "Show this agency's contacts" button does the same.
_NARROWS_THE_PAGE = {
    "hx-post": "",
    "hx-trigger": "change",
    "hx-vals": '{"action": "reshow"}',
    "hx-select": "#referral-contact",
    "hx-target": "#referral-contact",
    "hx-swap": "outerHTML",
    "hx-select-oob": "#referral-consent",
}


class ReferralForm(GovukModelForm):
    title = "Draft a referral"
    submit_label = "Save draft"

    dash_score = WholeNumberField(
        label="DASH risk checklist score",
        min_value=0,
        max_value=DASH_HIGHEST_SCORE,
        required=False,
        help_text="How many of the 24 questions were answered yes. 14 or more is high risk.",
    )
    professional_judgement = forms.TypedChoiceField(
        label="Was professional judgement used to refer the case?",
        choices=[("True", "Yes"), ("False", "No")],
        coerce=lambda value: value == "True",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    professional_judgement_reason = ParagraphsField(
        label="Why, in your professional judgement, should the case go to MARAC?",
        required=False,
        help_text="Only if professional judgement was used.",
    )
    escalation_criterion = forms.ChoiceField(
        label="Criterion for referral to MARAC",
        choices=EscalationCriterion.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a criterion from the list"},
    )

    class Meta:
        model = Referral
        fields = [
            "agency",
            "contact",
            "kind",
            *MARAC_FIELDS,
            "reason",
            "indicators",
            "urgency",
            "follow_up_on",
        ]
        field_classes = {
            "reason": ParagraphsField,
            "indicators": RecordsField,
            "follow_up_on": PlannedDateField,
        }
        widgets = {
            "agency": AutocompleteSelect,
            # Only the chosen agency's contacts are listed: a short list, so a plain select.
            "contact": forms.Select,
            "kind": RevealingRadioSelect,
            "reason": forms.Textarea(attrs={"rows": 6}),
            "indicators": forms.CheckboxSelectMultiple,
            "urgency": forms.RadioSelect,
            "follow_up_on": DateInput,
        }
        help_texts = {
            "follow_up_on": "When to chase the agency if you have not heard back.",
        }

    def __init__(self, *args, case: Case, all_agencies: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.case = case
        self.all_agencies = all_agencies
        agency_id = self._typed_id("agency")
        self.chosen_agency = Agency.objects.filter(pk=agency_id).first() if agency_id else None
        agency = self.fields["agency"]
        # Every agency is accepted by the field so that an inactive one is refused by the
        # model's validator, with a message that says why; only active ones are offered, those
        # working where the person lives first and the rest only when asked for.
        agency.queryset = Agency.objects.all()
        agency.widget.attrs.update(_NARROWS_THE_PAGE)
        offered = Agency.objects.filter(is_active=True)
        if not all_agencies:
            offered = offered.serving(case.local_authority_id)
        if self.chosen_agency is not None:
            offered = offered | Agency.objects.filter(pk=self.chosen_agency.pk)
        agency.widget.choices = [
            ("", "Choose an agency"),
            *offered.order_by("name").values_list("pk", "name"),
        ]
        if not all_agencies:
            agency.help_text = (
                f"Agencies working in {case.local_authority}. If the one you need is not "
                "listed, show all agencies."
            )
        # Any active contact is read, so one from another agency (a page left open, a hand-made
        # post) is refused in words rather than as "not one of the choices"; only the chosen
        # agency's contacts are offered.
        contact = self.fields["contact"]
        contact.queryset = Contact.objects.filter(is_active=True, agency__is_active=True)
        contact.empty_label = "No named contact"
        if self.chosen_agency is None:
            contact.widget.choices = [("", "Choose the agency first")]
            contact.help_text = "Optional. Choose the agency first to see its contacts."
        else:
            contact.widget.choices = [
                ("", "No named contact"),
                *self.chosen_agency.contacts.filter(is_active=True).values_list("pk", "full_name"),
            ]
            contact.help_text = f"Optional. Someone at {self.chosen_agency.name}."
        kinds = ReferralKind.objects.filter(is_active=True)
        self.fields["kind"].queryset = kinds
        self.fields["kind"].widget.attrs.update(_NARROWS_THE_PAGE)
        # Beneath the MARAC choice; without JavaScript they show all the time, and clean() reads
        # them only for a MARAC referral.
        marac = next((kind for kind in kinds if kind.code == MARAC_KIND), None)
        self.fields["kind"].widget.reveals = {str(marac.pk): MARAC_FIELDS} if marac else {}
        self.fields["indicators"].queryset = VulnerabilityIndicator.objects.filter(
            case_indicators__case=case, case_indicators__ended_on__isnull=True
        ).distinct()
        _radio_choices(self.fields["urgency"])
        _require(
            self,
            {
                "agency": "Choose the agency you are referring to",
                "kind": "Choose the kind of referral",
                "reason": "Enter the reason for the referral",
                "urgency": "Choose how urgent the referral is",
            },
        )
        self.fields["follow_up_on"].error_messages["invalid"] = "Enter a real date"
        kind_id = self._typed_id("kind")
        self.chosen_kind = next((kind for kind in kinds if kind.pk == kind_id), None)

    def _typed_id(self, name) -> int | None:
        """The id a field holds as typed so far, before any checking: what the rest of the page
        narrows to."""
        return parse_id(self.data.get(self.add_prefix(name), "")) if self.is_bound else None

    def clean_follow_up_on(self):
        follow_up_on = self.cleaned_data["follow_up_on"]
        if follow_up_on and follow_up_on < timezone.localdate() and not self.instance.pk:
            raise forms.ValidationError("Follow-up date must be today or in the future")
        return follow_up_on

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind is None:
            return cleaned
        if kind.code != MARAC_KIND:
            # Answers typed beneath MARAC before another kind was chosen (or shown without
            # JavaScript) belong to no referral of this kind: neither kept nor refused.
            for name in MARAC_FIELDS:
                self.errors.pop(name, None)
            cleaned.update(
                dash_score=None,
                professional_judgement=None,
                professional_judgement_reason="",
                escalation_criterion="",
            )
            return cleaned
        errors = marac_detail_errors(
            is_marac=True,
            dash_score=cleaned.get("dash_score"),
            professional_judgement=cleaned.get("professional_judgement"),
            professional_judgement_reason=cleaned.get("professional_judgement_reason", ""),
            escalation_criterion=cleaned.get("escalation_criterion", ""),
        )
        for name, message in errors.items():
            # A score refused at its field already says what is wrong with it.
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned


class ReferralSendForm(ReleaseForm):
    """Release a draft referral: the categories a current consent names for the agency, the text
    composed from the case for them (checked and edited here, released exactly as it stands),
    the route it takes, and the record of the decision."""

    title = "Send the referral"
    submit_label = "Send referral"
    # The categories the text was last composed for: choosing others means composing again.
    composed_for = SingleLineField(widget=forms.HiddenInput, required=False)
    route = forms.ChoiceField(
        label="How it reaches the agency",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the referral reaches the agency"},
    )
    note = ParagraphsField(
        label="Note about sending",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    field_order = [
        "purpose",
        "categories",
        "content",
        "route",
        "necessity",
        "lawful_basis",
        "special_category_condition",
        "person_told",
        "person_not_told_reason",
        "decided_by",
        "note",
    ]

    def __init__(self, *args, referral: Referral, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral = referral
        del self.fields["method"]
        self.offered = snapshots.consented_categories(case=referral.case, agency=referral.agency)
        labels = dict(DataCategory.choices)
        self.fields["categories"].choices = [(value, labels[value]) for value in self.offered]
        self.fields[
            "categories"
        ].help_text = "Only what a current consent from the Authority names for this agency."
        self.fields["content"].label = "Exactly what is released"
        self.fields["content"].help_text = (
            "Composed from the case for what you chose. Check it and edit it if you need to: "
            "this text is released, kept as the record, and is what the agency reads."
        )
        self.fields["content"].widget.attrs["rows"] = 18
        self.fields["route"].choices = [
            (option.route, f"{option.label}{f' – to {option.to}' if option.to else ''}")
            for option in options
            if option.available
        ]
        self.proposed_purpose = selectors.purpose_of_referral(referral.kind.code)
        if not self.is_bound:
            categories = [
                value for value in selectors.DEFAULT_REFERRAL_CATEGORIES if value in self.offered
            ]
            proposed = {
                "purpose": self.proposed_purpose,
                "necessity": referral.reason,
                "route": delivery_route_proposed(options, referral.agency),
                **self.composed(categories),
            }
            # What the officer already answered (composing again) stays as they left it.
            for name, value in proposed.items():
                self.initial.setdefault(name, value)

    def composed(self, categories) -> dict:
        """The text for these categories and the marker that it was composed for them."""
        categories = [value for value in categories if value in self.offered]
        return {
            "categories": categories,
            "content": snapshots.compose(self.referral, categories),
            "composed_for": ",".join(sorted(categories)),
        }

    def recomposed_initial(self) -> dict:
        """The posted answers with the text composed again for the categories now chosen."""
        initial = {name: self.data.get(name) for name in self.fields if name != "categories"}
        return {**initial, **self.composed(self.data.getlist("categories"))}

    def clean(self):
        cleaned = super().clean()
        categories = cleaned.get("categories")
        if categories is not None and ",".join(sorted(categories)) != self.data.get(
            "composed_for", ""
        ):
            self.add_error(
                "content",
                "You changed what is shared since this text was composed. Choose ‘Compose the "
                "text again’ and check it before sending",
            )
        return cleaned

    def release(self, releaser) -> dict:
        """The keyword arguments `send_referral()` takes: the route decides how it goes."""
        data = self.cleaned_data
        return {
            "purpose": data["purpose"],
            "categories": data["categories"],
            "content": data["content"],
            "route": data["route"],
            "record_of_decision": self.record_of_decision(releaser),
        }


class DocumentSentForm(GovukForm):
    title = "Record how the document was sent"
    submit_label = "Save"

    how = SingleLineField(
        label="How it was sent",
        help_text="For example, CJSM to referrals@police.cjsm.net, or uploaded to the agency's portal.",
        error_messages={"required": "Say how the document was sent"},
    )
    sent_at = DateAndTimeField(
        label="When it was sent",
        help_text="The time on a 24-hour clock, for example 14:30.",
        error_messages={"required": "Enter when it was sent"},
    )


class LinkCodeForm(GovukForm):
    title = "Enter your code"
    submit_label = "Open the referral"

    code = forms.RegexField(
        label="Code",
        regex=r"^\s*\d{6}\s*$",
        help_text="The 6 digits in the e-mail we sent you.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={
            "required": "Enter the code from the e-mail",
            "invalid": "Enter the 6 digits from the e-mail",
        },
    )


class ReferralStatusForm(GovukForm):
    title = "Update the referral"
    submit_label = "Update status"

    status = forms.ChoiceField(
        label="New status",
        choices=ReferralStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the new status"},
    )
    note = ParagraphsField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, referral: Referral, **kwargs):
        self.referral = referral
        super().__init__(*args, **kwargs)
        # Any status is accepted so that a skipped or reversed step gets the lifecycle's own
        # message; only the allowed next steps are offered.
        self.fields["status"].widget.choices = [
            (value, label)
            for value in referral.allowed_next()
            if (label := self.offered_label(value)) is not None
        ]

    def offered_label(self, status: str) -> str | None:
        return ReferralStatus(status).label

    def clean_status(self):
        status = self.cleaned_data["status"]
        self.referral.check_transition(status)
        return status


class ReferralAnswerForm(ReferralStatusForm):
    """A partner agency's answer to a referral sent to it."""

    title = "Answer the referral"
    submit_label = "Send answer"

    status = forms.ChoiceField(
        label="Your answer",
        choices=ReferralStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose your answer"},
    )
    note = ParagraphsField(
        label="Note for the referring officer",
        required=False,
        help_text="Needed when you decline or take no further action: say why.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def offered_label(self, status: str) -> str | None:
        return ANSWER_LABELS.get(status)


ANSWER_LABELS = {
    ReferralStatus.ACKNOWLEDGED: "Acknowledge: we have received it",
    ReferralStatus.ACCEPTED: "Accept: we will work with this person",
    ReferralStatus.DECLINED: "Decline",
    ReferralStatus.NO_FURTHER_ACTION: "No further action",
}


class ReferralWithdrawForm(GovukForm):
    title = "Withdraw the draft referral"
    submit_label = "Withdraw draft"

    reason = ParagraphsField(
        label="Why is the draft withdrawn?",
        help_text="For example, the agency has closed. It is kept on the referral's history.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the draft is withdrawn"},
    )


class CaseSightForm(GovukForm):
    title = "Give a colleague sight of this case"
    submit_label = "Give sight"

    person = forms.ModelChoiceField(
        label="Colleague",
        queryset=get_user_model().objects.none(),
        widget=AutocompleteSelect,
        empty_label="Choose a colleague",
        help_text="They can read the case but not change it. Partner agencies are shared with "
        "through disclosures instead.",
        error_messages={"required": "Choose a colleague"},
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .exclude(groups__name=Role.PARTNER)
            .exclude(pk__in=case.assigned_officers.values("pk"))
            .order_by("full_name")
        )

"""Forms for the directory, inviting people and accepting an invitation."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.db import models

from agencies.models import Agency, AgencyKind, Contact, LocalAuthority, ReferralRoute, Region
from agencies.permissions import OWN_AGENCY_FIELDS
from agencies.selectors import email_address_taken
from core.forms import (
    AutocompleteSelect,
    DateInput,
    GovukForm,
    GovukModelForm,
    NamedModelChoiceField,
    ParagraphsField,
    PastDateField,
    PlannedDateField,
    RecordsField,
    SingleLineField,
)
from core.roles import Role

MAX_IMPORT_BYTES = 2 * 1024 * 1024
_EMAIL_FORMAT = "Enter an e-mail address in the correct format, like name@example.org"


class InvitationForm(GovukForm):
    title = "Invite a person"
    submit_label = "Send invitation"

    full_name = SingleLineField(label="Full name", max_length=150)
    email = forms.EmailField(
        label="E-mail address",
        help_text="They sign in with this address and the invitation is sent to it.",
        error_messages={
            "invalid": "Enter an e-mail address in the correct format, like name@example.org"
        },
    )
    job_title = SingleLineField(label="Job title", max_length=150, required=False)
    agency = NamedModelChoiceField(
        label="Agency",
        queryset=Agency.objects.filter(is_active=True),
        label_from="name",
        widget=AutocompleteSelect,
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency the person works for"},
    )
    roles = RecordsField(
        label="Roles",
        queryset=Group.objects.filter(name__in=Role.values).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one role"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].error_messages["required"] = "Enter the person's full name"
        self.fields["email"].error_messages["required"] = "Enter the person's e-mail address"
        self.fields["roles"].label_from_instance = lambda group: Role(group.name).label

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if email_address_taken(email):
            raise forms.ValidationError("A person with this e-mail address already has an account")
        return email


class SetPasswordForm(GovukForm):
    title = "Set your password"
    submit_label = "Set password"

    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters. A short sentence you can remember works well.",
        error_messages={"required": "Enter a password"},
    )
    password_again = forms.CharField(
        label="Confirm password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the password again"},
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password, self.user)
        return password

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password_again") != cleaned["password"]:
            self.add_error("password_again", "The passwords do not match")
        return cleaned


def _local_authority_choices():
    # Grouped by region, so the authorities a person looks for sit together.
    return (
        LocalAuthority.objects.filter(is_active=True)
        .select_related("region")
        .order_by("region__name", "name")
    )


def _local_authority_label(local_authority) -> str:
    return f"{local_authority.name} ({local_authority.region.name})"


def _formfield(model_field, **kwargs):
    # Addresses typed without a scheme are taken as https, as Django 6 will do by default.
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


class AgencyDetailsForm(GovukModelForm):
    """What an agency's own people may keep up to date about themselves."""

    title = "Change your agency's details"
    submit_label = "Save details"

    class Meta:
        model = Agency
        fields = list(OWN_AGENCY_FIELDS)
        field_classes = {
            "address": ParagraphsField,
            "phone": SingleLineField,
            "services": ParagraphsField,
            "how_to_refer": ParagraphsField,
            "referral_criteria": ParagraphsField,
            "out_of_hours": ParagraphsField,
        }
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "services": forms.Textarea(attrs={"rows": 4}),
            "how_to_refer": forms.Textarea(attrs={"rows": 4}),
            "referral_criteria": forms.Textarea(attrs={"rows": 4}),
            "out_of_hours": forms.Textarea(attrs={"rows": 3}),
            "referral_route": forms.RadioSelect,
        }
        labels = {
            "address": "Address",
            "phone": "Phone number",
            "email": "General e-mail address",
            "secure_email": "Secure e-mail address",
            "website": "Website",
            "services": "Services offered",
            "referral_route": "How referrals reach you",
            "how_to_refer": "How to refer",
            "referral_criteria": "Referral criteria",
            "out_of_hours": "Out-of-hours route",
        }
        help_texts = {
            "website": "For example, https://www.example.org.uk",
            "phone": "Include the area code, for example 0161 234 5000.",
            "services": "What the agency offers the people we support.",
            "referral_route": "The referral form proposes this route; the officer may choose another.",
            "how_to_refer": "The route, form or phone line a referral goes through.",
            "out_of_hours": "Who to call when the office is closed.",
        }
        error_messages = {
            "email": {"invalid": _EMAIL_FORMAT},
            "secure_email": {"invalid": _EMAIL_FORMAT},
            "website": {
                "invalid": "Enter a website address in the correct format, like https://www.example.org.uk"
            },
        }
        formfield_callback = _formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral_route"].choices = [
            ("", "Not decided: the officer chooses each time"),
            *ReferralRoute.choices,
        ]


class AgencyForm(AgencyDetailsForm):
    """The whole entry, for partnership managers and administrators."""

    title = "Add an agency"
    submit_label = "Save agency"

    class Meta(AgencyDetailsForm.Meta):
        fields = [
            "name",
            "kind",
            "parent",
            "local_authorities",
            "regions",
            *AgencyDetailsForm.Meta.fields,
            "information_sharing_agreement_signed_on",
            "information_sharing_agreement_review_due_on",
            "notes",
        ]
        field_classes = {
            **AgencyDetailsForm.Meta.field_classes,
            "name": SingleLineField,
            "local_authorities": RecordsField,
            "regions": RecordsField,
            "information_sharing_agreement_signed_on": PastDateField,
            "information_sharing_agreement_review_due_on": PlannedDateField,
            "notes": ParagraphsField,
        }
        widgets = {
            **AgencyDetailsForm.Meta.widgets,
            "parent": AutocompleteSelect,
            "local_authorities": forms.CheckboxSelectMultiple,
            "regions": forms.CheckboxSelectMultiple,
            "information_sharing_agreement_signed_on": DateInput,
            "information_sharing_agreement_review_due_on": DateInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            **AgencyDetailsForm.Meta.help_texts,
            "local_authorities": "Choose the local authorities the agency works in.",
            "regions": "Choose a region only if the agency covers all of it.",
            "information_sharing_agreement_signed_on": "Leave both agreement dates empty if no agreement is on file.",
            "information_sharing_agreement_review_due_on": "Case information is not shared once this date has passed.",
            "notes": "For the directory team. Do not record case information here.",
        }
        labels = {
            **AgencyDetailsForm.Meta.labels,
            "name": "Name",
            "kind": "Kind of agency",
            "parent": "Part of",
            "local_authorities": "Local authorities covered",
            "regions": "Whole regions covered",
            "information_sharing_agreement_signed_on": "Information sharing agreement signed on",
            "information_sharing_agreement_review_due_on": "Agreement review due on",
            "notes": "Notes",
        }
        error_messages = {
            **AgencyDetailsForm.Meta.error_messages,
            "name": {"required": "Enter the agency's name"},
            "kind": {"required": "Choose the kind of agency"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Agency.objects.only("name")
        if self.instance.pk:
            self.title = f"Change {self.instance.name}"
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = "Not part of another agency"
        self.fields["kind"].choices = [("", "Choose the kind of agency"), *AgencyKind.choices]
        self.fields["local_authorities"].queryset = _local_authority_choices()
        self.fields["local_authorities"].label_from_instance = _local_authority_label
        self.fields["regions"].queryset = Region.objects.filter(is_active=True)
        for name in (
            "information_sharing_agreement_signed_on",
            "information_sharing_agreement_review_due_on",
        ):
            self.fields[name].error_messages["invalid"] = "Enter a real date"

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        taken = Agency.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("An agency with this name is already in the directory")
        return name

    def clean_parent(self):
        parent = self.cleaned_data["parent"]
        if parent is not None and self.instance.pk:
            ancestor, seen = parent, set()
            while ancestor is not None and ancestor.pk not in seen:
                if ancestor.pk == self.instance.pk:
                    raise forms.ValidationError("Choose an agency that is not part of this one")
                seen.add(ancestor.pk)
                ancestor = ancestor.parent
        return parent

    def clean(self):
        cleaned = super().clean()
        signed = cleaned.get("information_sharing_agreement_signed_on")
        review_due = cleaned.get("information_sharing_agreement_review_due_on")
        if (
            signed
            and not review_due
            and "information_sharing_agreement_review_due_on" not in self.errors
        ):
            self.add_error(
                "information_sharing_agreement_review_due_on",
                "Enter the date the agreement is due for review",
            )
        elif (
            review_due
            and not signed
            and "information_sharing_agreement_signed_on" not in self.errors
        ):
            self.add_error(
                "information_sharing_agreement_signed_on",
                "Enter the date the agreement was signed",
            )
        elif signed and review_due and review_due <= signed:
            self.add_error(
                "information_sharing_agreement_review_due_on",
                "The review date must be after the date the agreement was signed",
            )
        return cleaned


class ContactForm(GovukModelForm):
    title = "Add a contact"
    submit_label = "Save contact"

    class Meta:
        model = Contact
        fields = ["full_name", "job_title", "email", "phone", "is_single_point_of_contact"]
        field_classes = {
            "full_name": SingleLineField,
            "job_title": SingleLineField,
            "phone": SingleLineField,
        }
        labels = {
            "full_name": "Full name",
            "job_title": "Job title",
            "email": "E-mail address",
            "phone": "Phone number",
            "is_single_point_of_contact": "Single point of contact",
        }
        error_messages = {
            "full_name": {"required": "Enter the contact's full name"},
            "email": {"invalid": _EMAIL_FORMAT},
        }

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agency = agency
        self.fields["email"].help_text = "Give an e-mail address, a phone number or both."
        if self.instance.pk:
            self.title = f"Change {self.instance.full_name}"

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and "email" not in self.errors:
            self.add_error("email", "Enter an e-mail address or a phone number")
        return cleaned


class AreasForm(GovukForm):
    submit_label = "Save areas"

    local_authorities = RecordsField(
        label="Local authorities",
        queryset=LocalAuthority.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Agencies working in these areas are listed first in the directory.",
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = f"Areas for {person.full_name}"
        field = self.fields["local_authorities"]
        field.queryset = _local_authority_choices()
        field.label_from_instance = _local_authority_label


class ImportForm(GovukForm):
    title = "Import the directory from a CSV file"
    submit_label = "Check the file"

    what = forms.ChoiceField(
        label="What does the file hold?",
        choices=[("agencies", "Agencies"), ("contacts", "Contacts")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the file holds agencies or contacts"},
    )
    file = forms.FileField(
        label="CSV file",
        help_text="Saved as CSV UTF-8, at most 2 MB, with the column headings in the first row.",
        error_messages={
            "required": "Choose a CSV file",
            "empty": "The selected file is empty",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 2 MB")
        return upload

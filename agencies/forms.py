"""Forms for inviting people and accepting an invitation."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group

from agencies.models import Agency, User
from config.forms import GovukForm
from config.roles import Role


class InvitationForm(GovukForm):
    title = "Invite a person"
    submit_label = "Send invitation"

    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(
        label="E-mail address",
        help_text="They sign in with this address and the invitation is sent to it.",
        error_messages={
            "invalid": "Enter an e-mail address in the correct format, like name@example.org"
        },
    )
    job_title = forms.CharField(label="Job title", max_length=150, required=False)
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.filter(is_active=True),
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency the person works for"},
    )
    roles = forms.ModelMultipleChoiceField(
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
        if User.objects.filter(email__iexact=email).exists():
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

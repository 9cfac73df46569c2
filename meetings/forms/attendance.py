"""Forms to invite people, fill seats, answer an invitation, send a deputy and record who came."""

from django import forms

from agencies.models import Agency, Contact, User
from core.forms import AutocompleteSelect, GovukForm, NamedModelChoiceField, SingleLineField
from meetings.forms.fields import active_people, person_label
from meetings.models import Forum, Outcome, Response


class RemoveInvitationForm(GovukForm):
    title = "Withdraw this invitation"
    submit_label = "Withdraw invitation"


class DeputyForm(GovukForm):
    title = "Send a deputy"
    submit_label = "Send the invitation to the deputy"

    deputy_person = forms.ModelChoiceField(
        label="A colleague in Partnerhub",
        queryset=User.objects.none(),
        widget=AutocompleteSelect,
        required=False,
        empty_label="Someone not in Partnerhub (enter their details below)",
    )
    deputy_name = SingleLineField(label="Deputy's full name", required=False, max_length=150)
    deputy_email = forms.EmailField(
        label="Deputy's e-mail address",
        required=False,
        error_messages={
            "invalid": "Enter an e-mail address in the correct format, like name@example.org"
        },
    )

    def __init__(self, *args, attendance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy_person"].queryset = (
            active_people().filter(agency_id=attendance.agency_id).exclude(pk=attendance.person_id)
        )
        self.fields["deputy_person"].label_from_instance = person_label
        self.fields["deputy_person"].help_text = f"From {attendance.agency}."

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("deputy_person") is None and not self.has_error("deputy_email"):
            if not cleaned.get("deputy_name", "").strip():
                self.add_error("deputy_name", "Enter the deputy's full name")
            if not cleaned.get("deputy_email"):
                self.add_error("deputy_email", "Enter the deputy's e-mail address")
        return cleaned


def contact_label(contact: Contact) -> str:
    """A contact as the invite page offers them, saying when they cannot be invited."""
    label = f"{contact.full_name}, {contact.agency}"
    if contact.is_single_point_of_contact:
        label += " (single point of contact)"
    if contact.user_id is not None:
        return f"{label}: invited as their Partnerhub account"
    if not contact.email:
        return f"{label}: no e-mail address, so cannot be invited"
    return label


class InviteForm(GovukForm):
    title = "Invite someone"
    submit_label = "Invite"

    agency = NamedModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        label_from="name",
        widget=AutocompleteSelect,
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency"},
    )
    person = forms.ModelChoiceField(
        label="Person in Partnerhub",
        queryset=User.objects.none(),
        widget=AutocompleteSelect,
        required=False,
        empty_label="Nobody in Partnerhub",
    )
    contact = forms.ModelChoiceField(
        label="Or a contact from the directory",
        queryset=Contact.objects.none(),
        required=False,
        widget=AutocompleteSelect,
        empty_label="No contact chosen",
        help_text=(
            "Contacts need no Partnerhub account: they are sent the calendar invitation with "
            "their own link to answer and read the agenda. A contact without an e-mail address "
            "is listed but cannot be invited. Choose nobody to give the agency a seat: it names "
            "the agency's single point of contact if they have an e-mail address."
        ),
    )
    is_optional = forms.BooleanField(label="Their attendance is optional", required=False)

    def __init__(self, *args, forum: Forum, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = forum.member_agencies.order_by("name")
        self.fields["person"].queryset = active_people().filter(
            agency__in=forum.member_agencies.all()
        )
        self.fields["person"].label_from_instance = person_label
        self.fields["contact"].queryset = (
            Contact.objects.filter(is_active=True, agency__in=forum.member_agencies.all())
            .select_related("agency")
            .order_by("agency__name", "-is_single_point_of_contact", "full_name")
        )
        self.fields["contact"].label_from_instance = contact_label

    def clean(self):
        cleaned = super().clean()
        agency, person = cleaned.get("agency"), cleaned.get("person")
        contact = cleaned.get("contact")
        if agency and person and person.agency_id != agency.pk:
            self.add_error("person", f"Choose someone who works for {agency}")
        if person and contact:
            self.add_error("contact", "Choose a person in Partnerhub or a contact, not both")
        elif contact and agency and contact.agency_id != agency.pk:
            self.add_error("contact", f"Choose a contact of {agency}")
        elif contact and contact.user_id is None and not contact.email:
            self.add_error(
                "contact",
                f"{contact.full_name} has no e-mail address in the directory, so they cannot be "
                "invited: add one to their directory entry first",
            )
        return cleaned


class FillSeatForm(GovukForm):
    title = "Name who fills this seat"
    submit_label = "Save"

    person = forms.ModelChoiceField(
        label="Person in Partnerhub",
        queryset=User.objects.none(),
        widget=AutocompleteSelect,
        required=False,
        empty_label="Nobody in Partnerhub",
    )
    contact = forms.ModelChoiceField(
        label="Or a contact from the directory",
        queryset=Contact.objects.none(),
        required=False,
        empty_label="No contact chosen",
        help_text=(
            "Contacts need no Partnerhub account: they are sent the calendar invitation with "
            "their own link. A contact without an e-mail address is listed but cannot be invited."
        ),
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = active_people().filter(agency=agency)
        self.fields["person"].label_from_instance = person_label
        self.fields["contact"].queryset = Contact.objects.filter(
            agency=agency, is_active=True
        ).select_related("agency")
        self.fields["contact"].label_from_instance = contact_label

    def clean(self):
        cleaned = super().clean()
        person, contact = cleaned.get("person"), cleaned.get("contact")
        if person and contact:
            self.add_error("contact", "Choose a person in Partnerhub or a contact, not both")
        elif not person and not contact and not self.errors:
            self.add_error("person", "Choose who fills the seat")
        elif contact and contact.user_id is None and not contact.email:
            self.add_error(
                "contact",
                f"{contact.full_name} has no e-mail address in the directory, so they cannot be "
                "invited: add one to their directory entry first",
            )
        return cleaned


class RespondForm(GovukForm):
    title = "Your response"
    submit_label = "Send response"

    response = forms.ChoiceField(
        label="Will you attend?",
        choices=[
            (Response.ACCEPTED, "Yes, I will attend"),
            (Response.TENTATIVE, "Maybe"),
            (Response.DECLINED, "No, I cannot attend"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you will attend"},
    )


class LinkAnswerForm(RespondForm):
    """A directory contact's answer through their invitation link: yes or no, since a link
    answers for the agency's seat and "maybe" leaves the seat unplanned."""

    title = "Will you attend?"
    submit_label = "Send my answer"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["response"].choices = [
            choice for choice in self.fields["response"].choices if choice[0] != Response.TENTATIVE
        ]


class LinkDeputyForm(GovukForm):
    """A directory contact names someone to attend in their place, through their link."""

    title = "Send someone in your place"
    submit_label = "Send them the invitation"

    deputy_name = SingleLineField(
        label="Their full name",
        max_length=150,
        error_messages={"required": "Enter the full name of the person you are sending"},
    )
    deputy_email = forms.EmailField(
        label="Their e-mail address",
        error_messages={
            "required": "Enter the e-mail address of the person you are sending",
            "invalid": "Enter an e-mail address in the correct format, like name@example.org",
        },
    )


class AttendanceEntryForm(GovukForm):
    """One invitation's attendance on the record-attendance page."""

    outcome = forms.ChoiceField(
        choices=[*Outcome.choices, ("", "Not recorded")],
        widget=forms.RadioSelect,
        required=False,
    )
    deputy_name = SingleLineField(
        required=False,
        max_length=150,
        help_text="Only if someone else attended in their place.",
    )
    sent_information_in_advance = forms.BooleanField(
        required=False, label="Sent their information in advance (with apologies)"
    )

    def __init__(self, *args, attendance, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "outcome": attendance.outcome,
                "deputy_name": attendance.deputy_name,
                "sent_information_in_advance": attendance.sent_information_in_advance,
            },
        )
        super().__init__(*args, prefix=f"attendance-{attendance.pk}", **kwargs)
        self.attendance = attendance
        name = attendance.invitee_name
        who = f"{name} ({attendance.agency})" if name else f"{attendance.agency} (seat)"
        self.fields["outcome"].label = f"Attendance: {who}"
        self.fields["deputy_name"].label = (
            f"Deputy for {name}" if name else f"Who attended for {attendance.agency}"
        )
        if not name:
            self.fields["deputy_name"].help_text = ""
        self.fields[
            "sent_information_in_advance"
        ].label = f"{name or attendance.agency} sent their information in advance (with apologies)"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("deputy_name") and cleaned.get("outcome") != Outcome.ATTENDED:
            self.add_error("deputy_name", "A deputy can be named only when they attended")
        if (
            cleaned.get("sent_information_in_advance")
            and cleaned.get("outcome") != Outcome.APOLOGIES
        ):
            self.add_error(
                "sent_information_in_advance",
                "Information in advance goes with apologies: choose apologies first",
            )
        return cleaned

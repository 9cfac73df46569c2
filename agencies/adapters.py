"""allauth customisation: nobody signs themselves up; people are invited, and their e-mail
address, which is their sign-in name, is changed only by an administrator."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import AddEmailForm
from django.core.exceptions import ValidationError

ASK_AN_ADMINISTRATOR = (
    "Only an administrator can change your e-mail address. Ask your administrator."
)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False

    def send_confirmation_mail(self, request, emailconfirmation, signup):
        # allauth would mail a link to an address a person added; once followed, that address
        # signs in to the person's account, so a colleague's address could be claimed. Nobody
        # adds addresses here (AddressAddedByAdministratorOnly), so no link is ever sent.
        return None


class AddressAddedByAdministratorOnly(AddEmailForm):
    """allauth's form for adding an address, refusing every one (ACCOUNT_FORMS)."""

    def clean_email(self):
        raise ValidationError(ASK_AN_ADMINISTRATOR, code="changed_by_administrator")

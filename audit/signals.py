"""Sign-ins, failed sign-ins (a wrong password or a wrong second-factor code) and sign-outs go
into the audit log."""

from allauth.mfa import signals as mfa_signals
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.dispatch import receiver

from audit.models import Verb
from audit.services import client_ip, record


@receiver(user_logged_in)
def signed_in(sender, request, user, **kwargs):
    record(verb=Verb.SIGNED_IN, actor=user, target=user, ip_address=client_ip(request))


@receiver(user_logged_out)
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(verb=Verb.SIGNED_OUT, actor=user, target=user, ip_address=client_ip(request))


def _attempted_address(credentials) -> str:
    # The attempted address is kept as the label so repeated guessing shows. Django masks the
    # password itself; but people type passwords into the address box, so anything that is not
    # an e-mail address is left out too.
    attempted = str(credentials.get("email") or credentials.get("username") or "")[:254]
    try:
        validate_email(attempted)
    except ValidationError:
        return ""
    return attempted


@receiver(user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs):
    record(
        verb=Verb.SIGN_IN_FAILED,
        actor_label=_attempted_address(credentials),
        ip_address=client_ip(request),
    )


@receiver(mfa_signals.authentication_failed)
def second_factor_failed(sender, request, user, authenticator, **kwargs):
    # The password was right, so this is someone holding it: the person is named, the code
    # they typed never is.
    record(
        verb=Verb.SIGN_IN_FAILED,
        actor_label=user.email,
        target=user,
        detail={
            "second_factor": authenticator.type,
            "reauthentication": bool(kwargs.get("reauthentication")),
        },
        ip_address=client_ip(request),
    )

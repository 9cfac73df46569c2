"""Request gates that apply to every page."""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

# Pages a signed-in person without MFA may still use: enrolling itself, signing out, and the
# static and health endpoints the page and the load balancer need.
_ENROLMENT_PATH_PREFIXES = ("/accounts/", "/static/", "/healthz")


class MfaRequiredMiddleware:
    """Send a signed-in person who has no authenticator to enrol before any other page.

    allauth's MFA has no enforcement of its own; without this a password alone would open
    case data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.PARTNERHUB_MFA_REQUIRED
            and request.user.is_authenticated
            and not request.path.startswith(_ENROLMENT_PATH_PREFIXES)
            and not is_mfa_enabled(request.user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

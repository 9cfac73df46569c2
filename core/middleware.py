"""Request gates that apply to every page."""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

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


class NoStoreWhenSignedInMiddleware:
    """Tell browsers and proxies to keep no copy of anything shown to a signed-in person.

    Pages and downloads carry case and personal data; a copy in a shared computer's cache or a
    proxy would outlive the session that was allowed to see it. Static files never reach here
    (WhiteNoise answers them earlier), and the token-addressed calendar feeds, read without a
    session, keep their own caching so subscribers get 304 Not Modified.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Asked before the view too: signing out leaves the request anonymous, yet its
        # response was made for the person who was signed in.
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in or request.user.is_authenticated:
            patch_cache_control(response, no_store=True)
        return response

"""System checks for what Django's own deployment check does not know about."""

from importlib.metadata import version

from django.conf import settings
from django.core.checks import Error, Tags, register
from packaging.version import Version

MFA_MIDDLEWARE = "core.middleware.MfaRequiredMiddleware"


@register(Tags.security, deploy=True)
def content_security_policy_configured(app_configs, **kwargs):
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    directives = policy.get("DIRECTIVES", {})
    if "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE or not directives:
        return [
            Error(
                "No Content-Security-Policy is configured.",
                hint="Keep csp.middleware.CSPMiddleware and CONTENT_SECURITY_POLICY in settings.",
                id="partnerhub.E001",
            )
        ]
    unsafe = [
        name
        for name in ("script-src", "style-src", "default-src")
        if "'unsafe-inline'" in directives.get(name, [])
        or "'unsafe-eval'" in directives.get(name, [])
    ]
    if unsafe:
        return [
            Error(
                f"The Content-Security-Policy allows inline or eval'd code in {', '.join(unsafe)}.",
                id="partnerhub.E002",
            )
        ]
    return []


@register(Tags.security)
def mfa_required(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    if MFA_MIDDLEWARE not in settings.MIDDLEWARE:
        return [
            Error(
                "The middleware that requires multi-factor authentication is missing.",
                hint=f"Add {MFA_MIDDLEWARE} to MIDDLEWARE.",
                id="partnerhub.E003",
            )
        ]
    if not settings.PARTNERHUB_MFA_REQUIRED:
        return [
            Error(
                "Multi-factor authentication is not required, and debug is off.",
                hint="PARTNERHUB_MFA_REQUIRED=false is for the local demo only.",
                id="partnerhub.E006",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def bleach_is_current(app_configs, **kwargs):
    # Releases before 6.4.0 let two 2026 XSS payloads through.
    if Version(version("bleach")) < Version("6.4.0"):
        return [
            Error(
                f"bleach {version('bleach')} is installed; 6.4.0 or later is required.",
                id="partnerhub.E004",
            )
        ]
    return []


@register(Tags.caches, deploy=True)
def cache_is_shared(app_configs, **kwargs):
    # allauth's rate limits and its refusal of a reused TOTP code only hold across workers
    # when every worker sees the same cache.
    backend = settings.CACHES["default"]["BACKEND"]
    if not settings.DEBUG and backend.endswith(("LocMemCache", "DummyCache")):
        return [
            Error(
                "The cache is per-process, so sign-in rate limits and one-time codes are not "
                "shared between workers.",
                hint="Set CACHE_URL to a database cache (dbcache://partnerhub_cache) or Redis.",
                id="partnerhub.E005",
            )
        ]
    return []

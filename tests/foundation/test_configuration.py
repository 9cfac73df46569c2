"""Settings come from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k" * 20 + "8f3Jq!nZ0@xL2#vB7$wR5%tY1^uP9&sD4*",
    "DJANGO_ALLOWED_HOSTS": "partnerhub.example.org",
    "CACHE_URL": "dbcache://partnerhub_cache",
    "DATABASE_URL": "sqlite:////tmp/partnerhub-deploy-check.sqlite3",
    "PARTNERHUB_MFA_REQUIRED": "true",
}


def _manage(*args, **environment):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PARTNERHUB_", "CACHE_URL", "DATABASE_URL"))
    }
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deployment_check_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_production_settings_stop_start_up_naming_them():
    settings = dict(PRODUCTION)
    del settings["DJANGO_SECRET_KEY"]
    del settings["DJANGO_ALLOWED_HOSTS"]
    result = _manage("check", **settings)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS" in result.stderr


def test_a_yes_no_setting_with_a_bad_value_is_refused_by_name():
    result = _manage("check", **{**PRODUCTION, "DJANGO_DEBUG": "perhaps"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false, not 'perhaps'" in result.stderr


@pytest.mark.parametrize(
    ("change", "check_id"),
    [
        ({"CACHE_URL": "locmemcache://"}, "partnerhub.E005"),
        ({"PARTNERHUB_MFA_REQUIRED": "false"}, "partnerhub.E006"),
    ],
)
def test_project_checks_trip_on_unsafe_production_settings(change, check_id):
    result = _manage("check", "--deploy", **{**PRODUCTION, **change})
    assert result.returncode != 0
    assert check_id in result.stdout + result.stderr


def test_check_trips_without_content_security_policy(settings):
    from config.checks import content_security_policy_configured

    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "csp.middleware.CSPMiddleware"]
    assert [e.id for e in content_security_policy_configured(None)] == ["partnerhub.E001"]


def test_check_trips_on_an_unsafe_inline_policy(settings):
    from config.checks import content_security_policy_configured

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", "'unsafe-inline'"]}}
    assert [e.id for e in content_security_policy_configured(None)] == ["partnerhub.E002"]


def test_check_trips_without_the_mfa_middleware(settings):
    from config.checks import mfa_required

    settings.DEBUG = False
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "core.middleware.MfaRequiredMiddleware"
    ]
    assert [e.id for e in mfa_required(None)] == ["partnerhub.E003"]


def test_check_trips_on_an_old_bleach(monkeypatch):
    from config import checks

    monkeypatch.setattr(checks, "version", lambda name: "6.3.0")
    assert [e.id for e in checks.bleach_is_current(None)] == ["partnerhub.E004"]

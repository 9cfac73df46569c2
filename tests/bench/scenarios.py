"""Benchmark scenarios. Each fills what it needs and reports through `measure`."""

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.test import Client

from agencies.models import Agency, AgencyKind, User
from audit.models import Verb
from audit.services import record


def _signed_in_client(role: str) -> Client:
    agency, _ = Agency.objects.get_or_create(
        name="Bench Housing Provider", defaults={"kind": AgencyKind.HOUSING_PROVIDER}
    )
    email = f"bench-{role.replace(' ', '-')}@example.org"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, full_name="Bench Person", agency=agency)
        user.groups.add(Group.objects.get(name=role))
        TOTP.activate(user, generate_totp_secret())
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    return client


def audit_append(measure):
    actor = User.objects.first()
    measure("audit: append one event to the chain", lambda: record(verb=Verb.VIEWED, actor=actor))


def home_page(measure):
    client = _signed_in_client("safeguarding officer")
    measure("page: home dashboard", lambda: client.get("/"))


ALL = [home_page, audit_append]

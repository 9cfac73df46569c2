"""Fifty people at work in Partnerhub at once, for `make load` (tests/bench/load.py starts it).

Each simulated person is one seeded person in their own role, reading the pages that role uses
and now and then writing: a note on one of their cases, or marking their notifications read.
Most start from a session made for them beforehand; a few sign in through the real sign-in
pages (password, then the code from their authenticator), as many as the sign-in rate limit
lets one address do in a minute (load.py says why).

The plan (who, which pages, which cases) comes as JSON in the file BENCH_LOAD_PLAN names.
"""

import base64
import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

from locust import HttpUser, between, task

PLAN = json.loads(Path(os.environ["BENCH_LOAD_PLAN"]).read_text())
_PEOPLE = itertools.cycle(PLAN["people"])
_FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _send_secure_cookies_over_plain_http(policy, cookie, request) -> bool:
    return True


# Production marks its cookies Secure; the benchmark talks plain HTTP to gunicorn on 127.0.0.1,
# where a TLS proxy would otherwise stand. requests copies the session's cookies into fresh jars
# with the default policy for every request and redirect, so the policy itself is changed, in
# this process only.
DefaultCookiePolicy.return_ok_secure = _send_secure_cookies_over_plain_http


def authenticator_code(secret: str, at: float) -> str:
    """The six digits an authenticator app shows (RFC 6238, 30-second steps, SHA-1)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def _form_token(response) -> str:
    found = _FORM_TOKEN.search(response.text)
    if found is None:
        raise RuntimeError(f"No form on {response.url}")
    return found.group(1)


class Person(HttpUser):
    wait_time = between(1, 5)

    def on_start(self):
        self.person = next(_PEOPLE)
        if self.person.get("session"):
            self.client.cookies.set("sessionid", self.person["session"])
        else:
            self.sign_in()

    def sign_in(self):
        form = self.client.get("/accounts/login/", name="sign in: form")
        after_password = self.client.post(
            "/accounts/login/",
            data={
                "login": self.person["email"],
                "password": self.person["password"],
                "csrfmiddlewaretoken": _form_token(form),
            },
            name="sign in: password",
        )
        code = authenticator_code(self.person["totp_secret"], time.time())
        with self.client.post(
            "/accounts/2fa/authenticate/",
            data={"code": code, "csrfmiddlewaretoken": _form_token(after_password)},
            name="sign in: authenticator code",
            catch_response=True,
        ) as response:
            if "/accounts/" in response.url:
                response.failure("still on the sign-in pages after the authenticator code")

    def visit(self, url: str, name: str):
        """A page as the person sees it: one that sends them back to sign in is a failure,
        though its last answer was a 200."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if "/accounts/login/" in response.url:
                response.failure("sent back to the sign-in page")
        return response

    @task(20)
    def read_a_page(self):
        label, url = random.choice(self.person["pages"])
        self.visit(url, label)

    @task(2)
    def add_a_case_note(self):
        if not self.person["cases"]:
            return
        case = random.choice(self.person["cases"])
        form = self.visit(f"/cases/{case}/notes/new/", "case note: form")
        self.client.post(
            f"/cases/{case}/notes/new/",
            data={
                "text": "Spoke to the resident; follow-up visit booked.",
                "csrfmiddlewaretoken": _form_token(form),
            },
            name="case note: add",
        )

    @task(2)
    def mark_notifications_read(self):
        listing = self.visit("/notifications/", "notifications")
        if 'action="/notifications/read/"' in listing.text:
            self.client.post(
                "/notifications/read/",
                data={"csrfmiddlewaretoken": _form_token(listing)},
                name="notifications: mark all read",
            )

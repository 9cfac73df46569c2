"""`make prod-check`: the production stack, started as the systemd units start it, on PostgreSQL.

A fresh database with its own owner role; migrate, createcachetable and create_app_role as the
owner; the demo's people, a case and a forum seeded, and three people given an authenticator;
then gunicorn (four workers, debug off, the application role, Redis as the shared cache, mail to
files, JSON logs, Prometheus in multiprocess mode), the task worker and each timer's command
once. Over plain HTTP on loopback it signs in through the real sign-in pages with one-time
codes, opens the main pages, scrapes /metrics, adds a meeting on a forum's page and waits for
the worker to deliver its calendar invitations, and checks that the logs are JSON lines with
request ids. Everything it started is stopped, and the database and roles dropped, whatever
happened.

    python -m tests.operations.prod_check    # exits non-zero naming the step that failed
"""

import base64
import datetime
import email
import email.policy
import hashlib
import hmac
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import suppress
from pathlib import Path

import gunicorn
import psycopg
import redis
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS_URL = os.environ.get("PROD_CHECK_REDIS_URL", "redis://127.0.0.1:6379/13")
WORKERS = 4
OFFICER = "officer@demo.partnerhub.test"
COMPLIANCE = "compliance@demo.partnerhub.test"
ORGANISER = "partnerships@demo.partnerhub.test"
# Django's file backend ends each message with a line of 79 dashes.
MESSAGE_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


class CheckFailed(Exception):
    """A step of the check that did not do what production needs; its message says which."""


def say(message: str) -> None:
    print(f"prod-check: {message}", flush=True)


def server_url() -> str:
    """The PostgreSQL server to create the database on, as the test run names it."""
    for name in ("PROD_CHECK_POSTGRES_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("postgres://", "postgresql://")):
            return urllib.parse.urlsplit(url)._replace(path="/postgres").geturl()
    return DEFAULT_SERVER


def as_role(url: str, role: str, database: str) -> str:
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    port = parts.port or 5432
    return f"postgres://{role}@{host}:{port}/{database}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def totp_code(secret: str, moment: float | None = None) -> str:
    """RFC 6238, as a phone's authenticator app computes it (six digits, 30 seconds, SHA-1),
    written out here rather than borrowed from allauth so that the check does not grade
    allauth's codes with allauth's own arithmetic."""
    counter = int((time.time() if moment is None else moment) // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


class LoopbackStandsInForTls(http.cookiejar.DefaultCookiePolicy):
    """Production cookies are Secure; on loopback, plain HTTP stands in for the TLS proxy."""

    def return_ok_secure(self, cookie, request):
        loopback = urllib.parse.urlsplit(request.get_full_url()).hostname == "127.0.0.1"
        return loopback or super().return_ok_secure(cookie, request)


class Browser:
    """A person's browser: a cookie jar, following redirects, reading forms' CSRF tokens."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        jar = http.cookiejar.CookieJar(policy=LoopbackStandsInForTls())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def open(self, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.geturl(), response.read().decode(), response
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read().decode(errors="replace"), error

    def page(self, path: str, **headers) -> str:
        status, _, body, _ = self.open(path, headers=headers)
        if status != 200:
            raise CheckFailed(f"GET {path} answered {status}, not 200")
        return body

    def submit(self, path: str, fields: dict) -> tuple[int, str, str]:
        """Fill in the form on `path` as a person would: its CSRF token comes with it."""
        form = self.page(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        if token is None:
            raise CheckFailed(f"the form at {path} has no CSRF token")
        status, url, body, _ = self.open(
            path, {"csrfmiddlewaretoken": token.group(1), **fields}, {"Referer": self.base_url}
        )
        return status, urllib.parse.urlsplit(url).path, body

    def sign_in(self, email: str, password: str, totp_secret: str) -> None:
        status, landed, _ = self.submit("/accounts/login/", {"login": email, "password": password})
        if landed != "/accounts/2fa/authenticate/":
            raise CheckFailed(
                f"{email}: the password led to {landed} ({status}), not the code page"
            )
        status, landed, _ = self.submit(
            "/accounts/2fa/authenticate/", {"code": totp_code(totp_secret)}
        )
        if (status, landed) != (200, "/"):
            raise CheckFailed(f"{email}: the one-time code led to {landed} ({status}), not home")


class Stack:
    """What the check starts, so that all of it is stopped and dropped however the check ends."""

    def __init__(self):
        self.suffix = f"{os.getpid()}_{secrets.token_hex(3)}"
        self.database = f"partnerhub_prod_check_{self.suffix}"
        self.owner = f"partnerhub_check_owner_{self.suffix}"
        self.app_role = f"partnerhub_check_app_{self.suffix}"
        self.server = server_url()
        self.directory = Path(tempfile.mkdtemp(prefix="partnerhub-prod-check-"))
        self.mail = self.directory / "mail"
        self.metrics_dir = self.directory / "prometheus"
        for folder in (self.mail, self.metrics_dir, self.directory / "media"):
            folder.mkdir()
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.metrics_token = secrets.token_urlsafe(32)
        self.secret_key = "prod-check-" + secrets.token_urlsafe(48)
        self.cache_prefix = f"prodcheck{self.suffix}"
        self.processes: dict[str, subprocess.Popen] = {}
        self.finished: dict[str, subprocess.Popen] = {}
        self.created_database = False

    # The environment a systemd unit's EnvironmentFile gives every process.
    def environment(self, *, as_owner: bool = False) -> dict:
        inherited = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(
                ("DJANGO_", "PARTNERHUB_", "DATABASE_", "CACHE_URL", "EMAIL_URL", "TASKS_")
            )
            and not key.startswith(("AUDIT_", "COMPLIANCE_", "PROMETHEUS_"))
        }
        app_url = as_role(self.server, self.app_role, self.database)
        owner_url = as_role(self.server, self.owner, self.database)
        return {
            **inherited,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": self.secret_key,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            # Plain HTTP on loopback: in production TLS ends at the proxy in front.
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_LOG_FORMAT": "json",
            "DATABASE_URL": owner_url if as_owner else app_url,
            "DATABASE_OWNER_URL": owner_url,
            "CACHE_URL": f"{REDIS_URL}?key_prefix={self.cache_prefix}",
            "EMAIL_URL": "filemail://",
            "PARTNERHUB_OUTBOX_DIR": str(self.mail),
            "PARTNERHUB_MEDIA_ROOT": str(self.directory / "media"),
            "PARTNERHUB_SITE_URL": self.base_url,
            "PARTNERHUB_MFA_REQUIRED": "true",
            "PARTNERHUB_METRICS_TOKEN": self.metrics_token,
            "PROMETHEUS_MULTIPROC_DIR": str(self.metrics_dir),
            "TASKS_BACKEND": "django_tasks_db.backend.DatabaseBackend",
            "AUDIT_CHECKPOINT_KEY": "prod-check-" + self.suffix,
            "AUDIT_CHECKPOINT_DIR": str(self.directory / "checkpoints"),
            "COMPLIANCE_EMAIL": "compliance@prod-check.invalid",
        }

    def admin(self):
        return psycopg.connect(self.server, autocommit=True, connect_timeout=5)

    def create_database(self) -> None:
        with self.admin() as connection:
            # The owner may create roles, as a managed PostgreSQL service allows, but is no
            # superuser: create_app_role must work with what production has.
            connection.execute(
                sql.SQL("CREATE ROLE {} LOGIN CREATEROLE").format(sql.Identifier(self.owner))
            )
            connection.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(self.database), sql.Identifier(self.owner)
                )
            )
        self.created_database = True

    def query(self, statement: str, parameters=()) -> list[tuple]:
        url = as_role(self.server, self.owner, self.database)
        with psycopg.connect(url, connect_timeout=5) as connection:
            return connection.execute(statement, parameters).fetchall()

    def manage(
        self, *args: str, as_owner: bool = False, timeout: int = 180, extra: dict | None = None
    ) -> str:
        started = time.monotonic()
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env={**self.environment(as_owner=as_owner), **(extra or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise CheckFailed(
                f"manage.py {args[0]} exited {result.returncode}:\n{result.stderr[-3000:]}"
            )
        say(f"manage.py {' '.join(args[:2])} ({time.monotonic() - started:.1f}s)")
        return result.stdout

    def start(self, name: str, command: list[str]) -> None:
        log = (self.directory / f"{name}.log").open("w")
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log(self, name: str) -> str:
        path = self.directory / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def finish(self, name: str, timeout: float) -> None:
        """Wait for a one-off process started alongside others; it must succeed."""
        process = self.processes.pop(name)
        self.finished[name] = process
        process.wait(timeout=timeout)
        if process.returncode != 0:
            raise CheckFailed(f"{name} exited {process.returncode}:\n{self.log(name)[-3000:]}")
        say(f"manage.py {name}")

    def still_running(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise CheckFailed(
                    f"{name} stopped (exit {process.returncode}):\n{self.log(name)[-3000:]}"
                )

    def stop(self) -> None:
        everything = [*self.processes.values(), *self.finished.values()]
        for process in everything:
            if process.poll() is None:
                with suppress(ProcessLookupError):
                    process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in everything:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def drop(self) -> None:
        if self.created_database:
            with self.admin() as connection:
                connection.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(self.database)
                    )
                )
        with self.admin() as connection:
            for role in (self.app_role, self.owner):
                connection.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
        with suppress(redis.RedisError):
            cache = redis.Redis.from_url(REDIS_URL, socket_timeout=3)
            keys = list(cache.scan_iter(f"{self.cache_prefix}*"))
            if keys:
                cache.delete(*keys)
        shutil.rmtree(self.directory, ignore_errors=True)


# Run by `manage.py shell` as the owner: a little data through the services (the demo's people
# and directory, a case, a forum), and an authenticator for those who sign in, as enrolment
# would give them. The whole demo (seed_demo) would take minutes on a busy machine.
SEED = """
import json, os
from allauth.mfa.totp.internal.auth import TOTP
from agencies import demo
from agencies.models import User
from tests.factories import CaseFactory, ForumFactory
demo.seed()
people = {email: User.objects.get(email=email) for email in json.loads(os.environ["PROD_CHECK_PEOPLE"])}
for email, secret in json.loads(os.environ["PROD_CHECK_SECRETS"]).items():
    TOTP.activate(people[email], secret)
officer, compliance, organiser = people.values()
case = CaseFactory(actor=officer)
forum = ForumFactory(
    name="Production check MARAC", organiser_email="marac@prod-check.invalid",
    members=[officer, compliance], actor=organiser,
)
print(json.dumps({"case": case.pk, "forum": forum.pk, "password": demo.DEMO_PASSWORD}))
"""


def wait_for(what: str, ready, stack: Stack, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stack.still_running()
        if ready():
            return
        time.sleep(0.5)
    raise CheckFailed(f"{what}: not within {timeout:.0f} seconds")


def healthy(browser: Browser) -> bool:
    try:
        return browser.open("/healthz")[0] == 200
    except OSError:
        return False


def check_redis() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=3).ping()
    except redis.RedisError as problem:
        raise CheckFailed(f"Redis at {REDIS_URL} does not answer: {problem}") from None


def prepare(stack: Stack) -> dict:
    stack.create_database()
    say(f"database {stack.database} created, owned by {stack.owner}")
    # Static files do not need the database: collected while it is migrated.
    stack.start("collectstatic", [PYTHON, "manage.py", "collectstatic", "--no-input"])
    stack.manage("migrate", "--no-input", as_owner=True, timeout=300)
    stack.manage("createcachetable", as_owner=True)
    stack.manage("create_app_role", "--role", stack.app_role, as_owner=True)
    totp_secrets = {
        email: base64.b32encode(secrets.token_bytes(20)).decode()
        for email in (OFFICER, COMPLIANCE, ORGANISER)
    }
    seeded = stack.manage(
        "shell", "-c", SEED, as_owner=True,
        extra={
            "PROD_CHECK_PEOPLE": json.dumps([OFFICER, COMPLIANCE, ORGANISER]),
            "PROD_CHECK_SECRETS": json.dumps(totp_secrets),
        },
    )  # fmt: skip
    stack.finish("collectstatic", timeout=300)
    return {**json.loads(seeded.strip().splitlines()[-1]), "secrets": totp_secrets}


def control_socket(stack: Stack) -> list[str]:
    # Gunicorn 27 opens a control socket in the home directory; a run's own keeps two checks
    # (or a check and another gunicorn) from taking each other's.
    if gunicorn.version_info < (27,):
        return []
    return ["--control-socket", str(stack.directory / "gunicorn.ctl")]


def start_services(stack: Stack, browser: Browser) -> None:
    stack.start(
        "gunicorn",
        [
            GUNICORN, "config.wsgi", "--workers", str(WORKERS),
            "--bind", f"127.0.0.1:{stack.port}", "--timeout", "60",
            *control_socket(stack),
        ],
    )  # fmt: skip
    stack.start("worker", [PYTHON, "manage.py", "db_worker", "--interval", "0.5"])
    wait_for("gunicorn answering /healthz", lambda: healthy(browser), stack, timeout=60)
    say(f"gunicorn ({WORKERS} workers) and the task worker are up on {stack.base_url}")


def run_timers(stack: Stack) -> None:
    for command in (
        "audit_checkpoint",
        "send_reminders",
        "circulate_case_lists",
        "chase_referrals",
        "send_calendar_messages",
    ):
        stack.manage(command)


def open_pages(stack: Stack, seeded: dict) -> str:
    officer = Browser(stack.base_url)
    officer.sign_in(OFFICER, seeded["password"], seeded["secrets"][OFFICER])
    case_page = f"/cases/{seeded['case']}/"
    for path in ("/", "/directory/", "/cases/mine/", "/forums/", "/meetings/mine/", "/healthz"):
        officer.page(path)
    request_id = f"prod-check-{stack.suffix}".replace("_", "-")
    officer.page(case_page, **{"X-Request-ID": request_id})
    compliance = Browser(stack.base_url)
    compliance.sign_in(COMPLIANCE, seeded["password"], seeded["secrets"][COMPLIANCE])
    for path in ("/audit/", "/reports/", "/reports/monthly/"):
        compliance.page(path)
    say("signed in with one-time codes and opened the main pages")
    return request_id


def scrape_metrics(stack: Stack) -> None:
    scraper = Browser(stack.base_url)
    if scraper.open("/metrics")[0] != 401:
        raise CheckFailed("/metrics answered without the token")
    # Enough scrapes that more than one worker answers: each must add up every worker's counts.
    for _ in range(WORKERS * 2):
        text = scraper.page("/metrics", Authorization=f"Bearer {stack.metrics_token}")
        served = re.search(
            r'^partnerhub_http_requests_total\{method="GET",status="2xx",view="home"\} (\S+)$',
            text,
            re.MULTILINE,
        )
        if served is None or float(served.group(1)) < 2:
            raise CheckFailed(f"/metrics does not count both sign-ins' home pages:\n{text[:2000]}")
    for name in (
        "partnerhub_task_queue_length",
        "partnerhub_notification_emails_failed",
        "partnerhub_audit_checkpoint_age_seconds",
    ):
        if name not in text:
            raise CheckFailed(f"/metrics has no {name}")
    say("/metrics refuses without the token and adds up the workers' counts with it")


def calendar_mail_in(directory: Path) -> set[tuple[str, str]]:
    """(recipient, subject) of each message with a calendar part in the file backend's files."""
    found = set()
    for path in directory.glob("*.log"):
        for text in path.read_bytes().split(MESSAGE_SEPARATOR):
            message = email.message_from_bytes(text.strip(), policy=email.policy.default)
            if not any(part.get_content_type() == "text/calendar" for part in message.walk()):
                continue
            for address in message.get_all("To", []):
                for recipient in address.addresses:
                    found.add((recipient.addr_spec, str(message["Subject"])))
    return found


def send_invitation(stack: Stack, seeded: dict) -> None:
    # The organiser adds a meeting on the forum's page; the web process queues its invitations
    # when the transaction commits, and the worker sends them.
    organiser = Browser(stack.base_url)
    organiser.sign_in(ORGANISER, seeded["password"], seeded["secrets"][ORGANISER])
    day = datetime.date.today() + datetime.timedelta(days=9)
    status, landed, _ = organiser.submit(
        f"/forums/{seeded['forum']}/meetings/new/",
        {
            "title": "Production check meeting",
            "date-day": day.day, "date-month": day.month, "date-year": day.year,
            "start_time": "10:00", "end_time": "11:00",
            "location": "Room 4, Civic Centre", "online_url": "",
        },
    )  # fmt: skip
    added = re.fullmatch(r"/meetings/(\d+)/", landed)
    if status != 200 or added is None:
        raise CheckFailed(f"adding a meeting led to {landed} ({status}), not the meeting's page")
    meeting = int(added.group(1))
    expected = set(
        stack.query(
            "SELECT recipient_email, subject FROM meetings_calendarmessage WHERE meeting_id = %s",
            [meeting],
        )
    )
    if not expected:
        raise CheckFailed(f"meeting {meeting} was scheduled with no invitations queued")

    def delivered() -> bool:
        return expected <= calendar_mail_in(stack.mail)

    wait_for("the worker delivering the meeting's invitations", delivered, stack, timeout=90)
    say(f"the worker delivered {len(expected)} calendar invitations to the mail directory")


def check_logs(stack: Stack, request_id: str) -> None:
    lines = []
    for raw in stack.log("gunicorn").splitlines():
        if raw.startswith("{"):
            with suppress(json.JSONDecodeError):
                lines.append(json.loads(raw))
    requests = [line for line in lines if line.get("logger") == "partnerhub.requests"]
    if not requests or not all(line.get("request_id") for line in requests):
        raise CheckFailed("gunicorn's log has no JSON request lines, each with a request id")
    ours = [line for line in requests if line["request_id"] == request_id]
    if [line.get("path") for line in ours] != ["/cases/<int:pk>/"]:
        raise CheckFailed(f"the case page's request {request_id} is not logged once by route")
    audited = stack.query(
        "SELECT count(*) FROM audit_auditevent WHERE request_id = %s AND verb = 'viewed'",
        [request_id],
    )[0][0]
    if audited != 1:
        raise CheckFailed(f"the case page's audit event does not carry request id {request_id}")
    say(f"{len(requests)} JSON request lines with ids; the audit event carries its request's id")


def main() -> int:
    started = time.monotonic()
    stack = Stack()
    try:
        check_redis()
        seeded = prepare(stack)
        browser = Browser(stack.base_url)
        start_services(stack, browser)
        run_timers(stack)
        request_id = open_pages(stack, seeded)
        scrape_metrics(stack)
        send_invitation(stack, seeded)
        check_logs(stack, request_id)
        stack.still_running()
    except (CheckFailed, subprocess.TimeoutExpired, psycopg.Error, OSError) as failure:
        say(f"FAILED: {failure}")
        for name in [*stack.processes, *stack.finished]:
            print(f"--- the last of {name}'s log ---\n{stack.log(name)[-4000:]}", file=sys.stderr)
        return 1
    finally:
        stack.stop()
        stack.drop()
    say(f"passed in {time.monotonic() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

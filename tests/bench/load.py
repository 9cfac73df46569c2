"""`make load`: fifty simulated people against gunicorn with four workers on the seeded PostgreSQL
bench database, with production settings (debug off, manifest static files, a shared database
cache, tasks queued in the database), for LOAD_SECONDS (two minutes by default), after a
warm-up of LOAD_WARM_UP_SECONDS (30 by default) whose figures are not kept: a worker just
started builds each template and URL pattern on first use, which a server in service has long
done, and the page benchmark warms each page up for the same reason.

Sessions: LOAD_SIGN_INS of the people (10 by default) sign in through the real allauth pages,
password and authenticator code; the others start from a session made for them beforehand. All
the simulated people share 127.0.0.1, and the sign-in is limited to 30 attempts a minute from
one address (ACCOUNT_RATE_LIMITS), so fifty real sign-ins in the first seconds would be refused
after the thirtieth; a real office behind one address would meet the same limit.

Traffic stays on 127.0.0.1. The result goes into bench-results.json under "load".
"""

import csv
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench import database as bench_database  # noqa: E402

USERS = int(os.environ.get("LOAD_USERS", "50"))
WORKERS = 4
PORT = int(os.environ.get("LOAD_PORT", "8765"))
HOST = f"http://127.0.0.1:{PORT}"
# The roles whose people work in Partnerhub every day, in proportion to how many there are.
ROLES = ["safeguarding officer"] * 5 + ["safeguarding manager"] * 2 + ["partnership manager"] * 2


def production_environment(database_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_DEBUG": "false",
        # The key the bench database was seeded under (the Makefile's): calendar feed addresses
        # are derived from it, and a feed asked for under another key is rightly not found.
        "DJANGO_SECRET_KEY": os.environ.get(
            "DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production"
        ),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "DATABASE_OWNER_URL": "",
        "CACHE_URL": "dbcache://partnerhub_cache",
        "EMAIL_URL": "memorymail://",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PARTNERHUB_SITE_URL": HOST,
    }


def _pages_for(role: str, landmarks) -> list[tuple[str, str]]:
    from tests.bench.pages import PAGES

    pages = []
    for page in PAGES:
        if page.role != role:
            continue
        try:
            pages.append((page.label, page.url(landmarks)))
        except AttributeError as missing:
            print(f"Left out of the load, its address unknown: {page.label} ({missing})")
    return pages


def plan(sign_ins: int) -> dict:
    """Who the simulated people are: distinct seeded people in the everyday roles, the pages
    their role reads, the cases each may write a note on, and a session or a way to sign in."""
    from django.contrib.auth.models import Group
    from django.test import Client

    from agencies.models import User
    from home.scale import SCALE_PASSWORD, totp_secret_for
    from home.scale import landmarks as scale_landmarks
    from sharing.permissions import cases_changeable_by

    landmarks = scale_landmarks()
    waiting = {
        role: list(
            User.objects.filter(groups=Group.objects.get(name=role), is_active=True).order_by("pk")
        )
        for role in set(ROLES)
    }
    # Each role in turn, by its share; a role whose people have all been taken is passed over.
    turns = (role for number in itertools.count() for role in [ROLES[number % len(ROLES)]])
    people = []
    taken = set()
    while len(people) < USERS:
        if not any(waiting.values()):
            raise RuntimeError(f"Fewer than {USERS} people in the roles {sorted(set(ROLES))}")
        role = next(turns)
        if not waiting[role]:
            continue
        person = waiting[role].pop(0)
        if person.pk in taken:
            continue
        number = len(people)
        taken.add(person.pk)
        entry = {
            "email": person.email,
            "role": role,
            "pages": _pages_for(role, landmarks),
            "cases": list(
                cases_changeable_by(user=person).order_by("pk").values_list("pk", flat=True)[:5]
            ),
        }
        if number < sign_ins:
            entry["password"] = SCALE_PASSWORD
            entry["totp_secret"] = totp_secret_for(person.email)
        else:
            client = Client()
            client.force_login(person)
            entry["session"] = client.cookies["sessionid"].value
        people.append(entry)
    return {"people": people}


def _wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer on {url}")


def _summary(stats_csv: Path, seconds: int, warm_up_seconds: int, sign_ins: int) -> dict:
    with stats_csv.open() as file:
        rows = list(csv.DictReader(file))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    slowest = sorted(
        (row for row in rows if row["Name"] != "Aggregated"),
        key=lambda row: float(row["95%"]),
        reverse=True,
    )[:5]
    return {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "users": USERS,
        "gunicorn_workers": WORKERS,
        "seconds": seconds,
        "warm_up_seconds": warm_up_seconds,
        "signed_in_through_the_pages": sign_ins,
        "requests": int(total["Request Count"]),
        "requests_per_second": round(float(total["Requests/s"]), 2),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "errors": int(total["Failure Count"]),
        "slowest_by_p95": [
            {
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "p95_ms": float(row["95%"]),
            }
            for row in slowest
        ],
    }


def main() -> int:
    database = bench_database.chosen()
    if not database.is_postgresql:
        print("make load needs the PostgreSQL bench database: start PostgreSQL", file=sys.stderr)
        return 2
    seconds = int(os.environ.get("LOAD_SECONDS", "120"))
    warm_up_seconds = int(os.environ.get("LOAD_WARM_UP_SECONDS", "30"))
    sign_ins = int(os.environ.get("LOAD_SIGN_INS", "10"))
    environment = production_environment(database.url)
    os.environ.update(environment)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    if bench_database.seeded_size() is None:
        print("The bench database is not seeded yet: run `make bench` first", file=sys.stderr)
        return 2
    call_command("collectstatic", "--no-input", verbosity=0)
    call_command("createcachetable", verbosity=0)
    work = Path(tempfile.mkdtemp(prefix="partnerhub-load-"))
    plan_file = work / "plan.json"
    plan_file.write_text(json.dumps(plan(sign_ins)))
    # The warm-up signs nobody in: an authenticator code is accepted once, and the measured
    # run's sign-ins may fall in the same thirty seconds.
    warm_up_plan_file = work / "warm-up-plan.json"
    warm_up_plan_file.write_text(json.dumps(plan(0)))
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen(
        [bin_dir / "gunicorn", "config.wsgi", "--workers", str(WORKERS), "--bind",
         f"127.0.0.1:{PORT}", "--log-level", "warning"],
        cwd=ROOT, env=environment,
    )  # fmt: skip
    try:
        _wait_for(f"{HOST}/healthz", 60)

        def locust(run_seconds: int, csv_prefix: str, people: Path) -> None:
            subprocess.run(
                [bin_dir / "locust", "-f", ROOT / "tests/bench/locustfile.py", "--headless",
                 "--users", str(USERS), "--spawn-rate", "10", "--run-time", f"{run_seconds}s",
                 "--host", HOST, "--csv", work / csv_prefix, "--only-summary",
                 "--stop-timeout", "10"],
                cwd=ROOT, env={**environment, "BENCH_LOAD_PLAN": str(people)}, check=False,
            )  # fmt: skip

        if warm_up_seconds:
            locust(warm_up_seconds, "warm-up", warm_up_plan_file)
        locust(seconds, "load", plan_file)
    finally:
        server.terminate()
        server.wait(timeout=30)
    from tests.bench import results

    outcome = _summary(work / "load_stats.csv", seconds, warm_up_seconds, sign_ins)
    recorded = results.previous_results()
    recorded["load"] = outcome
    results.write(recorded)
    print(json.dumps(outcome, indent=2))
    return 0 if outcome["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

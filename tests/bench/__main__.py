"""`make bench`: every listing and showing page against its floor, and the operations that
must stay fast, on a database seeded at national scale (docs/performance.md).

PostgreSQL when it answers, at BENCH_SIZE=uk; otherwise SQLite at BENCH_SIZE=small. The seeded
database is kept for the next run of the same size (BENCH_RESEED=true seeds it again).
BENCH_ONLY=text measures only the pages and operations whose label holds that text (several
texts separated by |, since labels hold commas), and updates only their entries in bench-results.json.
Speed is measured here, never asserted in the test suite.
"""

import os
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench import database as bench_database  # noqa: E402

# Slow enough to be worth its plan: over this, or over this many times its floor.
EXPLAIN_OVER_MS = 50
EXPLAIN_OVER_RATIO = 3
# A statement that takes longer than this to plan is named under its page.
PLANNING_OVER_MS = 2


def _configure(database: bench_database.BenchDatabase) -> None:
    os.environ["DATABASE_URL"] = database.url
    # migrate and the seed run as the connection's own user here: the bench database is not a
    # deployment, and has no separate owner.
    os.environ["DATABASE_OWNER_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    django.setup()
    # Debug keeps every query in memory and wraps each in a timer of its own; production runs
    # with it off, and so do the pages here.
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.bench.urls"
    # The invitation fan-out sends forty e-mails a run; they are kept in memory, not printed.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # As config/wsgi.py does for every web process.
    from core import startup

    startup.settle()


def _selected(label: str) -> bool:
    wanted = [text.strip() for text in os.environ.get("BENCH_ONLY", "").lower().split("|")]
    return any(text in label.lower() for text in wanted)


def _person_for(role: str, landmarks):
    """The person the landmarks name for the role (the busiest in it), else anyone in it."""
    from agencies.models import User
    from tests.bench import floor

    if role in landmarks.users:
        return User.objects.get(pk=landmarks.users[role])
    return floor.person_in_role(role)


def measure_pages(on_postgresql: bool, failures: list) -> list[dict]:
    from home.scale import landmarks as scale_landmarks
    from tests.bench import floor, results
    from tests.bench.pages import PAGES

    landmarks = scale_landmarks()
    clients = {}
    measured = []
    for page in PAGES:
        if not _selected(page.label):
            continue
        label = page.label
        try:
            if page.role not in clients:
                clients[page.role] = floor.client_for(_person_for(page.role, landmarks))
            measurement = floor.measure_page(label, clients[page.role], page.url(landmarks))
        except Exception as failure:
            failures.append({"label": label, "error": repr(failure)})
            traceback.print_exc()
            continue
        plan = None
        slow = (
            measurement.page.median_ms > EXPLAIN_OVER_MS or measurement.ratio > EXPLAIN_OVER_RATIO
        )
        if on_postgresql and slow and measurement.slowest_statement is not None:
            plan = floor.explain(measurement.slowest_statement)
        planning = (
            [(read, floor.planning_milliseconds(read)) for read in measurement.reads]
            if on_postgresql
            else None
        )
        entry = results.page_entry(measurement, plan, planning)
        measured.append(entry)
        print(
            f"{label:60} p50 {entry['p50_ms']:8.1f}  p95 {entry['p95_ms']:8.1f}  "
            f"floor {entry['floor_ms']:7.1f}  ratio {entry['ratio']:5.1f}×"
            + (f"  planning {entry['planning_ms']:5.1f}" if planning else ""),
            flush=True,
        )
        longest = entry.get("longest_to_plan")
        if longest and longest["planning_ms"] > PLANNING_OVER_MS:
            print(
                f"    a statement takes {longest['planning_ms']:.1f} ms to plan, of "
                f"{longest['milliseconds']:.1f} ms in the page: {longest['sql'][:80]}…",
                flush=True,
            )
    return measured


def measure_operations(failures: list) -> list[dict]:
    from tests.bench import results, scenarios

    measured = []
    for operation in scenarios.ALL:
        name = operation.__name__.replace("_", " ")
        if not _selected(name):
            continue
        try:
            outcome = operation()
        except Exception as failure:
            failures.append({"label": name, "error": repr(failure)})
            traceback.print_exc()
            continue
        entry = results.operation_entry(outcome)
        measured.append(entry)
        print(
            f"{entry['label']:60} p50 {entry['p50_ms']:8.1f}  p95 {entry['p95_ms']:8.1f}",
            flush=True,
        )
    return measured


def main() -> int:
    try:
        database = bench_database.chosen()
        reseed = os.environ.get("BENCH_RESEED", "").lower() in {"1", "true", "yes"}
        bench_database.prepare(database, reseed=reseed)
        _configure(database)
        print(f"Benchmark on {database.url} at size {database.size}", flush=True)
        if bench_database.seed_unless_seeded(database, stdout=sys.stdout):
            print(f"Seeded at size {database.size}", flush=True)
    except bench_database.BenchDatabaseError as problem:
        print(problem, file=sys.stderr)
        return 2
    from tests.bench import results

    failures: list = []
    pages = measure_pages(database.is_postgresql, failures)
    operations = measure_operations(failures)
    outcome = results.bench_results(
        size=database.size,
        pages=pages,
        operations=operations,
        failures=failures,
        partial=bool(os.environ.get("BENCH_ONLY")),
    )
    results.write(outcome)
    print()
    print(results.report(outcome))
    print(f"\nWritten to {results.RESULTS_FILE.name}")
    if failures:
        print(f"{len(failures)} measurement(s) failed: {[f['label'] for f in failures]}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

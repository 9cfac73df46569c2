"""`make bench`: time the pages and operations that must stay fast as data grows.

Runs against a throw-away SQLite database (or DATABASE_URL when set to PostgreSQL), fills it
at production-like scale, and prints the median and 95th percentile of each measurement.
Speed is measured here, never asserted in the test suite.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"


def measure(label, action, repeat=30):
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"{label:55} median {statistics.median(timings):8.2f} ms   p95 {p95:8.2f} ms")


def main():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tests.bench import scenarios

    for scenario in scenarios.ALL:
        scenario(measure)


if __name__ == "__main__":
    main()

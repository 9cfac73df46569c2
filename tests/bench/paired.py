"""Two versions of the code, one request at a time each, on the same bench database.

    make bench-compare BASE=../partnerhub-before PAGES="partnership activity report|audit log"

This shared machine's speed drifts by a third within a minute, more than most changes are
worth, so two whole runs of `make bench` cannot tell a few milliseconds apart. Here one process
serves the page from this checkout and another from the checkout at `--base` (a `git worktree`
of the commit before a change, say), both signed in as the page's person, and they take turns
request by request, the first of each pair alternating: each pair of requests sees the same
moment of the machine. It prints each version's p50 and p95 and the median of the pairs'
differences, which is what a change is worth.

Both run this checkout's interpreter and installed packages against the bench database `make
bench` seeded; only the project's own code comes from each checkout. A change to the database's
schema (an index) is in the database for both, so it is measured by its statements instead.
"""

import argparse
import logging
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tests.bench.timing import Summary

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 60
_READY = "ready"


def _serve(label: str) -> None:
    """The worker: sign in as the page's person, warm the page up, then answer each line on
    stdin with one request's milliseconds."""
    from tests.bench import database as bench_database
    from tests.bench.__main__ import _configure, _person_for

    _configure(bench_database.chosen())
    # Each request's log line would go to the terminal the comparison prints to.
    logging.disable(logging.INFO)
    from home.scale import landmarks as scale_landmarks
    from tests.bench import floor
    from tests.bench.pages import PAGES

    landmarks = scale_landmarks()
    (page,) = [page for page in PAGES if page.label == label]
    client = floor.client_for(_person_for(page.role, landmarks))
    url = page.url(landmarks)
    for _ in range(3):
        client.get(url)
    print(_READY, flush=True)
    for _ in sys.stdin:
        started = time.perf_counter()
        status = client.get(url).status_code
        elapsed = (time.perf_counter() - started) * 1000
        print(f"{elapsed:.3f}" if status == 200 else f"status {status}", flush=True)


class _Worker:
    def __init__(self, checkout: Path, label: str):
        # This file serves, so a checkout from before it existed can be compared; run from the
        # checkout's folder, `-c` puts that folder first on the path, so its code is imported.
        serve = (
            f"import runpy, sys; sys.argv = ['paired', '--serve', '--pages', {label!r}]; "
            f"runpy.run_path({str(Path(__file__).resolve())!r}, run_name='__main__')"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", serve],
            cwd=checkout,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for line in self.process.stdout:
            if line.strip() == _READY:
                return
        raise RuntimeError(f"{checkout} did not start serving {label!r}")

    def request(self) -> float:
        self.process.stdin.write("go\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        try:
            return float(answer)
        except ValueError:
            raise RuntimeError(f"The page answered {answer!r}") from None

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def turns(requests: int):
    """Which version asks first in each pair: each in turn, so neither always meets the
    machine a moment later than the other."""
    for number in range(requests):
        yield ("base", "this") if number % 2 == 0 else ("this", "base")


def report(label: str, timings: dict[str, list[float]]) -> str:
    """Each version's p50 and p95, and the median of the pairs' differences: a drift of the
    machine's speed moves both requests of a pair, and leaves their difference."""
    differences = [this - base for base, this in zip(timings["base"], timings["this"], strict=True)]
    quicker = sum(1 for difference in differences if difference < 0)
    base, this = Summary.of(timings["base"]), Summary.of(timings["this"])
    return (
        f"{label}: base p50 {base.median_ms:.1f} p95 {base.p95_ms:.1f} | "
        f"this p50 {this.median_ms:.1f} p95 {this.p95_ms:.1f} | "
        f"difference, median of {len(differences)} pairs, "
        f"{statistics.median(differences):+.1f} ms; this quicker in {quicker}"
    )


def compare(base: Path, label: str, requests: int) -> str:
    workers = {"base": _Worker(base, label), "this": _Worker(ROOT, label)}
    timings = {"base": [], "this": []}
    try:
        for order in turns(requests):
            for side in order:
                timings[side].append(workers[side].request())
    finally:
        for worker in workers.values():
            worker.stop()
    return report(label, timings)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", required=True, help="labels from tests/bench/pages.py, by |")
    parser.add_argument("--base", type=Path, help="the other checkout")
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    labels = [label.strip() for label in arguments.pages.split("|") if label.strip()]
    if arguments.serve:
        _serve(labels[0])
        return 0
    if arguments.base is None:
        parser.error("--base names the checkout to compare this one with")
    for label in labels:
        print(compare(arguments.base.resolve(), label, arguments.requests), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""bench-results.json and the printed table: what was measured, on what, over how much data."""

import json
import os
import platform
import sqlite3
from pathlib import Path

from django.apps import apps
from django.db import connection
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]
RESULTS_FILE = ROOT / "bench-results.json"

# The tables whose size decides what the pages cost.
COUNTED_TABLES = [
    "agencies.Agency",
    "agencies.Contact",
    "agencies.User",
    "sharing.Case",
    "sharing.CaseIndicator",
    "sharing.CaseNote",
    "sharing.Referral",
    "sharing.Consent",
    "sharing.Disclosure",
    "meetings.Forum",
    "meetings.Meeting",
    "meetings.Attendance",
    "meetings.Action",
    "notifications.Notification",
    "audit.AuditEvent",
]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                kilobytes = int(line.split()[1])
                return f"{kilobytes / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _database_version() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return cursor.fetchone()[0]
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version
    return "unknown"


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory": _memory(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "database": connection.vendor,
        "database_version": _database_version(),
    }


def row_counts() -> dict:
    return {label: apps.get_model(label).objects.count() for label in COUNTED_TABLES}


def page_entry(measurement, plan: str | None, planning: list[tuple] | None = None) -> dict:
    """The page's entry. On PostgreSQL `planning` pairs each statement the page reads with the
    milliseconds it takes to plan: their total, and the statement longest to plan."""
    entry = {
        "label": measurement.label,
        "url": measurement.url,
        "p50_ms": round(measurement.page.median_ms, 2),
        "p95_ms": round(measurement.page.p95_ms, 2),
        "requests": measurement.page.runs,
        "signed_in_view_p50_ms": round(measurement.signed_in_view.median_ms, 2),
        "sql_replay_p50_ms": round(measurement.sql_replay.median_ms, 2),
        "floor_ms": round(measurement.floor_ms, 2),
        "ratio": round(measurement.ratio, 2),
        "p95_ratio": round(measurement.p95_ratio, 2),
        "queries": measurement.statements,
        "queries_replayed": measurement.statements_replayed,
    }
    if planning:
        entry["planning_ms"] = round(sum(milliseconds for _, milliseconds in planning), 2)
        statement, milliseconds = max(planning, key=lambda pair: pair[1])
        entry["longest_to_plan"] = {
            "sql": statement.sql,
            "planning_ms": round(milliseconds, 2),
            "milliseconds": round(statement.milliseconds, 2),
        }
    if plan is not None:
        entry["slowest_query"] = {
            "sql": measurement.slowest_statement.sql,
            "milliseconds": round(measurement.slowest_statement.milliseconds, 2),
            "plan": plan,
        }
    return entry


def operation_entry(operation) -> dict:
    return {
        "label": operation.label,
        "p50_ms": round(operation.timing.median_ms, 2),
        "p95_ms": round(operation.timing.p95_ms, 2),
        "runs": operation.timing.runs,
        **{name: round(value, 2) for name, value in operation.extra.items()},
    }


def previous_results() -> dict:
    try:
        return json.loads(RESULTS_FILE.read_text())
    except (OSError, ValueError):
        return {}


def write(results: dict) -> None:
    RESULTS_FILE.write_text(json.dumps(results, indent=2, sort_keys=False) + "\n")


def _updated(earlier: list[dict], measured: list[dict]) -> list[dict]:
    """The earlier entries in their order, each replaced by its new measurement if there is
    one, and the newly measured ones after them."""
    fresh = {entry["label"]: entry for entry in measured}
    kept = [fresh.pop(entry["label"], entry) for entry in earlier]
    return kept + list(fresh.values())


def bench_results(
    *, size: str, pages: list[dict], operations: list[dict], failures: list, partial: bool
) -> dict:
    """The results of this run. A partial run (BENCH_ONLY) of the same size updates its own
    entries in the file and keeps the others, each entry carrying the date it was measured."""
    earlier = previous_results()
    now = timezone.now().isoformat(timespec="seconds")
    for entry in [*pages, *operations]:
        entry["measured_at"] = now
    if partial and earlier.get("size") == size:
        pages = _updated(earlier.get("pages", []), pages)
        operations = _updated(earlier.get("operations", []), operations)
        measured = {entry["label"] for entry in [*pages, *operations]}
        failures = [
            *(f for f in earlier.get("failures", []) if f["label"] not in measured),
            *failures,
        ]
    results = {
        "date": now,
        "machine": machine(),
        "size": size,
        "rows": row_counts(),
        "pages": pages,
        "operations": operations,
        "failures": failures,
    }
    # `make load` runs on its own; its latest result stays with the page timings.
    if "load" in earlier:
        results["load"] = earlier["load"]
    return results


def table(results: dict) -> str:
    """The results as a Markdown table, for the terminal and docs/performance.md alike."""
    lines = [
        "| Page | p50 ms | p95 ms | floor ms | ratio | p95 / floor | queries |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {page['label']} | {page['p50_ms']:.1f} | {page['p95_ms']:.1f} | "
        f"{page['floor_ms']:.1f} | {page['ratio']:.1f}× | {page['p95_ratio']:.1f}× | "
        f"{page['queries']} |"
        for page in results["pages"]
    ]
    lines += ["", "| Operation | p50 ms | p95 ms | runs | |", "|---|---:|---:|---:|---|"]
    for operation in results["operations"]:
        notes = ", ".join(
            f"{name.replace('_', ' ')} {value:,}"
            for name, value in operation.items()
            if name not in {"label", "p50_ms", "p95_ms", "runs"} and isinstance(value, int | float)
        )
        lines.append(
            f"| {operation['label']} | {operation['p50_ms']:.1f} | {operation['p95_ms']:.1f} | "
            f"{operation['runs']} | {notes} |"
        )
    load = results.get("load")
    if load:
        lines += [
            "",
            "| Load | users | seconds | requests | requests/s | p50 ms | p95 ms | errors |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
            f"| {load['date']} | {load['users']} | {load['seconds']} | {load['requests']:,} | "
            f"{load['requests_per_second']:.1f} | {load['p50_ms']:.0f} | {load['p95_ms']:.0f} | "
            f"{load['errors']} |",
        ]
    return "\n".join(lines)


def report(results: dict) -> str:
    """The machine, the date, the data size and the table, as docs/performance.md keeps them."""
    machine_ = results["machine"]
    rows = ", ".join(f"{label.split('.')[1]} {count:,}" for label, count in results["rows"].items())
    return "\n".join(
        [
            f"Measured {results['date']} on {machine_['cpus']} × {machine_['cpu_model']}, "
            f"{machine_['memory']}, {machine_['os']}, Python {machine_['python']}, "
            f"{machine_['database']} {machine_['database_version']}.",
            "",
            f"Data (size `{results['size']}`): {rows}.",
            "",
            table(results),
        ]
    )

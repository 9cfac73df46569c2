"""Real processes against the test database: management commands and concurrent chain writers."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def process_env(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "true",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "test-only"),
    }


def manage(database_url: str, *args, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**process_env(database_url), **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def run_writers(database_url: str, go_file: Path, writers=3, events=150, without_lock=False):
    """Start `writers` processes, release them together, and return their summaries."""
    command = [sys.executable, "-m", "tests.audit.chain_writer"]
    extra = ["--without-lock"] if without_lock else []
    processes = [
        subprocess.Popen(
            [*command, f"writer-{number}", str(events), str(go_file), *extra],
            cwd=ROOT,
            env=process_env(database_url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for number in range(writers)
    ]
    try:
        for process in processes:
            ready = process.stdout.readline().strip()
            assert ready == "ready", process.stderr.read()
        time.sleep(0.1)
        go_file.touch()
        summaries = []
        for process in processes:
            out, err = process.communicate(timeout=300)
            assert process.returncode == 0, err
            summaries.append(json.loads(out.strip().splitlines()[-1]))
        return summaries
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()


def postgres_url(settings_dict: dict, user: str | None = None, password: str | None = None) -> str:
    user = user or settings_dict["USER"]
    password = settings_dict["PASSWORD"] if password is None else password
    credentials = f"{user}:{password}" if password else user
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or "5432"
    return f"postgres://{credentials}@{host}:{port}/{settings_dict['NAME']}"

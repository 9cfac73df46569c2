"""Two processes share one SQLite file: one disclosing, one granting and revoking consents.

BEGIN IMMEDIATE admits one writer at a time and makes the other wait, so the run ends with no
"database is locked" error and no disclosure dated at or after its consent's revocation.
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

SECONDS = float(os.environ.get("PARTNERHUB_STRESS_SECONDS", "60"))


def _run(env, *args, timeout):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )


@pytest.mark.django_db
def test_two_processes_on_one_sqlite_file_meet_no_lock_error_and_no_violation(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("this is SQLite's locking; PostgreSQL has its own race test")
    database = tmp_path / "stress.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_DEBUG": "true"}
    _run(env, "manage.py", "migrate", "--no-input", timeout=300)
    _run(env, "-m", "tests.consent.sqlite_stress_worker", "setup", timeout=120)
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.consent.sqlite_stress_worker", mode, str(SECONDS)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for mode in ("disclose", "revoke")
    ]
    results, errors = [], []
    for worker in workers:
        out, err = worker.communicate(timeout=SECONDS + 120)
        assert worker.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
        errors.append(err)
    discloser, revoker = results
    # Each lock error's traceback is on the worker's stderr: shown when this fails.
    assert discloser["locked"] == 0 and revoker["locked"] == 0, errors
    assert discloser["disclosed"] > 0 and revoker["granted"] > 0
    with sqlite3.connect(database) as db:
        (violations,) = db.execute(
            "SELECT COUNT(*) FROM sharing_disclosure d JOIN sharing_consent c ON c.id = d.consent_id "
            "WHERE c.revoked_at IS NOT NULL AND d.disclosed_at >= c.revoked_at"
        ).fetchone()
    assert violations == 0

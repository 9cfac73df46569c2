"""One OS process appending audit events, for the concurrent-writer tests.

Run as `python -m tests.audit.chain_writer LABEL COUNT GO_FILE [--without-lock]` with
DATABASE_URL pointing at a real database file or server. It prints "ready", waits for GO_FILE
to appear so that every writer starts together, appends COUNT events and prints a JSON summary.
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main(label: str, count: int, go_file: Path, without_lock: bool):
    import django

    django.setup()
    from django.db import DatabaseError, connection

    from audit import services
    from audit.models import Verb

    if without_lock:
        # The control: no advisory lock on PostgreSQL, plain BEGIN on SQLite.
        services._lock_chain = lambda: None
        connection.settings_dict.get("OPTIONS", {}).pop("transaction_mode", None)
    connection.ensure_connection()
    print("ready", flush=True)
    while not go_file.exists():
        time.sleep(0.005)
    started = time.time()
    written = failed = 0
    for number in range(count):
        try:
            services.record(
                verb=Verb.VIEWED,
                actor_label=label,
                object_type="tests.writer",
                object_id=str(number),
                detail={"writer": label},
            )
            written += 1
        except DatabaseError as failure:
            failed += 1
            last_failure = type(failure).__name__
    print(
        json.dumps(
            {
                "label": label,
                "written": written,
                "failed": failed,
                "failure": last_failure if failed else None,
                "started": started,
                "finished": time.time(),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), "--without-lock" in sys.argv[4:])

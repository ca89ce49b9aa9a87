"""A queue worker killed with -9 mid-task, and the queue recovering, step by step.

    .venv/bin/python bench/ingest_recovery.py [FOLDER] [--articles 12]
        [--database-url postgres://...]

On the PostgreSQL database ``--database-url`` names (emptied first; default the
``summit_ingestscale`` database on 127.0.0.1), with ``SUMMIT_TASKS_BACKEND=database``:
queues ``--articles`` copies of FOLDER's articles (``manage.py ingest --queue``),
starts one ``manage.py db_worker``, kills it with SIGKILL once it has claimed a task,
then prints what an operator sees: ``manage.py ingest_tasks`` (the task stays
``running``), ``ingest_tasks --stale --list-only`` (listed, with the dead worker's id),
``ingest_tasks --stale`` (re-queued), a new ``db_worker --batch`` draining the queue,
and the final state (every task successful, every article stored once).

``--older-than`` is set to a few seconds here so the demonstration is quick; in
production the default (10 minutes) keeps a slow article from being taken for a dead one.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import psycopg
from _setup import ROOT, default_articles
from _setup import manage as run_manage
from ingest_scaling import DEFAULT_QUEUE_DB, ensure_database, make_corpus

STALE_MINUTES = "0.05"  # three seconds
TASKS = "django_tasks_database_dbtaskresult"
TASK = "summit.tasks.ingest_target"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", default=str(default_articles()))
    parser.add_argument("--articles", type=int, default=12)
    parser.add_argument("--database-url", default=os.environ.get("QUEUE_DATABASE_URL", ""))
    args = parser.parse_args()
    url = args.database_url or DEFAULT_QUEUE_DB
    ensure_database(url)
    env = {**os.environ, "DATABASE_URL": url, "SUMMIT_TASKS_BACKEND": "database"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    manage = [sys.executable, str(ROOT / "manage.py")]

    def command(*argv: str, show: bool = True) -> str:
        return run_manage(env, *argv, show=show)

    def state() -> dict:
        with psycopg.connect(url) as conn:
            articles = conn.execute("SELECT count(*) FROM summit_article").fetchone()[0]
            statuses = [
                row[0]
                for row in conn.execute(
                    f"SELECT status FROM {TASKS} WHERE task_path = %s ORDER BY status", [TASK]
                )
            ]
            running = conn.execute(
                f"SELECT id::text, args_kwargs->'args'->>0, worker_ids FROM {TASKS} "
                "WHERE status = 'RUNNING' AND task_path = %s LIMIT 1",
                [TASK],
            ).fetchone()
        return {"articles": articles, "statuses": statuses, "running": running}

    folder = Path(tempfile.mkdtemp(prefix="summit-recovery-")) / "articles"
    make_corpus(args.folder, args.articles, folder)
    print(f"database: {url.rpartition('@')[2]} (emptied)")
    command("migrate", "--verbosity", "0", show=False)
    command("flush", "--noinput", show=False)
    command("ingest", "--queue", str(folder), show=False)
    print(f"1. queued {args.articles} articles (manage.py ingest --queue {folder})")

    worker = subprocess.Popen(
        [*manage, "db_worker", "--no-startup-delay", "--verbosity", "0"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while (running := state()["running"]) is None:
        if time.monotonic() > deadline or worker.poll() is not None:
            worker.kill()
            raise SystemExit("the worker claimed no task")
        time.sleep(0.05)
    time.sleep(0.3)  # mid-task: loading the model or analysing the article
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    print(
        f"2. worker pid {worker.pid} claimed task {running[0]} ({Path(running[1]).name}) "
        f"and was killed with SIGKILL (exit {worker.returncode})"
    )
    print("3. the task stays running, with no worker left to finish it:")
    command("ingest_tasks")
    time.sleep(float(STALE_MINUTES) * 60 + 0.5)
    print(f"4. after {float(STALE_MINUTES) * 60:.0f} s it is stale: listed, then re-queued")
    command("ingest_tasks", "--stale", "--older-than", STALE_MINUTES, "--list-only")
    command("ingest_tasks", "--stale", "--older-than", STALE_MINUTES)
    print("5. a worker drains the queue, the re-queued task with the rest:")
    command("db_worker", "--batch", "--no-startup-delay", "--verbosity", "0", show=False)
    command("ingest_tasks")
    final = state()
    ok = final["articles"] == args.articles and set(final["statuses"]) == {"SUCCESSFUL"}
    print(
        f"6. {final['articles']} articles stored for {args.articles} queued; tasks: "
        + ", ".join(f"{n} {status.lower()}" for status, n in Counter(final["statuses"]).items())
        + (": recovered" if ok else ": NOT RECOVERED")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

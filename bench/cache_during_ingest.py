"""The cached article page while the newsroom ingests: its throughput idle and during a
continuous ingest, in one run.

    .venv/bin/python bench/cache_during_ingest.py [--duration 20] [--connections 8]
        [--batch 3] [--ingest-nice 19] [--workdir DIR]

Needs the Debian package ``wrk``. In a scratch folder (your database is not touched) it
ingests seeds/ and ../shared/eval/polnear-dev (84 articles), serves that SQLite database
with gunicorn (2 sync workers, production settings, static files collected; the page
cache in each worker's memory: ``bench/wrk.py``'s server), and runs ``wrk -t2 -cN -dS``
against the anonymous article page with the most quotes:

1. idle: nothing else writes;
2. during ingest: a loop runs ``manage.py ingest`` over ../shared/eval/polnear-train,
   ``--batch`` articles a command, one command after another (each a new process, as
   a cron job or a worker would be), for the whole of the wrk run;
3. idle again, once the loop has stopped: on a shared machine the load of others
   drifts, and the ratio is taken to the mean of both idle runs.

It prints the figures, the ratio (the goal: at least 0.8, the page staying cached
while other articles arrive), how many articles were stored during the second run and
how many content changes reached every page (``site``, expected 0: a new article
changes its own page, its people's and the lists, ``summit.pagecache``), with the load
average before and after each run. Ingest is CPU work on the same cores as the server:
it runs at ``--ingest-nice`` (default 19: a background job's priority, as a worker on
the web machine would run; in a deployment workers have machines of their own), and
on a shared machine the ratio is the figure to read.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _setup import ROOT
from wrk import _environ, _load, _serve, _wrk

SHARED = ROOT.parent / "shared" / "eval"
SERVED = [ROOT / "seeds", SHARED / "polnear-dev" / "articles"]
ARRIVING = SHARED / "polnear-train" / "articles"
PORT = 8131


def _manage(env: dict, *args: str, nice: int = 0) -> str:
    command = [sys.executable, "manage.py", *args]
    if nice:
        command = ["nice", "-n", str(nice), *command]
    return subprocess.run(
        command, cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def _busiest_article(database: Path) -> tuple[int, int]:
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT article_id, COUNT(*) AS n FROM summit_quote GROUP BY article_id "
            "ORDER BY n DESC, article_id LIMIT 1"
        ).fetchone()


def _count(database: Path, sql: str) -> int:
    with sqlite3.connect(database) as db:
        return db.execute(sql).fetchone()[0]


class IngestLoop(threading.Thread):
    """``manage.py ingest`` over ``files``, ``batch`` at a time, until stopped."""

    def __init__(self, env: dict, files: list[Path], batch: int, nice: int) -> None:
        super().__init__(daemon=True)
        self.env, self.files, self.batch, self.nice = env, files, batch, nice
        self.stop = threading.Event()
        self.commands = 0
        self.failure: str | None = None

    def run(self) -> None:
        for start in range(0, len(self.files), self.batch):
            if self.stop.is_set():
                return
            chunk = [str(f) for f in self.files[start : start + self.batch]]
            try:
                _manage(self.env, "ingest", *chunk, "--no-progress", nice=self.nice)
            except subprocess.CalledProcessError as error:
                self.failure = (error.stderr or error.stdout or "")[-500:]
                return
            self.commands += 1
        self.failure = "ran out of articles to ingest: use a shorter --duration"


def _measured(label: str, url: str, args: argparse.Namespace) -> dict:
    r = _wrk(url, args.duration, args.connections)
    print(
        f"  {label:<13} {r['rps']:8.1f} req/s  p50 {r['p50']:>8}  p99 {r['p99']:>8}  "
        f"non-2xx {r['non2xx']}  ({_load()})",
        flush=True,
    )
    return r


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=20, help="Seconds per wrk run.")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--batch", type=int, default=3, help="Articles per ingest command.")
    parser.add_argument("--ingest-nice", type=int, default=19, help="The ingest loop's nice.")
    parser.add_argument("--workdir", help="Scratch folder (default: a new temporary one).")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    missing = [str(p) for p in (*SERVED, ARRIVING) if not p.is_dir()]
    if missing:
        raise SystemExit(f"missing: {', '.join(missing)}")
    tmp = Path(args.workdir or tempfile.mkdtemp(prefix="summit-cache-ingest-"))
    tmp.mkdir(parents=True, exist_ok=True)
    database = tmp / "bench.sqlite3"
    database.unlink(missing_ok=True)
    env = _environ(database)
    print(f"ingesting {', '.join(str(f.relative_to(ROOT.parent)) for f in SERVED)} …", flush=True)
    _manage(env, "migrate", "--noinput")
    _manage(env, "ingest", *map(str, SERVED), "--no-progress")
    article, quotes = _busiest_article(database)
    url = f"http://127.0.0.1:{PORT}/articles/{article}/"
    articles_before = _count(database, "SELECT COUNT(*) FROM summit_article")
    print(
        f"{articles_before} articles; the page: /articles/{article}/ ({quotes} quotes), "
        f"anonymous; gunicorn 2 sync workers, SQLite, page cache in each worker’s memory; "
        f"wrk -t2 -c{args.connections} "
        f"-d{args.duration}s",
        flush=True,
    )
    server = _serve(ROOT, database, PORT)
    loop = None
    try:
        print(f"idle ({_load()}) …", flush=True)
        idle = _measured("idle", url, args)
        newest_before = _count(database, "SELECT MAX(id) FROM summit_contentchange")
        loop = IngestLoop(env, sorted(ARRIVING.glob("*.txt")), args.batch, args.ingest_nice)
        loop.start()
        # The first command loads the language model before it writes: let it reach
        # its first article, so that the whole wrk run falls during writes.
        while (
            _count(database, "SELECT COUNT(*) FROM summit_article") == articles_before
            and loop.is_alive()
        ):
            time.sleep(0.5)
        print(f"during ingest ({_load()}) …", flush=True)
        busy = _measured("during ingest", url, args)
        loop.stop.set()
        loop.join()
        again = _measured("idle again", url, args)
        if loop.failure and "ran out" not in loop.failure:
            print(f"ingest failed: {loop.failure}", file=sys.stderr)
            return 1
        stored = _count(database, "SELECT COUNT(*) FROM summit_article") - articles_before
        site = _count(
            database,
            f"SELECT COUNT(*) FROM summit_contentchange WHERE id > {newest_before} "
            "AND scope = 'site'",
        )
    finally:
        if loop is not None:
            loop.stop.set()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    ratio = busy["rps"] / ((idle["rps"] + again["rps"]) / 2)
    print(
        f"during ingest ÷ idle (the mean of both): {ratio:.2f} (goal ≥ 0.80); {stored} "
        f"articles stored by "
        f"{loop.commands} ingest commands during and just after the run (at nice "
        f"{args.ingest_nice}); changes of every page meanwhile: {site}"
    )
    if not args.workdir:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ratio >= 0.8 and site == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

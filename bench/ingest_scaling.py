"""Ingest on several cores, in one run: throughput with 1 and 2 processes next to bare
``nlp.pipe``, peak memory of few and many articles, and the queue drained by 1 and 2
``db_worker`` processes on PostgreSQL.

    .venv/bin/python bench/ingest_scaling.py [FOLDER ...] [--articles 168] [--memory 80,800]
        [--queue-articles 168] [--database-url postgres://...]
        [--skip-throughput] [--skip-memory] [--skip-queue]

The corpus is the first articles of the FOLDERs, in order, every one a distinct article
(default: the 84 PolNeAR dev articles, then PolNeAR train's, when ../shared is there,
else seeds/). It is never padded with copies: ingest rightly skips a copy as a near
duplicate of the article it copies, so a copied corpus measures less work than it
counts; too few articles for a size asked is an error. Every figure comes from a new
process (Django set up over a new scratch SQLite database; the queue over the
PostgreSQL database ``--database-url`` names, emptied first), so runs do not share
caches or memory:

- **throughput**: bare ``nlp.pipe`` (the model as shipped, one process, the texts
  already in memory) and ``manage.py ingest --processes 1`` and ``--processes 2``
  (read, structure, spaCy, the rules, every row written). The model is loaded before
  the clock starts for bare spaCy and for one process; with two, the workers' start
  and model loading is timed (it is part of what the user waits for). Also printed:
  CPU seconds an article (the process and its workers) and cores used (CPU / wall):
  with two processes the CPU an article stays the same and the cores used near 2
  when the machine is otherwise idle; on a shared machine the ratio is capped by
  what the others leave (the load average is printed before and after).
- **memory**: the peak resident memory of the ingest process and its workers together
  (sampled from /proc every 0.25 s), ingesting each count of articles with
  ``--memory-processes`` (2) processes. Target: the largest within 20% of the smallest.
- **queue**: ``manage.py ingest --queue`` (one task an article), then 1 and then 2
  ``manage.py db_worker --batch`` processes started together, timed until they have
  drained the queue (their start and model loading included).

Targets (issue #11): ingest with 1 process >= 0.8x bare; 2 processes >= 1.7x one;
800 articles' peak within 20% of 80's; two workers about 2x one.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _setup import POLNEAR, ROOT, default_articles

DEFAULT_QUEUE_DB = "postgres://summit_ci:summit_ci@127.0.0.1:5432/summit_ingestscale"
PAGE = os.sysconf("SC_PAGE_SIZE")


# Corpus -------------------------------------------------------------------------------


def default_folders() -> list[str]:
    """PolNeAR's dev articles, then its train articles (920 distinct titles), else seeds/."""
    train = POLNEAR.parent.parent / "polnear-train" / "articles"
    return [str(default_articles())] + ([str(train)] if POLNEAR.is_dir() and train.is_dir() else [])


def make_corpus(folders: list[str], count: int, out: Path) -> int:
    """The first ``count`` articles of ``folders`` in ``out``, each a distinct article."""
    sys.path.insert(0, str(ROOT))
    from summit import sources

    files, titles = [], set()
    for folder in folders:
        for name in sorted(str(t) for t in sources.expand([folder]) if isinstance(t, str)):
            # One file a title: a second version of a story (same title, its paragraphs
            # nearly the same) is an update ingest skips, not another article.
            title = Path(name).read_text(encoding="utf-8").strip().split("\n")[0]
            if title not in titles:
                titles.add(title)
                files.append(Path(name))
    if len(files) < count:
        raise SystemExit(
            f"{count} articles asked, but {', '.join(folders)} hold {len(files)}: "
            "give more folders or a smaller size (copies would be skipped as near duplicates)"
        )
    out.mkdir(parents=True)
    chars = 0
    for n, source in enumerate(files[:count]):
        text = source.read_text(encoding="utf-8")
        (out / f"{n:05d}-{source.name}").write_text(text, encoding="utf-8")
        chars += len(text)
    return chars


# Measuring a process tree --------------------------------------------------------------


class TreeMemory:
    """The peak of the summed resident memory of this process and its descendants."""

    def __init__(self, interval: float = 0.25) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self, interval: float) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(os.getpid()))
            self._stop.wait(interval)


def tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and every process below it (read from /proc)."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
            for task in Path(f"/proc/{pid}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return total


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


# In a child process: one measurement, printed as JSON -----------------------------------


def child_bare(folder: str) -> dict:
    import spacy

    from summit import sources
    from summit.nlp.pipeline import DEFAULT_MODEL

    nlp = spacy.load(os.environ.get("SUMMIT_SPACY_MODEL", DEFAULT_MODEL))
    texts = [sources.read(t, max_bytes=50 * 2**20).text for t in sources.expand([folder])]
    for _ in nlp.pipe(texts[:4]):  # warm up, as ingest's first batch would
        pass
    cpu, started = cpu_seconds(resource.RUSAGE_SELF), time.perf_counter()
    with TreeMemory() as memory:
        for _ in nlp.pipe(texts, batch_size=16):
            pass
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "cpu": cpu_seconds(resource.RUSAGE_SELF) - cpu,
        "peak": memory.peak,
    }


def child_ingest(folder: str, processes: int, batch_size: int) -> dict:
    from _setup import scratch_django

    scratch_django()
    from django.core.management import call_command

    from summit.models import Article
    from summit.services.ingest import get_pipeline

    if processes == 1:
        get_pipeline().nlp  # noqa: B018 (loaded before the clock, as bare spaCy's is)
    cpu = cpu_seconds(resource.RUSAGE_SELF) + cpu_seconds(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with TreeMemory() as memory:
        call_command(
            "ingest",
            folder,
            processes=processes,
            batch_size=batch_size,
            no_progress=True,
            verbosity=0,
        )
    seconds = time.perf_counter() - started
    used = cpu_seconds(resource.RUSAGE_SELF) + cpu_seconds(resource.RUSAGE_CHILDREN) - cpu
    return {
        "seconds": seconds,
        "cpu": used,
        "peak": memory.peak,
        "parent_peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "articles": Article.objects.count(),
    }


def run_child(args: list[str]) -> dict:
    run = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT
    )
    if run.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{run.stdout}\n{run.stderr}")
    return json.loads(run.stdout.strip().splitlines()[-1])


# The queue on PostgreSQL ----------------------------------------------------------------


def queue_drain(folder: str, database_url: str, workers: int, expected: int) -> dict:
    """Empty the database, queue ``folder``, time ``workers`` db_workers draining it."""
    env = {**os.environ, "DATABASE_URL": database_url, "SUMMIT_TASKS_BACKEND": "database"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    manage = [sys.executable, str(ROOT / "manage.py")]

    def command(*args: str) -> str:
        return subprocess.run(
            [*manage, *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout

    command("migrate", "--verbosity", "0")
    command("flush", "--noinput")
    command("ingest", "--queue", folder)
    started = time.perf_counter()
    procs = [
        subprocess.Popen(
            [*manage, "db_worker", "--batch", "--no-startup-delay", "--verbosity", "0"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    cpu = 0.0
    for proc in procs:
        _, _, usage = os.wait4(proc.pid, 0)
        proc.returncode = 0
        cpu += usage.ru_utime + usage.ru_stime
    seconds = time.perf_counter() - started
    counts = json.loads(
        command(
            "shell",
            "-c",
            "import json; from summit.models import Article; "
            "from django_tasks_db.models import DBTaskResult as T; "
            "print(json.dumps({'articles': Article.objects.count(), "
            "'done': T.objects.filter(status='SUCCESSFUL').count(), "
            "'tasks': T.objects.count()}))",
        )
        .strip()
        .splitlines()[-1]
    )
    if counts["articles"] != expected or counts["done"] != counts["tasks"]:
        raise SystemExit(f"the queue did not drain cleanly: {counts}, expected {expected}")
    return {"seconds": seconds, "cpu": cpu}


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database ``url`` names when it is not there."""
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# Report -------------------------------------------------------------------------------


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def line(label: str, count: int, r: dict) -> str:
    return (
        f"{label:<30} {count / r['seconds']:6.2f} articles/s  {r['seconds']:6.1f} s  "
        f"CPU {r['cpu'] / count:5.3f} s/article  cores used {r['cpu'] / r['seconds']:4.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="*", help="article folders (default: PolNeAR dev, train)")
    parser.add_argument("--articles", type=int, default=168, help="Throughput corpus size.")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--memory", default="80,800", help="Article counts for peak memory.")
    parser.add_argument("--memory-processes", type=int, default=2)
    parser.add_argument("--queue-articles", type=int, default=168)
    parser.add_argument("--database-url", default=os.environ.get("QUEUE_DATABASE_URL", ""))
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-queue", action="store_true")
    parser.add_argument("--child", choices=["bare", "ingest"], help=argparse.SUPPRESS)
    parser.add_argument("--processes", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child == "bare":
        print(json.dumps(child_bare(args.folder[0])))
        return 0
    if args.child == "ingest":
        print(json.dumps(child_ingest(args.folder[0], args.processes, args.batch_size)))
        return 0

    folders = args.folder or default_folders()
    tmp = Path(tempfile.mkdtemp(prefix="summit-scaling-"))
    try:
        print(f"machine: {os.cpu_count()} cores; load average {load()} (1, 5, 15 min)")
        if not args.skip_throughput:
            corpus = tmp / "throughput"
            chars = make_corpus(folders, args.articles, corpus)
            n = args.articles
            print(f"corpus: {n} articles, {chars:,} characters, from {', '.join(folders)}")
            bare = run_child(["--child", "bare", str(corpus)])
            print(line("bare nlp.pipe (1 process)", n, bare), flush=True)
            one = run_child(["--child", "ingest", str(corpus), "--processes", "1"])
            print(line("ingest --processes 1", n, one), flush=True)
            two = run_child(["--child", "ingest", str(corpus), "--processes", "2"])
            print(line("ingest --processes 2", n, two), flush=True)
            if one["articles"] != n or two["articles"] != n:
                raise SystemExit(f"not every article was ingested: {one}, {two}")
            print(
                f"ratio ingest 1 process / bare nlp.pipe: {bare['seconds'] / one['seconds']:.2f}"
                "  (target >= 0.80)"
            )
            print(
                f"ratio ingest 2 processes / 1 process:   {one['seconds'] / two['seconds']:.2f}"
                "  (target >= 1.70 on 2 otherwise idle cores)"
            )
            print(f"load average after throughput: {load()}", flush=True)

        if not args.skip_memory:
            peaks = []
            for count in (int(c) for c in args.memory.split(",")):
                folder = tmp / f"memory-{count}"
                make_corpus(folders, count, folder)
                r = run_child(
                    ["--child", "ingest", str(folder), "--processes", str(args.memory_processes)]
                )
                peaks.append((count, r["peak"]))
                print(
                    f"peak memory, {count:>5} articles, {args.memory_processes} process(es): "
                    f"{r['peak'] / 2**20:6.0f} MB (ingest process and workers), "
                    f"ingest process alone {r['parent_peak'] / 2**20:.0f} MB, "
                    f"{count / r['seconds']:.2f} articles/s",
                    flush=True,
                )
                shutil.rmtree(folder)
            print(
                f"peak memory {peaks[-1][0]} / {peaks[0][0]} articles: "
                f"{peaks[-1][1] / peaks[0][1]:.2f}  (target <= 1.20)"
            )
            print(f"load average after memory: {load()}", flush=True)

        if not args.skip_queue:
            url = args.database_url or DEFAULT_QUEUE_DB
            try:
                ensure_database(url)
            except Exception as exc:  # no PostgreSQL here: the rest still stands
                print(f"queue: skipped, no PostgreSQL at {url.rpartition('@')[2]} ({exc})")
                return 0
            folder = tmp / "queue"
            make_corpus(folders, args.queue_articles, folder)
            q = args.queue_articles
            drains = {}
            for workers in (1, 2):
                drains[workers] = queue_drain(str(folder), url, workers, q)
                print(
                    line(f"queue, {workers} db_worker(s)", q, drains[workers]),
                    f"[{url.rpartition('@')[2]}]",
                    flush=True,
                )
            print(
                f"ratio queue 2 workers / 1 worker: "
                f"{drains[1]['seconds'] / drains[2]['seconds']:.2f}"
                "  (target about 2 on 2 otherwise idle cores)"
            )
            print(f"load average after queue: {load()}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Peak memory of ingesting few and many articles: ingest streams, so it should not grow.

    .venv/bin/python bench/ingest_memory.py [FOLDER] [--counts 80,800] [--processes N]

For each count, a fresh process copies FOLDER's articles (default: the PolNeAR dev
articles when ../shared is there, else seeds/) until there are that many files, each
copy's text made distinct by a last line, ingests them into an empty scratch SQLite
database, and reports its peak resident memory (the parent process; with
``--processes`` > 1 also the largest worker's). Target: the largest count within 20%
of the smallest.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POLNEAR = ROOT.parent / "shared" / "eval" / "polnear-dev" / "articles"


def child(folder: str, count: int, processes: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="summit-mem-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "summit.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from summit import sources
    from summit.services.ingest import articles_ingest

    call_command("migrate", verbosity=0)
    files = [Path(t) for t in sources.expand([folder]) if isinstance(t, str)]
    out = tmp / "articles"
    out.mkdir()
    for n in range(count):
        source = files[n % len(files)]
        text = source.read_text(encoding="utf-8")
        (out / f"{n:05d}-{source.name}").write_text(f"{text.rstrip()}\n\nCopy {n}.\n")
    started = time.perf_counter()
    results = articles_ingest(targets=[str(out)], n_process=processes)
    seconds = time.perf_counter() - started
    failed = [r for r in results if r.failed]
    if failed:
        raise SystemExit(f"ingest failed: {failed[0].source}: {failed[0].message}")
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"parent_kb": parent, "worker_kb": workers, "seconds": seconds}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "folder", nargs="?", default=str(POLNEAR if POLNEAR.is_dir() else ROOT / "seeds")
    )
    parser.add_argument("--counts", default="80,800")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.folder, args.child, args.processes)
        return 0
    rows = []
    for count in (int(c) for c in args.counts.split(",")):
        run = subprocess.run(
            [sys.executable, __file__, args.folder, "--child", str(count)]
            + ["--processes", str(args.processes)],
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(run.stdout.strip().splitlines()[-1])
        rows.append((count, figures))
        print(
            f"{count:>6} articles: peak {figures['parent_kb'] / 1024:7.0f} MB"
            + (
                f" (largest worker {figures['worker_kb'] / 1024:.0f} MB)"
                if args.processes > 1
                else ""
            )
            + f", {count / figures['seconds']:.1f} articles/s"
        )
    first, last = rows[0][1]["parent_kb"], rows[-1][1]["parent_kb"]
    print(f"peak memory {rows[-1][0]} / {rows[0][0]} articles: {last / first:.2f} (target <= 1.20)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

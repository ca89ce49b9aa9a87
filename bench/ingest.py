"""Ingest throughput next to bare spaCy, measured in one run on the same texts.

    .venv/bin/python bench/ingest.py [FOLDER] [--repeat N]

Ingests FOLDER (default: the PolNeAR dev articles when ../shared is there, else seeds/)
into a scratch SQLite database — read, structure, spaCy, Summit's rules, every row
written — and runs bare ``nlp.pipe`` over the same texts with the same model. Prints
both throughputs and their ratio: the language layer and storage must cost little on
top of spaCy (target: ratio >= 0.8). Ratios, not absolute times: machines are noisy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POLNEAR = ROOT.parent / "shared" / "eval" / "polnear-dev" / "articles"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?",
                        default=str(POLNEAR if POLNEAR.is_dir() else ROOT / "seeds"))
    parser.add_argument("--repeat", type=int, default=3, help="Runs of each (median is kept).")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="summit-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "summit.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from summit import sources
    from summit.services.ingest import articles_ingest, get_pipeline

    call_command("migrate", verbosity=0)
    import spacy

    pipeline = get_pipeline()
    nlp = spacy.load(pipeline.model)  # the model as shipped, without Summit's components
    targets = [t for t in sources.expand([args.folder]) if isinstance(t, str)]
    texts = [sources.read(t, max_bytes=50 * 2**20).text for t in targets]
    chars = sum(map(len, texts))

    def bare() -> None:
        for _ in nlp.pipe(texts, batch_size=16):
            pass

    def ingest() -> None:
        results = articles_ingest(targets=[args.folder], force=True, pipeline=pipeline)
        failed = [r for r in results if r.failed]
        if failed:
            raise SystemExit(f"ingest failed: {failed[0].source}: {failed[0].message}")

    bare()  # warm both paths up (first-batch allocations, imports, lazy tables)
    ingest()
    bare_times, ingest_times = [], []
    for _ in range(args.repeat):  # interleaved, so drift on a shared machine hits both
        bare_times.append(_timed(bare))
        ingest_times.append(_timed(ingest))
    bare_s, ingest_s = statistics.median(bare_times), statistics.median(ingest_times)
    print(f"articles: {len(texts)} ({chars:,} characters) from {args.folder}")
    print(f"model: {pipeline.model} {nlp.meta['version']}")
    print(f"bare nlp.pipe: {len(texts) / bare_s:8.1f} articles/s  ({chars / bare_s:,.0f} chars/s)")
    print(f"summit ingest: {len(texts) / ingest_s:8.1f} articles/s  "
          f"({chars / ingest_s:,.0f} chars/s, rules + database writes included)")
    print(f"ratio ingest / bare: {bare_s / ingest_s:.2f}  (target >= 0.80; median of "
          f"{args.repeat} interleaved runs)")
    return 0


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


if __name__ == "__main__":
    raise SystemExit(main())

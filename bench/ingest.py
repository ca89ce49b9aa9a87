"""Ingest throughput next to bare spaCy, measured in one run on the same texts.

    .venv/bin/python bench/ingest.py [FOLDER] [--repeat N] [--processes N]

Ingests FOLDER (default: the PolNeAR dev articles when ../shared is there, else seeds/)
into an empty scratch SQLite database — read, structure, spaCy, Summit's rules, every
row written — and runs bare ``nlp.pipe`` over the same texts with the same model. Prints
both throughputs and their ratio (and, for information, a forced re-ingest's): the
language layer and storage must cost little on top of spaCy (target: ratio >= 0.8).
Ratios, not absolute times: machines are noisy.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics

from _setup import default_articles, scratch_django, timed


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and its finished children (spaCy's)."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", default=str(default_articles()))
    parser.add_argument("--repeat", type=int, default=3, help="Runs of each (median is kept).")
    parser.add_argument(
        "--processes", type=int, default=1, help="spaCy processes, the same for both (default 1)."
    )
    args = parser.parse_args()

    scratch_django()
    import spacy

    from summit import sources
    from summit.models import Article, Speaker
    from summit.services.ingest import articles_ingest, get_pipeline

    pipeline = get_pipeline()
    nlp = spacy.load(pipeline.model)  # the model as shipped, without Summit's components
    targets = [t for t in sources.expand([args.folder]) if isinstance(t, str)]
    texts = [sources.read(t, max_bytes=50 * 2**20).text for t in targets]
    chars = sum(map(len, texts))

    def bare() -> None:
        for _ in nlp.pipe(texts, batch_size=16, n_process=args.processes):
            pass

    def ingest(force: bool = False) -> None:
        results = articles_ingest(
            targets=[args.folder], force=force, pipeline=pipeline, n_process=args.processes
        )
        failed = [r for r in results if r.failed]
        if failed:
            raise SystemExit(f"ingest failed: {failed[0].source}: {failed[0].message}")

    def empty() -> None:  # untimed: each ingest run starts from an empty database
        Article.objects.all().delete()
        Speaker.objects.all().delete()

    bare()  # warm both paths up (first-batch allocations, imports, lazy tables)
    ingest()
    bare_times, ingest_times, again_times = [], [], []
    bare_cpu, ingest_cpu = [], []
    for _ in range(args.repeat):  # interleaved, so drift on a shared machine hits both
        cpu = cpu_seconds()
        bare_times.append(timed(bare))
        bare_cpu.append(cpu_seconds() - cpu)
        empty()
        cpu = cpu_seconds()
        ingest_times.append(timed(ingest))
        ingest_cpu.append(cpu_seconds() - cpu)
        again_times.append(timed(lambda: ingest(force=True)))
    bare_s, ingest_s = statistics.median(bare_times), statistics.median(ingest_times)
    again_s = statistics.median(again_times)
    print(f"articles: {len(texts)} ({chars:,} characters) from {args.folder}")
    print(f"model: {pipeline.model} {nlp.meta['version']}, {args.processes} spaCy process(es)")
    print(
        f"bare = nlp.pipe(texts, batch_size=16, n_process={args.processes}) over the files' "
        f"texts, with spacy.load({pipeline.model!r}) as shipped (pipes: "
        f"{', '.join(nlp.pipe_names)}) and no Summit code; ingest runs the same model, "
        f"the same pipes (plus Summit's paragraph-break marker: "
        f"{', '.join(pipeline.nlp.pipe_names)}) in batches of 16"
    )
    print(f"bare nlp.pipe: {len(texts) / bare_s:8.1f} articles/s  ({chars / bare_s:,.0f} chars/s)")
    print(
        f"summit ingest: {len(texts) / ingest_s:8.1f} articles/s  "
        f"({chars / ingest_s:,.0f} chars/s, rules + database writes included)"
    )
    print(
        f"ratio ingest / bare: {bare_s / ingest_s:.2f}  (target >= 0.80; median of "
        f"{args.repeat} interleaved runs)"
    )
    print(
        f"ratio by CPU time (this process and its workers; steadier than wall-clock time "
        f"when other processes share the cores): "
        f"{statistics.median(bare_cpu) / statistics.median(ingest_cpu):.2f}  "
        f"(load average {' '.join(f'{x:.2f}' for x in os.getloadavg())})"
    )
    print(
        f"re-ingest --force:  {len(texts) / again_s:8.1f} articles/s, ratio "
        f"{bare_s / again_s:.2f} (every machine annotation replaced)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

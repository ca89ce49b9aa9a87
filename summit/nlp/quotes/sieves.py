"""Attribution of quotations in marks, as an ordered list of named sieves.

In the spirit of Stanford CoreNLP's quote attribution (Muzny et al., EACL 2017): each
sieve is one rule that either attributes a quotation or passes it on. A direct quote
goes through three groups, in order:

1. ``CUE_SIEVES`` find the cue (or credit) that names the speaker; the first that
   finds one decides, and its subject is resolved to a person (``resolve``);
2. ``FALLBACK_SIEVES`` run when no cue gave the speaker's words: the name before a
   colon, or a paragraph closing with "He said:";
3. ``CONTEXT_SIEVES`` run when nothing named a speaker at all: the conversation goes
   on (previous speaker in the paragraph or the paragraph before, or the subject
   just before the quote).

A partial quote (a fragment in the reporter's sentence) has one sieve,
``partial_subject``. The name of the sieve that attributed a quote is kept on it
(``Quote.sieve``), with the mention a pronoun was resolved through (``Quote.via``) and
the sieve's measured precision as its confidence (``confidence.SIEVE_PRECISION``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field

from .. import lexicon as lx
from ..types import QuoteKind
from ..work import Ent, Work
from .marks import DIRECT_FORMS, Marked, sentence_end
from .resolve import Attributor, Resolved, _infinitival

# "…,” when Ford mocked him": a subordinator before a trailing cue makes the verb
# part of another clause, not the quote's cue.
SUBORDINATORS = frozenset(
    [
        "when",
        "as",
        "after",
        "because",
        "while",
        "before",
        "since",
        "if",
        "although",
        "though",
        "until",
        "unless",
        "whereas",
    ]
)
# A trailing cue further than this many characters after a finished quotation belongs
# to another sentence's speech, not to this quote.
TRAILING_CUE_REACH = 60
# How far back before a closing colon a cue still introduces the quotation.
COLON_CUE_REACH = 150
# Verbs whose subject is the source of what their clause reports.
SPEECH_LEMMAS = lx.DIRECT_CUES | lx.INDIRECT_CUES
# "― Name" credit lines under a quote (tweets, epigraphs).
_CREDIT = re.compile(r"\s*[―—–-]+\s*([A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})")


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who said a quotation, and how that was found."""

    key: str | None  # Person.key; None with ``span`` set is an unnamed source
    span: tuple[int, int] | None  # the words at the cue (joined-text offsets)
    sieve: str
    cue: str = ""
    via: tuple[int, int] | None = None  # the mention a pronoun/description went through
    cataphoric: bool = False
    cue_at: int | None = None  # the cue token's offset, for a split quote's second half

    @property
    def named(self) -> bool:
        return self.key is not None or self.span is not None


@dataclass(slots=True)
class Context:
    """One quotation in marks and its surroundings, for the sieves."""

    work: Work
    att: Attributor
    marks: list[Marked]
    index: int
    lead: tuple[int, int]  # text before the opening mark, back to the paragraph or last mark
    trail: tuple[int, int]  # text after the closing mark, up to the paragraph or next mark
    last_para_speaker: dict[int, str] = field(default_factory=dict)

    @property
    def mark(self) -> Marked:
        return self.marks[self.index]

    @property
    def ended(self) -> bool:
        """The quotation ends a sentence of its own."""
        m = self.mark
        return self.work.text[m.start : m.end].rstrip()[-1:] in ".!?"

    def lead_text(self) -> str:
        return self.work.text[self.lead[0] : self.lead[1]]


Sieve = Callable[[Context], Attribution | None]


def _from_cue(ctx: Context, v, sieve: str) -> Attribution:
    found: Resolved = ctx.att.speaker_for_cue(v)
    return Attribution(
        found.key,
        found.span,
        sieve,
        cue=v.text,
        via=found.via,
        cataphoric=found.cataphoric,
        cue_at=v.idx,
    )


# -- 1. cue sieves -------------------------------------------------------------------


def credit_line(ctx: Context) -> Attribution | None:
    """'“…” ― Name': a dash and a name right after the quote credit that name (the
    form of tweets and epigraphs); unless the text after it runs on in lower case."""
    work, att = ctx.work, ctx.att
    ta, tb = ctx.trail
    trail = work.text[ta:tb]
    cm = _CREDIT.match(trail)
    if not cm or not (ctx.ended or not trail.strip()[1:2].islower()):
        return None
    name = cm.group(1)
    e = att.ent_at(ta + cm.start(1))
    key: str | None = e.person if e is not None and e.label == "PERSON" else None
    if not key:
        key = att.people.resolve_name(name, ta + cm.start(1), create=True)
    return Attribution(key, (ta + cm.start(1), ta + cm.end(1)), "credit_line", cue="wrote")


def intro_cue(ctx: Context) -> Attribution | None:
    """'X said: “…' or 'asking, “…': a cue verb right before the opening mark, or within
    reach of a colon that opens the quote. The cue that introduces a quotation is the
    annotators' first choice, so this sieve comes before the trailing cue."""
    v = _intro_cue(ctx)
    if v is None:
        return None
    if ctx.ended:
        v = ctx.att.cue_in(*ctx.lead, last=True, lead=True) or v
    return _from_cue(ctx, v, "intro_cue")


def trailing_cue(ctx: Context) -> Attribution | None:
    """'“…,” X said' / 'said X': a cue after the closing mark in the same sentence.

    Not when a subordinator stands first ('…,” when Ford mocked him'), nor far
    from a finished quotation, nor when the cue ends in a comma or colon before the next
    quotation ('“….” Jason Miller added, “…”': that cue introduces the next one). When
    the text before the quote ends in a comma or colon after a cue, that cue wins."""
    work, att = ctx.work, ctx.att
    text = work.text
    ta, tb = ctx.trail
    sm = sentence_end(text, ta, tb)
    v = att.cue_in(ta, sm.end() if sm else tb, last=False)
    if v is None:
        return None
    if any(t.lower_ in SUBORDINATORS for t in work.tokens(ta, v.idx)):
        return None
    if ctx.ended and v.idx - ta > TRAILING_CUE_REACH:
        return None
    if ctx.ended and _reports_own_clause(v.sent.root, ta):
        # '“….” Smith said the plan failed', '“….” Asked about it, Smith told the BBC
        # he …': that sentence reports its own clause
        return None
    if (
        ctx.ended
        and tb < work.para_end(ctx.mark.end_para)
        and text[v.idx + len(v.text) : tb].strip() in (",", ":")
    ):
        return None
    la, lb = ctx.lead
    if ctx.ended and lb > la and ctx.lead_text().rstrip().endswith((":", ",")):
        v2 = att.cue_in(la, lb, last=True, lead=True)
        if v2 is not None:
            return _from_cue(ctx, v2, "lead_cue")
    return _from_cue(ctx, v, "trailing_cue")


def shared_cue(ctx: Context) -> Attribution | None:
    """'“X,” she said, “Y.”': the second half of a split quotation takes the cue that
    stands between the two halves, when no other cue follows it."""
    i, att, work = ctx.index, ctx.att, ctx.work
    if i == 0:
        return None
    prev = ctx.marks[i - 1]
    la, lb = ctx.lead
    if prev.end_para != ctx.mark.para or work.text[la:lb].rstrip().endswith(":"):
        return None
    pk = att.mark_cue.get(i - 1)
    if pk is None or not (la <= pk.cue_at < lb):
        return None
    if att.cue_in(pk.cue_at + 1, lb, last=True, lead=True) is not None:
        return None
    return Attribution(pk.key, pk.span, "shared_cue", cue=pk.cue, via=pk.via, cue_at=pk.cue_at)


def lead_cue(ctx: Context) -> Attribution | None:
    """The last cue verb before the quote in its paragraph ('Smith said the plan had
    failed and that it was time to act. “…”' does not reach here: a cue in the lead
    that stands in a sentence of its own still introduces what follows)."""
    la, lb = ctx.lead
    colon = ctx.lead_text().rstrip().endswith(":")
    if colon:
        la = max(la, _colon_sentence(ctx))  # 'Roe resisted: “…”' is Roe's, whoever spoke before
    # 'Lee said, adding that the council had moved to demand a recount. “…”': an infinitive
    # on a verb of another kind reports no speech, unless a colon makes it introduce one
    v = ctx.att.cue_in(la, lb, last=True, lead=True, infinitives=colon)
    return None if v is None else _from_cue(ctx, v, "lead_cue")


CUE_SIEVES: tuple[Sieve, ...] = (credit_line, intro_cue, trailing_cue, shared_cue, lead_cue)


# -- 2. fallback sieves: no cue gave the speaker's words --------------------------------


def colon_name(ctx: Context) -> Attribution | None:
    """'… according to a statement by Smith: “…”': after a colon, the last person
    named before it; but when the clause the colon ends has a person or "he"/"she" for
    its subject, that subject ('Lee delivered a blunt message to Roe: “…”' is Lee's)."""
    la, lb = ctx.lead
    if not ctx.work.text[la:lb].rstrip().endswith(":"):
        return None
    found = _colon_subject(ctx)
    if found is not None:
        return Attribution(found.key, found.span, "colon_name", via=found.via)
    e = _last_named(ctx.att, la, lb)
    return None if e is None else Attribution(e.person, (e.start, e.end), "colon_name")


def paragraph_intro(ctx: Context) -> Attribution | None:
    """A quote paragraph after a paragraph closing with "He said:" or "The New York
    Times reports:": that cue (or the last name in it) introduces the quotation."""
    work, m = ctx.work, ctx.mark
    if (
        m.para - 1 not in work.body
        or work.text[work.para_starts[m.para] : m.open].strip()
        or not work.para_texts[m.para - 1].rstrip().endswith(":")
    ):
        return None
    pa, pb = work.para_starts[m.para - 1], work.para_end(m.para - 1)
    v = ctx.att.cue_in(pa, pb, last=True, lead=True)
    if v is not None:
        return _from_cue(ctx, v, "paragraph_intro")
    e = _last_named(ctx.att, pa, pb)
    return None if e is None else Attribution(e.person, (e.start, e.end), "paragraph_intro")


FALLBACK_SIEVES: tuple[Sieve, ...] = (colon_name, paragraph_intro)


# -- 3. context sieves: no cue and no name -------------------------------------------


def previous_speaker(ctx: Context) -> Attribution | None:
    """A quotation with no cue of its own goes on with the speaker before it in the
    paragraph, or, when it opens the paragraph, with the last speaker of the paragraph
    before (the single most valuable rule on news: a speaker's words run on)."""
    att, work, m = ctx.att, ctx.work, ctx.mark
    key = att.last_speaker_in(m.para, m.start)
    if key is None and not work.text[work.para_starts[m.para] : m.open].strip():
        key = ctx.last_para_speaker.get(m.para - 1)
    if key is None:
        return None
    return Attribution(key, None, "previous_speaker", via=att.last_event_mention(key, m.start))


def lead_subject(ctx: Context) -> Attribution | None:
    """With no speaker before it, the person who is the main subject of the sentence
    just before the quote ('Ruth Okafor was blunt about the proposal. “This plan …”')."""
    e = _last_named(ctx.att, *ctx.lead, subjects_only=True)
    if e is None or not ctx.att.main_subject(e.start):
        return None
    # only the sentence right before the quotation: further back, the subject is
    # someone the reporter moved on from
    sent = ctx.work.doc[ctx.work.token_at(ctx.mark.open)].sent
    if sent.start == 0 or e.start < ctx.work.doc[sent.start - 1].sent.start_char:
        return None
    return Attribution(e.person, None, "lead_subject", via=(e.start, e.end))


CONTEXT_SIEVES: tuple[Sieve, ...] = (previous_speaker, lead_subject)

DIRECT_SIEVES: tuple[Sieve, ...] = CUE_SIEVES + FALLBACK_SIEVES + CONTEXT_SIEVES


def attribute_direct(ctx: Context) -> Attribution | None:
    """The first cue sieve that finds a cue decides; when its subject names nobody the
    fallback sieves try, and with no speaker's words at all the context sieves; but a
    cue whose subject is someone new nobody names ("the ad's narrator says") leaves
    the quotation with no speaker at all."""
    found = None
    for sieve in CUE_SIEVES:
        found = sieve(ctx)
        if found is not None:
            if found.cue_at is not None and found.sieve != "shared_cue":
                ctx.att.mark_cue[ctx.index] = found
            break
    if found is not None and not found.named and found.cue_at is not None:
        v = ctx.work.doc[ctx.work.token_at(found.cue_at)]
        if _someone_new(ctx, v):
            return None
    if found is None or found.span is None:
        for sieve in FALLBACK_SIEVES:
            better = sieve(ctx)
            if better is not None:
                found = better
                break
    if found is None or not found.named:
        for sieve in CONTEXT_SIEVES:
            better = sieve(ctx)
            if better is not None:
                return better
    return found


# -- partial quotes --------------------------------------------------------------------


def partial_subject(ctx: Context) -> Attribution | None:
    """A fragment in marks ('expects Kim to offer “things that are easily reversible”')
    is speech of the subject of the nearest finite verb above it, when that subject is
    a name, a pronoun or an entity; otherwise it is a scare quote and is dropped."""
    work, att, m = ctx.work, ctx.att, ctx.mark
    toks = list(work.tokens(m.start, m.end))
    if not toks:
        return None
    inside = {t.i for t in toks}
    root = next((t for t in toks if t.head.i not in inside or t.head.i == t.i), toks[0])
    cur = root.head
    reported = False  # passed a clause whose subject is no source: only a cue above speaks
    for _ in range(6):
        if cur.i in inside:
            break
        if cur.pos_ in ("VERB", "AUX") and not _infinitival(cur):
            subs = [
                c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass") and c.i not in inside
            ]
            speech = cur.lemma_.lower() in SPEECH_LEMMAS
            if subs and (speech or not reported):
                s = subs[0]
                if s.lower_ in ("who", "that") and cur.dep_ == "relcl":
                    s = cur.head
                ok = (
                    s.pos_ == "PROPN"
                    or s.lower_ in ("he", "she", "they")
                    or att.ent_at(s.idx) is not None
                )
                if ok:
                    found = att.resolve(s, cur.idx)
                    if found.key is None:
                        return None
                    return Attribution(
                        found.key, found.span, "partial_subject", cue=cur.text, via=found.via
                    )
                if speech:
                    return None
                # "X told the AP [the withdrawal was a “…”]": the cue above speaks
                reported = True
        if cur.head.i == cur.i:
            break
        cur = cur.head
    return None


# -- helpers ---------------------------------------------------------------------------


def _someone_new(ctx: Context, v) -> bool:
    """'“…,” the ad's narrator says': the cue's subject is a noun phrase with a
    possessor that names no one we know of, someone other than the speakers before
    (like "the mayor's lawyer"): the quotation is not the previous speaker's, and has
    no speaker we can name."""
    s = ctx.att.subject_of(v)
    return (
        s is not None
        and s.pos_ == "NOUN"
        and s.dep_ in ("nsubj", "nsubjpass")
        and not s.ent_type_
        and not ctx.work.in_quote(s.idx)
        and any(c.dep_ == "poss" for c in s.children)
    )


def _reports_own_clause(verb, after: int) -> bool:
    """The verb takes a clause of its own after ``after`` and straight after it (no
    comma between: 'said the plan failed', 'told the BBC he thought …'; not 'said, but
    Kevin was …')."""
    doc = verb.doc
    return any(
        c.dep_ == "ccomp"
        and c.idx > after
        and c.i > verb.i
        and not any(t.is_punct for t in doc[verb.i + 1 : c.left_edge.i])
        for c in verb.children
    )


def _intro_cue(ctx: Context):
    """A cue verb right before the opening mark: 'X said: “…', 'asking, “…'."""
    work, att = ctx.work, ctx.att
    la, lb = ctx.lead
    lead = work.text[la:lb].rstrip()
    if not lead.endswith((",", ":")):
        return None
    toks = [t for t in work.tokens(la, la + len(lead)) if not t.is_space]
    if len(toks) < 2:
        return None
    t = toks[-2]
    if t.lower_ in DIRECT_FORMS and t.pos_ in ("VERB", "AUX", "PROPN", "NOUN"):
        return t
    if lead.endswith(":"):
        # only the colon's own sentence: a cue in the sentence before is another
        # speaker's ('… said Lee. Roe resisted: “…”')
        lo = max(la, lb - COLON_CUE_REACH, _colon_sentence(ctx))
        return att.cue_in(lo, lb, last=True, lead=True)
    return None


def _colon_subject(ctx: Context) -> Resolved | None:
    """The person who is the subject of the clause that the colon opening the quotation
    ends, when that subject is a person's name or "he"/"she" in the lead."""
    work, att = ctx.work, ctx.att
    la, _lb = ctx.lead
    colon = la + len(ctx.lead_text().rstrip()) - 1
    cur = work.doc[work.token_at(colon)]
    cur = cur.doc[max(cur.i - 1, 0)]  # the last word, not the colon the parser may hang high
    for _ in range(8):
        if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
            break
        cur = cur.head
    for _ in range(3):
        subs = [c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subs:
            break
        if cur.dep_ not in ("xcomp", "conj") or cur.head.i == cur.i:
            return None  # only the colon's own clause: 'had to change', 'smiled and gave'
        cur = cur.head
    else:
        return None
    s = subs[0]
    if s.idx < la or work.in_quote(s.idx):
        return None
    e = att.ent_at(s.idx)
    if s.lower_ not in ("he", "she") and (e is None or e.label != "PERSON" or not e.person):
        return None
    found = att.resolve(s, colon)
    return found if found.key else None


def _colon_sentence(ctx: Context) -> int:
    """Where the sentence of the colon that opens the quotation starts."""
    work = ctx.work
    la, _lb = ctx.lead
    colon = la + len(ctx.lead_text().rstrip()) - 1
    return work.doc[work.token_at(colon)].sent.start_char


def _last_named(att: Attributor, a: int, b: int, subjects_only: bool = False) -> Ent | None:
    src, pos = (att.subjects, att.subject_pos) if subjects_only else (att.named, att.named_pos)
    i = bisect_left(pos, b)
    if i == 0 or src[i - 1][0] < a:
        return None
    best = att.ent_at(src[i - 1][0])
    return best if best is not None and best.person else None


def frames(work: Work, marks: list[Marked], idx: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """(lead, trail) of quotation ``idx``: the text before it back to the paragraph start
    or the previous quotation, and after it up to the paragraph end or the next one."""
    m = marks[idx]
    pstart = work.para_starts[m.para]
    prev_close = pstart
    if idx > 0 and marks[idx - 1].end_para == m.para:
        pm = marks[idx - 1]
        prev_close = (pm.close + 1) if pm.close is not None else pm.end
    after = (m.close + 1) if m.close is not None else m.end
    nxt = work.para_end(m.end_para)
    if idx + 1 < len(marks) and marks[idx + 1].para == m.end_para:
        nxt = marks[idx + 1].open
    return (max(pstart, prev_close), m.open), (after, nxt)


def kind_sieves(kind: QuoteKind) -> tuple[Sieve, ...]:
    """The sieves a quotation of ``kind`` goes through (for documentation and tests)."""
    return (partial_subject,) if kind == QuoteKind.PARTIAL else DIRECT_SIEVES

"""Quotations: finding them, telling speech from scare quotes, and attributing them.

* ``marks``: the spans in quotation marks and their kind (direct, partial or none);
* ``resolve``: who a cue's subject names (names, pronouns, descriptions);
* ``sieves``: the ordered, named attribution sieves for quotations in marks;
* ``indirect``: reported speech outside marks and its sieves;
* ``confidence``: each sieve's measured precision.

``extract`` attributes every quotation left to right (so that pronouns see the
speakers before them), direct/partial and indirect interleaved by position. A quote
left with neither speaker nor speaker words (quoted documents, lyrics, transcripts) is
not returned; one with speaker words but no person is an unnamed source.
"""

from __future__ import annotations

from dataclasses import replace

from ..types import Quote, QuoteKind, SpeakerKind
from ..work import Work
from .confidence import SIEVE_PRECISION, UNMEASURED
from .indirect import attribute_indirect, indirect_candidates
from .marks import DIRECT_FORMS, Marked, classify, find_marks, sentence_end
from .resolve import Attributor
from .sieves import Attribution, Context, attribute_direct, frames, partial_subject

__all__ = [
    "DIRECT_FORMS",
    "Attributor",
    "Marked",
    "classify",
    "extract",
    "find_marks",
    "sentence_end",
]


def extract(
    work: Work, att: Attributor, marks: list[Marked], kinds: list[QuoteKind | None]
) -> list[Quote]:
    """All quotes of the document, attributed left to right."""
    cands = list(indirect_candidates(work))
    items = sorted(
        [(m.start, 0, i) for i, m in enumerate(marks)]
        + [(c[0].idx, 1, j) for j, c in enumerate(cands)]
    )
    speech = bytearray(len(work.text))  # inside full quotations, which no report holds
    for m, kind in zip(marks, kinds, strict=True):
        if kind == QuoteKind.DIRECT:
            speech[m.start : m.end] = b"\x01" * (m.end - m.start)
    last_para_speaker: dict[int, str] = {}
    found: list[tuple[int, Quote, bool]] = []
    reported: list[tuple[int, int]] = []  # content spans of indirect quotes so far
    for _pos, what, i in items:
        if what == 0:
            r = _attribute_mark(work, att, marks, kinds, i, last_para_speaker)
            if r is not None:
                found.append((marks[i].start, *r))
        else:
            v, a, b, how = cands[i]
            if any(ca <= v.idx < cb for ca, cb in reported):
                continue  # "they argue … since they claim …": inside what is reported
            ri = attribute_indirect(work, att, v, a, b, how, speech)
            if ri is not None:
                (ca, cb), at = ri
                reported.append((ca, cb))
                assert at.span is not None  # an indirect quote's speaker is named at its cue
                att.note(at.span[0], at.key, at.via, at.span)
                found.append((v.idx, _quote(work, (ca, cb), QuoteKind.INDIRECT, at), at.cataphoric))
    out: list[Quote] = []
    for pos, q, cata in found:
        if cata and q.speaker is None:
            para = work.para_of(pos)
            nxt = next(
                ((p, k) for p, k in att.events if p > pos and work.para_of(p) - para <= 1), None
            )
            if nxt and _describes(work, att, q, pos, *nxt):
                p, k = nxt
                q = replace(q, speaker=k, via=work.span(*(att.via_at.get(p) or att.mention_at(p))))
        out.append(q)
    out.sort(key=lambda q: (q.span.paragraph, q.span.start))
    return out


# How far after a speaker's name its apposition can tell who they are (characters).
DESCRIPTION_REACH = 160


def _describes(work: Work, att: Attributor, q: Quote, at: int, pos: int, key: str) -> bool:
    """Whether the speaker named at ``pos`` is the one an indefinite description at
    ``at`` ("a former diplomat") announced: a person the article names there for the
    first time, or one whose description or apposition repeats the description's head
    noun ("Jane Roe, a diplomat who …"). A person named before is someone else."""
    words = q.speaker_span.text.lower().split() if q.speaker_span else []
    inf = att.people.info.get(key)
    if not words or inf is None or inf.person.kind != SpeakerKind.PERSON:
        return False  # "a retired builder" is a person, never an organisation
    if inf.first_pos > at:
        return True
    head = words[-1]
    desc = inf.person.description.lower()
    near = work.text[pos : min(pos + DESCRIPTION_REACH, work.para_end(work.para_of(pos)))]
    return head in desc.split() or head in near.lower().split()


def _attribute_mark(
    work: Work,
    att: Attributor,
    marks: list[Marked],
    kinds: list[QuoteKind | None],
    i: int,
    last_para_speaker: dict[int, str],
) -> tuple[Quote, bool] | None:
    m = marks[i]
    kind = kinds[i]
    if kind is None or m.para not in work.body:
        return None
    lead, trail = frames(work, marks, i)
    ctx = Context(work, att, marks, i, lead, trail, last_para_speaker)
    at = partial_subject(ctx) if kind == QuoteKind.PARTIAL else attribute_direct(ctx)
    if at is None or not at.named:
        return None  # no cue, no speaker: quoted text, not speech we can attribute
    end = m.end
    if m.close is not None:
        # “…, things that are easily reversible,” he said: the comma is the sentence's.
        while end > m.start and (work.text[end - 1] in ",;" or work.text[end - 1].isspace()):
            end -= 1
    q = _quote(work, (m.start, end), kind, at)
    att.note(at.span[0] if at.span else m.start, at.key, at.via, at.span)
    if at.key:
        last_para_speaker[m.end_para] = at.key
    return q, at.cataphoric


def _quote(work: Work, span: tuple[int, int], kind: QuoteKind, at: Attribution) -> Quote:
    return Quote(
        span=work.span(*span),
        kind=kind,
        speaker=at.key,
        cue=at.cue,
        speaker_span=work.span(*at.span) if at.span else None,
        sieve=at.sieve,
        via=work.span(*at.via) if at.via else None,
        confidence=SIEVE_PRECISION.get(at.sieve, UNMEASURED),
    )

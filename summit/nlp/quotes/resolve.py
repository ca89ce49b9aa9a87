"""Who a cue's subject names: the cue search, the subject of a cue, and the resolution
of names, pronouns and descriptions to the document's people.

``Attributor`` keeps the state attribution builds left to right: the speakers so far
(``events``), the subjects and names seen outside quotation marks, and the cues already
resolved. ``resolve`` returns a ``Resolved``: the person, the words at the cue, and for
a pronoun or a description the mention it was resolved through (``via``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass

from .. import lexicon as lx
from ..people import People
from ..types import SpeakerKind
from ..vocabulary import SPEAKER_PRONOUNS
from ..work import Ent, Work
from .marks import DIRECT_FORMS


@dataclass(frozen=True, slots=True)
class Resolved:
    """A speaker found for a subject token."""

    key: str | None  # Person.key, None for an unnamed source
    span: tuple[int, int] | None  # the words at the cue, joined-text offsets
    cataphoric: bool = False  # "a former North Korean …": named by the next speaker
    via: tuple[int, int] | None = None  # the antecedent mention of a pronoun/description


NOBODY = Resolved(None, None)

_NOMINAL = ("PROPN", "PRON", "NOUN")
_ROLES = "|".join(
    sorted(lx.PERSON_SPEAKER_NOUNS | {t for t in lx.TITLES if t.isalpha() and len(t) > 3})
)
_APPOSITION = re.compile(r",\s+(?:(?:a|an|the)\s+[\w-]+|(?:" + _ROLES + r")\b)")
_NOT_SPEAKER_ENTS = frozenset(
    ["DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"]
)


_NOT_NAME_LAST = lx.ORG_SUFFIXES | lx.PLACE_SUFFIXES | lx.FACILITY_SUFFIXES | lx.LAW_SUFFIXES


_CLAUSES = frozenset({"acl", "relcl", "ccomp", "xcomp", "advcl", "csubj"})


def _phrase_tokens(tok):
    """The noun phrase of ``tok`` without its clauses: in "a reluctance to acknowledge
    that Trump …" the phrase is "a reluctance", and Trump is no part of it."""
    stack = [tok]
    while stack:
        t = stack.pop()
        yield t
        stack.extend(c for c in t.children if c.dep_ not in _CLAUSES)


def _infinitival(v) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)


class Attributor:
    def __init__(self, work: Work, people: People, ents: list[Ent]) -> None:
        self.work = work
        self.people = people
        self.ents = ents
        self.ent_starts = [e.start for e in ents]
        self.events: list[tuple[int, str]] = []  # (position, key) of speakers so far
        self.cue_cache: dict[int, Resolved] = {}
        # a speaker event at a pronoun: the named mention it went through
        self.via_at: dict[int, tuple[int, int]] = {}
        # subject mentions of people outside quotes, in order
        self.subjects: list[tuple[int, str]] = []
        self.named: list[tuple[int, str]] = []
        self.coordinated: list[tuple[int, str]] = []
        for e in ents:
            if e.label != "PERSON" or not e.person or work.in_quote(e.start):
                continue
            self.named.append((e.start, e.person))
            root = work.doc.char_span(e.start, e.end, alignment_mode="expand")
            r = root.root if root is not None else None
            if r is not None and (
                r.dep_ == "conj"
                and r.head.ent_type_ == "PERSON"
                or any(c.dep_ == "conj" and c.ent_type_ == "PERSON" for c in r.children)
            ):
                self.coordinated.append((e.start, e.person))  # "X and Y" can be "they"
            if r is not None and (
                (r.dep_ in ("nsubj", "nsubjpass") and not _infinitival(r.head))
                or any(
                    c.dep_ in ("relcl", "acl")
                    and any(x.dep_ == "nsubj" and x.lower_ == "who" for x in c.children)
                    for c in r.children
                )
            ):
                self.subjects.append((e.start, e.person))
        self.named_pos = [p for p, _ in self.named]
        self.subject_pos = [p for p, _ in self.subjects]
        self.mark_cue: dict = {}  # mark index -> the Attribution its cue gave

    # entity under a character
    def ent_at(self, char: int) -> Ent | None:
        i = bisect_left(self.ent_starts, char + 1) - 1
        if i >= 0 and self.ents[i].start <= char < self.ents[i].end:
            return self.ents[i]
        return None

    # -- cue search ---------------------------------------------------------------
    def cue_in(self, a: int, b: int, last: bool, lead: bool = False):
        found = None
        for tok in self.work.tokens(a, b):
            if self.work.in_quote(tok.idx):
                continue
            if lead and tok.dep_ == "relcl":
                continue
            low = tok.lower_
            if low in DIRECT_FORMS or tok.lemma_.lower() in lx.DIRECT_CUES:
                if (
                    tok.pos_ not in ("VERB", "AUX")
                    and not low.endswith("ed")
                    and low not in ("said", "says", "told", "wrote")
                ):
                    continue
                if tok.dep_ in ("amod", "compound") and low not in ("said", "says"):
                    continue
                if not last:
                    return tok
                found = tok
            elif low == "according" and tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to":
                if not last:
                    return tok
                found = tok
        return found

    def subject_of(self, v):
        """The token naming who speaks for cue token v."""
        work = self.work
        if v.lower_ == "according":
            for t in v.nbor().children:
                if t.dep_ == "pobj":
                    return t
            nxt = v.nbor(2) if v.i + 2 < len(v.doc) else None
            return nxt
        if (
            v.tag_ == "VBG"
            and v.i > 0
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in v.children)
        ):
            t = v.doc[v.i - 1]  # "footage of Tom Becker saying …"
            if (
                not work.in_quote(t.idx)
                and (t.pos_ == "PROPN" or self._named(t))
                and t.ent_type_ not in _NOT_SPEAKER_ENTS
            ):
                return t
        cur = v
        for _ in range(3):
            subs = [
                c
                for c in cur.children
                if c.dep_ in ("nsubj", "nsubjpass")
                and not work.in_quote(c.idx)
                and (c.is_alpha or c.pos_ in _NOMINAL)
            ]
            if subs:
                s = min(subs, key=lambda c: (c.pos_ not in _NOMINAL, abs(c.i - cur.i)))
                if s.lower_ in ("who", "that") and cur.dep_ == "relcl":
                    return cur.head
                return s
            if cur.dep_ == "xcomp":
                objs = [c for c in cur.head.children if c.dep_ == "dobj"]
                if objs and objs[0].i < cur.i and not work.in_quote(objs[0].idx):
                    return objs[0]  # "prompted one analyst to suggest": the object speaks
            if cur.dep_ in ("conj", "advcl", "xcomp", "relcl", "acl") and cur.head is not cur:
                if cur.dep_ in ("relcl", "acl"):
                    if cur is v and cur.dep_ == "acl" and _infinitival(cur):
                        return None  # "a reluctance to acknowledge that": no one speaks
                    return cur.head if cur.head.pos_ in ("PROPN", "NOUN", "PRON") else None
                cur = cur.head
                if work.in_quote(cur.idx):
                    break
            else:
                break
        # inverted or unparsed: a name or pronoun right before / after the cue
        doc = v.doc
        if _infinitival(v):
            return None
        if v.i > 0:
            t = doc[v.i - 1]
            if (
                not work.in_quote(t.idx)
                and (t.pos_ in ("PROPN", "PRON") or self._named(t))
                and (t.pos_ != "PRON" or t.lower_ in SPEAKER_PRONOUNS)
            ):
                return t
        for j in range(v.i + 1, min(v.i + 4, len(doc))):
            t = doc[j]
            if work.in_quote(t.idx) or t.is_punct:
                break
            if t.ent_type_ in _NOT_SPEAKER_ENTS:
                break
            if t.dep_ in ("nsubj", "nsubjpass") and t.head is not v:
                # "saying he wants …": that is the subject of what is said; the speaker
                # is whoever the clause above the cue is about
                return self._controller(v)
            if t.pos_ in ("PROPN", "PRON") or self._named(t):
                if t.pos_ == "PRON" and t.lower_ not in SPEAKER_PRONOUNS:
                    break
                return t
            if t.pos_ == "NOUN" and t.dep_ in ("nsubj", "nsubjpass"):
                return t
            if t.pos_ not in ("ADV",):
                break
        return None

    def main_subject(self, pos: int) -> bool:
        """The name at ``pos`` is the subject of its sentence's main verb."""
        e = self.ent_at(pos)
        if e is None:
            return False
        head = self.work.doc[self.work.token_at(e.end - 1)]
        return head.dep_ in ("nsubj", "nsubjpass") and head.head.dep_ == "ROOT"

    def _controller(self, v):
        """The subject of the nearest clause above a subjectless cue ("He refuses …,
        aside from saying …" → He), when it is a name or a personal pronoun; None for
        anything else ("efforts are providing cover for Trump in … claiming …")."""
        cur = v.head
        for _ in range(6):
            subs = [
                c
                for c in cur.children
                if c.dep_ in ("nsubj", "nsubjpass") and not self.work.in_quote(c.idx)
            ]
            if subs:
                s = subs[0]
                if s.lower_ in SPEAKER_PRONOUNS or s.pos_ == "PROPN" or self._named(s):
                    return s
                return None
            if cur.head is cur:
                break
            cur = cur.head
        return None

    def _named(self, t) -> bool:
        e = self.ent_at(t.idx)
        return e is not None and e.label in ("PERSON", "ORG", "GPE", "NORP")

    # -- who a token names --------------------------------------------------------
    def resolve(self, tok, pos: int) -> Resolved:
        """The speaker a subject token names."""
        work = self.work
        ent = self.ent_at(tok.idx)
        if ent is None and tok.pos_ in ("NOUN", "PROPN"):
            # a PERSON named inside the subject phrase ("Dan Pinkston an … professor")
            best = None
            for t in _phrase_tokens(tok):
                e2 = self.ent_at(t.idx)
                if (
                    e2 is not None
                    and e2.label == "PERSON"
                    and not work.in_quote(e2.start)
                    and (best is None or abs(t.i - tok.i) < best[0])
                ):
                    best = (abs(t.i - tok.i), e2)
            if best:
                ent = best[1]
        if ent is not None and ent.label in _NOT_SPEAKER_ENTS:
            return NOBODY  # "74 percent of voters said …", "Wednesday …": no source
        if ent is not None:
            if ent.label == "PERSON" and ent.person:
                return Resolved(ent.person, (ent.start, ent.end))
            if ent.label == "NORP" or (
                ent.label != "PERSON"
                and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in tok.children)
            ):
                dets = [c.lower_ for c in tok.children if c.dep_ == "det"]
                return Resolved(None, (ent.start, ent.end), bool(dets and dets[0] in ("a", "an")))
            if ent.label in ("ORG", "GPE", "WORK_OF_ART", "PRODUCT") and tok.pos_ != "PRON":
                return Resolved(self.people.organisation(ent.text, ent.start), (ent.start, ent.end))
            if ent.label != "PERSON" and tok.pos_ != "PRON":
                return Resolved(None, (ent.start, ent.end))
        low = tok.lower_
        if tok.pos_ == "PRON" or low in SPEAKER_PRONOUNS:
            span = (tok.idx, tok.idx + len(tok.text))
            if low in ("he", "she"):
                return self._through(self.pronoun(tok.idx, "m" if low == "he" else "f"), span)
            if low in ("they", "it"):
                found = self._through(self.pronoun(tok.idx, "org"), span)
                if found.key is None and low == "they":
                    # never a single person: a group named before is an unnamed source
                    return Resolved(None, span, via=self._group_before(tok.idx))
                return found
            return Resolved(None, span)
        if tok.pos_ == "PROPN":
            chain = [t for t in tok.subtree if t.dep_ in ("compound", "flat") or t is tok]
            chain = [t for t in chain if t.pos_ == "PROPN" and t.i <= tok.i]
            a = chain[0].idx if chain else tok.idx
            b = tok.idx + len(tok.text)
            name = work.text[a:b]
            if name.split()[0].lower() in lx.TITLES or name[:1].isupper():
                words = name.split()
                create = tok.ent_type_ == "PERSON" or (
                    not any(c.isdigit() for c in name) and words[-1].lower() not in _NOT_NAME_LAST
                )
                key = self.people.resolve_name(name, a, create=create)
                return Resolved(key, (a, b))
        if tok.pos_ == "NOUN":
            lemma = tok.lemma_.lower()
            dets = [c.lower_ for c in tok.children if c.dep_ == "det"]
            a = tok.left_edge.idx
            b = tok.idx + len(tok.text)
            span = (a, b)
            if dets and dets[0] in ("a", "an"):
                return Resolved(None, span, True)
            if (tok.tag_ in ("NNS", "NNPS") and lemma in lx.GROUP_NOUNS) or any(
                c.dep_ == "nummod" or c.lower_ in lx.INDEFINITE_DETERMINERS for c in tok.children
            ):
                return Resolved(None, span)  # "experts", "one analyst": an unnamed source
            if lemma in lx.ORG_SPEAKER_NOUNS:
                key = self._recent_org(tok.idx)
                return Resolved(key, span)
            if lemma in lx.PERSON_SPEAKER_NOUNS:
                return Resolved(self.people.find_by_description(lemma, self.named, tok.idx), span)
        return NOBODY

    def _group_before(self, pos: int) -> tuple[int, int] | None:
        """The last plural noun phrase for people ("U.S. national security
        professionals", "experts") before ``pos`` in its paragraph or the one before."""
        work = self.work
        lo = work.para_starts[max(0, work.para_of(pos) - 1)]
        for tok in reversed(list(work.tokens(lo, pos))):
            if (
                tok.tag_ in ("NNS", "NNPS")
                and tok.lemma_.lower() in lx.GROUP_NOUNS
                and not work.in_quote(tok.idx)
            ):
                return (tok.left_edge.idx, tok.idx + len(tok.text))
        return None

    def _through(self, found: tuple[str | None, int | None], span: tuple[int, int]) -> Resolved:
        """A pronoun's resolution, with the mention it went through."""
        key, at = found
        if key is None or at is None:
            return Resolved(key, span)
        return Resolved(key, span, via=self.via_at.get(at) or self.mention_at(at))

    def mention_at(self, pos: int) -> tuple[int, int]:
        e = self.ent_at(pos)
        if e is not None:
            return (e.start, e.end)
        tok = self.work.doc[self.work.token_at(pos)]
        return (tok.idx, tok.idx + len(tok.text))

    def _recent_org(self, pos: int) -> str | None:
        para = self.work.para_of(pos)
        i = bisect_left(self.ent_starts, pos) - 1
        while i >= 0:
            e = self.ents[i]
            if para - self.work.para_of(e.start) > 3:
                break
            if e.label == "ORG" and not self.work.in_quote(e.start):
                return self.people.organisation(e.text, e.start)
            i -= 1
        return None

    def pronoun(self, pos: int, gender: str) -> tuple[str | None, int | None]:
        """The person a "he"/"she" (gender "m"/"f") or "they"/"it" ("org") at ``pos`` is,
        and where the mention it was resolved through stands.

        In order, the first agreeing candidate of:
        1. speakers earlier in the same paragraph, nearest first;
        2. subjects or speakers earlier in the same paragraph;
        3. anyone named earlier in the same paragraph;
        4. a person introduced with an apposition as the last name of the paragraph
           before ("… concerns Henry Crespo, president of …");
        5. speakers of the paragraph before;
        6. subjects or speakers up to three paragraphs back whose gender is known to
           agree, then any that agree;
        7. anyone named up to two paragraphs back.
        """
        para = self.work.para_of(pos)
        ok = self._agrees(gender)
        # only the last few paragraphs matter: bisect the sorted lists to that window
        lo = self.work.para_starts[max(0, para - 3)]
        ev = self.events[bisect_left(self.events, (lo, "")) : bisect_left(self.events, (pos, ""))]
        cands = (
            ev
            + self.subjects[bisect_left(self.subject_pos, lo) : bisect_left(self.subject_pos, pos)]
        )
        cands.sort(reverse=True)
        named = self.named[bisect_left(self.named_pos, lo) : bisect_left(self.named_pos, pos)]
        # a person who is the subject of the sentence just before is the topic now,
        # over a speaker further back ('Stringer was glad … "…," he told')
        sent = self.work.doc[self.work.token_at(pos)].sent
        if sent.start > 0:
            before = self.work.doc[sent.start - 1].sent
            for p, k in cands:
                if p < before.start_char:
                    break
                if (
                    p < sent.start_char
                    and (p, k) in self.subjects
                    and ok(k)
                    and self.main_subject(p)
                ):
                    return k, p
        for group in (reversed(ev), cands, reversed(named)):
            for p, k in group:
                if self.work.para_of(p) == para and ok(k):
                    return k, p
        prev = [(p, k) for p, k in named if self.work.para_of(p) == para - 1]
        if prev and para - 1 in self.work.body:
            p, k = prev[-1]
            e = self.ent_at(p)
            if (
                e is not None
                and " " in e.text
                and _APPOSITION.match(self.work.text, e.end)
                and ok(k)
            ):
                return k, p
        for p, k in reversed(ev):
            if para - self.work.para_of(p) > 1:
                break
            if ok(k):
                return k, p
        if gender in ("m", "f"):
            for p, k in cands:
                if self.people.gender(k) == gender:
                    return k, p
        for p, k in cands:
            if ok(k):
                return k, p
        for p, k in reversed(named):
            if para - self.work.para_of(p) > 2:
                break
            if ok(k):
                return k, p
        return None, None

    def _agrees(self, gender: str):
        people = self.people

        def ok(key: str) -> bool:
            inf = people.info.get(key)
            if inf is None:
                return False
            if gender == "org":
                return inf.person.kind == SpeakerKind.ORGANISATION
            if inf.person.kind != SpeakerKind.PERSON:
                return False
            return inf.gender is None or inf.gender == gender

        return ok

    def speaker_for_cue(self, v) -> Resolved:
        """The speaker of cue token ``v`` (cached: one cue, one speaker)."""
        if v.i in self.cue_cache:
            return self.cue_cache[v.i]
        s = self.subject_of(v)
        if s is None:
            return NOBODY
        found = self.resolve(s, v.idx)
        if not found.cataphoric:
            self.cue_cache[v.i] = found
        return found

    def last_speaker_in(self, para: int, before: int) -> str | None:
        i = bisect_left(self.events, (before, ""))
        if i == 0:
            return None
        p, k = self.events[i - 1]
        return k if self.work.para_of(p) == para else None

    def last_event_mention(self, key: str, before: int) -> tuple[int, int] | None:
        """The mention through which ``key`` last spoke before ``before``."""
        i = bisect_left(self.events, (before, ""))
        while i > 0:
            i -= 1
            p, k = self.events[i]
            if k == key:
                return self.via_at.get(p) or self.mention_at(p)
        return None

    def note(self, pos: int, key: str | None, via: tuple[int, int] | None = None) -> None:
        """A speaker at ``pos`` (the words at the cue), resolved through ``via``."""
        if key:
            insort(self.events, (pos, key))
            if via is not None:
                self.via_at[pos] = via

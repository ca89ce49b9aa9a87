"""Quotations: finding them, telling speech from scare quotes, and attributing them.

Direct and partial quotes come from quotation marks (curly or straight). A quotation
left open at the end of a paragraph continues when the next paragraph opens with a
mark (one Quote with ``Span.end_paragraph``).

* direct: the marks hold a sentence of speech — they open a paragraph or a sentence,
  follow a colon, comma, dash or cue verb, or hold several sentences;
* partial: a fragment inside the reporter's sentence, kept only when a verb governing
  it has a person (or organisation) as subject ("expects Kim to offer “things …”");
  otherwise it is a scare quote or a title and dropped; capitalised phrases after
  "name", "called", "dubbed" … and title-case phrases mid-sentence are dropped;
* indirect: a cue verb from ``lexicon.INDIRECT_CUES`` with a clause complement
  ("said that …", "…, he told Asia Times"), an urge-verb with object + infinitive
  ("urged North Korea to ratify …"), or "according to X".

Speaker of a direct quote, first rule that applies:
1. "― Name" right after the quote credits Name;
2. a cue verb just before the opening mark ("X said: “…", "asking, “…");
3. a cue verb after the closing mark in the same sentence ("…," X said / said X),
   unless a subordinator comes first ("…," when Clinton blasted him);
4. the cue of the previous quote in the paragraph when it stands between the two
   ("X," she said, "Y.");
5. the last cue verb before the quote in the paragraph;
6. after a colon, the last person named before it; a paragraph ending in
   "He said:" / "The Times reports:" introduces the quote paragraph after it;
7. no cue: the previous speaker in the paragraph, or (for a quote opening the
   paragraph) the last speaker of the paragraph before, or the last subject before it.
A quote left with neither speaker nor speaker words (quoted documents, lyrics,
transcripts) is not returned. The cue's subject becomes a person: a PERSON mention
(through the document's people), an organisation (ORG, or "the newspaper" -> the last
organisation named), a title noun ("the senator" -> the last person with that title or
description), a pronoun (see ``Attributor.pronoun``: speakers and subjects in the
paragraph first, with gender agreement), or an indefinite description ("a former North
Korean urged …") that is the next named speaker.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass, replace

from spacy.attrs import LEMMA, LOWER

from . import lexicon as lx
from .people import People
from .types import Quote, QuoteKind, SpeakerKind
from .work import Ent, Work

_WORD = re.compile(r"[\w’']+")
_SENT_END = re.compile(r"[.!?][”\"’']?\s+(?=[“\"A-Z])")
_ABBREV = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|St|Jr|Sr|Rev|Prof|"
    r"Capt|Sgt|Adm|Maj|No|Mt|Ft|Inc|Co|Corp|U\.S|D\.C|vs|Jan|Feb|Aug|Sept|Oct|"
    r"Nov|Dec))$"
)


def sentence_end(text: str, a: int = 0, b: int | None = None):
    """The first sentence end in text[a:b] (a match object), skipping abbreviations."""
    b = len(text) if b is None else b
    for m in _SENT_END.finditer(text, a, b):
        if text[m.start()] == "." and _ABBREV.search(text[max(a, m.start() - 8) : m.start()]):
            continue
        return m
    return None


def _inflect(lemmas) -> frozenset:
    out = set()
    for w in lemmas:
        out.add(w)
        out.add(w + "s")
        out.add(w + "ed")
        out.add(w + "d")
        out.add(w + "ing")
        if w.endswith("e"):
            out.add(w[:-1] + "ing")
        if w.endswith("y"):
            out.add(w[:-1] + "ies")
            out.add(w[:-1] + "ied")
    return frozenset(out | {"said", "told", "wrote", "says", "tells", "writes", "thought", "spoke"})


DIRECT_FORMS = _inflect(lx.DIRECT_CUES)


@dataclass(slots=True)
class Marked:
    start: int
    end: int
    open: int
    close: int | None
    para: int
    end_para: int


def find_marks(work: Work) -> list[Marked]:
    """Spans in quotation marks, per paragraph, joined over paragraphs where a quotation
    continues. Sets ``work.quote_mask``."""
    per_para: list[list[Marked]] = []
    for pi, t in enumerate(work.para_texts):
        base = work.para_starts[pi]
        segs: list[Marked] = []
        open_at = None
        n = len(t)
        depth = 0
        # curly marks nest (“… “hell” …”) only where they balance in the paragraph
        nested = t.count("“") == t.count("”") and t.count("“") > 1
        for i, c in enumerate(t):
            if open_at is None:
                if c in lx.QUOTE_OPEN or (
                    c == '"'
                    and i + 1 < n
                    and not t[i + 1].isspace()
                    and (i == 0 or t[i - 1].isspace() or t[i - 1] in "([{—–―-:;/")
                ):
                    open_at = i
            elif c in lx.QUOTE_CLOSE and depth > 0:
                depth -= 1
            elif (c in lx.QUOTE_CLOSE and (t[open_at] != '"' or '"' not in t[i + 1 :])) or (
                c == '"' and (t[open_at] == '"' or not _has_close(t, i))
            ):
                segs.append(_seg(t, base, pi, open_at, i))
                open_at = None
            elif c in lx.QUOTE_OPEN and nested:
                depth += 1
            elif c in lx.QUOTE_OPEN:
                # an opening mark inside an open quotation: the last one was never closed
                segs.append(_seg(t, base, pi, open_at, None, i))
                open_at = i
        if open_at is not None:
            segs.append(_seg(t, base, pi, open_at, None, n))
        per_para.append(segs)
    out: list[Marked] = []
    carry: Marked | None = None
    for pi, segs in enumerate(per_para):
        for j, m in enumerate(segs):
            if carry is not None:
                lead = work.para_texts[pi][: m.open - work.para_starts[pi]].strip()
                if j == 0 and not lead and pi in work.body:
                    carry.end = m.end
                    carry.close = m.close
                    carry.end_para = pi
                    m = carry
                else:
                    out.append(carry)
                carry = None
            if m.close is None and j == len(segs) - 1 and pi + 1 < len(per_para):
                carry = m
            else:
                out.append(m)
        if carry is not None and (pi + 1 >= len(per_para) or not per_para[pi + 1]):
            out.append(carry)
            carry = None
    if carry is not None:
        out.append(carry)
    for m in out:
        a = m.open
        b = (m.close + 1) if m.close is not None else m.end
        work.quote_mask[a:b] = b"\x01" * (b - a)
    return [m for m in out if m.end > m.start]


def _has_close(t: str, i: int) -> bool:
    return any(c in lx.QUOTE_CLOSE for c in t[i:])


def _seg(
    t: str, base: int, pi: int, open_at: int, close: int | None, end: int | None = None
) -> Marked:
    s = open_at + 1
    e = close if close is not None else end
    while s < e and t[s].isspace():
        s += 1
    while e > s and t[e - 1].isspace():
        e -= 1
    return Marked(
        base + s, base + e, base + open_at, None if close is None else base + close, pi, pi
    )


# -- classification ------------------------------------------------------------------

LOWER_DIRECT_MIN = 12
_SMALL = {"a", "an", "the", "of", "and", "or", "in", "on", "to", "for", "at", "by", "with", "is"}


def classify(work: Work, m: Marked) -> QuoteKind | None:
    text = work.text
    content = text[m.start : m.end]
    words = _WORD.findall(content)
    n = len(words)
    if n == 0:
        return None
    pstart = work.para_starts[m.para]
    before = text[pstart : m.open].rstrip()
    prev_char = before[-1:] if before else ""
    prev_words = _WORD.findall(before[-40:])
    prev_word = prev_words[-1].lower() if prev_words else ""
    if prev_word in lx.NAME_INTRODUCERS and prev_char not in ",:":
        return None
    if re.match(r"\(?[A-Z][A-Z.' -]{2,}[:)]", content):
        return QuoteKind.PARTIAL  # a transcript line, not a quotation of one speaker
    first_alpha = next((c for c in content if c.isalpha()), "")
    upper = first_alpha.isupper()
    sentence_initial = (
        not before
        or prev_char in ".!?:;,—–―-("
        or prev_word in DIRECT_FORMS
        or before.endswith(("”", '"'))
    )
    title_case = all(w[:1].isupper() or w.lower() in _SMALL for w in words)
    multi_sentence = bool(sentence_end(content)) and n >= 6
    if n <= 2 and content.rstrip()[-1:] not in ".!?" and prev_char not in ":":
        return QuoteKind.PARTIAL
    if (
        title_case
        and n <= 12
        and not multi_sentence
        and not content.rstrip().endswith(("!", "?"))
        and (not sentence_initial or n <= 2 or prev_char in ",(")
    ):
        return None
    if multi_sentence and n >= 8:
        return QuoteKind.DIRECT
    if m.end_para != m.para:
        return QuoteKind.DIRECT
    if sentence_initial and (upper or n >= LOWER_DIRECT_MIN) and prev_char != "(":
        if n == 1 and prev_char not in ":":
            return QuoteKind.PARTIAL
        return QuoteKind.DIRECT
    if upper and n >= 6 and content.rstrip()[-1:] in ".!?,":
        return QuoteKind.DIRECT
    return QuoteKind.PARTIAL


# -- attribution ---------------------------------------------------------------------

_NOMINAL = ("PROPN", "PRON", "NOUN")
_ROLES = "|".join(
    sorted(lx.PERSON_SPEAKER_NOUNS | {t for t in lx.TITLES if t.isalpha() and len(t) > 3})
)
_APPOSITION = re.compile(r",\s+(?:(?:a|an|the)\s+[\w-]+|(?:" + _ROLES + r")\b)")
_SUBORDINATORS = frozenset(
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
        self.cue_cache: dict[int, tuple[str | None, int | None]] = {}
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
        self.mark_cue: dict[int, tuple] = {}  # mark index -> (cue pos, key, span, cue)

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
            if not work.in_quote(t.idx) and (t.pos_ == "PROPN" or self._named(t)):
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
                and (t.pos_ != "PRON" or t.lower_ in lx.SPEAKER_PRONOUNS)
            ):
                return t
        for j in range(v.i + 1, min(v.i + 4, len(doc))):
            t = doc[j]
            if work.in_quote(t.idx) or t.is_punct:
                break
            if t.ent_type_ in _NOT_SPEAKER_ENTS:
                break
            if t.pos_ in ("PROPN", "PRON") or self._named(t):
                if t.pos_ == "PRON" and t.lower_ not in lx.SPEAKER_PRONOUNS:
                    break
                return t
            if t.pos_ == "NOUN" and t.dep_ in ("nsubj", "nsubjpass"):
                return t
            if t.pos_ not in ("ADV",):
                break
        return None

    def _named(self, t) -> bool:
        e = self.ent_at(t.idx)
        return e is not None and e.label in ("PERSON", "ORG", "GPE", "NORP")

    # -- who a token names --------------------------------------------------------
    def resolve(self, tok, pos: int) -> tuple[str | None, tuple[int, int] | None, bool]:
        """(person key, speaker span, cataphoric?) for a subject token."""
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
        if ent is not None:
            if ent.label == "PERSON" and ent.person:
                return ent.person, (ent.start, ent.end), False
            if ent.label == "NORP" or (
                ent.label != "PERSON"
                and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in tok.children)
            ):
                dets = [c.lower_ for c in tok.children if c.dep_ == "det"]
                return None, (ent.start, ent.end), bool(dets and dets[0] in ("a", "an"))
            if ent.label in ("ORG", "GPE", "WORK_OF_ART", "PRODUCT") and tok.pos_ != "PRON":
                return self.people.organisation(ent.text, ent.start), (ent.start, ent.end), False
            if ent.label != "PERSON" and tok.pos_ != "PRON":
                return None, (ent.start, ent.end), False
        low = tok.lower_
        if tok.pos_ == "PRON" or low in lx.SPEAKER_PRONOUNS:
            span = (tok.idx, tok.idx + len(tok.text))
            if low in ("he", "she"):
                return self.pronoun(tok.idx, "m" if low == "he" else "f"), span, False
            if low in ("they", "it"):
                return self.pronoun(tok.idx, "org"), span, False
            return None, span, False
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
                return key, (a, b), False
        if tok.pos_ == "NOUN":
            lemma = tok.lemma_.lower()
            dets = [c.lower_ for c in tok.children if c.dep_ == "det"]
            a = tok.left_edge.idx
            b = tok.idx + len(tok.text)
            span = (a, b)
            if dets and dets[0] in ("a", "an"):
                return None, span, True
            if lemma in lx.ORG_SPEAKER_NOUNS:
                key = self._recent_org(tok.idx)
                return key, span, False
            if lemma in lx.PERSON_SPEAKER_NOUNS:
                return self.people.find_by_description(lemma, self.named, tok.idx), span, False
        return None, None, False

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

    def pronoun(self, pos: int, gender: str) -> str | None:
        """The person a "he"/"she" (gender "m"/"f") or "they"/"it" ("org") at ``pos`` is.

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
        for group in (reversed(ev), cands, reversed(named)):
            for p, k in group:
                if self.work.para_of(p) == para and ok(k):
                    return k
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
                return k
        for p, k in reversed(ev):
            if para - self.work.para_of(p) > 1:
                break
            if ok(k):
                return k
        if gender in ("m", "f"):
            for _p, k in cands:
                if self.people.gender(k) == gender:
                    return k
        for _p, k in cands:
            if ok(k):
                return k
        for p, k in reversed(named):
            if para - self.work.para_of(p) > 2:
                break
            if ok(k):
                return k
        if gender == "org":
            # "they" for two named people: the first of the latest pair
            for p, k in reversed(self.coordinated):
                if p < pos and para - self.work.para_of(p) <= 1:
                    first = [x for x in self.coordinated if x[0] < p and p - x[0] < 60]
                    return (first[0] if first else (p, k))[1]
        return None

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

    def speaker_for_cue(self, v) -> tuple[str | None, tuple[int, int] | None, bool]:
        if v.i in self.cue_cache:
            key, span = self.cue_cache[v.i]
            return key, span, False
        s = self.subject_of(v)
        if s is None:
            return None, None, False
        key, span, cata = self.resolve(s, v.idx)
        if not cata:
            self.cue_cache[v.i] = (key, span)
        return key, span, cata

    def last_speaker_in(self, para: int, before: int) -> str | None:
        i = bisect_left(self.events, (before, ""))
        if i == 0:
            return None
        p, k = self.events[i - 1]
        return k if self.work.para_of(p) == para else None

    def note(self, pos: int, key: str | None) -> None:
        if key:
            insort(self.events, (pos, key))


def _frames(work: Work, m: Marked, marks: list[Marked], idx: int) -> tuple[int, int, int, int]:
    pstart = work.para_starts[m.para]
    prev_close = pstart
    if idx > 0 and marks[idx - 1].end_para == m.para:
        pm = marks[idx - 1]
        prev_close = (pm.close + 1) if pm.close is not None else pm.end
    lead = (max(pstart, prev_close), m.open)
    endp = work.para_end(m.end_para)
    after = (m.close + 1) if m.close is not None else m.end
    nxt = endp
    if idx + 1 < len(marks) and marks[idx + 1].para == m.end_para:
        nxt = marks[idx + 1].open
    return lead[0], lead[1], after, nxt


def extract(
    work: Work, att: Attributor, marks: list[Marked], kinds: list[QuoteKind | None]
) -> list[Quote]:
    """All quotes of the document, attributed left to right (so that pronouns see the
    speakers before them), direct/partial and indirect interleaved by position."""
    cands = list(indirect_candidates(work))
    items = sorted(
        [(m.start, 0, i) for i, m in enumerate(marks)]
        + [(v.idx, 1, j) for j, (v, _a, _b) in enumerate(cands)]
    )
    state: dict[int, str] = {}
    found: list[tuple[int, Quote, bool]] = []
    for _pos, what, i in items:
        if what == 0:
            q, cata = _attribute_mark(work, att, marks, kinds, i, state)
            if q is not None:
                found.append((marks[i].start, q, cata))
        else:
            r = _indirect(work, att, *cands[i])
            if r is not None:
                found.append(r)
    out: list[Quote] = []
    for pos, q, cata in found:
        if cata and q.speaker is None:
            para = work.para_of(pos)
            nxt = next((k for p, k in att.events if p > pos and work.para_of(p) - para <= 1), None)
            if nxt:
                q = replace(q, speaker=nxt)
        out.append(q)
    out.sort(key=lambda q: (q.span.paragraph, q.span.start))
    return out


def _attribute_mark(
    work: Work,
    att: Attributor,
    marks: list[Marked],
    kinds: list[QuoteKind | None],
    i: int,
    last_para_speaker: dict[int, str],
):
    text = work.text
    m = marks[i]
    kind = kinds[i]
    if kind is None or m.para not in work.body:
        return None, False
    la, lb, ta, tb = _frames(work, m, marks, i)
    content = text[m.start : m.end].rstrip()
    key, span, cue, cata = None, None, "", False
    if kind == QuoteKind.PARTIAL:
        key, span, cue = _partial_speaker(work, att, m)
        if key is None:
            return None, False
    else:
        trail = text[ta:tb]
        # "― Name" credit line
        cm = re.match(r"\s*[―—–-]+\s*([A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})", trail)
        ended = content[-1:] in ".!?"
        if cm and (ended or not trail.strip()[1:2].islower()):
            name = cm.group(1)
            e = att.ent_at(ta + cm.start(1))
            if e is not None and e.label == "PERSON" and e.person:
                key = e.person
            else:
                key = att.people.resolve_name(name, ta + cm.start(1), create=True)
            span = (ta + cm.start(1), ta + cm.end(1))
            cue = "wrote"
        if span is None:
            v = _intro_cue(work, att, la, lb)
            if v is None:
                sm = sentence_end(text, ta, tb)
                t_end = sm.end() if sm else tb
                v = att.cue_in(ta, t_end, last=False)
                if v is not None and any(
                    t.lower_ in _SUBORDINATORS for t in work.tokens(ta, v.idx)
                ):
                    v = None  # "…,” when Clinton blasted him: not the quote's cue
                if v is not None and ended and v.idx - ta > 60:
                    v = None
                if (
                    v is not None
                    and ended
                    and tb < work.para_end(m.end_para)
                    and text[v.idx + len(v.text) : tb].strip() in (",", ":")
                ):
                    v = None  # '“….” Jason Miller added, “…”': the cue of the next quote
            prev = marks[i - 1] if i > 0 else None
            inherit = None
            if (
                v is None
                and prev is not None
                and prev.end_para == m.para
                and not text[la:lb].rstrip().endswith(":")
            ):
                pk = att.mark_cue.get(i - 1)
                if (
                    pk is not None
                    and la <= pk[0] < lb
                    and att.cue_in(pk[0] + 1, lb, last=True, lead=True) is None
                ):
                    inherit = pk
            if inherit is not None:
                key, span = inherit[1], inherit[2]
                cue = inherit[3]
            elif v is None or (ended and lb > la and _ends_with_intro(text[la:lb])):
                v2 = att.cue_in(la, lb, last=True, lead=True)
                if v2 is not None:
                    v = v2
            if v is not None and inherit is None:
                key, span, cata = att.speaker_for_cue(v)
                cue = v.text
                att.mark_cue[i] = (v.idx, key, span, cue)
        if span is None:
            lead = text[la:lb].rstrip()
            if lead.endswith(":"):
                e = _last_named(att, la, lb)
                if e is not None:
                    key, span = e.person, (e.start, e.end)
        if (
            span is None
            and m.para - 1 in work.body
            and not text[work.para_starts[m.para] : m.open].strip()
            and work.para_texts[m.para - 1].rstrip().endswith(":")
        ):
            # "He said:" / "The New York Times reports:" closing the paragraph before
            pa, pb = work.para_starts[m.para - 1], work.para_end(m.para - 1)
            v = att.cue_in(pa, pb, last=True, lead=True)
            if v is not None:
                key, span, cata = att.speaker_for_cue(v)
                cue = v.text
            else:
                e = _last_named(att, pa, pb)
                if e is not None:
                    key, span = e.person, (e.start, e.end)
        if key is None and span is None:
            key = att.last_speaker_in(m.para, m.start)
            if key is None and not text[work.para_starts[m.para] : m.open].strip():
                key = last_para_speaker.get(m.para - 1)
            if key is None:
                e = _last_named(att, la, lb, subjects_only=True)
                if e is not None:
                    key = e.person
    if key is None and span is None:
        return None, False  # no cue, no speaker: quoted text, not speech we can attribute
    end = m.end
    if m.close is not None:
        # “…, things that are easily reversible,” he said: the comma is the sentence's.
        while end > m.start and (work.text[end - 1] in ",;" or work.text[end - 1].isspace()):
            end -= 1
    q = Quote(
        span=work.span(m.start, end),
        kind=kind,
        speaker=key,
        cue=cue,
        speaker_span=work.span(*span) if span else None,
    )
    pos = span[0] if span else m.start
    att.note(pos, key)
    if key:
        last_para_speaker[m.end_para] = key
    return q, cata


def _intro_cue(work: Work, att: Attributor, la: int, lb: int):
    """A cue verb right before the opening mark: 'X said: “…', 'asking, “…'."""
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
        return att.cue_in(max(la, lb - 150), lb, last=True, lead=True)
    return None


def _ends_with_intro(lead: str) -> bool:
    return lead.rstrip().endswith((":", ","))


def _last_named(att: Attributor, a: int, b: int, subjects_only: bool = False) -> Ent | None:
    src, pos = (att.subjects, att.subject_pos) if subjects_only else (att.named, att.named_pos)
    i = bisect_left(pos, b)
    if i == 0 or src[i - 1][0] < a:
        return None
    best = att.ent_at(src[i - 1][0])
    return best if best is not None and best.person else None


def _partial_speaker(work: Work, att: Attributor, m: Marked):
    """Speaker of a fragment in marks: subject of the nearest verb above it."""
    toks = list(work.tokens(m.start, m.end))
    if not toks:
        return None, None, ""
    inside = {t.i for t in toks}
    root = next((t for t in toks if t.head.i not in inside or t.head is t), toks[0])
    cur = root.head
    for _ in range(6):
        if cur.i in inside:
            break
        if cur.pos_ in ("VERB", "AUX") and not _infinitival(cur):
            subs = [
                c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass") and c.i not in inside
            ]
            if subs:
                s = subs[0]
                if s.lower_ in ("who", "that") and cur.dep_ == "relcl":
                    s = cur.head
                ok = (
                    s.pos_ == "PROPN"
                    or s.lower_ in ("he", "she", "they")
                    or att.ent_at(s.idx) is not None
                )
                if not ok:
                    return None, None, ""
                key, span, _ = att.resolve(s, cur.idx)
                if key is None:
                    return None, None, ""
                return key, span, cur.text
        if cur.head is cur:
            break
        cur = cur.head
    return None, None, ""


# -- indirect ---------------------------------------------------------------------

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
            left = (sent.start, pa)
            right = (pb + 1, sent.end)
            a, b = left if left[1] - left[0] >= right[1] - right[0] else right
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


def _indirect(work: Work, att: Attributor, v, a: int, b: int):
    text = work.text
    while b > a and not text[b - 1].isalnum() and text[b - 1] not in ")]%":
        b -= 1
    while a < b and not text[a].isalnum():
        a += 1
    if len(_WORD.findall(text[a:b])) < 3:
        return None
    if any(work.quote_mask[a:b]):
        return None
    if work.para_of(a) != work.para_of(b - 1):
        return None
    key, span, cata = att.speaker_for_cue(v)
    if span is None:
        return None
    if (
        v.idx < span[0]
        and a <= span[0] < b
        and work.text[span[0] : span[1]].lower() not in lx.SPEAKER_PRONOUNS
    ):
        return None  # a name inside what is said is not who says it
    cue = "according to" if v.lower_ == "according" else v.text
    q = Quote(
        span=work.span(a, b),
        kind=QuoteKind.INDIRECT,
        speaker=key,
        cue=cue,
        speaker_span=work.span(*span),
    )
    att.note(span[0], key)
    return v.idx, q, cata

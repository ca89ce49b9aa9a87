"""Who a cue's subject names: the cue search, the subject of a cue, and the resolution
of names, pronouns and descriptions to the document's people.

``Attributor`` keeps the state attribution builds left to right: the speakers so far
(``events``), the subjects and names seen outside quotation marks, and the cues already
resolved. ``resolve`` returns a ``Resolved``: the person, the words at the cue, and for
a pronoun or a description the mention it was resolved through (``via``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable
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
# Subjects that name no one: "it takes time", "there is".
_NO_ONE = frozenset({"it", "there", "this"})
# Cues whose object is always the one spoken to ("told the Courier"; "asked Jo Ray"
# may be inverted, "“Why?” asked Jo Ray", and is not one).
_LISTENER_CUES = frozenset({"tell"})
# How many tokens back an apposition between a name and its cue may reach ("Jo Ray, a
# spokeswoman for the Harbour Trust, said").
APPOSITION_REACH = 14
_ROLES = "|".join(
    sorted(lx.PERSON_SPEAKER_NOUNS | {t for t in lx.TITLES if t.isalpha() and len(t) > 3})
)
_APPOSITION = re.compile(r",\s+(?:(?:a|an|the)\s+[\w-]+|(?:" + _ROLES + r")\b)")
_NOT_SPEAKER_ENTS = frozenset(
    ["DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"]
)


_NOT_NAME_LAST = lx.ORG_SUFFIXES | lx.PLACE_SUFFIXES | lx.FACILITY_SUFFIXES | lx.LAW_SUFFIXES


_CLAUSES = frozenset({"acl", "relcl", "ccomp", "xcomp", "advcl", "csubj"})


# Dependencies under a subject's head that lead to someone else: "The director of Blue
# Harbour and Night Train" (prep), "Quiz Night host Ann Lowe" (conj), "Marsh's
# spokesman" (poss). A name reached through them is not the subject.
_NOT_THE_SUBJECT = frozenset({"prep", "pobj", "conj", "cc", "poss", "case"})


def _name_tokens(tok):
    """The tokens of the subject phrase of ``tok`` that can name the subject itself:
    the phrase without its clauses, prepositional phrases, conjuncts and possessors."""
    stack = [tok]
    while stack:
        t = stack.pop()
        yield t
        stack.extend(
            c for c in t.children if c.dep_ not in _CLAUSES and c.dep_ not in _NOT_THE_SUBJECT
        )


def _clause_free(tok):
    """``tok`` and its subtree without clauses."""
    stack = [tok]
    while stack:
        t = stack.pop()
        yield t
        stack.extend(c for c in t.children if c.dep_ not in _CLAUSES and c.dep_ != "punct")


_AGE = re.compile(r"(\d{1,3})-year-old")
_AGE_AFTER = re.compile(r",\s*(\d{1,3}),")
_AGE_BEFORE = re.compile(r"(\d{1,3})-year-old\b[^.,;:]*$")


def _cited(tok) -> bool:
    """Whether ``tok`` is what "according to" cites ("according to the records")."""
    prep = tok.head
    return (
        tok.dep_ == "pobj"
        and prep.lower_ == "to"
        and prep.i > 0
        and tok.doc[prep.i - 1].lower_ == "according"
    )


def _cited_span(tok) -> tuple[int, int]:
    """The words of what "according to" cites: its whole phrase ("early results of
    exit polls conducted by X for Y"), up to a comma, dash or parenthesis."""
    last = tok
    for t in tok.doc[tok.i + 1 : tok.right_edge.i + 1]:
        if t.text in (",", "(", ";") or t.text in lx.DASHES:
            break
        last = t
    return tok.left_edge.idx, last.idx + len(last.text)


def _age(tok) -> str | None:
    """The age in "the 45-year-old (comedian)", as written."""
    a = tok.left_edge.idx
    m = _AGE.search(tok.doc.text[a : tok.idx + len(tok.text)])
    return m.group(1) if m else None


def _role_propn(tok) -> bool:
    """ "The Westford North MP": a proper-noun phrase after "the" whose head is a role,
    a description and no name."""
    return (
        tok.pos_ == "PROPN"
        and tok.lower_ in lx.DESCRIPTION_NOUNS | lx.PERSON_SPEAKER_NOUNS
        and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)
    )


# Prepositions that restrict a describing noun: "a spokesman for Acme", "an aide to
# the governor".
_DESCRIBING_PREPOSITIONS = lx.DESCRIPTION_PREPOSITIONS | {"to"}


def _restricts(c) -> bool:
    """``c``, a right child of a describing noun, tells which one it is: a preposition
    ("an adviser to Jane Roe") or a modifier that takes one ("a person close to the
    family", "a source involved in the talks", "someone familiar with the plan")."""
    if c.dep_ == "prep":
        return c.lower_ in _DESCRIBING_PREPOSITIONS
    return (
        c.dep_ in ("amod", "acl")
        and c.tag_ in ("JJ", "VBN")
        and any(g.dep_ == "prep" and g.i == c.i + 1 for g in c.children)
    )


def _set_off_participle(v) -> bool:
    """'X was defensive when asked about a builder who …, saying, “…”': a participle
    set off by a comma speaks for the subject of the main clause, wherever the parser
    hangs it (often on the nearest verb, inside a relative clause)."""
    return v.tag_ == "VBG" and v.i > 0 and v.doc[v.i - 1].text == ","


def _main_subject_or_its_possessor(t) -> bool:
    """``t`` is the subject of its sentence's main verb, or the possessor of it."""
    if t.dep_ == "poss":
        t = t.head
    return t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT"


# "… said after Rubio spoke", "After Lee criticized him, Roe shot back": a cue in a
# clause of time or reason tells when or why, and introduces no quotation ("as" does:
# "As Roe put it, …").
_TIME_REASON = frozenset(
    ["after", "before", "when", "while", "because", "since", "until", "once", "whenever"]
)


def _subordinate(v) -> bool:
    """``v`` heads a clause of time or reason: an adverbial clause led by such a
    subordinator ("when" may hang as an adverb), or the complement of such a
    preposition ("two hours after news outlets declared")."""
    if v.dep_ == "advcl":
        return any(
            c.dep_ in ("mark", "advmod") and c.lower_ in _TIME_REASON and c.i < v.i
            for c in v.children
        )
    return v.dep_ == "pcomp" and v.head.lower_ in _TIME_REASON


def _past_dateline(tok):
    """'CLEVELAND, July 19 (UPI) — Jane Roe told …': the parser makes the dateline the
    subject and the subject its apposition after the dash; the words after the dash are
    the subject. Any other token is itself."""
    if tok.i != tok.sent.start or not (tok.is_alpha and tok.is_upper and len(tok) > 2):
        return tok
    dash = next((c for c in tok.children if c.dep_ == "punct" and c.text in lx.DASHES), None)
    if dash is None:
        return tok
    after = [c for c in tok.children if c.dep_ == "appos" and c.i > dash.i]
    return after[-1] if after else tok


def _infinitival(v) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)


# Verbs with a particle that answer or go on speaking ("“…,” Lee shot back", "Roe went
# on", "Lee chimed in"), though the verb alone is no cue ("shot", "went").
_PHRASAL_CUES = {
    "back": frozenset(["shoot", "fire", "hit", "push", "strike", "snap", "bite"]),
    "on": frozenset(["go"]),
    "in": frozenset(["chime"]),
}
# Cue lemmas for a quotation placed beside them only ("…,” Lee interjected").
_BESIDE_CUES = frozenset(["interject"])


def _phrasal_cue(tok) -> bool:
    """``tok`` is a verb that, with its particle, says someone spoke ("shot back")."""
    if tok.pos_ != "VERB":
        return False
    lemma = tok.lemma_.lower()
    if lemma in _BESIDE_CUES:
        return True
    return any(
        c.dep_ in ("prt", "prep", "advmod")
        and c.i == tok.i + 1
        and lemma in _PHRASAL_CUES.get(c.lower_, ())
        and not any(g.dep_ == "pobj" for g in c.children)
        for c in tok.children
    )


# Verbs whose object is the one written or sent to ("mailed members saying …").
_SENDING_VERBS = frozenset(["email", "e-mail", "text", "send", "write", "mail", "message", "tell"])


def _recipient(n) -> bool:
    """``n`` is the one a message went to: "to members", "mailed members"."""
    if n.dep_ == "pobj":
        return n.head.lower_ == "to"
    return n.dep_ in ("dobj", "dative") and n.head.lemma_.lower() in _SENDING_VERBS


class Attributor:
    def __init__(self, work: Work, people: People, ents: list[Ent]) -> None:
        self.work = work
        self.people = people
        self.ents = ents
        self.ent_starts = [e.start for e in ents]
        self.events: list[tuple[int, str]] = []  # (position, key) of speakers so far
        # (position, description span, gender) of unnamed sources so far
        self.unnamed: list[tuple[int, tuple[int, int], str]] = []
        self.cue_cache: dict[int, Resolved] = {}
        # a speaker event at a pronoun: the named mention it went through
        self.via_at: dict[int, tuple[int, int]] = {}
        # subject mentions of people outside quotes, in order
        self.subjects: list[tuple[int, str]] = []
        self.named: list[tuple[int, str]] = []
        self.coordinated: list[tuple[int, str]] = []
        self.clause_subjects: set[int] = set()  # subjects only of a relative clause
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
            if r is None:
                continue
            if r.dep_ in ("nsubj", "nsubjpass") and not _infinitival(r.head):
                self.subjects.append((e.start, e.person))
            elif any(
                c.dep_ in ("relcl", "acl")
                and any(x.dep_ == "nsubj" and x.lower_ == "who" for x in c.children)
                for c in r.children
            ):
                # "rivals Jane Roe and Tom Becker, who …": the subject of a clause about
                # them, not of the sentence
                self.subjects.append((e.start, e.person))
                self.clause_subjects.add(e.start)
        self.named_pos = [p for p, _ in self.named]
        # the first word of a multi-word organisation's name, when it is no person's
        person_words = {w for e in ents if e.label == "PERSON" for w in e.text.split()}
        self.org_short = {
            e.text.split()[0]: e
            for e in ents
            if e.label == "ORG"
            and " " in e.text
            and e.text.split()[0] not in person_words
            and e.text.split()[0][:1].isupper()
            and e.text.split()[0].lower() not in ("the", "a")
        }
        self._roles: dict[int, float] | None = None
        self._sent_starts: list[int] | None = None
        self._ages: dict[str, str] | None = None
        self.subject_pos = [p for p, _ in self.subjects]
        self.mark_cue: dict = {}  # mark index -> the Attribution its cue gave

    # entity under a character
    def ent_at(self, char: int) -> Ent | None:
        i = bisect_left(self.ent_starts, char + 1) - 1
        if i >= 0 and self.ents[i].start <= char < self.ents[i].end:
            return self.ents[i]
        return None

    # -- cue search ---------------------------------------------------------------
    def cue_in(self, a: int, b: int, last: bool, lead: bool = False, infinitives: bool = True):
        """The first (or ``last``) cue between ``a`` and ``b`` outside quotation marks;
        in a ``lead`` not one in a relative clause or a clause of time or reason, and
        without ``infinitives`` not one in an infinitive that hangs on a verb of
        another kind ('moved to demand', 'hoped to announce')."""
        found = None
        for tok in self.work.tokens(a, b):
            if self.work.in_quote(tok.idx):
                continue
            if lead and (tok.dep_ == "relcl" or _subordinate(tok)):
                continue
            if (
                not infinitives
                and _infinitival(tok)
                and tok.head.lemma_.lower() not in lx.DIRECT_CUES | {"go"}
            ):
                continue
            low = tok.lower_
            if _phrasal_cue(tok):
                if not last:
                    return tok
                found = tok
            elif low in DIRECT_FORMS or tok.lemma_.lower() in lx.DIRECT_CUES:
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
                if s.lower_ in ("who", "that", "which") and cur.dep_ == "relcl":
                    return self._antecedent(cur, v)
                if cur is not v and s.lower_ in _NO_ONE:
                    # "Lee said it takes time but added, “…”": the cue hangs on the
                    # reported clause, whose "it" speaks for no one; the reporter does
                    return self._reporter_of(cur) or s
                return s
            if cur.dep_ == "xcomp":
                objs = [c for c in cur.head.children if c.dep_ == "dobj"]
                if objs and objs[0].i < cur.i and not work.in_quote(objs[0].idx):
                    return objs[0]  # "prompted one analyst to suggest": the object speaks
            if cur.dep_ in ("conj", "advcl", "xcomp", "relcl", "acl") and cur.head.i != cur.i:
                if cur.dep_ in ("relcl", "acl"):
                    if cur is v and cur.dep_ == "acl" and _infinitival(cur):
                        return None  # "a reluctance to acknowledge that": no one speaks
                    if cur is v and v.tag_ == "VBG" and _recipient(cur.head):
                        # "mailed members saying": who sent it speaks
                        return self._sender(cur.head)
                    return self._antecedent(cur, v, ("PROPN", "NOUN", "PRON"))
                cur = cur.head
                if work.in_quote(cur.idx):
                    break
            else:
                break
        return self._beside(v)

    def _reporter_of(self, clause):
        """The subject of the speech verb that reports ``clause`` ("Lee" in "Lee said
        it takes time"), outside quotation marks."""
        if clause.dep_ != "ccomp" or clause.head.lemma_.lower() not in lx.SPEECH_VERBS:
            return None
        subs = [c for c in clause.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subs or self.work.in_quote(subs[0].idx) or subs[0].lower_ in _NO_ONE:
            return None
        return subs[0]

    def _sender(self, n):
        """The subject of the nearest clause above ``n`` outside quotation marks."""
        cur = n.head
        for _ in range(4):
            subs = [c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subs:
                return None if self.work.in_quote(subs[0].idx) else subs[0]
            if cur.head.i == cur.i:
                break
            cur = cur.head
        return None

    def _beside(self, v):
        """For a cue with no subject in the parse (inverted or unparsed): a name or
        pronoun right before or after it."""
        work = self.work
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
            named = self._before_apposition(v)
            if named is not None:
                return named
        if v.lemma_.lower() in _LISTENER_CUES:
            return None  # "told the Courier": the one told, never the one who speaks
        for j in range(v.i + 1, min(v.i + 4, len(doc))):
            t = doc[j]
            if work.in_quote(t.idx) or t.is_punct:
                break
            if t.ent_type_ in _NOT_SPEAKER_ENTS:
                break
            if t.dep_ in ("nsubj", "nsubjpass") and t.head.i != v.i:
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

    def _before_apposition(self, v):
        """'Jo Ray, 49, told …', 'Jo Ray, a spokeswoman for the union, said …' where
        the parser found no subject: the name before an apposition set off by commas
        right before the cue (the apposition names no one and has no verb)."""
        doc = v.doc
        if v.i < 3 or doc[v.i - 1].text != ",":
            return None
        lo = max(v.sent.start, v.i - APPOSITION_REACH)
        for c in range(v.i - 2, lo, -1):
            t = doc[c]
            if t.pos_ in ("VERB", "AUX") or self.work.in_quote(t.idx) or t.text in lx.DASHES:
                return None
            if t.text != ",":
                continue
            name = doc[c - 1]
            e = self.ent_at(name.idx)
            if e is not None and e.label == "PERSON" and not self.work.in_quote(name.idx):
                return name
            return None
        return None

    def _antecedent(self, clause, v, pos: tuple[str, ...] = ()):
        """Who speaks for cue ``v`` inside the relative clause ``clause``: the noun the
        clause hangs on (of part of speech ``pos``, when given); for a participle set off
        by a comma, the subject of the main clause instead."""
        if clause is not v and _set_off_participle(v):
            return self._sentence_subject(v)
        return clause.head if not pos or clause.head.pos_ in pos else None

    def _sentence_subject(self, v):
        """The subject of the main clause of ``v``'s sentence, outside quotation marks."""
        root = v.sent.root
        subs = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subs or self.work.in_quote(subs[0].idx):
            return None
        return subs[0]

    def main_subject(self, pos: int) -> bool:
        """The name at ``pos`` is the subject of its sentence's main verb."""
        e = self.ent_at(pos)
        if e is None:
            return False
        head = self.work.doc[self.work.token_at(e.end - 1)]
        return head.dep_ in ("nsubj", "nsubjpass") and head.head.dep_ == "ROOT"

    def _controller(self, v):
        """The subject of the nearest clause above a subjectless cue ("He declined …,
        other than saying …" → He), when it is a name or a personal pronoun; None for
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
            if cur.head.i == cur.i:
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
        tok = _past_dateline(tok)
        ent = self.ent_at(tok.idx)
        if ent is None and tok.pos_ in ("NOUN", "PROPN"):
            # a PERSON named inside the subject phrase ("Dan Pinkston an … professor")
            best = None
            for t in _name_tokens(tok):
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
        if ent is not None and ent.label in _NOT_SPEAKER_ENTS and _age(tok):
            ent = None  # "the 67-year-old": an age describes a person
        if ent is not None and ent.label in _NOT_SPEAKER_ENTS:
            return NOBODY  # "60 percent of parents said …", "Wednesday …": no source
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
                gender = "m" if low == "he" else "f"
                reporter = self.reporter(tok, gender)
                if reporter is not None:
                    return Resolved(reporter.person, span, via=(reporter.start, reporter.end))
                unnamed = self.unnamed_before(tok.idx, gender) or self.described_subject(
                    tok, gender
                )
                if unnamed is not None:
                    return Resolved(None, span, via=unnamed)
                return self._through(self.pronoun(tok.idx, gender), span)
            if low in ("they", "it"):
                found = self._through(self.pronoun(tok.idx, "org"), span)
                if found.key is None and low == "they":
                    # never a single person: a group named before is an unnamed source
                    return Resolved(None, span, via=self._group_before(tok.idx))
                return found
            return Resolved(None, span)
        if _role_propn(tok):
            return self.description(tok)
        if tok.pos_ == "PROPN" and tok.text in self.org_short:
            # "Brennix Logistics … Brennix said": the organisation's short name
            org = self.org_short[tok.text]
            return Resolved(
                self.people.organisation(org.text, org.start), (tok.idx, tok.idx + len(tok.text))
            )
        if tok.pos_ == "PROPN":
            chain = [t for t in tok.subtree if t.dep_ in ("compound", "flat") or t.i == tok.i]
            chain = [t for t in chain if t.pos_ == "PROPN" and t.i <= tok.i]
            a = chain[0].idx if chain else tok.idx
            b = tok.idx + len(tok.text)
            name = work.text[a:b]
            if name.split()[0].lower() in lx.TITLES or name[:1].isupper():
                words = name.split()
                # "the Premiership", "Because the Night": a name takes no article
                create = not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children) and (
                    tok.ent_type_ == "PERSON"
                    or (
                        not any(c.isdigit() for c in name)
                        and words[-1].lower() not in _NOT_NAME_LAST
                    )
                )
                key = self.people.resolve_name(name, a, create=create)
                return Resolved(key, (a, b))
        if tok.pos_ == "NOUN" or _role_propn(tok) or _age(tok):
            return self.description(tok)
        return NOBODY

    def description(self, tok) -> Resolved:
        """A noun phrase as the speaker: "a spokesman for Acme" is an unnamed source with
        its description; "experts", "one analyst" are unnamed; "the newspaper" is the
        organisation named last; "the spokeswoman", "the 45-year-old", "the Welsh
        singer" are the earlier person they describe (``definite``)."""
        lemma = tok.lemma_.lower()
        dets = [c.lower_ for c in tok.children if c.dep_ == "det"]
        span = self.description_span(tok)
        if lemma in lx.DOCUMENT_NOUNS and (pub := self._publisher(tok)) is not None:
            # "a Harbour Institute poll", "a survey by the union": the publisher speaks
            end = max(span[1], pub.end)
            return Resolved(self.people.organisation(pub.text, pub.start), (span[0], end))
        if lemma in lx.RECORD_NOUNS and _cited(tok):
            # "according to state records", "according to exit polls conducted by X for
            # Y": the record speaks, by all its words up to an apposition
            return Resolved(None, _cited_span(tok))
        if dets and dets[0] in ("a", "an"):
            # "a retired fisherman urged …" is named by the next speaker; "a spokesman
            # for the union" is complete as it stands
            restricted = span[1] > tok.idx + len(tok.text)
            return Resolved(None, span, not restricted and lemma not in lx.NEW_SOURCE_NOUNS)
        plural = tok.tag_ in ("NNS", "NNPS") or lemma in lx.COLLECTIVE_SOURCE_NOUNS
        if (plural and lemma in lx.SOURCE_GROUP_NOUNS) or any(
            c.dep_ == "nummod" or c.lower_ in lx.INDEFINITE_DETERMINERS for c in tok.children
        ):
            return Resolved(None, span)  # "experts", "one analyst": an unnamed source
        if lemma in lx.ORG_SPEAKER_NOUNS and tok.tag_ in ("NNS", "NNPS"):
            return Resolved(None, span)  # "crowds of shoppers": unnamed
        if lemma in lx.ORG_SPEAKER_NOUNS:
            owner = self._possessor(tok)
            if owner is not None:
                # "Reid's campaign", "Lee's office": that person's, not the last
                # organisation named
                name = f"{self.people.info[owner].person.name}’s {tok.text.lower()}"
                return Resolved(self.people.organisation(name, tok.idx), span)
            return Resolved(self._recent_org(tok.idx), span)
        age = _age(tok)
        if tok.tag_ in ("NNS", "NNPS") or not (
            lemma in lx.PERSON_SPEAKER_NOUNS or lemma in lx.DESCRIPTION_NOUNS or age
        ):
            return NOBODY
        if dets and dets[0] not in ("the", "this", "that"):
            return Resolved(None, span)
        return self.definite(tok, span, lemma, age)

    def definite(self, tok, span: tuple[int, int], noun: str, age: str | None) -> Resolved:
        """ "the spokeswoman", "the 45-year-old", "the former minister": the earlier
        person whose title or apposition holds the noun, else (for a noun that
        re-describes someone, not one that brings in a new source) the most salient
        person before it whose age, if given, agrees; else an unnamed source.

        A place or party in the description ("the Ohio senator") must stand next to
        the person it describes; a nationality ("the Welsh singer") may also describe
        the subject of the sentence before."""
        pos = tok.idx
        proper = [t.text for t in tok.lefts if t.text[:1].isupper() and t.ent_type_ != "NORP"]
        kinds = [t.text for t in tok.lefts if t.text[:1].isupper() and t.ent_type_ == "NORP"]
        topic = self._recent_subjects(pos)

        def fits(k: str) -> bool:
            return self._named_near(k, proper, pos) and (
                k in topic or self._named_near(k, kinds, pos)
            )

        key = self.people.find_by_description(noun, self.named, pos)
        if key is not None and fits(key) and not (age and self.age(key) not in (None, age)):
            return Resolved(key, span, via=self.last_mention(key, pos))
        if (noun in lx.NEW_SOURCE_NOUNS and not age) or any(c.dep_ == "poss" for c in tok.children):
            # "the spokeswoman" nobody was called, "Reid's lawyer": a new source
            return Resolved(None, span)
        key, at = self.salient(pos, lx.NOUN_GENDER.get(noun, ""), age, fits)
        if key is None or at is None:
            return Resolved(None, span)
        return Resolved(key, span, via=self.via_at.get(at) or self.mention_at(at))

    def _possessor(self, tok) -> str | None:
        """The person a possessor of ``tok`` names ("Reid's" in "Reid's campaign"),
        when the possessor is a person's name outside quotation marks."""
        for c in tok.children:
            if c.dep_ != "poss" or self.work.in_quote(c.idx):
                continue
            e = self.ent_at(c.idx)
            if e is not None and e.label == "PERSON" and e.person:
                return e.person
        return None

    def _recent_subjects(self, pos: int) -> set[str]:
        """People who are the subject of the sentence holding ``pos`` or the one before."""
        here = self._sentence(pos)
        lo = self._sent_starts[max(0, here - 1)] if self._sent_starts else 0
        return {
            k
            for p, k in self.subjects[
                bisect_left(self.subject_pos, lo) : bisect_left(self.subject_pos, pos)
            ]
        }

    def _publisher(self, tok) -> Ent | None:
        """The organisation a document's noun phrase names as its author: a name before
        the noun ("a Harbour Institute poll") or after "by"/"from"/"of" ("a survey by
        the union")."""
        cands = [t for t in tok.lefts if t.dep_ in ("compound", "poss", "nmod")]
        for c in tok.rights:
            if c.dep_ == "prep" and c.lower_ in lx.PUBLISHER_PREPOSITIONS:
                cands += [t for t in c.children if t.dep_ == "pobj"]
        for t in cands:
            e = self.ent_at(t.idx)
            if e is not None and e.label == "ORG" and not self.work.in_quote(e.start):
                return e
        return None

    def description_span(self, tok) -> tuple[int, int]:
        """The words of a describing noun phrase with its restrictive modifiers ("a
        spokesman for Leeds's Corn Exchange"), without a comma-set apposition or
        a relative clause."""
        a = tok.left_edge.idx
        b = tok.idx + len(tok.text)
        for c in tok.rights:
            if not _restricts(c):
                break
            if any(t.is_punct for t in tok.doc[tok.i + 1 : c.i]):
                break
            last = max(_clause_free(c), key=lambda t: t.i)
            b = last.idx + len(last.text)
        return a, b

    def reporter(self, tok, gender: str) -> Ent | None:
        """'Kirkwood said that when Johnson had announced it he got the impression …':
        a "he"/"she" that is the subject of a clause a speech verb reports is, first of
        all, that verb's subject, when it is a named person of the same gender (the
        subject of a clause inside, Johnson, is not)."""
        if tok.dep_ not in ("nsubj", "nsubjpass"):
            return None
        clause = tok.head
        for _ in range(3):
            if clause.dep_ != "ccomp" or clause.head.i == clause.i:
                if clause.dep_ == "conj" and clause.head.i != clause.i:
                    clause = clause.head
                    continue
                return None
            verb = clause.head
            if verb.lemma_.lower() in lx.SPEECH_VERBS:
                break
            clause = verb
        else:
            return None
        subs = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subs or self.work.in_quote(subs[0].idx):
            return None
        e = self.ent_at(subs[0].idx)
        if e is None or e.label != "PERSON" or not e.person:
            return None
        return e if self._agrees(gender)(e.person) else None

    # -- salience ---------------------------------------------------------------------
    def _named_near(self, key: str, words: list[str], pos: int) -> bool:
        """Whether every one of ``words`` ("Ohio" in "the Ohio senator") stands
        in the person's description or next to one of their mentions before ``pos``."""
        if not words:
            return True
        inf = self.people.info.get(key)
        near = inf.person.description if inf else ""
        text = self.work.text
        for p, k in self.named[: bisect_left(self.named_pos, pos)]:
            if k == key:
                # the words before the name in its sentence, and its apposition
                before = text[max(0, p - lx.DESCRIPTION_REACH) : p].rpartition(". ")[2]
                after = text[p : p + 2 * lx.DESCRIPTION_REACH].partition(". ")[0]
                near += f" {before} {after}"
        return all(w in near for w in words)

    def salient(
        self,
        pos: int,
        gender: str = "",
        age: str | None = None,
        fits: Callable[[str], bool] | None = None,
    ):
        """The most salient person named before ``pos`` (key, position of the mention),
        or (None, None): each earlier mention outside quotation marks, up to
        ``SALIENCE_PARAGRAPHS`` back, scores by its grammatical role faded by the
        sentences since; the last speaker, the lead's subject and people named often
        score more. Only people who agree in gender (``gender`` "m"/"f", or "" for
        anyone) and age (when ``age`` is given and theirs is known) take part."""
        work = self.work
        lo = work.para_starts[max(0, work.para_of(pos) - lx.SALIENCE_PARAGRAPHS)]
        ok = self._agrees(gender or "person")
        here = self._sentence(pos)
        roles = self._role_weights()
        best: dict[str, tuple[float, int]] = {}
        fitting: dict[str, bool] = {}
        for p, k in self.named[bisect_left(self.named_pos, lo) : bisect_left(self.named_pos, pos)]:
            if not ok(k) or (age and self.age(k) not in (None, age)):
                continue
            if fits is not None:
                if k not in fitting:
                    fitting[k] = fits(k)
                if not fitting[k]:
                    continue
            fade = lx.SALIENCE_DECAY ** (here - self._sentence(p))
            score = roles.get(p, lx.SALIENCE_OBLIQUE) * fade
            if k not in best or score >= best[k][0]:
                best[k] = (score, p)
        if not best:
            return None, None
        i = bisect_left(self.events, (pos, ""))
        last = self.events[i - 1][1] if i else None
        lead = self._lead_subject()
        counts: dict[str, int] = {}
        for _p, k in self.named[: bisect_left(self.named_pos, pos)]:
            counts[k] = counts.get(k, 0) + 1

        def total(k: str) -> float:
            return (
                best[k][0]
                + lx.SALIENCE_LAST_SPEAKER * (k == last)
                + lx.SALIENCE_LEAD_SUBJECT * (k == lead)
                + lx.SALIENCE_PER_MENTION * min(counts.get(k, 0), lx.SALIENCE_MENTIONS_CAP)
            )

        key = max(best, key=total)
        return key, best[key][1]

    def _sentence(self, pos: int) -> int:
        if self._sent_starts is None:
            self._sent_starts = [s.start_char for s in self.work.doc.sents]
        return bisect_right(self._sent_starts, pos) - 1

    def _role_weights(self) -> dict[int, float]:
        """The salience weight of each named mention's grammatical role."""
        if self._roles is None:
            subjects = set(self.subject_pos)
            self._roles = {}
            for p in self.named_pos:
                e = self.ent_at(p)
                if e is None:
                    continue
                head = self.work.doc[self.work.token_at(e.end - 1)]
                if p in subjects:
                    w = lx.SALIENCE_SUBJECT
                elif head.dep_ in ("dobj", "dative", "attr", "oprd", "nsubj", "nsubjpass"):
                    w = lx.SALIENCE_OBJECT
                elif head.dep_ == "poss":
                    w = lx.SALIENCE_POSSESSIVE
                else:
                    w = lx.SALIENCE_OBLIQUE
                self._roles[p] = w
        return self._roles

    def _lead_subject(self) -> str | None:
        """The person who is the first subject of the article's first body paragraph."""
        if not self.work.body or not self.subjects:
            return None
        first = min(self.work.body)
        p, k = self.subjects[0]
        return k if self.work.para_of(p) == first else None

    def age(self, key: str) -> str | None:
        """A person's age as the article gives it ("Jane Roe, 45," or "the 45-year-old
        Jane Roe"), if it does."""
        if self._ages is None:
            self._ages = {}
            text = self.work.text
            for p, k in self.named:
                e = self.ent_at(p)
                if e is None or k in self._ages:
                    continue
                m = _AGE_AFTER.match(text, e.end) or _AGE_BEFORE.search(text, max(0, p - 40), p)
                if m:
                    self._ages[k] = m.group(1)
        return self._ages.get(key)

    def last_mention(self, key: str, pos: int) -> tuple[int, int] | None:
        """The last mention of ``key`` named before ``pos``."""
        i = bisect_left(self.named_pos, pos)
        while i > 0:
            i -= 1
            if self.named[i][1] == key:
                return self.mention_at(self.named[i][0])
        return None

    def _group_before(self, pos: int) -> tuple[int, int] | None:
        """The plural noun phrase for people ("U.S. national security professionals",
        "experts") before ``pos`` in its paragraph or the one before: the last that is
        a subject, else the last at all. A group the sentence is about outweighs one it
        only mentions ("Critics … sent a letter to party leaders. “…,” they wrote")."""
        work = self.work
        lo = work.para_starts[max(0, work.para_of(pos) - 1)]
        last = None
        for tok in reversed(list(work.tokens(lo, pos))):
            if (
                tok.tag_ in ("NNS", "NNPS")
                and tok.lemma_.lower() in lx.SOURCE_GROUP_NOUNS
                and not work.in_quote(tok.idx)
            ):
                span = (tok.left_edge.idx, tok.idx + len(tok.text))
                if tok.dep_ in ("nsubj", "nsubjpass"):
                    return span
                last = last or span
        return last

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
           before ("… said Jane Roe, director of …");
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
            found = self._untagged_subject(before, ok)
            if found is not None:
                return found
        # the subject of a sentence before the subject of a relative clause inside it
        # ('Pat congratulated Jo Ray, who won, …: “…,” he said' is Pat)
        clause = self.clause_subjects
        main = [c for c in cands if c[0] not in clause] + [c for c in cands if c[0] in clause]
        for group in (reversed(ev), main, reversed(named)):
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

    def _untagged_subject(self, sent, ok) -> tuple[str, int] | None:
        """'West landed a dig at Roe. “…,” he said': the main subject of ``sent`` is
        a proper name the tagger took for a place or organisation, or left untagged,
        and it names a person of the article who agrees (by ``ok``)."""
        tok = next((c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if (
            tok is None
            or tok.pos_ != "PROPN"
            or tok.ent_type_ == "PERSON"
            or self.work.in_quote(tok.idx)
        ):
            return None
        chain = [t for t in tok.lefts if t.dep_ in ("compound", "flat") and t.pos_ == "PROPN"]
        a = chain[0].idx if chain else tok.idx
        key = self.people.resolve_name(self.work.text[a : tok.idx + len(tok.text)], a)
        if key is None or not ok(key):
            return None
        return key, a

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
            return inf.gender is None or gender == "person" or inf.gender == gender

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

    def note(
        self,
        pos: int,
        key: str | None,
        via: tuple[int, int] | None = None,
        span: tuple[int, int] | None = None,
    ) -> None:
        """A speaker at ``pos`` (the words at the cue, ``span``), resolved through
        ``via``; with no ``key``, an unnamed source described by ``via`` or ``span``."""
        if key:
            insort(self.events, (pos, key))
            if via is not None:
                self.via_at[pos] = via
        elif via or span:
            desc = via or span
            assert desc is not None
            gender = self._described_gender(*desc)
            if gender is not None:
                insort(self.unnamed, (pos, desc, gender))

    def _described_gender(self, a: int, b: int) -> str | None:
        """For a description of one person ("the museum spokeswoman"): "m",
        "f" or "" (either); None when its head is no noun for a person."""
        toks = list(self.work.tokens(a, b))
        head = next((t for t in toks if not (a <= t.head.idx < b) or t.head.i == t.i), None)
        if head is None or head.tag_ in ("NNS", "NNPS"):
            return None
        lemma = head.lemma_.lower()
        if lemma in lx.PERSON_SPEAKER_NOUNS | lx.DESCRIPTION_NOUNS | lx.NEW_SOURCE_NOUNS:
            return lx.NOUN_GENDER.get(lemma, "")
        return None

    def described_subject(self, tok, gender: str) -> tuple[int, int] | None:
        """'My mother has mellowed, but she still says …', 'The woman's hopes are
        plain: “…,” she said': a "he"/"she" whose sentence, or the one before, is about
        a person described by a noun of that gender (the main clause's subject, or its
        possessor) is that person, an unnamed source, when no named person of that
        gender is a subject there too; not a name further back."""
        doc = tok.doc
        lo = doc[tok.sent.start - 1].sent.start if tok.sent.start > 0 else tok.sent.start
        found = None
        for t in doc[lo : tok.i]:
            if (
                t.tag_ == "NN"
                and lx.NOUN_GENDER.get(t.lemma_.lower()) == gender
                and not t.ent_type_
                and not self.work.in_quote(t.idx)
                and _main_subject_or_its_possessor(t)
            ):
                found = t
        if found is None:
            return None
        ok = self._agrees(gender)
        window = self.subjects[
            bisect_left(self.subject_pos, doc[lo].idx) : bisect_left(self.subject_pos, tok.idx)
        ]
        if any(ok(k) for _p, k in window):
            return None  # a named person is a subject there too: the names decide
        return (found.left_edge.idx, found.idx + len(found.text))

    def unnamed_before(self, pos: int, gender: str) -> tuple[int, int] | None:
        """'The spokeswoman said … “…,” she added': the description of an unnamed
        source that spoke last in the paragraph before ``pos``, when no person has been
        named or has spoken since and the gender agrees."""
        i = bisect_left(self.unnamed, (pos,))
        if i == 0:
            return None
        p, desc, g = self.unnamed[i - 1]
        if self.work.para_of(p) != self.work.para_of(pos) or g not in ("", gender):
            return None
        j = bisect_left(self.named_pos, pos)
        if j and self.named_pos[j - 1] > p:
            return None
        k = bisect_left(self.events, (pos, ""))
        if k and self.events[k - 1][0] > p:
            return None
        return desc

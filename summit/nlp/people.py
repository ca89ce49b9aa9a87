"""People resolved within one document.

* A multi-word PERSON name (titles stripped) makes a person; "Donald J. Trump" and
  "Donald Trump" are one (same first and last word).
* A one-word name ("Choi", "Kim") links to a person whose name has that word, last
  words before first words; among several namesakes the one named in full most
  recently (same or previous paragraph) wins, else the most prominent one (full
  mentions, leader titles). With no namesake it is a person of its own.
* "goes by the online name “Anh Chi”", "known as …": an alias of the person named
  just before, never a person of its own.
* Titles before a short name give an alias ("President Moon"); an apposition after
  a full name ("Dan Pinkston, an international relations professor at …") or the
  pre-modifiers before it ("former espionage general Kim Yong Chol") give the
  description.
* Organisations become people (kind organisation) only when they speak.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field

from spacy.attrs import LOWER

from . import lexicon as lx
from .entities import name_words, strip_titles
from .gazetteer import Gazetteer
from .types import Person, SpeakerKind
from .work import Ent, Work

_ALIAS_RES = [re.compile(p, re.I) for p in lx.ALIAS_PATTERNS]
_APPOS = re.compile(
    r"^(?:,\s+(?:who is |who was )?|\s+(?=an?\s))((?:a|an|the)\s+)?"
    r"((?:[\w’'.&-]+\s+){0,14}?[\w’'.&-]+?)\s*(?=,|\.\s|\.$|;|:|\s[―—–]\s|\s(?:said|says|told|"
    r"tells|who|whom|which|that|and|had|has|have|is|was|wrote|added|believes|urged|according"
    r"|will|would|can|could|may|might|must|should)"
    r"\b|[“\"(]|$)"
)
_NOT_DESC = frozenset(
    [
        "and",
        "or",
        "but",
        "who",
        "whom",
        "which",
        "that",
        "said",
        "says",
        "say",
        "had",
        "has",
        "have",
        "is",
        "was",
        "of",
        "in",
        "on",
        "at",
        "from",
        "to",
        "for",
        "with",
        "now",
        "when",
        "where",
        "while",
        "as",
        "by",
        "he",
        "she",
        "it",
        "they",
        "his",
        "her",
        "their",
        "its",
        "this",
        "these",
    ]
)
_ROLE_WORDS = (
    lx.PERSON_SPEAKER_NOUNS
    | lx.TITLES
    | frozenset(
        [
            "former",
            "chief",
            "senior",
            "deputy",
            "executive",
            "co-founder",
            "cofounder",
            "head",
            "vice",
            "associate",
        ]
    )
)
_PREMOD = ("compound", "amod", "nmod")
# "Chris Green of the International Crisis Group": the organisation describes the person
_AFFILIATION = re.compile(
    r",?\s+of\s+(?:the\s+)?((?:[A-Z][\w’'&.-]*(?:\s+(?:of|for|and|on|the)"
    r"(?=\s+[A-Z]))?\s*)+)"
)
_GENDER_TITLE = re.compile(r"\b(Mr|Mrs|Ms|Miss|Sir|Dame|Lady|Lord)\.?\s*$")


@functools.cache
def _given_names():
    """The first-name list of gender-guesser (40,000 names from many countries),
    loaded once per process."""
    from gender_guesser.detector import Detector  # type: ignore[import-untyped]

    return Detector(case_sensitive=False)


_DESCRIPTION_WORDS = 12  # a longer "description" ran on into the sentence


def more_informative(new: str, old: str) -> bool:
    """Whether description ``new`` tells a reader more than ``old``: a bare title
    ("President") tells nothing; else the one of more words wins."""
    if not new or _bare_title(new):
        return False
    return not old or _bare_title(old) or len(new.split()) > len(old.split())


def _bare_title(desc: str) -> bool:
    """ "President", "the former Senator": a title alone, no description."""
    words = [w for w in desc.lower().split() if w not in ("former", "the", "then")]
    return len(words) <= 1 and all(w in lx.TITLES for w in words)


def _first_name_gender(name: str) -> str | None:
    """'m' / 'f' when the first name is one of either (not "mostly", not both: "Kim"
    stays unknown), else None."""
    first = name.split()[0].strip(".") if name.split() else ""
    if not first.isalpha():
        return None
    return {"male": "m", "female": "f"}.get(_given_names().get_gender(first))


def _gender(name: str, votes: Counter | None) -> str | None:
    """A person's gender from the first-name list, else from the article's pronouns
    (``votes``); for a name of one word the pronouns first, as it may be a surname
    that reads as a first name ("Clinton", "Kelly")."""
    by_name = _first_name_gender(name)
    by_votes = None
    if votes and votes["m"] != votes["f"]:
        by_votes = "m" if votes["m"] > votes["f"] else "f"
    if len(name.split()) < 2:
        return by_votes or by_name
    return by_name or by_votes


def title_gender(text: str, start: int, name: str = "") -> str | None:
    """'m' / 'f' from an honorific just before ``start`` or at the start of ``name``."""
    m = _GENDER_TITLE.search(text[max(0, start - 6) : start]) or re.match(
        r"(Mr|Mrs|Ms|Miss|Sir|Dame|Lady|Lord)\b", name
    )
    if not m:
        return None
    return (
        "m"
        if m.group(1).lower() + "." in lx.MALE_TITLES or m.group(1).lower() in lx.MALE_TITLES
        else "f"
    )


def slug(name: str) -> str:
    s = re.sub(r"[^\w]+", "-", name.lower()).strip("-")
    return s or "person"


@dataclass(slots=True)
class _Info:
    person: Person
    full_positions: list[int]
    leader: bool = False
    gender: str | None = None
    first_pos: int = 0
    titles: set = field(default_factory=set)


class People:
    def __init__(self, work: Work, gazetteer: Gazetteer | None = None) -> None:
        self.work = work
        self.gazetteer = gazetteer or Gazetteer()  # names editors settled
        self.info: dict[str, _Info] = {}
        self.by_full: dict[tuple[str, str], str] = {}
        self.by_alias: dict[str, str] = {}
        self.orgs: dict[str, str] = {}

    # -- creation -------------------------------------------------------------------
    def _new(self, name: str, pos: int, kind: SpeakerKind = SpeakerKind.PERSON) -> str:
        key = base = slug(name)
        n = 2
        while key in self.info:
            key = f"{base}-{n}"
            n += 1
        self.info[key] = _Info(Person(key=key, name=name, kind=kind), [], first_pos=pos)
        return key

    def _add_alias(self, key: str, alias: str) -> None:
        p = self.info[key].person
        alias = alias.strip()
        if alias and alias != p.name and alias not in p.aliases:
            p.aliases.append(alias)

    def people(self) -> list[Person]:
        return [i.person for i in self.info.values()]

    def gender(self, key: str | None) -> str | None:
        return self.info[key].gender if key in self.info else None

    # -- building from entity mentions ----------------------------------------------
    def build(self, ents: list[Ent]) -> None:
        work = self.work
        text = work.text
        persons = [e for e in ents if e.label == "PERSON"]
        # aliases introduced by a pattern
        alias_text: dict[str, Ent] = {}
        for rx in _ALIAS_RES:
            for m in rx.finditer(text):
                rest = text[m.end() : m.end() + 80]
                qm = re.match(r"\s*[“\"']([^”\"']{1,40}?)[.,]?[”\"']", rest)
                if qm:
                    alias = qm.group(1).strip(" .,")
                else:
                    cm = re.match(r"\s*((?:[A-Z][\w’'-]*\s?){1,3})", rest)
                    if not cm:
                        continue
                    alias = cm.group(1).strip()
                words = alias.split()
                if not words or len(words) > 4 or not all(w[:1].isupper() for w in words):
                    continue  # a nickname is a name: "Lefty Moore", not "the Trump doctrine"
                owner = None
                para = work.para_of(m.start())
                for e in persons:
                    if e.end <= m.start() and work.para_of(e.start) == para:
                        if not alias_text.get(e.text.lower()):
                            owner = e
                    elif e.start >= m.start():
                        break
                if owner is not None and alias.lower() != owner.text.lower():
                    alias_text[alias.lower()] = owner
        # multi-word names first
        for e in persons:
            if e.text.lower() in alias_text:
                continue
            ws = name_words(e.text)
            if len(ws) < 2:
                continue
            key = self._full_name(ws, e.start)
            self.info[key].full_positions.append(e.start)
            e.person = key
            self._note_titles(key, e)
        for inf in self.info.values():
            inf.gender = inf.gender or _first_name_gender(inf.person.name)
        # owners of aliases
        for alias, owner in alias_text.items():
            if owner.person is None:
                owner.person = self.resolve_name(owner.text, owner.start, create=True)
            if owner.person:
                self.by_alias[alias] = owner.person
                self._add_alias(owner.person, _original_case(text, alias, owner.end))
        # the rest, honorific-marked first ("Mr. Obama" before "President Obama")
        genders = {id(e): title_gender(text, e.start, e.text) for e in persons}
        for e in sorted(persons, key=lambda e: genders[id(e)] is None):
            if e.person is None:
                e.person = self.resolve_name(e.text, e.start, create=True, gender=genders[id(e)])
                if e.person:
                    self._note_titles(e.person, e)
            if e.person:
                surface = strip_titles(e.text)
                self._add_alias(e.person, surface)
        votes = self._pronoun_votes(persons)
        for key, inf in self.info.items():
            if inf.gender is None:
                inf.gender = _gender(inf.person.name, votes.get(key))
            self._describe(key, persons)

    def _full_name(self, ws: list[str], pos: int) -> str:
        """The person a name of several words names, made when new; the fullest form
        names them. A word no name list knows before a full name already seen is an
        epithet ("Crooked Jane Roe"): that person, under their own name."""
        k = (ws[0].lower(), ws[-1].lower())
        key = self.by_full.get(k)
        if key is None and len(ws) > 2 and _first_name_gender(ws[0]) is None:
            key = self.by_full.get((ws[1].lower(), ws[-1].lower()))
            if key is not None:
                self._add_alias(key, " ".join(ws))
                return key
        if key is None:
            key = self._new(" ".join(ws), pos)
            self.by_full[k] = key
            return key
        cur = self.info[key].person
        if len(" ".join(ws)) > len(cur.name) and "." not in " ".join(ws):
            self._add_alias(key, cur.name)
            cur.name = " ".join(ws)
        return key

    def _pronoun_votes(self, persons: list[Ent]) -> dict:
        """Gender evidence from the article's own pronouns: a "he" or "she" that is a
        subject outside quotation marks votes for the one person named (outside
        quotation marks) since the start of the sentence before it; where several are,
        for the main subject of the sentence before ("Roe praised Lee. She said …" is
        Roe's), unless someone is named in its own sentence first."""
        work = self.work
        doc = work.doc
        votes: dict[str, Counter] = {}
        pron = work.token_indices(LOWER, work.hashes(["he", "she"]))
        if not pron:
            return votes
        named = [e for e in persons if e.person and not work.in_quote(e.start)]
        starts = [e.start for e in named]
        for i in pron:
            t = doc[i]
            if t.dep_ not in ("nsubj", "nsubjpass") or work.in_quote(t.idx):
                continue
            sent = t.sent
            prev = doc[sent.start - 1].sent if sent.start > 0 else sent
            window = named[bisect_left(starts, prev.start_char) : bisect_left(starts, t.idx)]
            keys = {e.person for e in window}
            if len(keys) != 1:
                if any(e.start >= sent.start_char for e in window):
                    continue
                keys = {e.person for e in window if self._main_subject(e)}
            if len(keys) == 1 and (key := keys.pop()) is not None:
                votes.setdefault(key, Counter())["m" if t.lower_ == "he" else "f"] += 1
        return votes

    def _main_subject(self, e: Ent) -> bool:
        """The mention is the subject of its sentence's main verb."""
        head = self.work.doc[self.work.token_at(e.end - 1)]
        return head.dep_ in ("nsubj", "nsubjpass") and head.head.dep_ == "ROOT"

    def _note_titles(self, key: str, e: Ent) -> None:
        inf = self.info[key]
        before = self.work.text[max(0, e.start - 40) : e.start].split()
        titles: list[str] = []
        for w in reversed(before):
            lw = w.lower()
            if lw in lx.TITLES and w[:1].isupper():
                titles.insert(0, w)
            else:
                break
        inner = e.text.split()
        while len(inner) > 1 and inner[0].lower() in lx.TITLES:
            titles.append(inner.pop(0))
        for t in titles:
            lt = t.lower()
            inf.titles.add(lt.rstrip("."))
            if lt in lx.LEADER_TITLES:
                inf.leader = True
            if lt in lx.MALE_TITLES:
                inf.gender = "m"
            elif lt in lx.FEMALE_TITLES:
                inf.gender = "f"
        ws = name_words(e.text)
        if titles and len(ws) == 1 and titles[-1].lower() not in ("u.s.", "us", "the", "former"):
            self._add_alias(key, f"{titles[-1]} {ws[0]}")

    def _describe(self, key: str, persons: list[Ent]) -> None:
        """The fullest description the article gives: an apposition ("Jo Bloggs, a
        harbour pilot"), an affiliation ("of the Harbour Trust") or the title and
        modifiers before the name ("Coastal Authority chief executive Jo Bloggs"); the
        most informative of them over all the person's mentions."""
        inf = self.info[key]
        if inf.person.description:
            return
        text = self.work.text
        found: list[str] = []
        for e in persons:
            if e.person != key or len(name_words(e.text)) < 2:
                continue
            tail = text[e.end : e.end + 200].split("\n")[0]
            tail = re.sub(r"^\s*\([^)]{0,60}\)", "", tail)  # "John Burton (mail@x.com), a …"
            m = _APPOS.match(tail)
            if m and (m.group(2)[:1].islower() or m.group(1)):
                desc = m.group(2).strip(" ,")
                first = desc.split()[0].lower()
                if first not in _NOT_DESC and (m.group(1) or first in _ROLE_WORDS):
                    found.append(desc)
            m = _AFFILIATION.match(text, e.end)
            if m:
                found.append(m.group(1).strip(" ."))
        for e in persons:
            if e.person == key and not self.work.in_quote(e.start):
                found.append(self._title_before(e) or self._premodifiers(e))
        best = ""
        for desc in found:
            if len(desc.split()) <= _DESCRIPTION_WORDS and more_informative(desc, best):
                best = desc
        inf.person.description = best

    @staticmethod
    def _titled_after(toks: list) -> bool:
        """Whether the place, people or body in front of a title qualifies the title
        ("US" in "US President", "South Korean" in "South Korean President")."""
        rest = [t for t in toks if not t.ent_type_]
        return bool(rest) and rest[0].lower_ in lx.TITLES | _ROLE_WORDS

    def _title_before(self, e: Ent) -> str:
        """ "US Secretary of State" in "US Secretary of State Jo Bloggs", "North Korean
        leader" in "… and North Korean leader Jo Bloggs": the words right before the
        name, back to a determiner, a verb, a conjunction or punctuation, when they hold
        a title or a describing noun."""
        doc = self.work.doc
        i = self.work.token_at(e.start) - 1
        if i < 0 or doc[i + 1].idx != e.start:
            return ""
        run: list = []
        while i >= 0 and len(run) < 8:
            t = doc[i]
            if t.ent_type_ == "PERSON" or t.is_sent_end:
                break
            if t.lower_ == "of" and run and run[0].text[:1].isupper() and i > 0:
                if doc[i - 1].lower_ not in lx.TITLES | lx.OFFICE_WORDS:
                    break  # "Secretary of State", not "Portraits of"
            elif t.pos_ not in ("PROPN", "NOUN", "ADJ") or not t.is_alpha:
                break
            run.insert(0, t)
            i -= 1
        while run and run[0].lower_ == "of":
            run.pop(0)
        if not any(t.lower_ in lx.TITLES | _ROLE_WORDS | lx.DESCRIPTION_NOUNS for t in run):
            return ""
        return self.work.text[run[0].idx : run[-1].idx + len(run[-1].text)]

    def _premodifiers(self, e: Ent) -> str:
        """'former espionage general' in 'former espionage general Kim Yong Chol': the
        compound / adjective modifiers the parser hangs on the name, left of it."""
        span = self.work.doc.char_span(e.start, e.end, alignment_mode="expand")
        if span is None:
            return ""
        root = span.root
        left = [c for c in root.children if c.i < span.start and c.dep_ in _PREMOD]
        if not left:
            return ""
        start = min(c.left_edge.i for c in left)
        toks = [t for t in self.work.doc[start : span.start]]
        while toks and (
            toks[0].dep_ in ("det", "poss", "case")
            or toks[0].pos_ in ("DET", "PUNCT")
            or toks[0].ent_type_ in ("GPE", "NORP", "ORG")
            and toks[0].dep_ != "amod"
            and not self._titled_after(toks)
        ):
            toks.pop(0)
        if not toks or any(t.is_punct or t.pos_ in ("VERB", "AUX", "PRON", "ADP") for t in toks):
            return ""
        if not any(t.is_lower or t.lower_ in lx.TITLES for t in toks):
            return ""
        return self.work.text[toks[0].idx : toks[-1].idx + len(toks[-1].text)]

    # -- lookups --------------------------------------------------------------------
    def resolve_name(
        self, name: str, pos: int, *, create: bool = False, gender: str | None = None
    ) -> str | None:
        """The person a name (as written at ``pos``) refers to."""
        create = create and not self.gazetteer.no_person(name)
        low = name.lower().strip()
        if low in self.by_alias:
            return self.by_alias[low]
        ws = name_words(name)
        if not ws:
            return None
        if len(ws) > 1:
            key = self.by_full.get((ws[0].lower(), ws[-1].lower()))
            if key:
                return key
            if not create:
                return self._by_word(ws[-1], pos, gender)
            key = self._new(" ".join(ws), pos)
            self.by_full[(ws[0].lower(), ws[-1].lower())] = key
            self.info[key].full_positions.append(pos)
            return key
        if gender is None:
            gender = title_gender(self.work.text, pos, name)
        key = self._by_word(ws[0], pos, gender)
        if key or not create:
            return key
        key = self._new(ws[0], pos)
        self.info[key].gender = gender
        return key

    def _by_word(self, word: str, pos: int, gender: str | None = None) -> str | None:
        w = word.lower()
        last, first = [], []
        for key, inf in self.info.items():
            if inf.person.kind != SpeakerKind.PERSON:
                continue
            if gender and inf.gender and inf.gender != gender:
                continue
            ws = [x.lower() for x in inf.person.name.split()]
            if len(ws) == 1:
                if ws[0] == w:
                    return key
                continue
            if ws[-1] == w or ws[-1].split("-")[0] == w:
                last.append(key)
            elif w in ws[:-1]:
                first.append(key)
        cands = last or first
        if not cands:
            return None
        if len(cands) == 1:
            return cands[0]
        para = self.work.para_of(pos)
        recent = None
        for key in cands:
            for fp in self.info[key].full_positions:
                if (
                    fp < pos
                    and para - self.work.para_of(fp) <= 1
                    and (recent is None or fp > recent[0])
                ):
                    recent = (fp, key)
        if recent:
            return recent[1]
        # "Roe" before the article has named Sam Roe is the Roe it has named already,
        # however often Sam is named later; unless one name holds the other
        # ("Miss Harbour Ann Lowe", "Ann Lowe"): that is one person
        names = [" " + self.info[k].person.name.lower() for k in cands]
        nested = any(a != b and a.endswith(b) for a in names for b in names)
        met = [k for k in cands if any(fp < pos for fp in self.info[k].full_positions)]
        return max(
            cands if nested else met or cands,
            key=lambda k: (
                len(self.info[k].full_positions) + 3 * self.info[k].leader,
                -self.info[k].first_pos,
            ),
        )

    def organisation(self, name: str, pos: int) -> str:
        name = re.sub(r"^(?:the|The)\s+", "", name.strip())
        name = re.sub(r"['’]s$", "", name)
        low = name.lower()
        if low in self.orgs:
            return self.orgs[low]
        key = self._new(name, pos, SpeakerKind.ORGANISATION)
        self.orgs[low] = key
        return key

    def find_by_description(self, noun: str, named: list[tuple[int, str]], pos: int) -> str | None:
        """The most recently named person whose titles or description hold ``noun``
        ("the senator", "the president")."""
        noun = noun.lower()
        fits = set()
        for key, inf in self.info.items():
            words = set(inf.person.description.lower().split()) | inf.titles
            if noun in words:
                fits.add(key)
        for p, key in reversed(named):
            if p < pos and key in fits:
                return key
        return None


def _original_case(text: str, alias_lower: str, after: int) -> str:
    i = text.lower().find(alias_lower, after)
    return text[i : i + len(alias_lower)] if i >= 0 else alias_lower

"""Entity repair at document level, over spaCy's NER output.

Rules (each general, driven by the tables in ``lexicon``):
1. cut entities at line breaks and at " / " (photo credits), strip a trailing possessive;
2. split inside a possessive: "Asan Institute’s Go" -> ORG "Asan Institute" + "Go";
3. assemble names the tokenizer split: "Moon Jae" + "-in" -> "Moon Jae-in";
4. last-word rules: "… City" is a place, "… Hotel" a facility, "… Institute" an organisation;
5. false persons: a PERSON starting with a non-name word ("Very Interesting"), or a
   shouted single word ("AWESOME"), or with digits, is dropped; a name after an
   honorific is a person (``_titled_persons``); a name after "the", a plural family, a
   role or a platform is no person (``_junk_person``);
6. one label per name across the document: a word that is part of a multi-word PERSON
   name is a PERSON wherever it stands alone ("Trump" tagged ORG -> PERSON); otherwise
   the majority label wins;
7. mentions the NER missed: a proper noun equal to a known person's name word becomes
   a PERSON mention.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from spacy.attrs import ORTH

from . import lexicon as lx
from .work import Ent, Work

_POSSESSIVE_TAIL = re.compile(r"(?:['’]s|['’])$")
_POSSESSIVE_MID = re.compile(r"['’]s\s+")
_PLACE_PREPS = {"in", "at", "from", "to", "near", "into", "outside", "across"}
_PERSON_ROLES = {"nsubj", "nsubjpass", "poss"}
_CONVERTIBLE = {"ORG", "NORP", "PRODUCT", "WORK_OF_ART", "FAC", "LOC", "EVENT", "PERSON"}


def strip_titles(name: str) -> str:
    words = name.split()
    while len(words) > 1 and (words[0].lower() in lx.TITLES or words[0].lower() == "the"):
        words.pop(0)
    return " ".join(words)


def name_words(name: str) -> list[str]:
    return [w for w in strip_titles(name).split() if w]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in ".)"):
        end -= 1
    if end > start and text[end - 1] == "." and " " not in text[start:end]:
        end -= 1
    return start, end


def _raw_ents(work: Work) -> list[Ent]:
    text = work.text
    out: list[Ent] = []
    for e in work.doc.ents:
        pieces = [(e.start_char, e.end_char)]
        # 1. cut at line breaks and " / "
        cut = []
        for s, t in pieces:
            seg = text[s:t]
            off = s
            for part in re.split(r"(\n+|\s/\s|/)", seg):
                if part and not re.fullmatch(r"\n+|\s/\s|/", part):
                    cut.append((off, off + len(part)))
                off += len(part)
        first = True
        for s, t in cut:
            label = e.label_
            if not first and label == "PERSON" and text[s:t].strip().isupper():
                label = "ORG"
            first = False
            seg = text[s:t]
            # 2. possessive inside the entity
            m = _POSSESSIVE_MID.search(seg)
            if m and label in ("ORG", "PERSON", "GPE"):
                left = (s, s + m.start())
                right = (s + m.end(), t)
                out.append(
                    Ent(*_trim(text, *left), label="ORG" if label == "ORG" else label, text="")
                )
                out.append(Ent(*_trim(text, *right), label="?" + label, text=""))
                continue
            a, b = _trim(text, s, t)
            tail = _POSSESSIVE_TAIL.search(text[a:b])
            if tail:
                b = a + tail.start()
            out.append(Ent(a, b, label, ""))
    # 3. name assembly: "Moon Jae" + "-in"
    for ent in out:
        m = re.match(r"-[a-z]+\b", text[ent.end : ent.end + 12])
        if m and ent.label in ("PERSON", "ORG", "?PERSON", "?ORG"):
            ent.end += m.end()
        ent.text = text[ent.start : ent.end]
    return [e for e in out if e.end > e.start and any(c.isalpha() for c in e.text)]


def _last_word_label(words: list[str], label: str) -> str:
    last = words[-1].lower()
    if label in ("PERSON", "ORG", "?PERSON", "?ORG") and len(words) > 1:
        if last in lx.PLACE_SUFFIXES:
            return "GPE"
        if last in lx.FACILITY_SUFFIXES:
            return "FAC"
        if last in lx.LAW_SUFFIXES:
            return "LAW"
        if last in lx.ORG_SUFFIXES:
            return "ORG"
    return label


def _false_person(ent: Ent) -> bool:
    words = ent.text.split()
    if not words:
        return True
    if words[0].lower().strip(".,!") in lx.NON_NAME_WORDS:
        return True
    if any(c.isdigit() for c in ent.text):
        return True
    if len(words) == 1 and len(words[0]) > 3 and words[0].isupper():
        return True
    return not words[0][:1].isupper()


_HONORIFIC_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady)\.?\s+$")


def _titled_persons(work: Work, ents: list[Ent]) -> None:
    """ "Mr Ortiz said": a name right after an honorific is a person's, whatever label
    the model gave it (the small model tags some surnames as nationalities or firms)."""
    for e in ents:
        if (
            e.label in _CONVERTIBLE
            and e.label != "PERSON"
            and " " not in e.text
            and _HONORIFIC_BEFORE.search(work.text, max(0, e.start - 6), e.start)
        ):
            e.label = "PERSON"


def _short_organisations(ents: list[Ent], parts: set[str]) -> None:
    """ "Brightwell Holdings … Brightwell said": a one-word PERSON that is the first
    word of an organisation the article names, and no person's name word, is that
    organisation's short name."""
    firsts = {e.text.split()[0] for e in ents if e.label == "ORG" and " " in e.text}
    for e in ents:
        if e.label == "PERSON" and e.text in firsts and e.text not in parts:
            e.label = "ORG"


def _junk_person(work: Work, e: Ent, surnames: set[str]) -> bool:
    """A PERSON that names nobody: a name after "the" ("the Premiership", "Because
    the Night"), a family in the plural ("the Clintons"), a role rather than a name
    ("the Westford North MP"), or a platform or product ("Twitter", "Tweeted")."""
    words = e.text.split()
    before = work.text[max(0, e.start - 4) : e.start]
    if before.endswith("the ") and not before.endswith("The "):
        return True
    last = words[-1].lower().strip(".,")
    if last in lx.DESCRIPTION_NOUNS or last in lx.PERSON_SPEAKER_NOUNS:
        return len(words) > 1 and words[0].lower() not in lx.TITLES
    if any(w.lower() in lx.PLATFORM_NAMES for w in words):
        return True
    return len(words) == 1 and words[0].endswith("s") and words[0][:-1] in surnames


def repair(work: Work) -> list[Ent]:
    ents = _raw_ents(work)
    for e in ents:
        e.label = _last_word_label(e.text.split(), e.label)
    # known person name words, from multi-word PERSON names
    parts: set[str] = set()
    for e in ents:
        if e.label == "PERSON" and not _false_person(e):
            ws = name_words(e.text)
            if len(ws) > 1:
                for w in ws:
                    if w[:1].isupper() and len(w) > 1:
                        parts.add(w)
                        if "-" in w:
                            parts.update(p for p in w.split("-") if p[:1].isupper())
    surnames = {
        name_words(e.text)[-1] for e in ents if e.label == "PERSON" and len(name_words(e.text)) > 1
    }
    # provisional labels of the possessive right-hand parts
    for e in ents:
        if e.label.startswith("?"):
            e.label = "PERSON" if e.text in parts else ""
    ents = [e for e in ents if e.label]
    # 5. false persons
    ents = [e for e in ents if not (e.label == "PERSON" and _false_person(e))]
    _titled_persons(work, ents)
    _short_organisations(ents, parts)
    ents = [e for e in ents if not (e.label == "PERSON" and _junk_person(work, e, surnames))]
    # 6. one label per name
    counts: dict[str, Counter] = defaultdict(Counter)
    for e in ents:
        counts[strip_titles(e.text)][e.label] += 1
    final: dict[str, str] = {}
    for key, c in counts.items():
        ws = key.split()
        if (
            (
                len(ws) == 1
                and key in parts
                and set(c) <= _CONVERTIBLE | {"GPE"}
                and ("GPE" not in c or c["PERSON"] >= c["GPE"] or key in surnames)
            )
            or c.get("PERSON")
            and len(ws) > 1
            and c["PERSON"] * 2 >= sum(c.values())
        ):
            final[key] = "PERSON"
        else:
            final[key] = c.most_common(1)[0][0]
    for e in ents:
        key = strip_titles(e.text)
        lab = final.get(key, e.label)
        if lab == "PERSON" and e.label not in _CONVERTIBLE:
            # a surname tagged as a place: a person unless it follows a place preposition
            before = work.text[max(0, e.start - 6) : e.start].split()
            if not (
                e.label == "GPE"
                and key in surnames
                and not (before and before[-1].lower() in _PLACE_PREPS)
            ):
                continue
        e.label = lab
    # 7. mentions the NER missed
    covered = bytearray(len(work.text) + 1)
    for e in ents:
        covered[e.start : e.end] = b"\x01" * (e.end - e.start)
    single = {k for k, v in final.items() if v == "PERSON" and " " not in k} | parts
    for i in work.token_indices(ORTH, work.hashes(single)):
        tok = work.doc[i]
        if covered[tok.idx]:
            continue
        # "Irons, whose film …, said": a known surname the tagger took for a common
        # noun is still the person when it is a subject or a possessor
        if tok.pos_ == "PROPN" or (tok.text in surnames and tok.dep_ in _PERSON_ROLES):
            a, b = tok.idx, tok.idx + len(tok.text)
            m = re.match(r"-[a-z]+\b", work.text[b : b + 12])
            if m:
                b += m.end()
            ents.append(Ent(a, b, "PERSON", work.text[a:b]))
    ents.sort(key=lambda e: e.start)
    # drop overlaps (keep the first / longest)
    out: list[Ent] = []
    for e in ents:
        if out and e.start < out[-1].end:
            if e.end - e.start > out[-1].end - out[-1].start:
                out[-1] = e
            continue
        out.append(e)
    return out

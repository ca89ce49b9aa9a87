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

Then named steps over the whole document (``STEPS``, in order, each ``step(work, ents)``):
``join_and_describe`` (organisations the model cut made whole, descriptions of people
no organisations), ``cut_joins`` (spans cut at brackets, commas and "in" joins),
``split_pairs`` ("Trump-Kim" is two names), ``drop_non_names`` (shouted words, verbs, interjections,
common abbreviations, pieces of an office), ``name_works`` (titles of works, products
and events by the noun beside them), ``peoples_and_places`` (nationalities are NORP,
countries and regions GPE, from ISO data), ``persons_by_first_name`` ("actor Jo Bloggs"
tagged ORG is a person), ``names_by_kind_noun`` (the noun beside a name says what it
names: "the charity X" an organisation, "the X fields" a place, "X ward" a
constituency, "the X fly-half" a team), ``photo_credits`` (a caption's "Photo
AFP/Jo Bloggs" is an agency and a photographer), ``organisations_missed`` (another occurrence
of an organisation's name), ``one_label_per_name`` (a title keeps its label
throughout, whatever its case).
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict

from spacy.attrs import ORTH

from . import lexicon as lx
from . import places
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
    if (
        end > start
        and text[end - 1] == "."
        and " " not in text[start:end]
        and "." not in text[start : end - 1]  # "U.S." keeps its dot
    ):
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
    if label in ("EVENT", "WORK_OF_ART") and len(words) > 1 and last in lx.FACILITY_SUFFIXES:
        return "FAC"  # "the Harbour Stadium"
    if label in ("LOC", "GPE", "FAC") and len(words) > 1 and last in lx.EVENT_SUFFIXES:
        return "EVENT"  # "the Harbour Premiership", "the Tallis Marathon"
    if label in ("PERSON", "ORG", "?PERSON", "?ORG") and len(words) > 1:
        if last in lx.PLACE_SUFFIXES:
            return "GPE"
        if last in lx.FACILITY_SUFFIXES:
            return "FAC"
        if last in lx.LAW_SUFFIXES:
            return "LAW"
        if last in lx.EVENT_SUFFIXES:
            return "EVENT"
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


def _holds_acronym(text: str) -> bool:
    """ "RTE Sport Munster": a word in capitals, in a name not written all in capitals,
    makes it an organisation's name, not a person's (initials before a surname, "AJP
    Taylor", are a person's)."""
    words = text.split()
    if text.isupper() or len(words) == 2 and _ACRONYM.fullmatch(words[0]):
        return False
    return any(_ACRONYM.fullmatch(w) and not _ROMAN.fullmatch(w) for w in words)


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
            if len(ws) > 1 and not _holds_acronym(e.text):
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
    for step in STEPS:
        ents = step(work, ents)
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


# -- named steps -------------------------------------------------------------------------

_SPLITTABLE = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}
_NAMEISH = _CONVERTIBLE | {"GPE", "LAW"}
_WORK_LABELS = {"WORK_OF_ART", "PRODUCT", "EVENT", "LAW"}
_CLOSED_POS = {"VERB", "AUX", "INTJ", "ADV", "PRON", "DET", "ADP", "SCONJ", "CCONJ", "PART"}


def _piece(work: Work, start: int, end: int, label: str) -> Ent | None:
    a, b = _trim(work.text, start, end)
    if b <= a or not work.text[a].isupper() and not work.text[a].isdigit():
        return None
    return Ent(a, b, label, work.text[a:b])


def cut_joins(work: Work, ents: list[Ent]) -> list[Ent]:
    """A span the model ran over a bracket, a comma or an "in" is two names: "the Wide
    Water Board (WWB" is the board and its initials, "Brookfield in Essex" a place in a
    county (the right-hand part of "in" is a place when ISO data knows it)."""
    out: list[Ent] = []
    for e in ents:
        if e.label not in _SPLITTABLE or not re.search(r"[(),]| in ", e.text):
            out.append(e)
            continue
        bounds = [e.start]
        labels = [e.label]
        for m in re.finditer(r"\s*[(),]\s*|\s+in\s+", e.text):
            bounds.append(e.start + m.start())
            bounds.append(e.start + m.end())
            right = work.text[e.start + m.end() : e.end]
            inside = m.group().strip() == "in"
            labels.append("GPE" if inside and _is_place(right) else e.label)
        bounds.append(e.end)
        for i, label in enumerate(labels):
            piece = _piece(work, bounds[2 * i], bounds[2 * i + 1], label)
            if piece:
                out.append(piece)
    return out


def _is_place(name: str) -> bool:
    name = name.strip(" .)")
    return places.is_country(name) or places.is_region(name)


def split_pairs(work: Work, ents: list[Ent]) -> list[Ent]:
    """ "Trump-Kim talks", "the Korea-Japan border": two names joined by a hyphen are
    each a name, when each is named elsewhere in the article or is a country."""
    label_of: dict[str, Counter] = defaultdict(Counter)
    for e in ents:
        if not re.search(r"\w[-–]\w", e.text):
            label_of[strip_titles(e.text)][e.label] += 1
    words = {w for e in ents if e.label == "PERSON" for w in e.text.split()}
    out: list[Ent] = []
    for e in ents:
        m = re.fullmatch(r"(\S.*?)\s?[-–]\s?([A-Z].*)", e.text)
        if not m or not m[1][:1].isupper() or e.label not in (_SPLITTABLE - {"NORP"}) | {"EVENT"}:
            out.append(e)
            continue
        parts = []
        for g in (1, 2):
            text = m[g]
            known = label_of.get(text)
            if known:
                label = known.most_common(1)[0][0]
            elif places.is_country(text):
                label = "GPE"
            elif text in words:
                label = "PERSON"
            else:
                break
            parts.append(Ent(e.start + m.start(g), e.start + m.end(g), label, text))
        if len(parts) == 2:
            out.extend(parts)
        else:
            out.append(e)
    return out


_ROMAN = re.compile(r"[IVXLC]{2,}")
_INTERCAPPED_PRODUCT = re.compile(r"i[A-Z][A-Za-z]+")  # "iPlayer", "iMac", "iDVD"


def _currencies() -> frozenset[str]:
    return frozenset(c.alpha_3.lower() for c in places.pycountry.currencies)


_EXPANSION_AFTER = re.compile(r"\s*[\[(]([^\])\n]{3,160})[\])]")


def acronyms_by_expansion(work: Work, ents: list[Ent]) -> list[Ent]:
    """An organisation's initials stand for an organisation. "the ZVTD [Zonal, Verified
    Total Disarmament]": initials the article spells out as something else are that
    (a treaty, an act: a law; a plain noun phrase: no name at all); "troops along the
    ZMZ": initials a place preposition only a line or an area takes are a place."""
    out = []
    for e in ents:
        if e.label != "ORG" or not _ACRONYM.fullmatch(e.text):
            out.append(e)
            continue
        m = _EXPANSION_AFTER.match(work.text, e.end)
        words = _spelt_out(m[1], e.text) if m else []
        if words:
            label = _last_word_label(words, "ORG")
            last = words[-1].lower()
            if label == "ORG" and last not in lx.ORG_SUFFIXES and last in common_words():
                continue  # a concept spelt out, no organisation
            e.label = label
        before = work.text[max(0, e.start - 12) : e.start].split()
        if before[-2:] == ["along", "the"]:
            e.label = "LOC"
        out.append(e)
    return out


def _spelt_out(text: str, initials: str) -> list[str]:
    """The words of ``text`` that spell ``initials`` out from its start ("Zonal,
    Verified Total Disarmament of arms" spells "ZVTD"), or none."""
    words: list[str] = []
    for raw in text.split():
        word = raw.strip(",;:")
        if len(words) == len(initials):
            break
        if word.lower() in ("of", "and", "the", "for", "&"):
            continue
        if word[:1] != initials[len(words)]:
            return []
        words.append(word)
    return words if len(words) == len(initials) else []


def drop_non_names(work: Work, ents: list[Ent]) -> list[Ent]:
    """No name: a shouted word ("TERRIFIC"), a verb, an adverb or an interjection the
    model capitalised into a name ("Tweeted"), a common abbreviation (time zones,
    currencies, generic technology, "MP"), and the name-like piece of an office
    ("National Security" of "National Security Adviser", "State" of "Secretary of
    State")."""
    currencies = _currencies()
    known = {w for e in ents if " " in e.text for w in e.text.split()}
    out = []
    for e in ents:
        if e.label in _NAMEISH and _no_name(work, e, currencies, known):
            continue
        out.append(e)
    return out


def _no_name(work: Work, e: Ent, currencies: frozenset[str], known: set[str]) -> bool:
    bare = _POSSESSIVE_TAIL.sub("", e.text)
    if not any(c.isupper() or c.isdigit() for c in bare):
        return True  # "spit and polish": a name has a capital somewhere
    if bare in lx.COMMON_ABBREVIATIONS or bare.lower() in currencies and bare.isupper():
        return True
    if len(bare) >= 3 and bare.istitle() and bare.upper() in lx.COMMON_ABBREVIATIONS:
        return not _HONORIFIC_BEFORE.search(work.text, max(0, e.start - 6), e.start)  # "Ram"
    if _ROMAN.fullmatch(bare):
        return True  # "the starting XV"
    toks = list(work.tokens(e.start, e.end))
    if len(toks) == 1 and e.label != "NORP":
        tok = toks[0]
        if tok.pos_ in _CLOSED_POS and (tok.pos_ != "VERB" or tok.tag_ in ("VBD", "VBG", "VBN")):
            return tok.text not in known
        if _capitalised_common_noun(work, tok):
            return tok.text not in known
        if (
            tok.is_upper
            and len(tok.text) > 4
            and (tok.pos_ != "PROPN" or not tok.is_sent_start)  # not a dateline
            and e.label not in ("GPE", "LOC")
            and tok.lower_ in common_words()
        ):
            return tok.text not in known  # "TERRIFIC": a shouted word, no acronym
    after = work.text[e.end : e.end + 30].split()
    if after and after[0].lower().strip(".,") in lx.OFFICE_WORDS and after[0][:1].isupper():
        return e.label != "PERSON" and not e.text.isupper()
    before = work.text[max(0, e.start - 30) : e.start].split()
    return (
        len(before) >= 2
        and before[-1] in ("of", "for")
        and before[-2].lower() in lx.OFFICE_WORDS
        and before[-2][:1].isupper()
        and e.label in ("ORG", "GPE", "NORP")
        and len(e.text.split()) == 1
        and not places.is_country(e.text)
    )


def _capitalised_common_noun(work: Work, tok) -> bool:
    """ "Speech is a natural fit", "Wireless can be added": a word capitalised only
    because it opens a sentence, which the dictionary knows, which the tagger reads as a
    common noun or adjective or the article writes in lower case elsewhere, and which
    the article never capitalises inside a sentence."""
    prev = tok.doc[tok.i - 1] if tok.i else None
    opens = tok.is_sent_start or (prev is not None and prev.is_quote and prev.is_sent_start)
    if not opens or not tok.is_title:
        return False
    if tok.tag_ not in ("NN", "NNS", "JJ") and not re.search(
        r"\b" + re.escape(tok.lower_) + r"\b", work.text
    ):
        return False  # read as a proper noun, and never written in lower case
    if tok.lower_ not in common_words() and tok.lemma_.lower() not in common_words():
        return False
    for m in re.finditer(r"\b" + re.escape(tok.text) + r"\b", work.text):
        before = work.text[max(0, m.start() - 3) : m.start()].rstrip()
        if m.start() != tok.idx and before and before[-1] not in _SENTENCE_OPENERS:
            return False  # capitalised mid-sentence somewhere: maybe a name
    return True


_SENTENCE_OPENERS = frozenset(".!?:\"“‘'(—-\n")


@functools.cache
def common_words() -> frozenset[str]:
    """English words of the dictionary the model's lemmatizer ships (WordNet's nouns,
    verbs, adjectives and adverbs): a word in capitals that is one of them is shouted."""
    from .pipeline import load_pipeline

    try:
        lemmatizer = load_pipeline().nlp.get_pipe("lemmatizer")
        table = lemmatizer.lookups.get_table("lemma_index")  # type: ignore[attr-defined]
    except (KeyError, OSError):
        return frozenset()
    return frozenset(w for pos in ("noun", "verb", "adj", "adv") for w in table.get(pos, ()))


_KIND_OF_NOUN = {
    **dict.fromkeys(lx.EVENT_NOUNS, "EVENT"),
    **dict.fromkeys(lx.PRODUCT_NOUNS, "PRODUCT"),
    **dict.fromkeys(lx.WORK_NOUNS, "WORK_OF_ART"),
}


def _called_label(noun: str) -> str | None:
    """The kind of title a noun before "called" gives a name: "a technology called X"
    is a product's, "a film called X" a work's."""
    if noun in lx.CALLED_PRODUCT_NOUNS:
        return "PRODUCT"
    return _KIND_OF_NOUN.get(noun)


def _work_label(noun: str) -> str | None:
    """The kind of title a noun beside a name says it is ("film": a work)."""
    return _KIND_OF_NOUN.get(noun)


def name_works(work: Work, ents: list[Ent]) -> list[Ent]:
    """Titles of works, products and events, by the noun beside them: "the film X",
    "codename X", "X is a novel", "X, the album", and, after a name the model took for a
    person's, "the X ceremony". A title is never a person or an organisation; a name
    that is also a person's somewhere in the article (a word of a longer person's name,
    after an honorific, the one who says something) stays what it is."""
    ents = ents + _intercapped_missed(work, ents)
    found: dict[str, str] = {}
    direct: dict[int, str] = {}
    person_like: set[str] = set()
    for i, e in enumerate(ents):
        key = strip_titles(e.text)
        if e.label not in _NAMEISH:
            continue
        if _INTERCAPPED_PRODUCT.fullmatch(_POSSESSIVE_TAIL.sub("", e.text)):
            found.setdefault(key, "PRODUCT")
            direct[i] = "PRODUCT"
            continue
        if e.label in _WORK_LABELS:
            continue
        if _person_evidence(work, e):
            person_like.add(key)
            continue
        label, strong = _work_context(work, e)
        if label:
            found.setdefault(key, label)
            if strong:
                direct[i] = label
    _works_in_lists(work, ents, direct)
    for i, label in direct.items():
        found.setdefault(strip_titles(ents[i].text), label)
    words = {
        w
        for e in ents
        if e.label == "PERSON" and " " in e.text and strip_titles(e.text) not in found
        for w in e.text.split()
    }
    title_words = {w for key in found if " " in key for w in key.split()}
    out = []
    for i, e in enumerate(ents):
        key = strip_titles(e.text)
        if i in direct:
            e.label = direct[i]
        elif key in found and key not in person_like and (" " in key or key not in words):
            e.label = found[key]
        elif (
            e.label == "PERSON"
            and key in title_words
            and key not in words
            and key not in person_like
        ):
            continue  # "Dawn" of the novel "Dawn Rider", standing alone
        out.append(e)
    return out


def _intercapped_missed(work: Work, ents: list[Ent]) -> list[Ent]:
    """ "it comes with iWrite and iSketch": an intercapped product's name the model saw
    no name in."""
    covered = bytearray(len(work.text) + 1)
    for e in ents:
        covered[e.start : e.end] = b"\x01" * (e.end - e.start)
    return [
        Ent(m.start(), m.end(), "PRODUCT", m[0])
        for m in re.finditer(r"(?<![\w.@/-])i[A-Z][A-Za-z]+\b(?![.@/-]\w)", work.text)
        if not covered[m.start()]
    ]


def _works_in_lists(work: Work, ents: list[Ent], direct: dict[int, str]) -> None:
    """ "the films Dawn Rider and Low Tide": a name joined by "and" or a comma to a
    title is a title too."""
    at: dict[int, int] = {}
    for i, e in enumerate(ents):
        for tok in work.tokens(e.start, e.end):
            at[tok.i] = i
    for _ in range(2):
        for i, e in enumerate(ents):
            if i in direct or e.label not in ("PERSON", "ORG") or _looks_personal(work, e):
                continue
            toks = list(work.tokens(e.start, e.end))
            if not toks:
                continue
            root = toks[-1]
            linked = [root.head.i] if root.dep_ == "conj" else []
            linked += [c.i for c in root.children if c.dep_ == "conj"]
            for j in linked:
                other = at.get(j)
                if other is not None and other in direct:
                    direct[i] = direct[other]
                    break


def _looks_personal(work: Work, e: Ent) -> bool:
    """A possessor ("Jo Bloggs's drama") or a first name and a surname."""
    from .people import _given_names

    words = name_words(e.text)  # "the" is no given name
    if re.match(r"['’]s?\b", work.text[e.end : e.end + 3]):
        return True
    return len(words) > 1 and _given_names().get_gender(words[0]) not in ("unknown", "andy")


def _person_evidence(work: Work, e: Ent) -> bool:
    if _HONORIFIC_BEFORE.search(work.text, max(0, e.start - 6), e.start):
        return True
    before = work.text[max(0, e.start - 20) : e.start].split()
    if before and before[-1] in lx.DESCRIPTION_NOUNS | lx.PERSON_SPEAKER_NOUNS:
        return True
    toks = list(work.tokens(e.start, e.end))
    return bool(toks) and toks[-1].dep_ == "nsubj" and toks[-1].head.lemma_ == "say"


def _work_context(work: Work, e: Ent) -> tuple[str | None, bool]:
    """The kind of title the context says ``e`` is, and whether it says so right
    before the name ("the biopic X": strong)."""
    doc = work.doc
    toks = list(work.tokens(e.start, e.end))
    if not toks:
        return None, False
    first, last = toks[0].i, toks[-1].i
    prev = doc[first - 1] if first > 0 else None
    if (
        prev is not None
        and prev.is_lower
        and prev.pos_ in ("NOUN", "PROPN", "X")
        and (label := _work_label(prev.lower_))
    ):
        return label, True
    if (
        e.label in ("PERSON", "ORG")
        and last + 1 < len(doc)
        and doc[last + 1].pos_ == "NOUN"
        and doc[last + 1].dep_ != "compound"
        and (label := _work_label(doc[last + 1].lower_))
        and (e.label == "PERSON" or label == "PRODUCT" and " " in e.text)  # "Zen Tor chip"
    ):
        return label, False
    if e.label in ("LOC", "FAC") and last + 1 < len(doc) and doc[last + 1].lower_ in lx.AWARD_NOUNS:
        return "EVENT", False  # "the festival's Silver Heron awards"
    if (
        prev is not None
        and prev.lower_ in ("called", "named", "dubbed")
        and first > 1
        and (noun := doc[first - 2]).is_lower
        and (label := _called_label(noun.lower_))
    ):
        return label, True  # "a technology called Zephyr Radio"
    root = next((t for t in toks if t.head.i < first or t.head.i > last), toks[-1])
    head = root
    while head.dep_ == "conj" and head.head.i < head.i:
        head = head.head  # "the star of X and Y"
    prep = head.head if head.dep_ == "pobj" else None
    if prep is not None and (prep.lower_, prep.head.lemma_) in _WORK_PARTS:
        return "WORK_OF_ART", True  # "the star of X", "roles in X", "the sequel to X"
    if (
        prep is not None
        and prep.lower_ == "as"
        and any(c.lower_ == "such" for c in prep.children)
        and (label := _work_label(prep.head.lower_))
    ):
        return label, True  # "formats such as X and Y"
    if root.dep_ == "nsubj" and root.head.lemma_ == "be":
        attr = [c for c in root.head.children if c.dep_ == "attr"]
        if attr and any(c.lower_ in ("a", "an") for c in attr[0].children):
            return _work_label(attr[0].lower_), False
    appos = [c for c in root.children if c.dep_ == "appos"]
    if appos and appos[0].is_lower:
        return _work_label(appos[0].lower_), False
    return None, False


# A preposition and the noun it hangs on that make the name after them a work's.
_WORK_PARTS = frozenset(
    [("of", "star"), ("in", "role"), ("to", "sequel"), ("of", "remake"), ("of", "episode")]
)

_FOLLOWERS = re.compile(r"[A-Z][a-z]+(?:ites|ists|istas)")


def peoples_and_places(work: Work, ents: list[Ent]) -> list[Ent]:
    """Nationalities, peoples and followers ("Bangladeshi", "the South Koreans", "Scots",
    "Marxists") are NORP, not places or organisations; a country's name tagged as
    something else is a GPE, and a region after a place preposition ("shops in Kent")
    too."""
    persons = {w for e in ents if e.label == "PERSON" for w in e.text.split() if " " in e.text}
    placed = _placed(work, ents)  # once: per entity it was quadratic in a long article
    for e in ents:
        bare = _POSSESSIVE_TAIL.sub("", e.text)
        if e.label in ("GPE", "LOC", "ORG", "PERSON") and _FOLLOWERS.fullmatch(bare):
            e.label = "NORP"  # "the Redmondites", "Marxists": a group, no place
        elif e.label in ("GPE", "LOC", "ORG", "PERSON", "FAC") and places.is_nationality(bare):
            if e.label != "PERSON" or bare not in persons:
                e.label = "NORP"
        elif e.label in ("ORG", "LOC", "NORP", "PERSON", "FAC") and bare not in persons:
            if places.is_country(bare) and e.label != "ORG":
                e.label = "GPE"
            elif e.label != "NORP" and places.is_region(bare):
                before = work.text[max(0, e.start - 8) : e.start].split()
                possessive = bare != e.text or re.match(r"['’]s\b", work.text[e.end : e.end + 2])
                if " " in bare or possessive or before and before[-1].lower() in _PLACE_PREPS:
                    e.label = "GPE"  # "Harbour Vale" whole, "in Kent" after a preposition
        elif (
            e.label == "GPE"
            and bare.istitle()
            and not _is_place(bare)
            and bare not in placed
            and _person_evidence(work, e)
        ):
            e.label = "PERSON"  # "Ambrose said": a surname the model took for a place
    return ents + _places_missed(work, ents)


def _placed(work: Work, ents: list[Ent]) -> set[str]:
    """Names the article puts after a place preposition somewhere ("in Des Moines")."""
    out = set()
    for e in ents:
        before = work.text[max(0, e.start - 8) : e.start].split()
        if before and before[-1].lower() in _PLACE_PREPS:
            out.add(_POSSESSIVE_TAIL.sub("", e.text))
    return out


def _places_missed(work: Work, ents: list[Ent]) -> list[Ent]:
    """ "the match in Harbourton": a proper noun after a place preposition that ISO
    data knows as a country or region, where the model saw no name."""
    covered = bytearray(len(work.text) + 1)
    for e in ents:
        covered[e.start : e.end] = b"\x01" * (e.end - e.start)
    out = []
    doc = work.doc
    for tok in doc:
        if (
            tok.pos_ == "PROPN"
            and tok.is_title
            and not covered[tok.idx]
            and tok.i > 0
            and doc[tok.i - 1].lower_ in _PLACE_PREPS
            and _is_place(tok.text)
            and (tok.i + 1 >= len(doc) or not doc[tok.i + 1].is_title)
        ):
            out.append(Ent(tok.idx, tok.idx + len(tok.text), "GPE", tok.text))
    return out


def persons_by_first_name(work: Work, ents: list[Ent]) -> list[Ent]:
    """ "comedian Jo Bloggs" tagged an organisation: a two- or three-word name that
    starts with a known first name and follows a describing noun is a person; tagged a
    place, it is one when ISO data knows no such place."""
    from .people import _given_names

    names = _given_names()
    surnames = {e.text for e in ents if e.label == "PERSON" and " " not in e.text}
    placed = _placed(work, ents)  # once (only labels change below)
    for e in ents:
        words = e.text.split()
        if e.label not in ("ORG", "GPE") or not 2 <= len(words) <= 3:
            continue
        if not all(w[:1].isupper() for w in words) or _is_place(e.text):
            continue
        if words[-1].lower() in lx.ORG_SUFFIXES or not words[0].isalpha():
            continue
        if names.get_gender(words[0]) in ("unknown", "andy"):
            continue
        before = work.text[max(0, e.start - 20) : e.start].split()
        if before and before[-1] in lx.DESCRIPTION_NOUNS | lx.PERSON_SPEAKER_NOUNS:
            e.label = "PERSON"
        elif (
            e.label == "ORG"
            and len(words) == 2
            and len(words[0]) > 2
            and names.get_gender(words[0]) in ("male", "female")
            and all(w.istitle() and w.isalpha() for w in words)
            and words[1].lower() not in lx.BUSINESS_WORDS
            and not (words[1].endswith("s") and words[1][:-1].lower() in common_words())
            and not _org_context(work, e)
        ):
            e.label = "PERSON"  # "a part for Maud Penhale": a first name and a surname
        elif (
            e.label == "GPE"
            and all(w.istitle() for w in words)
            and (
                words[-1] in surnames
                or len(words) == 2
                and names.get_gender(words[0]) in ("male", "female")
                and words[0].lower() not in common_words()
            )
            and e.text not in placed
        ):
            e.label = "PERSON"  # "Gareth Pryce is fit": no place ISO data knows
    return ents


def _org_context(work: Work, e: Ent) -> bool:
    """Words around a name that only an organisation takes: "shares in X", "X Ltd",
    "X's shares", "X said in a statement"."""
    after = work.text[e.end : e.end + 40].lower()
    before = work.text[max(0, e.start - 25) : e.start].lower()
    return bool(
        re.match(r"(?:['’]s)?\s+(?:shares?|stock|plc|ltd|inc|group|chain|stores?|brand)\b", after)
        or re.search(r"\b(?:shares|stake|firm|company|retailer|chain|brand) (?:in |of )?$", before)
        or "statement" in after[:30]
    )


def one_label_per_name(work: Work, ents: list[Ent]) -> list[Ent]:
    """A title named as a work at least as often as anything else is a work wherever
    the same words stand, whatever their case ("Ember Mini" is "Ember mini"; a
    person's name word never is)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for e in ents:
        counts[_title_key(e)][e.label] += 1
    persons = {
        w.casefold() for e in ents if e.label == "PERSON" and " " in e.text for w in e.text.split()
    }
    works = {}
    for key, c in counts.items():
        label, n = max(((k, v) for k, v in c.items() if k in _WORK_LABELS), default=("", 0))
        if n and n * 2 >= sum(c.values()) and key not in persons:
            works[key] = label
    for e in ents:
        key = _title_key(e)
        if key in works and e.label in _SPLITTABLE:
            e.label = works[key]
    return ents


def _title_key(e: Ent) -> str:
    """A name as one label per name compares it."""
    return strip_titles(_POSSESSIVE_TAIL.sub("", e.text)).casefold()


_AND_BEFORE = re.compile(r"(?:^|[Tt]he )([A-Z][a-z]+ and )$")


def _one_title_word(e: Ent) -> bool:
    return " " not in e.text and e.text.istitle()


def join_and_describe(work: Work, ents: list[Ent]) -> list[Ent]:
    """Two organisation spans with only a space between are one name the model cut
    ("Harbour Watch" + "UK", "Liberal" + "Democrat"); so is a name the model began
    after its first word and "and" ("Sail and Oar Union"). A span ending in a group noun
    ("US lawmakers") describes people, it names no organisation (its country or people
    stays named). An organisation's span cut short where the article gives its whole
    name elsewhere is made whole."""
    out: list[Ent] = []
    for e in _joined(work, ents):
        words = e.text.split()
        last = words[-1].lower() if words else ""
        head = " ".join(words[:-1])
        if (
            e.label == "ORG"
            and len(words) > 1
            and (last.endswith("people") or last.removesuffix("s") in lx.GROUP_NOUNS)
            and (places.is_country(head) or places.is_nationality(head))
        ):
            label = "GPE" if places.is_country(head) else "NORP"
            out.append(Ent(e.start, e.start + len(head), label, head))
            continue
        out.append(e)
    return out


_OF_TAIL = re.compile(r" (?:of|for) (?:the )?[A-Z][\w&’'-]*(?: (?:and |of |for )?[A-Z][\w&’'-]*)*")


def _joined(work: Work, ents: list[Ent]) -> list[Ent]:
    out: list[Ent] = []
    for e in ents:
        m = _AND_BEFORE.search(work.text, max(0, e.start - 30), e.start)
        if e.label == "ORG" and m and " " in e.text and not e.text.lower().startswith("the "):
            e.start, e.text = m.start(1), work.text[m.start(1) : e.end]  # "Sail and Oar Union"
            if out and out[-1].end > e.start:
                out.pop()
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.label in ("ORG", "NORP")
            and e.label in ("ORG", "NORP")
            and "ORG" in (prev.label, e.label)
            and work.text[prev.end : e.start] == " "
            and (prev.label == e.label or _one_title_word(prev) and _one_title_word(e))
        ):
            prev.end = e.end
            prev.text = work.text[prev.start : prev.end]
            continue
        out.append(e)
    longer = sorted({e.text for e in out if e.label == "ORG" and " " in e.text}, key=len)
    for e in out:
        if e.label != "ORG":
            continue
        if e.text.split()[-1].lower() in lx.ORG_SUFFIXES and (
            m := _OF_TAIL.match(work.text, e.end)
        ):
            e.end, e.text = m.end(), work.text[e.start : m.end()]  # "Asan Institute of …"
        for name in longer:
            end = e.start + len(name)
            whole = end >= len(work.text) or not work.text[end].isalnum()
            if len(name) > len(e.text) and work.text[e.start : end] == name and whole:
                e.end, e.text = end, name
    return out


def organisations_missed(work: Work, ents: list[Ent]) -> list[Ent]:
    """ "the Harbour Institute of Marine Studies" named again where the model saw no
    name: another occurrence of an organisation's name, with the "of …" that completes
    it, is that organisation's mention too."""
    covered = bytearray(len(work.text) + 1)
    for e in ents:
        covered[e.start : e.end] = b"\x01" * (e.end - e.start)
    names = {re.sub(r"^[Tt]he ", "", e.text) for e in ents if e.label == "ORG"}
    names = {n for n in names if " " in n and n[0].isupper()}
    out = list(ents)
    for name in sorted(names, key=len, reverse=True):
        for m in re.finditer(re.escape(name), work.text):
            a, b = m.start(), m.end()
            if covered[a] or covered[b - 1] or b < len(work.text) and work.text[b].isalnum():
                continue
            if name.split()[-1].lower() in lx.ORG_SUFFIXES and (t := _OF_TAIL.match(work.text, b)):
                b = t.end()
            out.append(Ent(a, b, "ORG", work.text[a:b]))
            covered[a:b] = b"\x01" * (b - a)
    return out


# Lower-case words a person's name may hold ("Os du Plessis", "Ludwig van Beethoven").
_NAME_PARTICLES = frozenset(
    ["de", "du", "da", "das", "dos", "di", "del", "della", "der", "den", "van", "von"]
    + ["ter", "ten", "la", "le", "bin", "ibn", "al", "el", "abu", "y", "st"]
)
_FUNCTION_WORDS = frozenset(
    ["of", "the", "and", "a", "an", "in", "on", "with", "to", "for", "at", "from", "or"]
)
_ACRONYM = re.compile(r"[A-Z][A-Z&]{2,}")


def persons_extended(work: Work, ents: list[Ent]) -> list[Ent]:
    """ "comedian Ana Baron Ruiz", "Jan van Breda": a person's span the model began
    late is extended over the name words before it that modify it (a given name, a
    particle, a word the model put in another span), when it then starts with a given
    name or holds a particle."""
    from .people import _given_names

    doc = work.doc
    starts = {e.start: e for e in ents}
    drop: set[int] = set()
    for e in ents:
        if e.label != "PERSON":
            continue
        toks = list(work.tokens(e.start, e.end))
        if not toks:
            continue
        span = range(toks[0].i, toks[-1].i + 1)
        i = toks[0].i
        taken: list = []
        if i > 1 and doc[i - 1].lower_ in _NAME_PARTICLES and doc[i - 1].is_lower:
            t = doc[i - 2]  # "Os du Randt", however the parser read it
            if t.is_title and t.is_alpha and t.ent_type_ in ("", "ORG", "PERSON"):
                taken, i = [doc[i - 1], t], i - 2
        while i > 0 and len(taken) < 2:
            t = doc[i - 1]
            named = t.pos_ == "PROPN" and t.is_title and t.ent_type_ in ("", "ORG", "PERSON")
            if not (named or t.lower_ in _NAME_PARTICLES and t.is_lower):
                break
            if t.dep_ != "compound" or not (t.head.i in span or t.head in taken):
                break
            taken.append(t)
            i -= 1
        if not taken:
            continue
        first = taken[-1]
        particle = any(t.is_lower for t in taken)
        if (
            not first.is_title
            or first.lower_.strip(".") in lx.TITLES
            or first.lower_ in common_words()
            and not particle  # "General", "March"
            or not (particle or _given_names().get_gender(first.text) in _GENDERED)
        ):
            continue
        other = starts.get(first.idx)
        if other is not None and other is not e:
            if other.end > e.start or " " in other.text:
                continue
            drop.add(id(other))
        e.start, e.text = first.idx, work.text[first.idx : e.end]
    return [e for e in ents if id(e) not in drop]


def persons_by_form(work: Work, ents: list[Ent]) -> list[Ent]:
    """A person's name has the form of one: "Spokeswoman Jo Bloggs" taken whole for an
    organisation is a person; a "name" with a lower-case word that is no particle is a
    title or a product ("Tales of the City", "Pad mini"); one with a word in capitals
    is an organisation's ("NBA Europe"); a lone word that ends an organisation's name
    the article gives ("the Evening Courier … the Courier") is that organisation."""
    for e in ents:
        _role_led_person(work, e)
    parts = {w for e in ents if e.label == "PERSON" and " " in e.text for w in e.text.split()}
    tails = {
        e.text.split()[-1]
        for e in ents
        if e.label == "ORG"
        and " " in e.text
        and e.text.split()[-1] not in parts
        and not _looks_personal(work, e)
    }
    for e in ents:
        if e.label != "PERSON":
            continue
        words = e.text.split()
        lower = [w for w in words[1:] if w.islower() and w not in _NAME_PARTICLES]
        if lower:
            e.label = "WORK_OF_ART" if set(lower) & _FUNCTION_WORDS else "PRODUCT"
        elif len(words) > 1 and _holds_acronym(e.text):
            e.label = "ORG"  # "RTE Sport Munster"
        elif len(words) == 1 and e.text in tails and not _titled(work, e):
            e.label = "ORG"  # "the Courier"
    return ents


_ROLES = (lx.TITLES | lx.DESCRIPTION_NOUNS | lx.PERSON_SPEAKER_NOUNS) - {"the"}
_GENDERED = frozenset(["male", "female", "mostly_male", "mostly_female"])


def _role_led_person(work: Work, e: Ent) -> None:
    from .people import _given_names

    words = e.text.split()
    if e.label not in ("ORG", "GPE", "NORP") or len(words) < 3 or words[0].lower() not in _ROLES:
        return
    rest = words[1:]
    if (
        len(rest) <= 3
        and all(w.istitle() for w in rest)
        and rest[-1].lower() not in lx.ORG_SUFFIXES
        and not _is_place(" ".join(rest))
        and _given_names().get_gender(rest[0]) in _GENDERED
    ):
        e.start = e.end - len(" ".join(rest))
        e.text, e.label = work.text[e.start : e.end], "PERSON"


def _titled(work: Work, e: Ent) -> bool:
    """An honorific or a title right before the name ("Mr Lowe", "President Lowe")."""
    before = work.text[max(0, e.start - 20) : e.start].split()
    return bool(before and before[-1].lower().strip(".") in _ROLES)


def _titled_or_said(work: Work, e: Ent) -> bool:
    """A person by the words around: a title or a describing noun before, or the one
    who says something."""
    return _titled(work, e) or _person_evidence(work, e)


# A caption's credit: "… Photo AFP/Jo Bloggs", "Photo: Jo Bloggs/Reuters", "Picture by Jo
# Bloggs / Getty Images": an agency and a photographer, on either side of the slash.
_CREDIT = re.compile(
    r"(?:(?<=[.!?)\]])\s+|^)(?i:photos?|photograph|picture|image|credit)(?::\s*|\s+by\s+|\s+)"
    r"(?P<a>[A-Z][^/\n]{0,40}?)\s*/\s*(?P<b>[A-Z][^/\n]{0,40}?)[.\s]*$",
    re.MULTILINE,
)
_AGENCY_WORDS = frozenset(["images", "pictures", "photos", "photo", "press", "agency", "news"])
_PERSON_WORD = re.compile(r"[A-Z][a-z]+(?:[-'’][A-Za-z]+)*|de|da|van|von|der|bin|al")


def _agency(words: list[str]) -> bool:
    """AFP, EPA, Reuters, Getty Images, Associated Press."""
    if len(words) == 1:
        return words[0].isupper() and 2 <= len(words[0]) <= 6 or words[0].istitle()
    return words[-1].lower() in _AGENCY_WORDS


def _photographer(words: list[str]) -> bool:
    """Two to four words of a name, the first and last capitalised ("Jo van Dyke"), none
    a word organisations end in ("Yomiuri Shimbun" is a paper, "Kyodo News" an agency)."""
    return (
        2 <= len(words) <= 4
        and all(_PERSON_WORD.fullmatch(w) for w in words)
        and words[0][:1].isupper()
        and words[-1][:1].isupper()
        and not any(w.lower() in lx.ORG_SUFFIXES | _AGENCY_WORDS for w in words)
    )


def photo_credits(work: Work, ents: list[Ent]) -> list[Ent]:
    """A photo credit at the end of a caption names an agency and a photographer: "Photo
    AFP/Jo Bloggs" is the organisation AFP and the person Jo Bloggs, whatever the model
    made of them (one name across the slash, "Photo" taken into it, the photographer left
    out or called an organisation). A credit whose sides are not one agency and one
    personal name ("AFP / Yomiuri Shimbun") is left as the model read it."""
    out = ents
    for m in _CREDIT.finditer(work.text):
        sides = [(m.start(k), m.end(k), m[k].split()) for k in ("a", "b")]
        pair = next(
            ((a, b) for a, b in (sides, sides[::-1]) if _agency(a[2]) and _photographer(b[2])),
            None,
        )
        if pair is None:
            continue
        (ag_s, ag_e, _), (pe_s, pe_e, _) = pair
        out = [e for e in out if e.end <= m.start() or e.start >= m.end()]
        out.append(Ent(ag_s, ag_e, "ORG", work.text[ag_s:ag_e]))
        out.append(Ent(pe_s, pe_e, "PERSON", work.text[pe_s:pe_e]))
    if out is not ents:
        out.sort(key=lambda e: e.start)
    return out


def names_in_lists(work: Work, ents: list[Ent]) -> list[Ent]:
    """A lone word is of the kind of the names it is listed with. "Acme, Globex, Hooli
    and Initech": one taken for a person, listed with organisations and no person, with
    nothing else saying it is a person's (no title, no longer name of the article holds
    it), is an organisation. "follows Brannock, Jo Bloggs and Al Smith": one taken for
    a place or an organisation, listed with people only, and no common word, people or
    place ISO data knows or the article puts anyone in, is a person."""
    at: dict[int, int] = {}
    for i, e in enumerate(ents):
        for tok in work.tokens(e.start, e.end):
            at[tok.i] = i
    parts = {w for e in ents if e.label == "PERSON" and " " in e.text for w in e.text.split()}
    placed = _placed(work, ents)
    for e in ents:
        if " " in e.text or not e.text.istitle() or e.label not in ("PERSON", "ORG", "GPE"):
            continue
        others = [ents[at[i]] for i in _listed_with(work, e) if i in at]
        labels = {o.label for o in others}
        if e.label == "PERSON":
            if (
                "ORG" in labels
                and "PERSON" not in labels
                and e.text not in parts
                and not _titled_or_said(work, e)
            ):
                e.label = "ORG"
        elif (
            labels == {"PERSON"}
            and any(" " in o.text for o in others)
            and not _is_place(e.text)
            and e.text not in placed
            and e.text.lower() not in common_words()
            and not places.is_nationality(e.text)
            and not any(  # "many more Latinos": a person's name takes no "more"
                c.dep_ in ("amod", "det", "nummod")
                for t in work.tokens(e.start, e.end)
                for c in t.children
            )
        ):
            e.label = "PERSON"
    return ents


def _listed_with(work: Work, e: Ent) -> set[int]:
    """Token indices of the heads of the names ``e`` is listed with ("A, B and C")."""
    toks = list(work.tokens(e.start, e.end))
    if not toks:
        return set()
    root = toks[-1]
    group = {c.i for c in root.children if c.dep_ == "conj"}
    if root.dep_ == "conj":
        group.add(root.head.i)
        group.update(c.i for c in root.head.children if c.dep_ == "conj")
    return group - {root.i}


_RUN_IN_POS = frozenset(["NOUN", "ADJ", "VERB", "ADV"])


def organisations_by_form(work: Work, ents: list[Ent]) -> list[Ent]:
    """An organisation's name has the form of one: the lower-case words the model ran
    in before it ("anti-war Labour MP") and a role noun after it are no part of it
    ("Labour"); initials followed by a person's first name and surname are the
    organisation and its person ("EADS Jo Bloggs": the group's chief); a name of two
    or three words ending in a describing noun is a description ("Labour MP")."""
    from .people import _given_names

    out: list[Ent] = []
    for e in ents:
        if e.label != "ORG":
            out.append(e)
            continue
        toks = list(work.tokens(e.start, e.end))
        if not toks:
            out.append(e)
            continue
        run_in = [
            i
            for i, t in enumerate(toks[:-1])
            if t.is_lower and t.pos_ in _RUN_IN_POS and toks[i + 1].text[:1].isupper()
        ]
        if run_in:
            toks = toks[run_in[-1] + 1 :]  # "pro-war Labour", not "Department for Work"
        while (
            len(toks) > 1
            and toks[-1].lower_ in lx.DESCRIPTION_NOUNS
            and (toks[-1].is_lower or toks[-1].is_upper)  # "Labour MP", not "Gold Star"
        ):
            toks.pop()
        start = max(e.start, toks[0].idx)
        end = min(e.end, toks[-1].idx + len(toks[-1].text))
        words = work.text[start:end].split()
        if (
            len(words) >= 3
            and _ACRONYM.fullmatch(words[0])
            and all(w.istitle() and w.isalpha() for w in words[-2:])
            and _given_names().get_gender(words[-2]) in _GENDERED
        ):
            cut = end - len(" ".join(words[-2:]))
            out.append(Ent(start, start + len(words[0]), "ORG", words[0]))
            out.append(Ent(cut, end, "PERSON", work.text[cut:end]))
            continue
        e.start, e.end, e.text = start, end, work.text[start:end]
        out.append(e)
    return out


def names_by_kind_noun(work: Work, ents: list[Ent]) -> list[Ent]:
    """A noun beside a name says what it names. "the charity Hope Trust", "broadcaster
    Skylark", "the Harbour Post newspaper", "a spokesman for Zentrix": an organisation,
    also where the model saw no name; "the Arrow and Tallis fields": natural places;
    "the constituency of Vale and Brook", "Brook Green ward": a constituency or a ward, a
    political place; "the Harbourton fly-half", "for Harbourton against Tallis": sports
    teams, organisations. A name before a titled person is that person's side ("Green
    Left Sir Jo Bloggs": a party, no person). The label holds for every mention of the
    same name in the article."""
    from .people import _given_names

    doc = work.doc
    added = _organisations_by_kind(work, ents)
    ents = ents + added
    label_of: dict[str, str] = {e.text: "ORG" for e in added}
    persons = {w for e in ents if e.label == "PERSON" and " " in e.text for w in e.text.split()}
    at: dict[int, int] = {}
    for i, e in enumerate(ents):
        for tok in work.tokens(e.start, e.end):
            at[tok.i] = i
    out = list(ents)
    drop: set[int] = set()
    for e in ents:
        toks = list(work.tokens(e.start, e.end))
        if not toks or e.label not in _NAMEISH:
            continue
        key = strip_titles(e.text)
        span = range(toks[0].i, toks[-1].i + 1)
        prev = doc[span.start - 1] if span.start else None
        nxt = doc[span.stop] if span.stop < len(doc) else None
        if (
            e.label != "ORG"
            and prev is not None
            and prev.is_lower
            and prev.lower_ in lx.ORG_KIND_NOUNS
            and (prev.head.i in span or doc[span.stop - 1].head.i == prev.i)
            and not _titled(work, e)
        ):
            label_of.setdefault(key, "ORG")
        elif (
            e.label not in ("ORG", "PERSON")
            and nxt is not None
            and nxt.is_lower
            and nxt.lower_ in lx.ORG_KIND_NOUNS_AFTER
        ):
            if _is_place(key):
                e.label = "ORG"  # "Ohio magazine": here only, Ohio stays a place elsewhere
            else:
                label_of.setdefault(key, "ORG")
        elif (
            e.label in ("GPE", "ORG", "FAC", "LOC")
            and nxt is not None
            and nxt.is_lower
            and nxt.lower_ in lx.PLACE_FEATURE_NOUNS
            and nxt.dep_ != "compound"
            and not _ACRONYM.fullmatch(e.text)
            and not _is_place(e.text)
        ):
            label_of.setdefault(key, "LOC")
            for c in doc[span.stop - 1].children:  # "the Arrow and Tallis fields"
                if c.dep_ == "conj" and c.i in at:
                    label_of.setdefault(strip_titles(ents[at[c.i]].text), "LOC")
        elif (
            e.label in ("PERSON", "PRODUCT", "WORK_OF_ART")
            and " " not in key
            and _ORG_ROLE_BEFORE.search(work.text, max(0, e.start - 60), e.start)
            and _given_names().get_gender(key) == "unknown"
        ):
            label_of.setdefault(key, "ORG")  # "a spokesman for Zentrix", "a division of Zentrix"
        elif e.label in ("ORG", "LOC", "FAC", "GPE") and _constituency(work, e):
            label_of.setdefault(key, "GPE")
            left = next((o for o in ents if o.end < e.start and o.end > e.start - 8), None)
            if left is not None and re.fullmatch(r"(?:['’]s)? and ", work.text[left.end : e.start]):
                left.end, left.text = e.end, work.text[left.start : e.end]  # "Ash's and Elm"
                label_of[strip_titles(left.text)] = "GPE"
                drop.add(id(e))
        elif e.label == "GPE" and _team(work, e, nxt):
            label_of.setdefault(key, "ORG")
        elif e.label == "PERSON" and _HONORIFIC_AFTER.match(work.text, e.end):
            label_of.setdefault(key, "NORP")  # "Green Left Sir Jo Bloggs": a party, a side
    out = [e for e in out if id(e) not in drop]
    for e in out:
        key = strip_titles(e.text)
        if key in label_of and key not in persons and e.label != "NORP":
            e.label = label_of[key]
    return out


_HONORIFIC_AFTER = re.compile(r" (?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady)\.? [A-Z]")
_ORG_ROLE_BEFORE = re.compile(
    r"\b(?:president|executive|chairman|chairwoman|director|founder|spokesman|spokeswoman"
    r"|spokesperson|analyst|division|subsidiary)(?: of [a-z]+(?: [a-z]+)?)? (?:of|for|at) $"
)


def _constituency(work: Work, e: Ent) -> bool:
    before = work.text[max(0, e.start - 20) : e.start]
    after = work.text[e.end : e.end + 30].split()
    return before.endswith(tuple(b + " " for b in lx.CONSTITUENCY_BEFORE)) or bool(
        after
        and after[0].rstrip(".,;") in lx.CONSTITUENCY_AFTER
        and after[1:2] != ["of"]  # "the Commons constituency of …"
    )


def _team(work: Work, e: Ent, nxt) -> bool:
    if nxt is not None and nxt.is_lower and nxt.lower_ in lx.TEAM_POSITION_NOUNS:
        return True
    # The tokenizer may split "fly-half" into three tokens: read the two words after.
    if (
        "-".join(work.text[e.end : e.end + 20].replace("-", " ").split()[:2])
        in lx.TEAM_POSITION_NOUNS
    ):
        return True
    before = work.text[max(0, e.start - 5) : e.start]
    m = re.match(r" against [A-Z]", work.text[e.end : e.end + 10])
    return before == " for " and bool(m) and not _is_place(e.text)


def _organisations_by_kind(work: Work, ents: list[Ent]) -> list[Ent]:
    """ "satellite broadcaster Skylark", "the Harbourton fly-half": a proper noun right
    after an organisation's kind noun or before a player's position that the model saw
    no name in."""
    covered = bytearray(len(work.text) + 1)
    for e in ents:
        covered[e.start : e.end] = b"\x01" * (e.end - e.start)
    doc = work.doc
    out = []
    for i in work.token_indices(ORTH, work.hashes(lx.ORG_KIND_NOUNS)):
        j = i + 1
        while (
            j < len(doc)
            and doc[j].pos_ == "PROPN"
            and doc[j].text[:1].isupper()
            and not covered[doc[j].idx]
        ):
            j += 1
        if j == i + 1 or not (doc[i].head.i in range(i + 1, j) or doc[j - 1].head.i == i):
            continue
        a, b = doc[i + 1].idx, doc[j - 1].idx + len(doc[j - 1].text)
        if not _HONORIFIC_BEFORE.search(work.text, max(0, a - 6), a):
            out.append(Ent(a, b, "ORG", work.text[a:b]))
            covered[a:b] = b"\x01" * (b - a)
    for tok in doc:  # "the Harbourton fly-half", "for Tallbridge against Wexham"
        if tok.pos_ != "PROPN" or not tok.is_title or covered[tok.idx]:
            continue
        e = Ent(tok.idx, tok.idx + len(tok.text), "GPE", tok.text)
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if _team(work, e, nxt):
            out.append(Ent(e.start, e.end, "ORG", e.text))
            m = re.match(r" against ([A-Z][a-z]+)\b", work.text[e.end : e.end + 40])
            if m and not covered[e.end + m.start(1)]:
                a = e.end + m.start(1)
                out.append(Ent(a, e.end + m.end(1), "ORG", m[1]))
    return out


STEPS = (
    join_and_describe,
    cut_joins,
    persons_extended,
    persons_by_form,
    organisations_by_form,
    split_pairs,
    acronyms_by_expansion,
    drop_non_names,
    name_works,
    peoples_and_places,
    persons_by_first_name,
    names_by_kind_noun,
    names_in_lists,
    photo_credits,
    organisations_missed,
    one_label_per_name,
)

"""Quotation marks: finding the quoted spans and telling speech from scare quotes.

A quotation left open at the end of a paragraph continues when the next paragraph
opens with a mark (one span with ``end_para``): BBC continuation quotes.

* direct: the marks hold a sentence of speech — they open a paragraph or a sentence,
  follow a colon, comma, dash or cue verb, or hold several sentences;
* partial: a fragment inside the reporter's sentence, or a quotation the reporter's
  clause runs into ('told the paper that “…”', a mixed quotation) (kept only when a
  sieve finds its speaker);
* neither (``None``): capitalised phrases after "name", "called", "dubbed" … and
  title-case phrases mid-sentence are titles or names, not speech.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import lexicon as lx
from ..types import QuoteKind
from ..vocabulary import QUOTE_CLOSE, QUOTE_OPEN
from ..work import Work

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


# A verb ending consonant, vowel, consonant doubles the last before -ed and -ing (a
# form too many, "answerred", is harmless: no text has it).
_DOUBLES = re.compile(r"[^aeiou][aeiou][bdgklmnprt]$")


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
        if _DOUBLES.search(w):  # admit: admitted, snap: snapping
            out.add(w + w[-1] + "ed")
            out.add(w + w[-1] + "ing")
    return frozenset(out | {"said", "told", "wrote", "says", "tells", "writes", "thought", "spoke"})


DIRECT_FORMS = _inflect(lx.DIRECT_CUES)


_DOUBLE_APOSTROPHES = re.compile(r"(?<![\w'])(?:''|``)(?=\S)(.+?)(?<=\S)''(?!\w)")


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
        t = _facing(t)
        base = work.para_starts[pi]
        segs: list[Marked] = []
        open_at = None
        n = len(t)
        depth = 0
        # curly marks nest (“… “hell” …”) only where they balance in the paragraph;
        # inside a straight quotation ("… “hell” …") a balanced pair of them always does
        balanced = t.count("“") == t.count("”")
        nested = balanced and t.count("“") > 1
        for i, c in enumerate(t):
            if open_at is None:
                if c in QUOTE_OPEN or (
                    c == '"'
                    and i + 1 < n
                    and not t[i + 1].isspace()
                    and (i == 0 or t[i - 1].isspace() or t[i - 1] in "([{—–―-:;/")
                ):
                    open_at = i
            elif c in QUOTE_CLOSE and depth > 0:
                depth -= 1
            elif _runs_on(t, i, open_at):
                continue  # '"A. "B."': a quotation running on opens again without closing
            elif (c in QUOTE_CLOSE and (t[open_at] != '"' or '"' not in t[i + 1 :])) or (
                c == '"' and (t[open_at] == '"' or not _has_close(t, i))
            ):
                segs.append(_seg(t, base, pi, open_at, i))
                open_at = None
            elif c in QUOTE_OPEN and (nested or (balanced and t[open_at] == '"')):
                depth += 1
            elif c in QUOTE_OPEN:
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
    for pi, t in enumerate(work.para_texts):
        # ''…'' (typewriter style of some archives): quoted words, never reported speech
        for q in _DOUBLE_APOSTROPHES.finditer(t):
            a, b = work.para_starts[pi] + q.start(), work.para_starts[pi] + q.end()
            work.quote_mask[a:b] = b"\x01" * (b - a)
    return [m for m in out if m.end > m.start]


# Where a double mark stands: after a space or an opening bracket and before a word it
# opens; after a word or a stop and before a space or a stop it closes.
_OPENS_AFTER = "([{—–―-:;/"
_CLOSES_BEFORE = ",.;:!?)]—–―-"


def _facing(t: str) -> str:
    """The paragraph with each double mark made the curly mark it stands as, where the
    typing is mixed: a quotation opened with one kind of mark and closed with the other
    ('“We will win," she said. "Soon.”') or a curly mark facing the wrong way ('“Not
    yet,“ he said'). Marks that pair up by kind (a straight quotation holding a curly
    one) are left as they are, as is a mark whose place does not tell (a space or a word
    on both sides); one character for one."""
    if not any(c in t for c in "“”"):
        return t
    facing = [(i, c, _way(t, i)) for i, c in enumerate(t) if c in '"“”']
    if not _crossed(facing):
        return t
    out = list(t)
    for i, _c, way in facing:
        if way:
            out[i] = "“" if way == "open" else "”"
    return "".join(out)


def _way(t: str, i: int) -> str:
    """'open' or 'close', as the mark at ``i`` stands by the words, or '' if its place
    does not tell."""
    before = t[i - 1] if i else " "
    after = t[i + 1] if i + 1 < len(t) else " "
    if (before.isspace() or before in _OPENS_AFTER) and not after.isspace():
        return "open"
    if not before.isspace() and (after.isspace() or after in _CLOSES_BEFORE):
        return "close"
    return ""


def _crossed(facing: list[tuple[int, str, str]]) -> bool:
    """Whether a mark closes a quotation opened by the other kind of mark, or a curly
    mark faces the way of its opposite."""
    stack: list[bool] = []  # straight?
    for _i, c, way in facing:
        if (c == "“" and way == "close") or (c == "”" and way == "open"):
            return True
        if way == "open":
            stack.append(c == '"')
        elif way == "close" and stack and stack.pop() != (c == '"'):
            return True
    return False


def _runs_on(t: str, i: int, open_at: int) -> bool:
    """A straight mark at ``i`` opens a new sentence of the open quotation (BBC style:
    a quotation that runs on opens again without closing, '"A. "B."'): it stands after
    a sentence end and a space, before a word, and the quotation opened with a straight
    mark too."""
    return (
        t[i] == '"'
        and t[open_at] == '"'
        and 0 < i < len(t) - 1
        and t[i - 1] == " "
        and t[i + 1].isalnum()
        and t[:i].rstrip()[-1:] in ".!?"
    )


def _has_close(t: str, i: int) -> bool:
    return any(c in QUOTE_CLOSE for c in t[i:])


def _seg(
    t: str, base: int, pi: int, open_at: int, close: int | None, end: int | None = None
) -> Marked:
    s = open_at + 1
    e = close if close is not None else end
    assert e is not None, "a mark's segment ends at its closing mark or at ``end``"
    while s < e and t[s].isspace():
        s += 1
    while e > s and t[e - 1].isspace():
        e -= 1
    return Marked(
        base + s, base + e, base + open_at, None if close is None else base + close, pi, pi
    )


# -- classification ------------------------------------------------------------------

LOWER_DIRECT_MIN = 12  # a lower-case quotation this long after a sentence break is speech
_SMALL = {"a", "an", "the", "of", "and", "or", "in", "on", "to", "for", "at", "by", "with", "is"}


# '“…,” he told the host, “': a quotation broken off at a comma, a cue, a comma.
_SPLIT = re.compile(rf",\s*[”\"]\s*([^“”\".!?]{{1,{lx.SPLIT_CUE_REACH}}}),\s*$")


def _proper_noun(work: Work, end: int) -> bool:
    """The word ending at ``end`` is part of a name ("States" in "the United States")."""
    tok = work.doc[work.token_at(end - 1)]
    return tok.pos_ == "PROPN" and tok.i > 0 and tok.nbor(-1).pos_ == "PROPN"


# The text of a sentence up to a quotation: back to its last stop.
_SENTENCE_SO_FAR = re.compile(r"(?:^|[.!?][”\"’']?\s)([^.!?]*)$")


# A telling cue and its addressee at the end of the reporter's words ('told his
# supporters', 'telling her').
_TOLD = re.compile(r"\b(?:told|tells|telling)(?:\s+[\w’'-]+){1,3}\s*$")
_TELLS_ON = re.compile(r"(?:^\s*|\b(?:and|but|then)\s+)(?:told|tells|telling)\b")


def _reporters_sentence(before: str, prev_word: str) -> bool:
    """A lower-case quotation after a comma finishes the reporter's sentence ('In past
    years, “we felt …”', 'The cost, he said, “is …”'), unless a cue opening the
    sentence introduces it ('He added, “actually …”', 'As the Post reported, “…'): a
    comma before the last word that is no cue, or a cue set off by commas on both
    sides."""
    m = _SENTENCE_SO_FAR.search(before[:-1])
    if prev_word not in DIRECT_FORMS:
        return m is None or not _tells(m.group(1))
    return m is not None and "," in m.group(1)


def _tells(sentence: str) -> bool:
    """The reporter's words end with the speaker telling someone, in the main clause
    ('She told the crowd', '…, but told his supporters', '…, and telling her'): the
    quotation after the comma is what was told. Not a cue set off by commas with a
    subject of its own ('If it passes, he told reporters, “we …”': a mixed quotation)."""
    last = sentence.split(",")[-1]
    return bool(_TOLD.search(last)) and ("," not in sentence or bool(_TELLS_ON.search(last)))


def _second_half(before: str) -> bool:
    """The text before a quotation ends with the first half of the same quotation and
    its cue ('“…,” she said, '): what follows is direct speech, whatever its case; not
    when the reporter's clause runs on into it ('“…,” he said, noting that his team
    “has …”': a mixed quotation)."""
    m = _SPLIT.search(before)
    if m is None:
        return False
    words = [w.lower() for w in _WORD.findall(m.group(1))]
    return any(w in DIRECT_FORMS for w in words) and not any(
        w in lx.MIXED_QUOTE_INTRODUCERS for w in words
    )


_NEXT_WORD = re.compile(r"\s*([a-z]+)\b")


def _named_thing(text: str, m: Marked, content: str) -> bool:
    """'“…” was written by …', '“…” became the slogan': a quotation with no stop of its
    own that is the subject of the verb after it names a thing (a title, a phrase); a
    speaker's words end in a stop or a comma before their cue."""
    if m.close is None or content.rstrip()[-1:] in ".!?,;:":
        return False
    nxt = _NEXT_WORD.match(text, m.close + 1)
    return nxt is not None and nxt.group(1) in lx.QUOTED_SUBJECT_VERBS


# How far after a closing mark a short quotation's cue may stand ('“No,” replied the
# former mayor of Westford').
SHORT_CUE_WORDS = 4


def _cue_follows(text: str, m: Marked) -> bool:
    """A cue verb among the first words after the closing mark, in the same sentence
    ('“No,” she said', '“No,” said Jo Ray')."""
    if m.close is None:
        return False
    after = re.split(r"[.!?;:“”\"\n]", text[m.close + 1 : m.close + 80], maxsplit=1)[0]
    return any(w.lower() in DIRECT_FORMS for w in _WORD.findall(after)[:SHORT_CUE_WORDS])


def _answer(text: str, m: Marked, content: str, prev_word: str, prev_char: str) -> bool:
    """A word or two said whole: a cue stands right before them with a comma or colon
    ('Asked again, he said, “Probably.”'), or right after them in the same sentence
    ('“Really,” she added', '“Why?” she asked'; after '“…good.”' a new sentence starts)."""
    end = content.rstrip()[-1:]
    if end not in ".!?,":
        return False
    if prev_word in DIRECT_FORMS and prev_char in ",:":
        return True
    if end == "." or m.close is None:
        return False
    nxt = _NEXT_WORD.match(text, m.close + 1)  # a lower-case word goes on the sentence
    return (end == "," or nxt is not None) and _cue_follows(text, m)


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
    name_end = pstart + len(before)
    if prev_word in DIRECT_FORMS and prev_char.isalpha() and _proper_noun(work, name_end):
        prev_word = ""  # 'said the United States “…”': a name's word, not a speech verb
    if prev_word in lx.NAME_INTRODUCERS and prev_char not in ",:.!?":
        return None  # 'a slogan “…”', not 'the book. “…”': a stop ends the naming
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
    if n <= 2 and sentence_initial and _answer(text, m, content, prev_word, prev_char):
        return QuoteKind.DIRECT  # '“Really,” she added', 'he said, “Probably.”': said whole
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
    if _named_thing(text, m, content):
        return QuoteKind.PARTIAL  # '“…” was written by …': a title or phrase, not speech
    if _second_half(before):
        return QuoteKind.DIRECT  # '“…,” he said, “and it was …”': the same speech goes on
    if prev_word in lx.MIXED_QUOTE_INTRODUCERS and prev_char not in ".!?:;":
        return QuoteKind.PARTIAL  # "told reporters that “…”": in the reporter's clause
    if words[0] in lx.MIXED_QUOTE_INTRODUCERS:
        return QuoteKind.PARTIAL  # 'came to believe “that …”': the same, inside the marks
    if first_alpha.islower() and prev_char.isalpha() and prev_word not in DIRECT_FORMS:
        return QuoteKind.PARTIAL  # 'has spent “years fighting … . …”': the reporter's object
    if first_alpha.islower() and prev_char == "," and _reporters_sentence(before, prev_word):
        return QuoteKind.PARTIAL  # 'In past years, “we felt …”', 'The cost, he said, “is …”'
    if multi_sentence and n >= 8:
        return QuoteKind.DIRECT
    if m.end_para != m.para:
        return QuoteKind.DIRECT
    if (
        sentence_initial
        and (upper or n >= LOWER_DIRECT_MIN)
        and (prev_char != "(" or _cue_follows(text, m))  # '(“…,” wrote Lee)': an aside
    ):
        if n == 1 and prev_char not in ":":
            return QuoteKind.PARTIAL
        return QuoteKind.DIRECT
    if upper and n >= 6 and content.rstrip()[-1:] in ".!?,":
        return QuoteKind.DIRECT
    return QuoteKind.PARTIAL

"""Claims: statements a holder asserts that a reader should notice.

The rule (what a careful editor would mark)
A key claim is a check-worthy statement: a prediction with a subject and a horizon ("the
port will lose two lines by 2027", and in news the reporter's hedged forecasts: "X is
likely to …", "a deal could be signed", "sanctions relief may be on the table", "an
outcome is expected"), a recommendation ("the council must …", "he urged the board to
…"), or a belief or assessment its holder states ("I think …", "Go believes that …").
* A claim is a whole clause with its subject: reported speech that is only an infinitive
  ("urged the board to sell the port") is no clause, so the claim is the whole sentence
  that reports it, its holder named in it.
* A question is no claim ("How many will lose their jobs?"): it asserts nothing.
* "likely" that only describes a noun ("likely voters") forecasts nothing.
* An exclamation is no claim: a sentence that ends in "!" with fewer than 10 words (a
  post's "We will know soon – Great!"), and an exclamation set off by a dash at the end
  of a longer sentence is left out of it.
* At most one claim per sentence: the best scored.
* A schedule is no forecast: the reporter's "will" in news counts only with a hedge.

Where claims come from
* an indirect quote is a claim of its speaker ("Go believes that …");
* a sentence inside a direct quote is a claim of the speaker when it predicts,
  recommends or states a belief ("I think …", "… will …", "… should …");
* a sentence of the reporter's own text is a claim of the author (holder None) in an
  opinion piece (``Document.kind`` is opinion, or the article has a byline and fewer
  than two direct quotes) when it predicts, recommends or assesses; in news only when
  it predicts with a hedge ("likely", "expected", "could", "may" …).

Kind
* recommendation: "should", "must", "ought", "need(s) to", "it is time", or an
  urge/recommend/propose cue;
* prediction: "will", "is going to", "is likely/expected to", "most likely", … or a
  predict/expect cue; in the reporter's own text also a hedge ("could", "may", "might",
  "expected");
* belief: the rest (believe/think/argue/say … that); in an opinion piece also the
  author's assessment whose main verb is "appear" or "seem" ("the board appears set in
  its ways").

Highlighted (what the reader sees marked, 3–6 per article): every claim gets a score
= kind weight (prediction 3, recommendation 2.5, belief 2) + 2 when a named person
holds it (or, in an opinion piece, when the author does) + up to 1.5 for standing
early in the article + up to 1.5 for specificity (numbers, names, "most likely")
- 2 when shorter than 6 or longer than 70 words. The best are highlighted, at most one
per speaker (the author of an opinion piece excepted), five at most, three at least
when there are three.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from . import lexicon as lx
from .people import People
from .types import ArticleKind, Claim, ClaimKind, Quote, QuoteKind, SpeakerKind
from .work import Work

_WORD = re.compile(r"[\w’']+")
_SENT = re.compile(r"[^.!?…]+(?:[.!?…]+|$)")
# A hedge in the reporter's own sentence makes a forecast (lower-case modals only: "in May"
# is a month; "could not", "might have" look back, not forward).
_HEDGED = re.compile(
    r"\b(?:could|may|might)\b(?! not\b| have\b)|\b(?:[Ee]xpected|[Ee]xpectations|[Pp]oised)\b"
)
# Dependencies that hang a clause or phrase off another: a hedge there is not the sentence's.
_SUBORDINATE = frozenset(["advcl", "relcl", "acl", "pobj", "pcomp", "prep"])
# Penn tags of a verb with a tense of its own.
_FINITE = frozenset(["MD", "VBD", "VBZ", "VBP"])
# An exclamation set off by a dash at a sentence's end ("… – Very good!").
_TRAILING_EXCLAMATION = re.compile(r"\s*[–—-]\s*[^–—-]{1,40}!+\s*$")


# "if a deal should be reached", "…, should she lose the vote …": a conditional "should" sets a
# condition and recommends nothing; nor does a question's ("she wondered whether she should go").
_CONDITIONAL_SHOULD = re.compile(
    r"\b(?:if|unless|in case|in the event|whether)\b[^,.;:!?]*?\b(should)\b"
    r"|(?:^|[,;:(—–-]\s*)(should)\s+(?:he|she|it|they|we|i|you|the|a|an|this|that|there)\b"
)


def _without_conditionals(low: str) -> str:
    """``low`` with every conditional "should" blanked out."""
    out = list(low)
    for m in _CONDITIONAL_SHOULD.finditer(low):
        g = 1 if m.start(1) >= 0 else 2
        out[m.start(g) : m.end(g)] = " " * (m.end(g) - m.start(g))
    return "".join(out)


def _no_statement(text: str) -> bool:
    """A question ("How many will lose their jobs?") or a short exclamation ("We will
    know soon – Great!"): nothing a reader could check."""
    end = text.rstrip().rstrip("”’\"')")
    return end.endswith("?") or end.endswith("!") and len(_WORD.findall(text)) < 10


def _plain(sent) -> str:
    """A sentence's text with "likely" blanked where it only describes a noun ("likely
    voters", "a likely candidate"): that forecasts nothing ("the most likely outcome"
    still does)."""
    out = list(sent.text)
    for t in sent:
        if (
            t.lower_ in ("likely", "unlikely")
            and t.dep_ == "amod"
            and not (t.i > sent.start and t.nbor(-1).lower_ in ("most", "more"))
        ):
            a = t.idx - sent.start_char
            out[a : a + len(t.text)] = " " * len(t.text)
    return "".join(out)


def _kind(text: str, cue: str = "", hedged: bool = False) -> ClaimKind | None:
    low = _without_conditionals(" " + text.lower() + " ")
    words = set(_WORD.findall(low))
    cue = cue.lower()
    if (
        cue.startswith(tuple(lx.RECOMMENDATION_CUES))
        or words & lx.RECOMMENDATION_MARKERS
        or any(p in low for p in lx.RECOMMENDATION_PHRASES)
    ):
        return ClaimKind.RECOMMENDATION
    if (
        cue.startswith(tuple(lx.PREDICTION_CUES))
        or words & lx.PREDICTION_MARKERS
        or any(p in low for p in lx.PREDICTION_PHRASES)
        or hedged
        and _HEDGED.search(text)
    ):
        return ClaimKind.PREDICTION
    if re.search(r"\b(?:i|we) (?:think|believe|expect|fear|hope|doubt)\b", low):
        return ClaimKind.BELIEF
    if cue and any(cue.startswith(c[: max(2, len(c) - 1)]) for c in lx.BELIEF_CUES):
        return ClaimKind.BELIEF
    return None


def is_opinion(work: Work, quotes: list[Quote]) -> bool:
    doc = work.document
    if doc.kind == ArticleKind.OPINION:
        return True
    direct = sum(1 for q in quotes if q.kind == QuoteKind.DIRECT)
    return bool(doc.byline) and direct < 2


def extract(work: Work, quotes: list[Quote], people: People) -> list[Claim]:
    claims: list[tuple[float, Claim]] = []
    text = work.text
    n_para = max(1, len(work.para_texts))
    opinion = is_opinion(work, quotes)

    def add(start: int, end: int, kind: ClaimKind, holder: str | None) -> None:
        # A claim stands in one paragraph: a sentence the parser ran on over a paragraph
        # break (or one of a quotation's sentences) ends where its paragraph does.
        end = min(end, work.para_end(work.para_of(start)))
        if text[start:end].rstrip().endswith("!"):
            cut = _TRAILING_EXCLAMATION.search(text, start, end)
            if cut is not None and len(_WORD.findall(text[start : cut.start()])) >= 6:
                end = cut.start()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            return
        span = work.span(start, end)
        claims.append(
            (
                _score(span.text, kind, holder, span.paragraph / n_para, people, opinion),
                Claim(span=span, kind=kind, holder=holder),
            )
        )

    covered = bytearray(len(text) + 1)
    for q in quotes:
        s = work.para_starts[q.span.paragraph] + q.span.start
        e = work.para_starts[q.span.last_paragraph] + q.span.end
        covered[s:e] = b"\x01" * (e - s)
        if q.kind == QuoteKind.INDIRECT and q.speaker:
            # an unnamed source's view ("experts say …") is not the author's: no claim
            k = _kind(q.span.text, q.cue)
            if k is not None:
                whole = _clause(work, s, e)
                add(whole[0], whole[1], k, q.speaker)
        elif q.kind == QuoteKind.DIRECT and q.speaker:
            for m in _SENT.finditer(text[s:e]):
                k = _kind(m.group(0))
                if (
                    k is not None
                    and len(_WORD.findall(m.group(0))) >= 5
                    and not _no_statement(m.group(0))
                ):
                    add(s + m.start(), s + m.end(), k, q.speaker)
    # the reporter's own sentences
    for sent in work.doc.sents:
        a, b = sent.start_char, sent.end_char
        if work.para_of(a) not in work.body or any(work.quote_mask[a:b]) or any(covered[a:b]):
            continue
        st = _plain(sent)
        if len(_WORD.findall(st)) < 6 or _no_statement(st):
            continue
        k = _kind(st, hedged=_hedged_forecast(sent))
        if k is None and opinion and sent.root.lemma_.lower() in lx.HEDGE_VERBS:
            # an op-ed's "X appears set in its ways": an assessment the piece argues
            k = ClaimKind.BELIEF
        if k is None:
            continue
        held, holder = reported_view(sent, people)
        if held:
            if holder is not None:
                add(a, b, k, holder)
            continue
        if not opinion and (
            k != ClaimKind.PREDICTION or not set(_WORD.findall(st.lower())) & lx.HEDGE_WORDS
        ):
            continue
        add(a, b, k, None)
    claims = _one_per_sentence(work, claims)
    # highlight
    order = sorted(range(len(claims)), key=lambda i: -claims[i][0])
    chosen: list[int] = []
    per_holder: dict[str | None, int] = {}
    if opinion:
        # an op-ed argues for something: its best recommendation is its thesis
        thesis = next(
            (
                i
                for i in order
                if claims[i][1].holder is None and claims[i][1].kind == ClaimKind.RECOMMENDATION
            ),
            None,
        )
        if thesis is not None:
            order.remove(thesis)
            order.insert(0, thesis)
    for i in order:
        h = claims[i][1].holder
        if per_holder.get(h, 0) >= 1 and not (opinion and h is None):
            continue
        if len(chosen) >= 5 or (len(chosen) >= 3 and claims[i][0] < 4):
            break
        chosen.append(i)
        per_holder[h] = per_holder.get(h, 0) + 1
    out = []
    for i, (_s, c) in enumerate(claims):
        out.append(Claim(span=c.span, kind=c.kind, holder=c.holder, highlighted=i in chosen))
    return out


def _one_per_sentence(work: Work, claims: list[tuple[float, Claim]]) -> list[tuple[float, Claim]]:
    """The best scored claim of each sentence, in reading order."""
    starts = [sent.start_char for sent in work.doc.sents]
    best: dict[int, tuple[float, Claim]] = {}
    for scored in claims:
        c = scored[1]
        at = bisect_right(starts, work.para_starts[c.span.paragraph] + c.span.start) - 1
        if at not in best or scored[0] > best[at][0]:
            best[at] = scored
    return sorted(best.values(), key=lambda c: (c[1].span.paragraph, c[1].span.start))


def _hedged_forecast(sent) -> bool:
    """Whether a reporter's sentence forecasts with a hedge in its main clause ("relief may
    be on the table", "there are expectations that …", "a deal is expected"); a hedge in
    a clause that only sets the scene ("with his belief that she may resign, he wrote …",
    "the items both sides could raise") makes no forecast of the sentence."""
    if not _HEDGED.search(sent.text):
        return False
    for t in sent:
        if t.tag_ != "MD" and not t.lower_.startswith(("expect", "poised")):
            continue
        if t.tag_ == "MD" and not _HEDGED.fullmatch(t.text):
            continue
        node = t.head if t.tag_ == "MD" else t
        while node.dep_ not in ("ROOT",) and node.dep_ not in _SUBORDINATE:
            node = node.head
        if node.dep_ == "ROOT":
            return True
    return False


def _clause(work: Work, start: int, end: int) -> tuple[int, int]:
    """The clause a claim stands in: reported speech with a verb of its own
    ("… said the port will close") is one; an infinitive ("urged the board to sell the
    port") has no subject or tense of its own, so its claim is the sentence reporting
    it, clipped to its paragraph."""
    span = work.doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return start, end
    if any(t.tag_ in _FINITE for t in span):
        return start, end
    sent = span[0].sent
    para = work.para_of(start)
    return max(sent.start_char, work.para_starts[para]), min(sent.end_char, work.para_end(para))


def reported_view(sent, people: People) -> tuple[bool, str | None]:
    """Whether a sentence of the reporter's own text reports someone's view ("the
    committee is predicting the bill will fail", "the administration recognizes that
    …"), and who holds it: the person or organisation its subject names, else nobody
    the article names (the view is still not the author's). "I think", "we must" are
    the author's own."""
    root = sent.root
    # the main verb, or one the parser made the subject of what it reports ("X is
    # predicting the summit will be a failure" parsed as "[X predicting the summit] be")
    verbs = [root] + [c for c in root.children if c.dep_ == "csubj"]
    cue = next(
        (
            v
            for v in verbs
            if v.lemma_.lower() in lx.VIEW_CUES
            and (v.dep_ == "csubj" or any(c.dep_ == "ccomp" for c in v.children))
        ),
        None,
    )
    subj = cue and next((c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.lower_ in lx.AUTHOR_PRONOUNS:
        return False, None
    if subj.pos_ != "PROPN":
        return True, None
    name = sent.doc[subj.left_edge.i : subj.i + 1].text
    return True, people.resolve_name(name, subj.idx)


def _score(
    text: str, kind: ClaimKind, holder: str | None, where: float, people: People, opinion: bool
) -> float:
    s = {ClaimKind.PREDICTION: 3.0, ClaimKind.RECOMMENDATION: 2.5, ClaimKind.BELIEF: 2.0}[kind]
    inf = people.info.get(holder) if holder else None
    if inf is not None and inf.person.kind == SpeakerKind.PERSON or holder is None and opinion:
        s += 2
    s += 1.5 * (1 - where)
    spec = len(re.findall(r"\d", text)) * 0.2 + len(re.findall(r"\s[A-Z]\w+", text)) * 0.15
    if "most likely" in text.lower() or "likely outcome" in text.lower():
        spec += 1
    s += min(1.5, spec)
    n = len(_WORD.findall(text))
    if n < 6 or n > 70:
        s -= 2
    return s

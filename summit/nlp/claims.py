"""Claims: statements a holder asserts that a reader should notice.

The rule (what a careful editor would mark)
A key claim is a check-worthy statement: a prediction with a subject and a horizon ("the
port will lose two lines by 2027", and in news the reporter's hedged forecasts: "X is
likely to …", "a deal could be signed", "sanctions relief may be on the table", "an
outcome is expected"), a recommendation ("the council must …", "he urged the board to
…"), or a belief or assessment: a view its holder states ("I think …", "Go believes
that …") or a judgement in evaluative language ("the plan is a mistake", "the real
problem is …", "dated thinking", "has improved greatly") that an opinion piece argues
in its own voice or a source is reported to make.
* A claim is a whole clause with its subject: reported speech that is only an infinitive
  ("urged the board to sell the port") is no clause, so the claim is the whole sentence
  that reports it, its holder named in it.
* A report of a fact is no claim: "X said the port closed in 2019" predicts, recommends
  and judges nothing (a plain "said" makes no belief; "believes", "argues" … do).
* A question is no claim ("How many will lose their jobs?"): it asserts nothing; nor is
  one reported ("asked whether the port will close", "has yet to explain why …").
* "likely" that only describes a noun ("likely voters") forecasts nothing, nor does a
  hedge on a verb in the present or past ("he probably recognizes that …": a view), nor
  a "will" in a clause that only describes ("a look at how people will read it"), nor
  a "would" that judges ("it would be improper to speak": an assessment).
* A view or finding the reporter gives as someone's ("the court ruled that the rules
  could …", "the change, he said, would be bitter") is theirs, not the author's.
* An exclamation is no claim: a sentence that ends in "!" with fewer than 10 words (a
  post's "We will know soon – Great!"), and an exclamation set off by a dash at the end
  of a longer sentence is left out of it.
* At most one claim per sentence: the best scored.
* A schedule is no forecast: the reporter's "will" in news counts only with a hedge.

Where claims come from
* an indirect quote is a claim of its speaker ("Go believes that …") when it predicts
  (a hedge counts: "said forces could remain"), recommends, reports a view or assesses;
* a sentence inside a direct quote is a claim of the speaker when it predicts,
  recommends, states a belief ("I think …", "… will …", "… should …") or assesses;
* a sentence of the reporter's own text is a claim of the author (holder None) in an
  opinion piece (``Document.kind`` is opinion, or the article has a byline and fewer
  than two direct quotes) when it predicts, recommends or assesses; in news only when
  it predicts with a hedge ("likely", "expected", "could", "may" …).

Kind
* recommendation: "should", "must", "ought", "need(s) to", "it is time", "a good idea",
  "the best approach", or an urge/recommend/propose cue;
* prediction: "will", "is going to", "is likely/expected to", "most likely", … or a
  predict/expect cue; in the reporter's own text and in reported speech also a hedge
  ("could", "may", "might", "expected");
* belief (shown as "belief or assessment"): a view cue (believe/think/argue/claim …
  that), "I/we think", or evaluative language; in an opinion piece also the author's
  assessment whose main verb is "appear" or "seem" ("the board appears set in its
  ways").

Highlighted (what the reader sees marked, 3–6 per article): every claim gets a score
= kind weight (prediction 3, recommendation 2.5, belief 2; an opinion piece's own
assessment 3.5, being what the piece argues) + 2 when a named person holds it (or, in
an opinion piece, when the author does) + up to 1.5 for its place (in news for standing
early; in an opinion piece for standing in its opening or its close, where it frames
its argument) + up to 1.5 for specificity (numbers, names, "most likely") - 2 when
shorter than 6 or longer than 70 words. The best are highlighted, at most one per
paragraph and one per speaker (the author of an opinion piece excepted), five at most,
three at least when there are three. An opinion piece's are picked first by the part
they play: its thesis (the author's best assessment in the opening quarter), its
conclusion (the best recommendation), its main forecast (the best prediction), and the
best of each paragraph of its closing quarter.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from . import lexicon as lx
from .entities import name_words
from .people import People
from .types import ArticleKind, Claim, ClaimKind, Quote, QuoteKind, SpeakerKind
from .work import Work

_WORD = re.compile(r"[\w’']+")
# A hedge in the reporter's own sentence makes a forecast (lower-case modals only: "in May"
# is a month; "could not", "might have" look back, not forward).
_HEDGED = re.compile(
    r"\b(?:could|may|might)\b(?! not\b| have\b)|\b(?:[Ee]xpected|[Ee]xpectations|[Pp]oised)\b"
)
# Dependencies that hang a clause or phrase off another: a hedge there is not the sentence's.
_SUBORDINATE = frozenset(["advcl", "relcl", "acl", "pobj", "pcomp", "prep"])
# Reported speech that is a question put, not an answer ("asked whether the port will
# close", "has yet to explain why the rules should stay").
_EMBEDDED_QUESTION = re.compile(r"\W*(?:whether|why|how)\b", re.IGNORECASE)
# The modals of the future ("wo" is the parser's "won't"), and those that hedge.
_HEDGES = frozenset(["could", "may", "might"])
_FUTURE = frozenset(["will", "'ll", "wo", "shall"])
# Penn tags of a verb with a tense of its own.
_FINITE = frozenset(["MD", "VBD", "VBZ", "VBP"])
# An exclamation set off by a dash at a sentence's end ("… – Very good!").
_TRAILING_EXCLAMATION = re.compile(r"\s*[–—-]\s*[^–—-]{1,40}!+\s*$")
# An opinion piece's opening, where it states its thesis: the first quarter of its text.
OPENING = 0.25


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
    """A sentence's text with the words blanked that look like a forecast and are none:
    "likely" that only describes a noun ("likely voters", "a likely candidate"; "the
    most likely outcome" still forecasts), and a hedge on a verb in the present or past
    ("he probably recognizes", "she likely knew": a view hedged, not a prediction; "will
    probably win" still forecasts), a "will" in a clause that only describes something
    ("a look at how people will read it"), and a "would" that judges ("it would be
    improper to …")."""
    out = list(sent.text)
    for t in sent:
        if (
            t.lower_ in ("likely", "unlikely")
            and t.dep_ == "amod"
            and not (t.i > sent.start and t.nbor(-1).lower_ in ("most", "more"))
        ) or (
            (t.lower_ in lx.HEDGE_ADVERBS and t.dep_ == "advmod" and _looks_back(t.head))
            or (t.tag_ == "MD" and t.lower_ in _FUTURE and _subordinate(t.head, sent))
            or (t.tag_ == "MD" and t.lower_ in _HEDGES and _subordinate(t.head, sent, True))
            or (t.lower_ == "would" and _judges(t.head))
        ):
            a = t.idx - sent.start_char
            out[a : a + len(t.text)] = " " * len(t.text)
    return "".join(out)


def _judges(verb) -> bool:
    """Whether a "would" stands on "be" with an adjective ("it would be improper", "the
    party would be mistaken to …"): a judgement put politely, not a forecast."""
    return verb.lemma_ == "be" and any(c.dep_ == "acomp" for c in verb.children)


def _subordinate(verb, span, adverbial: bool = False) -> bool:
    """Whether a verb stands in a clause that only describes something in the sentence
    ("the picture of how people will interpret it", "a plan that will cost more"): its
    "will" forecasts nothing of the sentence's own. With ``adverbial`` a clause of
    purpose or time counts too ("… so they could use the funds": a hedge there is no
    forecast)."""
    node = verb
    while node.dep_ != "ROOT" and span.start <= node.head.i < span.end:
        if node.dep_ in _SUBORDINATE and (adverbial or node.dep_ != "advcl"):
            return True
        node = node.head
    return False


def _looks_back(verb) -> bool:
    """A verb in the present or past tense with no modal ("recognizes", "knew"), not one
    that looks ahead ("will win", "is going to win")."""
    return verb.tag_ in ("VBZ", "VBP", "VBD") and not any(
        c.tag_ == "MD" or c.lower_ == "going" for c in verb.children
    )


def _evaluative(span) -> bool:
    """Whether a clause judges rather than reports: a word of evaluative language ("a
    mistake", "dated thinking", "improved greatly", "ignores the fact") or a noun an
    adjective ranks ("the real problem is …"). A participle that only describes a noun
    ("a letter dated 5 May"), a name ("Best Buy"), an idiom's object ("hope for the
    best"), a judging verb in the passive ("often overlooked") and a comparative in a
    phrase that only describes ("in search of a better life") judge nothing."""
    for t in span:
        low = t.lower_
        if low in lx.EVALUATIVE_WORDS or t.lemma_.lower() in lx.EVALUATIVE_WORDS:
            if t.dep_ in ("acl", "pobj") or t.pos_ == "PROPN":
                continue
            if t.tag_ == "VBN" and low not in lx.EVALUATIVE_WORDS:
                continue  # "often overlooked in the books": what befalls, not a judgement
            if low in lx.COMPARATIVES and t.dep_ == "amod" and t.head.dep_ == "pobj":
                continue  # "in search of a better life": a stock phrase, nothing ranked
            if low in lx.DEGREE_WORDS and (
                t.head.pos_ not in ("VERB", "NOUN")
                or any(c.dep_ == "auxpass" for c in t.head.children)
            ):
                continue  # "greatly honored": a feeling, not a change judged
            return True
        if t.lemma_.lower() in lx.EVALUATIVE_HEADS and any(
            c.dep_ == "amod" and c.lower_ in lx.RANKING_ADJECTIVES for c in t.children
        ):
            return True
    return False


def _kind(
    text: str, cue: str = "", hedged: bool = False, evaluative: bool = False
) -> ClaimKind | None:
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
    if cue and any(cue.startswith(c[: max(2, len(c) - 1)]) for c in lx.VIEW_BELIEF_CUES):
        return ClaimKind.BELIEF
    if evaluative:
        # an assessment ("the plan is a mistake"); a plain "X said <a fact>" is none
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
    body = sorted(work.body)
    opinion = is_opinion(work, quotes)

    def where(paragraph: int) -> float:
        """How far into the body a paragraph stands, from 0 (first) to 1 (last)."""
        return min(1.0, bisect_right(body, paragraph - 1) / max(1, len(body) - 1))

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
                _score(span.text, kind, holder, where(span.paragraph), people, opinion),
                Claim(span=span, kind=kind, holder=holder),
            )
        )

    covered = bytearray(len(text) + 1)
    sents = list(work.doc.sents)
    ends = [x.end_char for x in sents]
    for q in quotes:
        s = work.para_starts[q.span.paragraph] + q.span.start
        e = work.para_starts[q.span.last_paragraph] + q.span.end
        covered[s:e] = b"\x01" * (e - s)
        if q.kind == QuoteKind.INDIRECT and q.speaker:
            # an unnamed source's view ("experts say …") is not the author's: no claim
            content = work.doc.char_span(s, e, alignment_mode="expand")
            if _EMBEDDED_QUESTION.match(q.span.text):
                k = None  # "has yet to explain why the rules should stay": asserts nothing
            elif content is None:
                k = _kind(q.span.text, q.cue)
            else:
                k = _kind(_plain(content), q.cue, hedged=True, evaluative=_evaluative(content))
            if k is not None:
                whole = _clause(work, s, e)
                add(whole[0], whole[1], k, q.speaker)
        elif q.kind == QuoteKind.DIRECT and q.speaker:
            for one in _sentences(work, sents, ends, s, e):
                words = text[one.start_char : one.end_char]
                k = _kind(_plain(one), evaluative=_evaluative(one))
                if k is not None and len(_WORD.findall(words)) >= 5 and not _no_statement(words):
                    add(one.start_char, one.end_char, k, q.speaker)
    # the reporter's own sentences
    for sent in sents:
        a, b = sent.start_char, sent.end_char
        if work.para_of(a) not in work.body or any(work.quote_mask[a:b]) or any(covered[a:b]):
            continue
        st = _plain(sent)
        if len(_WORD.findall(st)) < 6 or _no_statement(st):
            continue
        k = _kind(st, hedged=_hedged_forecast(sent), evaluative=opinion and _evaluative(sent))
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
    chosen = _highlight(claims, opinion, where)
    out = []
    for i, (_s, c) in enumerate(claims):
        out.append(Claim(span=c.span, kind=c.kind, holder=c.holder, highlighted=i in chosen))
    return out


def _highlight(claims: list[tuple[float, Claim]], opinion: bool, where) -> set[int]:
    """Which claims are highlighted: the best scored, one per paragraph and (but for the
    author of an opinion piece) one per holder, five at most, three at least when there
    are three. An opinion piece's are picked by the part they play in its argument
    first: its thesis (the author's best assessment in its opening), its conclusion (the
    best recommendation), its main forecast (the best prediction), then the best claim of
    each paragraph of its close."""
    order = sorted(range(len(claims)), key=lambda i: -claims[i][0])
    if opinion:
        authors = [i for i in order if claims[i][1].holder is None]

        def best(kinds: tuple[ClaimKind, ...], part=lambda w: True) -> list[int]:
            return [
                i
                for i in authors
                if claims[i][1].kind in kinds and part(where(claims[i][1].span.paragraph))
            ]

        assessing = (ClaimKind.BELIEF, ClaimKind.RECOMMENDATION)
        frames = (
            best((ClaimKind.BELIEF,), lambda w: w <= OPENING)[:1]
            + best((ClaimKind.RECOMMENDATION,))[:1]
            + best((ClaimKind.PREDICTION,))[:1]
            + best(assessing, lambda w: w >= 1 - OPENING)
        )
        order = list(dict.fromkeys(frames + order))
    chosen: set[int] = set()
    holders: set[str | None] = set()
    paragraphs: set[int] = set()
    for i in order:
        c = claims[i][1]
        if c.span.paragraph in paragraphs or c.holder in holders:
            continue
        if len(chosen) >= 5 or (len(chosen) >= 3 and claims[i][0] < 4):
            break
        chosen.add(i)
        paragraphs.add(c.span.paragraph)
        if not (opinion and c.holder is None):
            holders.add(c.holder)
    return chosen


def _sentences(work: Work, sents: list, ends: list[int], start: int, end: int):
    """The parser's sentences of a quotation, each clipped to it: a quotation is read
    sentence by sentence as the parser splits it ("$1.32bn", "the U.S." are no ends).
    ``sents`` are the document's sentences in order, ``ends`` where each ends."""
    for sent in sents[bisect_right(ends, start) :]:
        if sent.start_char >= end:
            break
        one = work.doc.char_span(
            max(start, sent.start_char), min(end, sent.end_char), alignment_mode="contract"
        )
        if one is not None and len(one):
            yield one


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
    # predicting the summit will be a failure" parsed as "[X predicting the summit] be"),
    # or a speech verb set in the sentence ("the change, he said, would be bitter")
    verbs = [root] + [c for c in root.children if c.dep_ in ("csubj", "parataxis")]
    cue = next(
        (
            v
            for v in verbs
            if v.lemma_.lower() in lx.VIEW_CUES
            and (v.dep_ != "ROOT" or any(c.dep_ == "ccomp" for c in v.children))
        ),
        None,
    )
    subj = cue and next((c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.lower_ in lx.AUTHOR_PRONOUNS:
        return False, None
    # "To understand the real Dred, Judge Lena Vos said, …": the parser may hang the
    # speaker on a subject it took from the words before as that subject's apposition
    subj = next((c for c in subj.children if c.dep_ == "appos" and c.pos_ == "PROPN"), subj)
    if subj.pos_ != "PROPN":
        return True, None
    name = sent.doc[subj.left_edge.i : subj.i + 1].text
    holder = people.resolve_name(name, subj.idx)
    person = people.info.get(holder) if holder else None
    if person is not None and not {w.lower() for w in name_words(name)} & {
        w.lower() for w in name_words(person.person.name)
    }:
        return True, None  # a person who shares no word of the name is no safe guess
    return True, holder


def _score(
    text: str, kind: ClaimKind, holder: str | None, where: float, people: People, opinion: bool
) -> float:
    s = {ClaimKind.PREDICTION: 3.0, ClaimKind.RECOMMENDATION: 2.5, ClaimKind.BELIEF: 2.0}[kind]
    if opinion and holder is None and kind == ClaimKind.BELIEF:
        s = 3.5  # an assessment the piece argues: what an op-ed is for
    inf = people.info.get(holder) if holder else None
    if inf is not None and inf.person.kind == SpeakerKind.PERSON or holder is None and opinion:
        s += 2
    # news puts what matters first; an op-ed frames its argument at its opening and close
    s += 1.5 * (max(where, 1 - where) if opinion else 1 - where)
    spec = len(re.findall(r"\d", text)) * 0.2 + len(re.findall(r"\s[A-Z]\w+", text)) * 0.15
    if "most likely" in text.lower() or "likely outcome" in text.lower():
        spec += 1
    s += min(1.5, spec)
    n = len(_WORD.findall(text))
    if n < 6 or n > 70:
        s -= 2
    return s

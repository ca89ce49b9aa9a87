"""Indirect speech: reported content outside quotation marks.

Candidates are a cue verb from ``lexicon.INDIRECT_CUES`` with a clause complement
("said that …", "…, he told Asia Times"), an urge-verb with object and infinitive
("urged the council to rethink …"), or "according to X". Each is attributed by one sieve,
named for its construction: ``reported_clause``, ``urged_action`` or ``according_to``.

Precision first (a wrong quote on a person's page is worse than a missing one): a cue
under a modal is hypothetical, a cue that opens a quotation reports nothing before it,
the content stops at a semicolon or a trailing attribution, and a subject that names
no source a reader can see (the reader's "you", "they" with no group before it) makes
no quote.
"""

from __future__ import annotations

from spacy.attrs import LEMMA, LOWER

from .. import lexicon as lx
from ..vocabulary import MARKS_AFTER_QUOTE, MARKS_BEFORE_QUOTE, SPEAKER_PRONOUNS
from ..work import Work
from . import learned
from .marks import _WORD
from .resolve import Attributor, Resolved
from .sieves import Attribution

# Fewer words than this is no reported content ("he said so", "it was not"): measured
# on the dev sets, three-word contents were right half of the time.
INDIRECT_MIN_WORDS = 4

# "…, the footage showed": a trailing attribution is a subject of a few words and its
# verb; longer tails are content of their own.
TRAILING_ATTRIBUTION_WORDS = 5

# Steps up the tree before giving up on reaching a clause's head (parses are shallow).
MAX_TREE_DEPTH = 40

_INDIRECT_LEMMAS = lx.INDIRECT_CUES | lx.URGE_CUES
_QUOTE_GLYPHS = frozenset(MARKS_BEFORE_QUOTE + MARKS_AFTER_QUOTE + "''``")


def indirect_candidates(work: Work):
    """(cue token, content start, content end, construction) for indirect speech
    outside quotes. The construction is "" for the rule sieves' cues; for a cue only the
    learned model knows (``learned``), it names the content's place in the parse
    ("ccomp", "xcomp", "dobj", "oprd" for an object with what it is called, "prep"),
    and the model decides."""
    doc = work.doc
    model = learned.load_model()
    extra = model.lemmas - lx.KNOWLEDGE_VERBS if model else frozenset()
    idx = sorted(
        set(work.token_indices(LEMMA, work.hashes(_INDIRECT_LEMMAS | extra)))
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
            before = (sent.start, pa)
            after = (pb + 1, sent.end)
            a, b = before if before[1] - before[0] >= after[1] - after[0] else after
            if b - a >= 4:
                yield v, doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text), ""
            continue
        if v.pos_ not in ("VERB", "AUX"):
            continue
        if any(c.dep_ == "neg" for c in v.children) or hypothetical(v):
            continue
        if _shouted(v) or _hedged(v):
            continue
        if lem in lx.INDIRECT_CUES and (clause := _clause_candidates(work, v, "")) is not None:
            yield from clause
            continue
        if lem in lx.URGE_CUES:
            objs = [c for c in v.children if c.dep_ == "dobj"]
            xcs = [c for c in v.children if c.dep_ in ("xcomp", "ccomp")]
            if objs and xcs and xcs[0].i > objs[0].i:
                yield (
                    v,
                    objs[0].left_edge.idx,
                    xcs[0].right_edge.idx + len(xcs[0].right_edge.text),
                    "",
                )
                continue
        if lem in extra:
            yield from _model_candidate(work, v)


def _clause_candidates(work: Work, v, how: str) -> list | None:
    """The candidate a cue's clause complement makes (none when the clause reports
    nothing), or None when the cue has no clause complement."""
    comps = [c for c in v.children if c.dep_ == "ccomp"]
    if not comps:
        return None
    found = _clause_content(work, v, comps)
    return [] if found is None else [(v, *found, how)]


def _clause_content(work: Work, v, comps) -> tuple[int, int] | None:
    """The content a cue's clause complement reports, or None when the clause before
    the cue is no content of it."""
    doc = work.doc
    # "…, X noted that …": the clause the cue introduces with "that" is it
    c = next((c for c in comps if c.i > v.i and _marked(c)), comps[0])
    if c.i < v.i and not reported_before(work, v):
        return None
    left = c.left_edge
    if left.dep_ == "mark" or left.lower_ == "that" and left.dep_ != "det":
        left = doc[left.i + 1] if left.i + 1 < len(doc) else left
    if c.i > v.i and left.i < v.i:
        left = _after(v, c)
    if c.i < v.i:
        if _reports_itself(c) or _aside(v):
            return None
        left = _sentence_start(work, c, left)
    right = _last_descendant(c)
    if c.i > v.i:
        cut = _cut_next_act(v, c, right)
        right = cut if cut is not None else _sentence_rest(work, v, c, right)
        right = _parenthesis_end(v, c, right)
    return left.idx, right.idx + len(right.text)


def _model_candidate(work: Work, v):
    """What a cue the learned model knows may report, by the first construction that
    fits: a clause ("polls show that …"), an infinitive ("pledged to cut taxes"), an
    object ("announced a new tariff on steel", "accused the mayor of lying") or a
    prepositional object ("called for a recount")."""
    kids = [c for c in v.children if c.i > v.i]
    if (clause := _clause_candidates(work, v, "ccomp")) is not None:
        yield from clause
        return
    xcomp = next(
        (
            c
            for c in kids
            if c.dep_ == "xcomp" and any(x.dep_ == "aux" and x.lower_ == "to" for x in c.children)
        ),
        None,
    )
    if xcomp is not None:
        yield v, xcomp.left_edge.idx, _end(xcomp.right_edge), "xcomp"
        return
    obj = next((c for c in kids if c.dep_ == "dobj"), None)
    if obj is not None:
        right = obj.right_edge
        for c in kids:
            if c.i > obj.i and (
                c.dep_ == "oprd"  # "called the plan a waste", "called him reckless"
                or c.dep_ in ("prep", "advcl", "xcomp")
                and c.lower_ in _OBJECT_COMPLEMENTS
            ):
                right = max(right, c.right_edge, key=lambda t: t.i)
        named = any(c.dep_ == "oprd" and c.i > obj.i for c in kids)
        yield v, obj.left_edge.idx, _end(right), "oprd" if named else "dobj"
        return
    prep = next((c for c in kids if c.dep_ == "prep" and c.lower_ in ("for", "on")), None)
    if prep is not None and any(x.dep_ == "pobj" for x in prep.children):
        right = prep.right_edge
        tail = next((c for c in kids if c.i > prep.i and c.dep_ in ("xcomp", "ccomp")), None)
        if tail is not None:
            right = tail.right_edge  # "called on the council to act"
        start = next(x for x in prep.children if x.dep_ == "pobj").left_edge
        yield v, start.idx, _end(right), "prep"


# Prepositions after an object that carry what the object is blamed or praised for
# ("accused the mayor of lying", "praised the council for acting") or what it is
# called ("described the plan as reckless").
_OBJECT_COMPLEMENTS = frozenset(["of", "for", "to", "as"])


def _end(t) -> int:
    return t.idx + len(t.text)


def _after(v, c):
    """'which the mayor says will close', 'what she says the plan would do': the
    content of a cue inside a relative clause starts after the cue, not at the relative
    word before its subject."""
    return next((t for t in c.subtree if t.i > v.i), c)


def _parenthesis_end(v, c, right):
    """'an aggressive — some say unrealistic — pledge': a cue whose subject follows a
    dash is an aside, and what it reports ends at the dash that closes the aside."""
    doc = v.doc
    if not _aside(v):
        return right
    for t in doc[c.left_edge.i : right.i + 1]:
        if t.text in lx.DASHES and t.i > v.i:
            return doc[t.i - 1] if t.i - 1 > v.i else v
    return right


def _aside(v) -> bool:
    """Whether the cue's subject follows a dash ('a bold — critics say reckless — plan')."""
    doc = v.doc
    subj = next((x for x in v.children if x.dep_ in ("nsubj", "nsubjpass") and x.i < v.i), None)
    if subj is None:
        return False
    return any(i > 0 and doc[i - 1].text in lx.DASHES for i in (subj.left_edge.i, subj.i))


def _reports_itself(c) -> bool:
    """'she said, but …, Jones said no': a clause before the cue whose own verb is a
    cue with its own (active) subject is another report the parse hung on this one, not
    its content. A passive cue ('activists have been warned not to …') is content."""
    return c.lemma_.lower() in lx.INDIRECT_CUES and any(x.dep_ == "nsubj" for x in c.children)


def _sentence_start(work: Work, c, left):
    """A clause before its cue ('…, the source added.') is what the cue reports from
    the start of its sentence: the parse often hangs only the last of two coordinated
    clauses on the cue ('X happened, but Y followed, the source added'). Words in
    quotation marks before it keep the parse's start; a sentence end the parser missed
    is a start."""
    first = c.sent[0]
    for t in work.doc[first.i : left.i]:
        if t.text in lx.SENTENCE_END_TOKENS:
            first = work.doc[t.i + 1]
    if first.i >= left.i or any(work.in_quote(t.idx) for t in work.doc[first.i : left.i]):
        return left
    return first


def _sentence_rest(work: Work, v, c, right):
    """A clause after its cue runs to the end of its sentence: parses of long sentences
    break the clause at a comma or a 'because' and hang the rest on the cue. It stops
    before words in quotation marks, before a clause with a subject or a cue of its own
    ('said X and warned Y', '…, and Jones said Y', '…, adding that Y': the speaker's
    next act or another report) and before words outside the cue's own clause (a cue in
    a relative clause). What follows a colon right after the clause spells it out
    ('the plan has two flaws: A and B') and is content however it is parsed."""
    doc = work.doc
    end = c.sent.end
    last = right
    listed = False
    for t in doc[right.i + 1 : end]:
        if t.lower_ == "according" or t.text in lx.SENTENCE_END_TOKENS:
            break  # '…, according to the survey': another source's; a missed sentence end
        if work.in_quote(t.idx) or t.text in _QUOTE_GLYPHS:
            return right
        if t.text == ":" and t.i == last.i + 1:
            listed = True
        if listed:
            if not t.is_punct:
                last = t
            continue
        top = _child_of(v, t)
        if top is None:
            break
        if top.i != c.i and _own_clause(top):
            break
        if top.i == c.i and _next_act(v, c, t):
            break
        if not t.is_punct and t.dep_ not in ("cc", "mark", "prep"):
            last = t
    return last


def _cut_next_act(v, c, right):
    """The last word of the content when another report or the speaker's next act
    (``_next_act``) is coordinated inside it, else None."""
    doc = c.doc
    for t in doc[c.i + 1 : right.i + 1]:
        if _next_act(v, c, t):
            last = doc[min(t.left_edge.i, t.i) - 1]
            while last.i > c.i and (last.is_punct or last.dep_ in ("cc", "mark")):
                last = doc[last.i - 1]
            return last
    return None


def _next_act(v, c, t) -> bool:
    """Whether ``t`` opens what follows the content: another report coordinated inside
    it ('… and how experts say …') or the speaker's next act hung on the content's
    verb by a misparse: a verb in the cue's tense coordinated with a content verb in
    its bare form under a modal ('said he would review X and warned Y': coordination
    joins like with like), or a cue in -ing after a comma (', adding …'). A
    coordinated report has a clause of its own to report."""
    lem = t.lemma_.lower()
    if t.dep_ == "advcl" and t.tag_ == "VBG" and t.i > 0 and t.doc[t.i - 1].text == ",":
        # '… had been unfair, noting …': a cue in -ing after a comma is the speaker's
        # next act however the parse hangs it
        return lem in lx.INDIRECT_CUES or lem in lx.DIRECT_CUES
    if t.dep_ != "conj" or t.pos_ not in ("VERB", "AUX"):
        return False
    own_subject = any(x.dep_ in ("nsubj", "nsubjpass", "expl") for x in t.children)
    if own_subject:
        return (lem in lx.INDIRECT_CUES or lem in lx.DIRECT_CUES) and any(
            x.dep_ == "ccomp" for x in t.children
        )
    return t.head.i == c.i and t.tag_ == v.tag_ and c.tag_ == "VB"


def _child_of(v, t):
    """The child of ``v`` whose subtree holds ``t`` (``v`` itself when ``t`` is
    ``v``), or None when ``t`` is not under ``v``."""
    h = t
    for _ in range(MAX_TREE_DEPTH):
        if h.i == v.i:
            return v
        if h.head.i == v.i:
            return h
        if h.head.i == h.i:
            return None
        h = h.head
    return None


def _own_clause(top) -> bool:
    """A dependent of the cue that is a report or an act of its own: a verb whose lemma
    is itself a cue (the speaker's next report: 'and warned', ', adding that'), or a
    clause coordinated with the cue that has its own subject ('…, and Jones said')."""
    if top.pos_ not in ("VERB", "AUX"):
        return False
    lem = top.lemma_.lower()
    if top.dep_ == "conj" and _marked(top) and lem not in lx.INDIRECT_CUES:
        return False  # '… said X, but that Y': a second clause of the same report
    return (
        lem in lx.INDIRECT_CUES
        or lem in lx.DIRECT_CUES
        or top.dep_ == "conj"
        and any(x.dep_ in ("nsubj", "nsubjpass", "expl") for x in top.children)
    )


def _last_descendant(c):
    """The last token of the sentence that ``c`` governs. spaCy's ``right_edge`` misses
    tokens under a crossing arc ("… was under the influence of drugs — something a
    caller also told …" hangs "something" on a word left of the dash)."""
    doc = c.doc
    last = c.right_edge
    for t in doc[last.i + 1 : c.sent.end]:
        h = t
        for _ in range(MAX_TREE_DEPTH):
            if h.i == c.i or h.head.i == h.i:
                break
            h = h.head
        if h.i == c.i:
            last = t
    return last


def _shouted(v) -> bool:
    """'EVEN HIS BOSS SAYS HE IS WRONG': a cue in capitals is a subheading's teaser,
    headline shorthand, not a report in the article's own words."""
    return len(v.text) > 1 and v.text.isupper()


def _hedged(v) -> bool:
    """'the campaign appears to acknowledge that …', 'she seems to think …': the
    reporter's reading of someone's stance, not a report of anything they said."""
    return v.dep_ == "xcomp" and v.head.lemma_.lower() in lx.HEDGE_VERBS


def hypothetical(v) -> bool:
    """'could argue that', 'would you think', 'I should say': a cue under a modal is
    what someone might say, not what anyone said."""
    return any(c.dep_ == "aux" and c.lower_ in lx.HYPOTHETICAL_MODALS for c in v.children)


def _marked(clause) -> bool:
    """A clause complement opened by "that" (or another complementiser)."""
    return any(c.dep_ == "mark" and c.i < clause.i for c in clause.children)


def reported_before(work: Work, v) -> bool:
    """'…, X said.': a cue after its content reports it, unless the cue opens what
    follows ('…, X said: “…”') or names a thing said, not a clause ('…: Y declared war')."""
    nxt = v.doc[v.right_edge.i + 1] if v.right_edge.i + 1 < len(v.doc) else None
    if nxt is not None and nxt.text == ":" or work.text[v.idx + len(v.text) :][:2].strip() == ":":
        return False
    if v.lemma_.lower() in lx.ADDRESSEE_CUES:
        return True  # "…, he told reporters": the object is who was told
    return not any(c.dep_ == "dobj" and c.pos_ == "NOUN" and c.i > v.i for c in v.children)


def _clause_start(work: Work, a: int, cue: int) -> int:
    """A content before its cue starts after the last semicolon or colon before the
    cue ('It is unlikely; her team says …': the first clause is the reporter's)."""
    start = a
    for t in work.tokens(a, cue):
        if t.text in (";", ":"):
            start = t.idx + 1
    return start


def content_end(work: Work, a: int, b: int) -> int:
    """Where reported content ends: at a semicolon (what follows is another sentence
    in all but punctuation), or before a trailing attribution ('…, the footage showed',
    '…, according to the survey')."""
    toks = list(work.tokens(a, b))
    for n, t in enumerate(toks[1:], start=1):
        if t.text == ";":
            return t.idx
        if toks[n - 1].text == "," and _speakers_own_act(toks, n):
            return toks[n - 1].idx
        if toks[n - 1].text == "," and t.lower_ == "according":
            return toks[n - 1].idx  # '…, according to the survey': that source's attribution
        if toks[n - 1].text == ",":
            rest = [x for x in toks[n:] if not x.is_punct]
            if 1 <= len(rest) <= TRAILING_ATTRIBUTION_WORDS and _reporting(rest[-1]):
                return toks[n - 1].idx
    return b


def _speakers_own_act(toks, n: int) -> bool:
    """', but offered no proof', ', while avoiding the question': after a comma, a
    conjunction and a verb with no subject of its own go on with what the speaker did,
    not with what they said (a copula goes on with the content: ', but was unlikely')."""
    t = toks[n]
    if t.lower_ not in lx.CONTENT_BREAK_CONJUNCTIONS:
        return False
    nxt = toks[n + 1] if n + 1 < len(toks) else None
    if nxt is not None and nxt.lower_ in lx.SPEAKER_ACT_PRONOUNS:
        return _refusal(nxt)
    return (
        nxt is not None
        and nxt.pos_ == "VERB"
        and nxt.tag_ in ("VBD", "VBG")
        and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in nxt.children)
    )


def _refusal(pronoun) -> bool:
    """', although he again refused to …', ', but she declined to …': a pronoun whose
    verb is a refusal or a silence goes on with what the speaker did, not with what
    they said."""
    verb = pronoun.head
    return (
        pronoun.dep_ == "nsubj"
        and verb.i > pronoun.i
        and verb.tag_ in ("VBD", "VBZ")
        and verb.lemma_.lower() in lx.SPEAKER_ACT_VERBS
    )


def _reporting(t) -> bool:
    lem = t.lemma_.lower()
    return t.pos_ == "VERB" and (lem in lx.INDIRECT_CUES or lem in lx.EVIDENCE_CUES)


def _closing_mark(work: Work, a: int, b: int) -> int:
    """A content that ends inside a fragment in quotation marks ('said it was
    “reckless.”') ends after the mark that closes it, not inside it."""
    text = work.text
    if b < len(text) and work.in_quote(b - 1) and not work.in_quote(a):
        for k in range(b, min(b + 3, len(text))):
            if text[k] in _CLOSING_GLYPHS:
                return k + 1
            if text[k].isalnum() or text[k].isspace():
                break
    return b


_CLOSING_GLYPHS = frozenset("”\"’'")


def _unnamed_source(work: Work, att: Attributor, v, before: bool) -> tuple[int, int] | None:
    """The words of a source the resolver names no one in, for a cue whose own subject
    is a common noun before it ('his brother added', 'the complaint alleged') or what
    "according to" cites ('according to the ship's log'): an unnamed source, given by
    its words; None for anything else (a pronoun, a date, a share of those polled)."""
    s = att.subject_of(v)
    if s is None or work.in_quote(s.idx) or s.pos_ != "NOUN" and v.lower_ != "according":
        return None
    if v.lower_ == "according":
        cited = s.pos_ in ("NOUN", "PROPN") and s.ent_type_ not in _NO_SOURCE_ENTS
        return att.description_span(s) if cited else None
    if s.head.i != v.i or s.dep_ != "nsubj" or s.i > v.i or _inverted(v, before):
        return None  # only the cue's own subject before it speaks
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
        return None  # 'hard for critics to claim …': an infinitive reports nothing said
    if v.lemma_.lower() in _INFERENCE_CUES or s.ent_type_ in _NO_SOURCE_ENTS | {"PERCENT"}:
        return None
    if any(t.lemma_.lower() in _SHARE_NOUNS for t in s.subtree):
        return None
    return att.description_span(s)


# "the figures suggest …": an inference from a thing, not a report of what it says.
_INFERENCE_CUES = frozenset(["suggest"])
# "sixty percent of members said …", "nearly half say …": a share of those polled. Left
# out for precision: on polnear-train 34 of the 48 such reports this rule added matched
# an annotated one (71%), against 84% for other unnamed subjects.
_SHARE_NOUNS = frozenset(["percent", "majority", "half", "third", "quarter", "most"])


def _inverted(v, before: bool) -> bool:
    """'…, say experts like Jo Ray', '…, said Jo Ray': a noun phrase right after a cue
    that follows its content (``before``) is who speaks; a noun before it belongs to
    the reported clause."""
    doc = v.doc
    nxt = doc[v.i + 1] if v.i + 1 < len(doc) else None
    return any(c.dep_ in ("nsubj", "nsubjpass", "attr") and c.i > v.i for c in v.children) or (
        before and nxt is not None and nxt.pos_ in ("PROPN", "NOUN", "DET", "ADJ", "NUM")
    )


# Entities that name no source: "according to Monday's figures" is cited by its
# figures, "according to 2015" by nothing.
_NO_SOURCE_ENTS = frozenset(["DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "QUANTITY"])


def indirect_sieve(v) -> str:
    """The name of the sieve a cue token ``v`` belongs to."""
    if v.lower_ == "according":
        return "according_to"
    return "urged_action" if v.lemma_.lower() in lx.URGE_CUES else "reported_clause"


def attribute_indirect(
    work: Work,
    att: Attributor,
    v,
    a: int,
    b: int,
    how: str = "",
    speech: bytearray | None = None,
) -> tuple[tuple[int, int], Attribution] | None:
    """The content span and its attribution, or None when the candidate is no
    reported speech: too short, inside quotation marks, over a paragraph break, with no
    subject, or with its "speaker" a name inside what is said. A candidate of the
    learned model (``how`` names its construction) is reported speech when the model
    scores it at or above its threshold. ``speech`` marks the characters inside full
    (direct) quotations: a content may hold a fragment in quotation marks ('said the
    plan was “reckless” and costly') but no full quotation; without it, no quotation
    marks at all."""
    text = work.text
    if a < v.idx:
        a = max(a, _clause_start(work, a, v.idx))
    b = content_end(work, a, b)
    while b > a and not text[b - 1].isalnum() and text[b - 1] not in ")]%":
        b -= 1
    while a < b and not text[a].isalnum():
        a += 1
    if len(_WORD.findall(text[a:b])) < INDIRECT_MIN_WORDS:
        return None
    if a <= v.idx < b:
        return None  # a content holding its own cue is a misparse of the sentence
    if speech is None and any(work.quote_mask[a:b]) or work.in_quote(a):
        return None
    if speech is not None and any(speech[a:b]):
        return None  # a full quotation is its own quote, not part of a report
    b = _closing_mark(work, a, b)
    if work.para_of(a) != work.para_of(b - 1):
        return None
    found = att.speaker_for_cue(v)
    if found.span is None:
        found = Resolved(None, _unnamed_source(work, att, v, a < v.idx))
    span = found.span
    words = work.text[span[0] : span[1]].lower() if span else ""
    if span is None or words in lx.NOT_REPORTING_WORDS:
        return None
    if words in lx.ANCHORED_SUBJECTS and found.key is None and found.via is None:
        return None  # "they say …", "it explains why …": nothing named before it speaks
    if (
        v.idx < span[0]
        and a <= span[0] < b
        and work.text[span[0] : span[1]].lower() not in SPEAKER_PRONOUNS
    ):
        return None  # a name inside what is said is not who says it
    sieve = indirect_sieve(v)
    if how:
        p = learned.judge(work, att, v, (a, b), how, found)
        if p is None:
            return None
        sieve = learned.sieve_name(p)
    elif not learned.vets(work, att, v, (a, b), sieve, found):
        return None
    cue = "according to" if v.lower_ == "according" else v.text
    return (a, b), Attribution(
        found.key,
        span,
        sieve,
        cue=cue,
        via=found.via,
        cataphoric=found.cataphoric,
        cue_at=v.idx,
    )

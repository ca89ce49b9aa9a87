"""Annotation marks rendered into paragraph HTML on the server.

``render_marks`` is pure: paragraph text and a list of marks (character offsets, end
exclusive) in, safe HTML out. Every piece of article text goes through ``escape``;
marks that nest (a person inside a quote) nest; marks that cross are split into
segments so the HTML stays well-formed. The first segment of a mark carries its ``id``
(so ``#q12`` lands on the quote's start); its ``after`` HTML follows its last segment.

``article_paragraphs`` turns an article whose annotations were prefetched
(``Article.objects.for_reading()``) into ``(paragraph, html)`` pairs without a query;
the HTML of an article version is rendered once and then read from the cache.
"""

from __future__ import annotations

import datetime
import hashlib
import html as html_module
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from django.core.cache import caches
from django.utils.functional import Promise
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from summit.links import link
from summit.models import AUTHOR_PARAGRAPHS, EntityLabel, Status, normalise_name
from summit.nlp.lexicon import NAME_LABELS
from summit.nlp.vocabulary import MARKS_AFTER_QUOTE, MARKS_BEFORE_QUOTE, PERSONAL_PRONOUNS

LABEL_NAMES = dict(EntityLabel.choices)

# Entity labels marked in the text: names of things. Dates, times, amounts and numbers
# are left unmarked; they would bury the names in noise.
MARKED_LABELS = NAME_LABELS  # names are marked; numbers and dates are left as text

# Outer to inner when two marks start at the same place and end at the same place.
KIND_RANK = {"claim": 0, "quote": 1, "entity": 2}
KIND_TAG = {"claim": "mark", "quote": "q", "entity": "span"}
ALLOWED_TAGS = {"a", "span", "mark", "q", "em", "strong", "b", "i", "cite", "abbr"}


class Mark(NamedTuple):
    start: int
    end: int
    kind: str
    attrs: Mapping[str, str] = {}
    after: str = ""  # trusted HTML emitted once, right after the mark's last segment

    @property
    def tag(self) -> str:
        if "href" in self.attrs:
            return "a"
        return KIND_TAG.get(self.kind, "span")


def _escaped(value) -> str:
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html_module.escape(str(value))


def html(template: str, *args) -> SafeString:
    """``format_html``: ``template`` filled with ``args``, each escaped unless safe;
    without ``format_html``'s per-argument checks for lazy strings, which were a tenth
    of the time of a page that makes a few hundred small pieces (marks, listings)."""
    return SafeString(template.format(*map(_escaped, args)))


_ATTR_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


@lru_cache(maxsize=8192)
def _attr_value(value: str) -> str:
    """An attribute value, escaped (values repeat a lot: classes, URLs, names)."""
    return escape(value)


def _open_tag(mark: Mark, *, first: bool) -> str:
    parts = [mark.tag]
    for name, value in mark.attrs.items():
        if value is None or value is False:
            continue
        if name == "id" and not first:
            continue  # an id names one element: the first segment
        if not _ATTR_NAME.match(name):
            raise ValueError(f"Unsafe attribute name {name!r}")
        if value is True:
            parts.append(name)
        else:
            parts.append(f'{name}="{_attr_value(str(value))}"')
    if not first:
        parts.append('data-cont=""')
    return "<" + " ".join(parts) + ">"


def render_marks(text: str, marks: Iterable[Mark | tuple]) -> SafeString:
    """``text`` escaped, with each mark wrapped around its span; see the module doc."""
    length = len(text)
    spans: list[Mark] = []
    for raw in marks:
        mark = raw if isinstance(raw, Mark) else Mark(*raw)
        start, end = max(0, mark.start), min(length, mark.end)
        if start >= end:
            continue  # empty or outside the text: nothing to wrap
        if mark.tag not in ALLOWED_TAGS:
            raise ValueError(f"Unsupported tag {mark.tag!r}")
        spans.append(mark._replace(start=start, end=end))
    if not spans:
        return mark_safe(escape(text))

    # Nesting order: earlier start outside, then longer outside, then by kind.
    order = sorted(
        range(len(spans)),
        key=lambda i: (spans[i].start, -spans[i].end, KIND_RANK.get(spans[i].kind, 9), i),
    )
    whole = [(spans[i].start, spans[i].end, i) for i in order]
    # Marks that cross are split into segments. However many cross, the segments stay
    # bounded: the canonical pieces of a segment tree over the marks' boundaries never
    # cross, and a mark has O(log n) of them. When the sweep over whole marks would draw
    # over twice as many segments as that (a pile of crossing names from a crafted backup
    # or an edit), the pieces are drawn instead: the cost, and the size of the page, stay
    # O(n log n) in marks (they were quadratic).
    out = _sweep(text, spans, whole, budget=2 * len(whole))
    if out is None:
        canonical = _canonical_pieces(spans, order)
        out = _sweep(text, spans, whole, budget=2 * len(canonical))
        if out is None:
            out = _sweep(text, spans, canonical, budget=None)
    assert out is not None
    return mark_safe("".join(out))


def _sweep(
    text: str, spans: list[Mark], pieces: list[tuple[int, int, int]], *, budget: int | None
) -> list[str] | None:
    """The HTML of ``pieces`` ((start, end, mark index), in nesting order) over ``text``,
    or None when it would open more than ``budget`` elements.

    A sweep over the start and end points keeps the open pieces as a stack: a piece that
    starts goes on top; a piece that ends closes itself and the pieces above it, and those
    that go on are opened again (a continuation segment), the one ending last outermost,
    so that the next to end closes without splitting the others."""
    length = len(text)
    starting: dict[int, list[int]] = defaultdict(list)
    ending: dict[int, list[int]] = defaultdict(list)
    for p, (start, end, _) in enumerate(pieces):  # each list in nesting order
        starting[start].append(p)
        ending[end].append(p)
    points = sorted({0, length, *starting, *ending})

    out: list[str] = []
    stack: list[int] = []  # indexes of the open pieces, outermost first
    depth_of: dict[int, int] = {}  # an open piece's place in the stack
    opened: set[int] = set()  # marks whose first segment is drawn
    continued: dict[int, str] = {}  # a mark's tag for its continuation segments
    pushes = 0

    def push(p: int) -> None:
        mark = pieces[p][2]
        if mark not in opened:
            out.append(_open_tag(spans[mark], first=True))
            opened.add(mark)
        else:
            if mark not in continued:
                continued[mark] = _open_tag(spans[mark], first=False)
            out.append(continued[mark])
        depth_of[p] = len(stack)
        stack.append(p)

    previous = 0
    for a in points:
        if a > previous:
            out.append(html_module.escape(text[previous:a]))  # Django's ``escape``, direct
            previous = a
        ends = ending.get(a, ())
        if ends:
            keep = min(depth_of[p] for p in ends)
            going_on = []
            while len(stack) > keep:
                p = stack.pop()
                del depth_of[p]
                mark = spans[pieces[p][2]]
                out.append(f"</{mark.tag}>")
                if pieces[p][1] == a:
                    if mark.end == a and mark.after:
                        out.append(str(mark.after))
                else:
                    going_on.append(p)
            going_on.reverse()
            going_on.sort(key=lambda p: -pieces[p][1])  # stable: nesting order kept on ties
            pushes += len(going_on)
            for p in going_on:
                push(p)
        begins = starting.get(a, ())
        pushes += len(begins)
        if budget is not None and pushes > budget:
            return None
        for p in begins:
            push(p)
    return out  # every piece ended at a point: the stack is empty


def _canonical_pieces(spans: list[Mark], order: list[int]) -> list[tuple[int, int, int]]:
    """Each mark cut into the nodes of a segment tree over all the marks' boundaries
    (nodes nest or are apart, never cross), in nesting order: (start, end, mark index)."""
    points = sorted({p for m in spans for p in (m.start, m.end)})
    at = {p: k for k, p in enumerate(points)}
    size = 1
    while size < len(points):
        size *= 2
    rank = {i: r for r, i in enumerate(order)}
    pieces = []
    for i, mark in enumerate(spans):
        low, high, level = at[mark.start] + size, at[mark.end] + size, 0
        while low < high:
            if low & 1:
                first = (low << level) - size
                pieces.append((points[first], points[first + (1 << level)], i))
                low += 1
            if high & 1:
                high -= 1
                first = (high << level) - size
                pieces.append((points[first], points[first + (1 << level)], i))
            low, high, level = low >> 1, high >> 1, level + 1
    pieces.sort(key=lambda piece: (piece[0], -piece[1], rank[piece[2]]))
    return pieces


# Marks for an article ---------------------------------------------------------------------


# Words a sentence may use for a speaker without naming them.
_NOT_A_NAME = re.compile(r"^[a-z]|^(He|She|They|It|We|I|You|Which|Who|This|That|The|A|An)\b")


def names_speaker(speaker_text: str, speaker) -> bool:
    """Whether the words the sentence uses for the speaker (``speaker_text``) name them:
    "Choi" or "Dan Pinkston" do; "he", "a former North Korean" or nothing do not."""
    if not speaker_text or speaker is None or _NOT_A_NAME.match(speaker_text):
        return False
    names = {w for w in normalise_name(speaker.name).split() if len(w) > 1}
    return any(w in names for w in normalise_name(speaker_text).split())


# A machine attribution whose rule was right less often than this on the development
# sets (``Quote.confidence``, from ``summit/nlp/quotes/confidence.py``) is drawn as
# uncertain: dotted in the text, "Speaker uncertain" in lists, explained on the card.
UNCERTAIN_BELOW = 0.6


def unnamed_source(quote) -> str:
    """The words an article uses for a source it never names ("experts", "one prominent
    analyst in Seoul", "the company's spokesman"), for a quote without a speaker: what
    a reader is shown instead of a name. "" when the quote has a speaker, or when the
    words are only a pronoun ("he" that was not resolved tells a reader nothing)."""
    if quote.speaker_id:
        return ""
    words = " ".join((quote.speaker_text or "").split())
    if words.lower() in PERSONAL_PRONOUNS:
        # "They argue …", where the machine followed "they" back to the words it stands
        # for ("U.S. national security professionals"): those words are the source.
        via = quote.via or {}
        words = " ".join(str(via.get("text") or "").split())
        return "" if words.lower() in PERSONAL_PRONOUNS else words
    return words


def source_name(quote) -> str:
    """Who said it, in a line of text: the speaker's name, "Unnamed source (experts)",
    or "Unattributed"."""
    if quote.speaker_id:
        return quote.speaker.name
    words = unnamed_source(quote)
    return f"Unnamed source ({words})" if words else "Unattributed"


def quote_trust(quote) -> str:
    """How far a reader may trust a quote's attribution: ``verified`` (an editor checked
    it), ``machine`` (the machine's rule is usually right) or ``uncertain`` (a rule
    measured below ``UNCERTAIN_BELOW``, or no source found at all; for a quote without a
    measured rule, a speaker not named at the quote). A source the article does not name
    ("experts") is no reason for doubt: it is judged by its rule like any other."""
    if quote.status == Status.VERIFIED:
        return "verified"
    if not quote.speaker_id:
        if not unnamed_source(quote):
            return "uncertain"
        if quote.confidence is not None:
            return "uncertain" if quote.confidence < UNCERTAIN_BELOW else "machine"
        return "machine"
    if quote.confidence is not None:
        return "uncertain" if quote.confidence < UNCERTAIN_BELOW else "machine"
    return "machine" if names_speaker(quote.speaker_text, quote.speaker) else "uncertain"


TRUST_TEXT = {
    "verified": "verified by an editor",
    "machine": "attributed by the machine",
    "uncertain": "speaker uncertain: found by a rule that is often wrong",
}

# The attribution rules (``summit/nlp/quotes/sieves.py``), in a reader's words.
SIEVE_TEXT = {
    "credit_line": "a credit line after the quote",
    "intro_cue": "the words introducing the quote",
    "trailing_cue": "the words after the quote",
    "shared_cue": "the words shared with the quote before",
    "lead_cue": "the words opening the paragraph",
    "colon_name": "a name before a colon",
    "paragraph_intro": "the paragraph's introduction",
    "previous_speaker": "the speaker of the quote before (this one has no words of its own)",
    "lead_subject": "the subject of the sentence just before the quote",
    "partial_subject": "the subject of the sentence around it",
    "reported_clause": "a reporting verb (“said that …”)",
    "urged_action": "an urging verb (“urged … to”)",
    "according_to": "“according to”",
}


@dataclass(frozen=True)
class EditorsWord:
    """What an editor did to a quote's attribution, for its provenance: who, when, and
    whether they chose the speaker (or made the quote) rather than checked the
    machine's choice."""

    who: str
    when: datetime.datetime
    chose_speaker: bool


def provenance(quote, named_in: int | None = None, editor: EditorsWord | None = None) -> str:
    """How the quote's speaker was found, in a reader's words: the words at the quote,
    the mention they were resolved through, the rule and how often it is right; or the
    editor who set or checked it (``editor``). ``named_in``: the paragraph index where
    the speaker is last named before the quote, for a quote without a recorded
    mention."""
    speaker = quote.speaker
    if speaker is not None and editor is not None and editor.chose_speaker:
        return (
            f"Set by an editor ({editor.who}, {editor.when:%-d %B %Y}): {speaker.name} said this."
        )
    here = f"¶{quote.paragraph.index + 1}"
    if speaker is None:
        if not (words := unnamed_source(quote)):
            return f"No speaker was found for this quote in {here}."
        if words != " ".join((quote.speaker_text or "").split()):
            where = (quote.via or {}).get("paragraph", quote.paragraph.index) + 1
            return (
                f"The article does not name this source: “{quote.speaker_text}” in {here} "
                f"stands for “{words}”, in ¶{where}."
            )
        return f"The article does not name this source: it says “{words}”, in {here}."
    if quote.status == Status.VERIFIED:
        by = f" ({editor.who}, {editor.when:%-d %B %Y})" if editor else ""
        return f"An editor{by} verified that {speaker.name} said this."
    via = quote.via or {}
    words = quote.speaker_text
    if words and names_speaker(words, speaker):
        found = f"Named at the quote: “{words}”{' ' + quote.cue if quote.cue else ''}, in {here}."
    else:
        where = ""
        if via.get("text"):
            where = f", named as “{via['text']}” in ¶{via.get('paragraph', 0) + 1}"
        elif named_in is not None:
            where = f", named in ¶{named_in + 1}"
        start = f"Found through “{words}” in {here}" if words else f"No one is named at {here}"
        found = f"{start} → {speaker.name}{where}."
    rule = ""
    if quote.sieve:
        rule = f" Rule: {SIEVE_TEXT.get(quote.sieve, quote.sieve.replace('_', ' '))}"
        if quote.confidence is not None:
            rule += f", right {round(quote.confidence * 100)} times in 100 on the test sets"
        rule += "."
    return f"{found}{rule} Not checked by an editor."


def _with_quotation_marks(text: str, start: int, end: int, *, first: bool, last: bool):
    """Widen a quote's span over the quotation marks around it, so its underline and the
    speaker's name after it take them in."""
    if first and 0 < start <= len(text) and text[start - 1] in MARKS_BEFORE_QUOTE:
        start -= 1
    if last:
        # The sentence's comma may stand between the words and the closing mark.
        close = end
        while close < len(text) and text[close] in ",;":
            close += 1
        if close < len(text) and text[close] in MARKS_AFTER_QUOTE:
            end = close + 1
    return start, end


def _quote_segments(quote, paragraphs_by_id, paragraphs_by_index):
    """(paragraph, start, end, is_first, is_last) for each paragraph a quote touches."""
    first = paragraphs_by_id.get(quote.paragraph_id)
    if first is None:
        return
    last = paragraphs_by_id.get(quote.end_paragraph_id) if quote.end_paragraph_id else first
    if last is None or last.index <= first.index:
        last = first
    for index in range(first.index, last.index + 1):
        paragraph = paragraphs_by_index.get(index)
        if paragraph is None:
            continue
        start = quote.start if paragraph is first else 0
        end = quote.end if paragraph is last else len(paragraph.text)
        is_first, is_last = paragraph is first, paragraph is last
        if quote.kind != "indirect":
            start, end = _with_quotation_marks(
                paragraph.text, start, end, first=is_first, last=is_last
            )
        yield paragraph, start, end, is_first, is_last


class _Urls:
    """A speaker's page and card addresses, reversed once per speaker."""

    def __init__(self):
        self._seen: dict[str, tuple[str, str]] = {}

    def __call__(self, speaker) -> tuple[str, str]:
        if speaker.slug not in self._seen:
            self._seen[speaker.slug] = (
                link("speaker", speaker.slug),
                link("speaker-card", speaker.slug),
            )
        return self._seen[speaker.slug]


# Names longer than a speaker's name can be (``Speaker.name``) are no names to normalise.
NAME_LIMIT = 300


def first_mentions(article) -> set[int]:
    """The ids of the marked mentions that name someone or something for the first time
    in a prefetched article (the same speaker, or else the same label and words)."""
    texts = {p.pk: p.text for p in article.paragraphs.all()}
    seen: set = set()
    firsts: set[int] = set()
    for mention in article.entitymentions.all():
        if mention.label not in MARKED_LABELS:
            continue
        words = texts.get(mention.paragraph_id, "")[mention.start : mention.end]
        if len(words) <= NAME_LIMIT:
            words = normalise_name(words)
        # else no name anyone writes: compared as it stands (normalising every one of a
        # crafted pile of long mentions cost their total length in Python)
        key = mention.speaker_id or (mention.label, words)
        if key not in seen:
            seen.add(key)
            firsts.add(mention.pk)
    return firsts


def article_author(article):
    """The speaker who wrote a prefetched article: the person its byline or its note
    about the author names (``AUTHOR_PARAGRAPHS``), or None."""
    kinds = {p.pk: p.kind for p in article.paragraphs.all()}
    for mention in article.entitymentions.all():
        if mention.speaker is not None and kinds.get(mention.paragraph_id) in AUTHOR_PARAGRAPHS:
            return mention.speaker
    return None


def _edit_after(edit_url, annotation, what: str) -> str:
    """An editor's link after a name or a claim (see ``article_paragraphs``)."""
    if edit_url is None or not (link := edit_url(annotation)):
        return ""
    return html(
        '<a class="m-edit" href="{}" title="Edit this {} in the admin">✎'
        '<span class="visually-hidden"> edit this {}</span></a>',
        link,
        what,
        what,
    )


def _entity_marks(article, urls: _Urls, edit_url=None) -> Iterable[tuple[int, Mark]]:
    """Names: quiet marks; the first mention of each name carries ``m-ent--first`` (a
    reader may hide the rest); only names with a page are links, and only links open the
    card (``hx-get``; the target and swap are inherited from the reader)."""
    firsts = first_mentions(article)
    for mention in article.entitymentions.all():
        label = mention.label
        if label not in MARKED_LABELS:
            continue
        classes = f"m m-ent m-ent--{label.lower()}"
        if mention.pk in firsts:
            classes += " m-ent--first"
        attrs = {"class": classes, "title": LABEL_NAMES.get(label, label)}
        if mention.speaker is not None:
            page_url, card_url = urls(mention.speaker)
            attrs["href"] = page_url
            attrs["hx-get"] = card_url
            attrs["title"] = f"{LABEL_NAMES.get(label, label)}: {mention.speaker.name}"
        after = _edit_after(edit_url, mention, "name")
        yield mention.paragraph_id, Mark(mention.start, mention.end, "entity", attrs, after)


def _quote_after(quote, trust: str, urls: _Urls, edit_url, *, tag: bool = True) -> str:
    """What follows a quote: the speaker's chip when the sentence does not name them (and
    ``tag``: the paragraph has not attributed a quote to them yet), the words for a
    source the article does not name when the sentence does not use them, a verified
    tick, the editor's link. Small, never copied with the text."""
    speaker = quote.speaker
    parts = []
    if trust == "verified":
        parts.append(
            '<span class="q-tick" role="img" aria-label="Verified by an editor" '
            'title="Verified by an editor"></span>'
        )
    unnamed = unnamed_source(quote)
    if tag and unnamed and unnamed != " ".join((quote.speaker_text or "").split()):
        parts.append(
            html(
                '<span class="q-source" title="Unnamed source: the article does not name them">'
                "<bdi>{}</bdi></span>",
                unnamed,
            )
        )
    if tag and speaker is not None and not names_speaker(quote.speaker_text, speaker):
        page_url, card_url = urls(speaker)
        parts.append(
            html(
                '<a class="q-cite" href="{}" hx-get="{}?quote={}" title="Quoted: {}">'
                "<bdi>{}</bdi></a>",
                page_url,
                card_url,
                quote.pk,
                speaker.name,
                speaker.name,
            )
        )
    if edit_url is not None and (link := edit_url(quote)):
        parts.append(
            html('<a class="q-edit" href="{}" title="Edit this quote in the admin">edit</a>', link)
        )
    if not parts:
        return ""
    return '<span class="q-after">' + "".join(str(p) for p in parts) + "</span>"


def _quote_marks(article, by_id, by_index, urls: _Urls, edit_url) -> Iterable[tuple[int, Mark]]:
    """Quotes, with their speaker's tag once per speaker per paragraph: a paragraph that
    has attributed a quote to someone (by name in the sentence or by a tag) does not tag
    their next quote again."""
    attributed: set[tuple] = set()  # (paragraph id, speaker id or unnamed words)
    quotes = sorted(
        article.quotes.all(),
        key=lambda q: (by_id[q.paragraph_id].index if q.paragraph_id in by_id else 0, q.start),
    )
    for quote in quotes:
        speaker = quote.speaker
        name = speaker.name if speaker else ""
        kind = quote.get_kind_display().lower()
        trust = quote_trust(quote)
        said = f"{source_name(quote)} ({kind} quote)"
        attrs = {
            "id": f"q{quote.pk}",
            "class": f"m m-quote m-quote--{quote.kind} m-quote--{trust}",
            "title": f"{said}; {TRUST_TEXT[trust]}",
            "data-speaker": name,
        }
        last_paragraph = quote.end_paragraph_id or quote.paragraph_id
        source = (last_paragraph, quote.speaker_id or unnamed_source(quote).casefold())
        tag = source[1] == "" or source not in attributed
        attributed.add(source)
        after = _quote_after(quote, trust, urls, edit_url, tag=tag)
        for paragraph, start, end, first, last in _quote_segments(quote, by_id, by_index):
            seg_attrs = attrs if first else {k: v for k, v in attrs.items() if k != "id"}
            yield paragraph.pk, Mark(start, end, "quote", seg_attrs, after if last else "")


def _claim_marks(article, by_id, edit_url=None) -> Iterable[tuple[int, Mark]]:
    """Key claims; a claim that opens a quotation takes in its opening mark, so that its
    bar stands outside the quotation marks. A claim no one else holds is the author's.
    A claim not highlighted is not marked; editors get its edit link all the same."""
    author = article_author(article)
    the_author = f"{author.name}, the author" if author else "the author"
    for claim in article.claims.all():
        if not claim.highlighted:
            if edit_url is not None and (after := _edit_after(edit_url, claim, "claim")):
                # Editors still reach it: unmarked words, then its edit link.
                attrs = {
                    "class": "m-claim-off",
                    "title": "Key claim, not highlighted for readers",
                }
                yield claim.paragraph_id, Mark(claim.start, claim.end, "claim-off", attrs, after)
            continue
        holder = claim.holder.name if claim.holder else the_author
        attrs = {
            "class": f"m m-claim m-claim--{claim.kind}",
            "title": f"Key claim: {claim.get_kind_display().lower()}, held by {holder}",
        }
        start = claim.start
        paragraph = by_id.get(claim.paragraph_id)
        if paragraph is not None and start > 0 and paragraph.text[start - 1] in MARKS_BEFORE_QUOTE:
            start -= 1
        after = _edit_after(edit_url, claim, "claim")
        yield claim.paragraph_id, Mark(start, claim.end, "claim", attrs, after)


def article_paragraphs(
    article,
    *,
    edit_url: Callable[[object], str] | None = None,
) -> list[tuple[object, SafeString]]:
    """Each paragraph of a prefetched article with its marks rendered.

    ``edit_url(annotation)`` gives the admin link shown after each mark (editors only).
    """
    paragraphs = list(article.paragraphs.all())
    by_id = {p.pk: p for p in paragraphs}
    by_index = {p.index: p for p in paragraphs}
    marks: dict[int, list[Mark]] = defaultdict(list)
    urls = _Urls()
    for paragraph_id, mark in (
        *_entity_marks(article, urls, edit_url),
        *_quote_marks(article, by_id, by_index, urls, edit_url),
        *_claim_marks(article, by_id, edit_url),
    ):
        marks[paragraph_id].append(mark)
    return list(zip(paragraphs, _rendered(article.pk, paragraphs, marks), strict=True))


# A quote on its own: the sentence around it, its provenance, its citation ---------------

# Where a sentence ends: its stop, any closing marks, then a space.
_SENTENCE_END = re.compile(r"[.!?…][”’\"')\]]*\s+")
CONTEXT_WORDS = 30  # the most words of context shown on either side of a quote


def _clip_words(text: str, words: int, *, keep_end: bool) -> str:
    parts = text.split(" ")
    if len(parts) <= words:
        return text
    return "… " + " ".join(parts[-words:]) if keep_end else " ".join(parts[:words]) + " …"


def quote_context(quote) -> SafeString:
    """The quote within the sentence around it, escaped: the quote (with its quotation
    marks, for a direct or partial quote) in a ``<mark>``, the rest of the sentence
    before and after it as plain text. Needs ``quote.paragraph`` (``for_listing()``)."""
    text = quote.paragraph.text
    multi = bool(quote.end_paragraph_id) and quote.end_paragraph_id != quote.paragraph_id
    end = len(text) if multi else quote.end
    start, end = quote.start, end
    if quote.kind != "indirect":
        start, end = _with_quotation_marks(text, start, end, first=True, last=not multi)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    before = text[ends[-1] if ends else 0 : start]
    if multi:
        words, after = quote.text, ""
        if quote.kind != "indirect" and start < quote.start:
            words = text[start] + words
    else:
        words = text[start:end]
        stop = _SENTENCE_END.search(text, end)
        after = text[end : stop.start() + len(stop.group().rstrip()) if stop else len(text)]
    return format_html(
        '<span class="ctx__before">{}</span><mark class="ctx__quote ctx__quote--{}">{}</mark>'
        '<span class="ctx__after">{}</span>',
        _clip_words(before, CONTEXT_WORDS, keep_end=True),
        quote.kind,
        words,
        _clip_words(after, CONTEXT_WORDS, keep_end=False),
    )


def citation(quote, permalink: str) -> tuple[str, SafeString]:
    """How to cite a quote, as plain text and as HTML: “words” — Speaker, Title, Outlet,
    date, permalink. Reported speech is cited as such, without quotation marks."""
    article = quote.article
    words = " ".join(quote.text.split())
    said = f"Reported: {words}" if quote.kind == "indirect" else f"“{words}”"
    when = article.published.strftime("%-d %B %Y") if article.published else ""
    source = [p for p in (article.title, article.outlet, when) if p]
    who = source_name(quote)
    plain = f"{said} — {who}, " + ", ".join([*source, permalink])
    html = format_html(
        "<blockquote><p><bdi>{}</bdi></p>"
        '<p>— <bdi>{}</bdi>, <cite><a href="{}"><bdi>{}</bdi></a></cite>{}</p></blockquote>',
        said,
        who,
        permalink,
        article.title,
        format_html_join("", ", <bdi>{}</bdi>", ((p,) for p in source[1:])),
    )
    return plain, html


# Rendered HTML, cached --------------------------------------------------------------------

RENDER_CACHE = "default"
RENDER_CACHE_SECONDS = 24 * 3600


def _rendered(article_pk, paragraphs, marks: Mapping[int, list[Mark]]) -> list[SafeString]:
    """Each paragraph's HTML, read from the cache when this version of the article was
    rendered before. The key is a digest of everything the HTML is made of (paragraph
    texts and every mark with its attributes), so any change to a paragraph, an annotation
    or a speaker's name makes a new key: nothing has to remember to invalidate it."""
    digest = hashlib.blake2b(digest_size=20)
    for p in paragraphs:
        text = p.text.encode("utf-8", "surrogatepass")
        digest.update(b"%d:%d:%d:" % (p.pk, p.index, len(text)))
        digest.update(text)
        digest.update(repr(marks.get(p.pk, ())).encode("utf-8", "surrogatepass"))
    key = f"summit:paragraphs:{article_pk}:{digest.hexdigest()}"
    store = caches[RENDER_CACHE]
    cached = store.get(key)
    if cached is not None and len(cached) == len(paragraphs):
        return [mark_safe(html) for html in cached]
    html = [render_marks(p.text, marks.get(p.pk, ())) for p in paragraphs]
    store.set(key, [str(h) for h in html], RENDER_CACHE_SECONDS)
    return html

"""Plain data that the language pipeline returns.

Nothing here imports Django: ingestion (``summit.services``) maps these records onto
models. All offsets are character offsets into ``Paragraph.text`` of the paragraph
named by index, end exclusive, and ``text`` is always ``paragraph.text[start:end]``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum


class ParagraphKind(StrEnum):
    BODY = "body"
    HEADING = "heading"
    CAPTION = "caption"
    BYLINE = "byline"
    BIO = "bio"


class ArticleKind(StrEnum):
    NEWS = "news"
    OPINION = "opinion"


class SpeakerKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


class QuoteKind(StrEnum):
    DIRECT = "direct"
    PARTIAL = "partial"
    INDIRECT = "indirect"


class ClaimKind(StrEnum):
    PREDICTION = "prediction"
    BELIEF = "belief"
    RECOMMENDATION = "recommendation"


@dataclass(frozen=True, slots=True)
class Paragraph:
    index: int
    kind: ParagraphKind
    text: str


@dataclass(slots=True)
class Document:
    """An article's text after structure recognition, before any language model."""

    title: str
    paragraphs: list[Paragraph]
    title_derived: bool = False  # True when no headline was given and one was made from the lead
    byline: str = ""
    outlet: str = ""
    published: str = ""  # ISO date (YYYY-MM-DD) when known
    kind: ArticleKind = ArticleKind.NEWS
    source: str = ""  # file name or URL


PARAGRAPH_JOIN = "\n\n"


@dataclass(frozen=True, slots=True)
class Span:
    """Text at ``start`` in paragraph ``paragraph`` up to ``end``.

    A span that runs on over several paragraphs (a long quotation) sets
    ``end_paragraph``: then ``end`` is an offset into that last paragraph and ``text``
    is the pieces joined with PARAGRAPH_JOIN.
    """

    paragraph: int
    start: int
    end: int
    text: str
    end_paragraph: int | None = None

    @property
    def last_paragraph(self) -> int:
        return self.paragraph if self.end_paragraph is None else self.end_paragraph


def span_text(
    paragraphs: list[str], paragraph: int, start: int, end: int, end_paragraph: int | None = None
) -> str:
    """The text a span covers in a list of paragraph texts (the invariant every span keeps)."""
    if end_paragraph is None or end_paragraph == paragraph:
        return paragraphs[paragraph][start:end]
    pieces = [paragraphs[paragraph][start:]]
    pieces += paragraphs[paragraph + 1 : end_paragraph]
    pieces.append(paragraphs[end_paragraph][:end])
    return PARAGRAPH_JOIN.join(pieces)


@dataclass(slots=True)
class Person:
    """A speaker candidate resolved within one document.

    ``key`` is unique within the document's Analysis; mentions, quotes and claims
    refer to people by key. ``name`` is the fullest form the document gives
    ("Moon Jae-in"); ``aliases`` the other forms it uses for the same one ("Moon",
    "President Moon", "Anh Chi").
    """

    key: str
    name: str
    kind: SpeakerKind = SpeakerKind.PERSON
    aliases: list[str] = field(default_factory=list)
    description: str = ""


@dataclass(frozen=True, slots=True)
class Mention:
    span: Span
    label: str  # spaCy label after document-level repair: PERSON, ORG, GPE, NORP, ...
    person: str | None = None  # Person.key for PERSON/ORG mentions linked to a speaker


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation; a direct one may run on over several paragraphs (see Span).

    For direct and partial quotes the span excludes the quotation marks. ``speaker_span`` is the
    words the article uses for the speaker where one was found ("he", "Choi").
    """

    span: Span
    kind: QuoteKind
    speaker: str | None  # Person.key
    cue: str = ""  # the cue verb's lemma-ish surface: "said", "tweeted", "told", "urged"
    speaker_span: Span | None = None
    sieve: str = ""  # the attribution rule that found the speaker ("trailing_cue", …)
    via: Span | None = None  # the mention a pronoun or description was resolved through
    confidence: float | None = None  # the sieve's measured precision on the dev sets


@dataclass(frozen=True, slots=True)
class Claim:
    span: Span
    kind: ClaimKind
    holder: str | None  # Person.key, or None when the holder is the article's author
    highlighted: bool = False


@dataclass(slots=True)
class Analysis:
    document: Document
    people: list[Person] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def person(self, key: str | None) -> Person | None:
        return next((p for p in self.people if p.key == key), None)


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, "…" included, without leaving a
    letter behind its accents. Django's ``Truncator.chars`` does this too, a hundred
    times slower: it walks every character of the text."""
    if len(text) <= limit:
        return text
    cut = limit - 1
    while cut > 0 and unicodedata.combining(text[cut]):
        cut -= 1  # the letter these marks belong to goes too
    return text[:cut].rstrip() + "…"

"""The API's response shapes, typed from the models (their fields and choices).

Field names are a contract, as in the export formats: add, never rename.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Literal

from django.urls import reverse
from ninja import Field, Schema
from pydantic import BeforeValidator, StringConstraints

from summit.api.pagination import MAX_LIMIT
from summit.models import (
    ArticleKind,
    ClaimKind,
    EntityLabel,
    ParagraphKind,
    QuoteKind,
    SpeakerKind,
)

# What an annotation a reader sees can be: rejected ones are never served.
ShownStatus = Literal["machine", "verified"]

# Query parameters -----------------------------------------------------------------------

# A search or a name: no NUL (no database stores one), and of a sensible length.
Text = Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00]*$")]
Slug = Annotated[str, StringConstraints(min_length=1, max_length=320, pattern=r"^[-a-zA-Z0-9_]+$")]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


def _iso_date(value):
    """Only YYYY-MM-DD: a number is no date, whatever it would count as in seconds."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("Input should be a date, YYYY-MM-DD")
    return value


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date)]


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class ParameterError(Schema):
    parameter: str = Field(description="The parameter's name.")
    message: str


class Error(Schema):
    detail: str = Field(description="What went wrong, in words.")
    errors: list[ParameterError] = Field(
        default_factory=list, description="For a bad request: each parameter at fault."
    )


# References -----------------------------------------------------------------------------


class SpeakerRef(Schema):
    slug: str
    name: str
    kind: SpeakerKind
    url: str = Field(description="The person's page on the site.")
    api_url: str = Field(description="The speaker in this API.")

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context["request"], obj.get_absolute_url())

    @staticmethod
    def resolve_api_url(obj, context) -> str:
        return _absolute(context["request"], reverse("api-1:speaker", args=[obj.slug]))


class ArticleRef(Schema):
    id: int
    title: str
    published: datetime.date | None
    url: str = Field(description="The article's page on the site.")
    api_url: str = Field(description="The article, with its annotations, in this API.")

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context["request"], obj.get_absolute_url())

    @staticmethod
    def resolve_api_url(obj, context) -> str:
        return _absolute(context["request"], reverse("api-1:article", args=[obj.pk]))


# Annotations ----------------------------------------------------------------------------


class Annotation(Schema):
    id: int
    paragraph: int = Field(description="Index of the paragraph it starts in (from 0).")
    start: int = Field(description="Character offset into that paragraph's text.")
    end: int = Field(description="Character offset, exclusive, into its last paragraph's text.")
    text: str = Field(description="Exactly the text the offsets cover.")
    status: ShownStatus = Field(
        description="machine: as the language pipeline made it; verified: an editor checked it."
    )
    edited: bool = Field(description="An editor changed it.")

    @staticmethod
    def resolve_paragraph(obj) -> int:
        return obj.paragraph_index


class Mention(Annotation):
    label: EntityLabel
    speaker: SpeakerRef | None = Field(description="The speaker the name refers to, if any.")


class Via(Schema):
    paragraph: int
    start: int
    end: int
    text: str


class Attribution(Schema):
    """How the machine found a quote's speaker (see the README's attribution rules)."""

    sieve: str = Field(description="The attribution rule that found the speaker; empty: none.")
    via: Via | None = Field(
        description="The mention the speaker was resolved through (for a pronoun, say)."
    )
    confidence: float | None = Field(
        ge=0, le=1, description="The rule's measured precision on the development sets."
    )


def _via(value) -> dict | None:
    """A stored ``via`` when it has the shape the pipeline writes; None otherwise."""
    try:
        return Via.model_validate(value).model_dump()
    except ValueError:
        return None


def _confidence(value) -> float | None:
    return value if isinstance(value, int | float) and 0 <= value <= 1 else None


class QuotationRef(Schema):
    id: int
    article_count: int = Field(description="Articles that carry it, this one included.")
    api_url: str = Field(description="The quotation, with every article it is in, in this API.")

    @staticmethod
    def resolve_api_url(obj, context) -> str:
        return _absolute(context["request"], reverse("api-1:quotation", args=[obj.pk]))


class Quote(Annotation):
    end_paragraph: int = Field(
        description="Index of the paragraph it ends in: a direct quote may run on over several "
        "(then its text is the pieces joined by a blank line)."
    )
    kind: QuoteKind
    speaker: SpeakerRef | None = Field(description="Who said it; null when nobody is named.")
    speaker_text: str = Field(description="The words the article uses for the speaker.")
    cue: str = Field(description="The verb that introduces it.")
    attribution: Attribution
    url: str = Field(description="The quote's page on the site (its permalink).")
    quotation: QuotationRef | None = Field(
        description="The same words (or nearly) from the same speaker in other articles: the "
        "quotation this is one telling of; null for a quote with no speaker."
    )

    @staticmethod
    def resolve_quotation(obj):
        return obj.group if obj.group_id else None

    @staticmethod
    def resolve_attribution(obj) -> dict:
        return {"sieve": obj.sieve, "via": _via(obj.via), "confidence": _confidence(obj.confidence)}

    @staticmethod
    def resolve_end_paragraph(obj) -> int:
        return obj.last_paragraph_index

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context["request"], reverse("quote", args=[obj.pk]))


class QuoteInArticle(Quote):
    article: ArticleRef


class Claim(Annotation):
    kind: ClaimKind
    holder: SpeakerRef | None = Field(description="Who holds it; null: the article's author.")
    highlighted: bool = Field(description="One of the article's key claims.")


class ClaimInArticle(Claim):
    article: ArticleRef


class Quotation(QuotationRef):
    """One quotation told in many articles."""

    speaker: SpeakerRef
    quotes: list[QuoteInArticle] = Field(
        description="Its tellings, earliest article first (undated last); at most 100."
    )


# Articles -------------------------------------------------------------------------------


FIRST = MAX_LIMIT  # items of each list an article's detail carries


class Paragraph(Schema):
    index: int
    kind: ParagraphKind
    text: str


class Publication(ArticleRef):
    outlet: str = Field(description="Its outlet, else the host of its address.")

    @staticmethod
    def resolve_outlet(obj) -> str:
        return obj.outlet_name


class Article(ArticleRef):
    title_derived: bool = Field(description="The source had no headline; this one is the lead's.")
    byline: str
    outlet: str
    kind: ArticleKind
    copy_of: int | None = Field(
        description="The id of the article first ingested with nearly this text (another "
        "outlet's copy of a wire story): listings count the story once, as that one."
    )

    @staticmethod
    def resolve_copy_of(obj) -> int | None:
        return obj.copy_of_id

    source_url: str | None = Field(description="Where it was fetched from, for a web article.")
    pipeline: str = Field(description="The language pipeline that made the machine annotations.")
    annotations_url: str = Field(description="Its W3C Web Annotation collection (JSON-LD).")
    created: datetime.datetime
    updated: datetime.datetime

    @staticmethod
    def resolve_source_url(obj) -> str | None:
        return obj.source if obj.source.startswith(("http://", "https://")) else None

    @staticmethod
    def resolve_annotations_url(obj, context) -> str:
        return _absolute(context["request"], reverse("article-annotations", args=[obj.pk]))


class ArticleDetail(Article):
    """An article with the first page of each of its lists (since 2026-12-07; before, all
    of each list was here): a long article's lists go on at their ``…_next`` address."""

    also_published: list[Publication] = Field(
        description="The other articles of its story (nearly the same text, other outlets "
        "or addresses), earliest first."
    )
    paragraphs: list[Paragraph] = Field(
        description=f"Its paragraphs: the first {FIRST}, in order; the rest from `paragraphs_next`."
    )
    paragraphs_next: str | None = Field(
        description="The next page of its paragraphs; null when `paragraphs` holds them all."
    )
    mentions: list[Mention] = Field(
        description=f"Names of people, organisations, places…: the first {FIRST}, in reading "
        "order; the rest from `mentions_next`."
    )
    mentions_next: str | None = Field(
        description="The next page of its mentions; null when `mentions` holds them all."
    )
    quotes: list[Quote] = Field(
        description=f"Its quotes: the first {FIRST}, in reading order; the rest from `quotes_next`."
    )
    quotes_next: str | None = Field(
        description="The next page of its quotes; null when `quotes` holds them all."
    )
    claims: list[Claim] = Field(
        description=f"Its claims: the first {FIRST}, in reading order; the rest from `claims_next`."
    )
    claims_next: str | None = Field(
        description="The next page of its claims; null when `claims` holds them all."
    )

    @staticmethod
    def resolve_also_published(obj) -> list:
        return obj.also_published()

    @staticmethod
    def resolve_paragraphs(obj) -> list:
        return obj.first_pages["paragraphs"]["items"]

    @staticmethod
    def resolve_paragraphs_next(obj) -> str | None:
        return obj.first_pages["paragraphs"]["next"]

    @staticmethod
    def resolve_mentions(obj) -> list:
        return obj.first_pages["mentions"]["items"]

    @staticmethod
    def resolve_mentions_next(obj) -> str | None:
        return obj.first_pages["mentions"]["next"]

    @staticmethod
    def resolve_quotes(obj) -> list:
        return obj.first_pages["quotes"]["items"]

    @staticmethod
    def resolve_quotes_next(obj) -> str | None:
        return obj.first_pages["quotes"]["next"]

    @staticmethod
    def resolve_claims(obj) -> list:
        return obj.first_pages["claims"]["items"]

    @staticmethod
    def resolve_claims_next(obj) -> str | None:
        return obj.first_pages["claims"]["next"]


# Speakers -------------------------------------------------------------------------------


class Speaker(SpeakerRef):
    description: str = Field(description="Who they are, as the articles describe them.")


class SpeakerDetail(Speaker):
    aliases: list[str] = Field(description="Other names the articles use for them.")
    quote_count: int = Field(description="Quotes shown (rejected ones not counted).")
    mention_count: int = Field(description="Times they are named.")
    quotes_url: str = Field(description="Their quotes in this API, newest first.")

    @staticmethod
    def resolve_aliases(obj) -> list[str]:
        return obj.alias_names()

    @staticmethod
    def resolve_quotes_url(obj, context) -> str:
        return _absolute(context["request"], reverse("api-1:speaker-quotes", args=[obj.slug]))


# Pages ----------------------------------------------------------------------------------


class Page(Schema):
    next: str | None = Field(
        description="The next page's address (also in the Link header); null on the last page."
    )


class ArticlePage(Page):
    items: list[Article]


class SpeakerPage(Page):
    items: list[Speaker]


class QuotePage(Page):
    items: list[QuoteInArticle]


class ClaimPage(Page):
    items: list[ClaimInArticle]


class ArticleParagraphPage(Page):
    items: list[Paragraph]


class ArticleMentionPage(Page):
    items: list[Mention]


class ArticleQuotePage(Page):
    items: list[Quote]


class ArticleClaimPage(Page):
    items: list[Claim]

"""Summit's public read API, version 1: ``/api/v1/`` (OpenAPI at ``/api/v1/openapi.json``,
interactive docs at ``/api/v1/docs``).

Read-only and anonymous. Views are thin: reads are QuerySet methods on the models; shapes
are in ``schemas``; lists page by cursor (``pagination``). Rejected annotations are never
served. Every error is JSON: 400 names the parameter at fault, 404 the missing thing.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db.models import F
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from ninja import Field, NinjaAPI, Query, Schema, Swagger
from ninja.errors import HttpError, ValidationError
from ninja.throttling import AnonRateThrottle

from summit.api import schemas
from summit.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Key, Ordering, newest_first, page
from summit.models import (
    TELLINGS,
    Article,
    ArticleKind,
    Claim,
    ClaimKind,
    EntityMention,
    Paragraph,
    Quote,
    QuoteGroup,
    QuoteKind,
    Speaker,
    SpeakerKind,
)
from summit.pagecache import article_scope, cached_page
from summit.services.limits import request_counted

DESCRIPTION = """\
Summit's articles, the people quoted in them and their quotes, the names they mention and
their key claims, as JSON. Read-only; no key needed.

Lists are newest first (speakers by name) and page by cursor: follow `next` (also sent as
a `Link: <…>; rel="next"` header) until it is null. `limit` sets the page size (at most
100). An article's detail holds the first 100 of its paragraphs, mentions, quotes and
claims; each `…_next` address pages through the rest of that list, in reading order.
Rejected annotations never appear; `status` tells a machine's annotation from one an
editor verified. Offsets are character offsets into a paragraph's text, end exclusive.
"""


class AddressRateThrottle(AnonRateThrottle):
    """At most ``SUMMIT_API_RATE`` requests per client address (none when it is empty),
    the address being the peer's unless ``SUMMIT_NUM_PROXIES`` proxies are trusted.

    Counted in the database (``summit.services.limits``), per fixed window of the rate's
    period: every process and machine counts together, and no cached page evicts a
    count."""

    def __init__(self):
        self.rate = None
        self.waiting: float | None = None

    def allow_request(self, request) -> bool:
        rate = settings.SUMMIT_API_RATE
        if not rate:
            return True
        if rate != self.rate:
            self.rate = rate
            self.num_requests, self.duration = self.parse_rate(rate)
        ident = self.get_ident(request) or "unknown"
        count, left = request_counted(f"api:{ident}", self.duration)
        self.waiting = left
        return count <= self.num_requests

    def wait(self) -> float | None:
        return self.waiting


api = NinjaAPI(
    title="Summit API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-1",
    throttle=[AddressRateThrottle()],
    # No deep links: Swagger puts each one inside its operation's button, a link within
    # a button that keyboards and screen readers cannot use (axe: nested-interactive).
    docs=Swagger(settings={"deepLinking": False}),
)

ERRORS = {400: schemas.Error, 404: schemas.Error, 429: schemas.Error}
LIST_ERRORS = {400: schemas.Error, 429: schemas.Error}


# Errors: JSON, and a bad parameter is the client's 400, named ---------------------------


def _parameter(loc) -> str:
    """The name of the parameter an error is about (ninja's ``loc`` is its place)."""
    names = [str(part) for part in loc[1:] if not isinstance(part, int)]
    return names[-1] if names else str(loc[0]) if loc else "request"


@api.exception_handler(ValidationError)
def bad_request(request, exc: ValidationError):
    errors = [
        {"parameter": _parameter(error.get("loc", ())), "message": error.get("msg", "invalid")}
        for error in exc.errors
    ]
    names = ", ".join(dict.fromkeys(e["parameter"] for e in errors))
    return api.create_response(
        request, {"detail": f"Bad parameter: {names}.", "errors": errors}, status=400
    )


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    response = api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
    if exc.status_code == 429 and getattr(exc, "wait", None):
        response["Retry-After"] = str(int(exc.wait) + 1)
    return response


def no_such_address(request, rest=""):
    """Any other address under /api/: a JSON 404, like the API's own."""
    return JsonResponse({"detail": "No such address in the API.", "errors": []}, status=404)


class PageQuery(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")
    cursor: str | None = Field(
        None, max_length=2000, description="From the `next` address of the page before."
    )


def _listed(
    request, response: HttpResponse, items, ordering: Ordering, paging: PageQuery, **lookups
) -> dict:
    """What a list endpoint answers: ``items`` narrowed by each of ``lookups`` given (None
    or "": any), the page of them in ``ordering`` after ``paging``'s cursor, and the next
    page's address, also sent as a ``Link: <…>; rel="next"`` header."""
    given = {lookup: value for lookup, value in lookups.items() if value not in (None, "")}
    result = page(request, items.filter(**given), ordering, paging.limit, paging.cursor)
    if result["next"]:
        response["Link"] = f'<{result["next"]}>; rel="next"'
    return result


# Articles -------------------------------------------------------------------------------

ARTICLE_ORDER = Ordering(*newest_first("published", "created"), Key("pk", int, True))

# An article's own lists, each in reading order: its paragraphs, and the mentions, quotes
# and claims a reader may see (rejected ones left out). The detail carries the first
# ``ARTICLE_FIRST`` of each and the address of the rest, so that no response (and no
# process serving it) grows with the article: a 1.2M-character article's detail was one
# 20 MB response.
ARTICLE_FIRST = schemas.FIRST


def _in_reading_order(model, *related: str):
    """A kind of an article's annotations a reader may see, in reading order: (its rows
    for an article's id, their ordering)."""
    order = (Key("paragraph__index", int), Key("start", int), Key("pk", int))
    return (
        lambda pk: (
            model.objects.shown()
            .with_paragraph_index()
            .select_related(*related)
            .filter(article_id=pk)
        ),
        Ordering(*order, list_name=model._meta.model_name),
    )


ARTICLE_LISTS = {
    "paragraphs": (
        lambda pk: Paragraph.objects.filter(article_id=pk),
        Ordering(Key("index", int), Key("pk", int), list_name="paragraphs"),
    ),
    "mentions": _in_reading_order(EntityMention, "speaker"),
    "quotes": _in_reading_order(Quote, "speaker", "group"),
    "claims": _in_reading_order(Claim, "holder"),
}
ARTICLE_PAGES: dict[str, type[schemas.Page]] = {
    "paragraphs": schemas.ArticleParagraphPage,
    "mentions": schemas.ArticleMentionPage,
    "quotes": schemas.ArticleQuotePage,
    "claims": schemas.ArticleClaimPage,
}


class ArticleQuery(PageQuery):
    q: schemas.Text | None = Field(None, description="Words in the title, byline or text.")
    outlet: schemas.Text | None = Field(None, description="The outlet, exactly (any case).")
    kind: ArticleKind | None = None
    published_from: schemas.IsoDate | None = Field(None, description="Published on or after.")
    published_to: schemas.IsoDate | None = Field(None, description="Published on or before.")


@api.get(
    "/articles",
    response={200: schemas.ArticlePage, **LIST_ERRORS},
    url_name="articles",
    summary="Articles, newest first",
)
def article_list(request, response: HttpResponse, filters: Query[ArticleQuery]):
    articles = Article.objects.search(filters.q or "").filtered(
        outlet=filters.outlet,
        kind=filters.kind,
        published_from=filters.published_from,
        published_to=filters.published_to,
    )
    return _listed(request, response, articles, ARTICLE_ORDER, filters)


@api.get(
    "/articles/{article_id}",
    response={200: schemas.ArticleDetail, **ERRORS},
    url_name="article",
    summary="An article with the first page of its paragraphs and annotations",
    description=f"Each of `paragraphs`, `mentions`, `quotes` and `claims` holds at most "
    f"{ARTICLE_FIRST} items; when there are more, its `…_next` address pages on through "
    "the rest (null: the list is complete). So a response stays small however long the "
    "article.",
)
def article_detail(request, article_id: schemas.Id):
    # Served from the page cache like the article page (the same for every client until
    # the content changes).
    return cached_page(
        request,
        "api-article",
        str(article_id),
        lambda: _article_detail(request, article_id),
        content_type="application/json; charset=utf-8",
        scopes=[article_scope(article_id)],
    )


def _article_detail(request, article_id: int) -> HttpResponse:
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        raise Http404("No article with this id.")
    article.first_pages = {
        name: page(
            request,
            rows(article_id),
            ordering,
            ARTICLE_FIRST,
            None,
            path=reverse(f"api-1:article-{name}", args=[article_id]),
        )
        for name, (rows, ordering) in ARTICLE_LISTS.items()
    }
    detail = schemas.ArticleDetail.model_validate(article, context={"request": request})
    return api.create_response(request, detail.model_dump(mode="json"), status=200)


def _article_list(request, article_id: int, name: str, paging: PageQuery) -> HttpResponse:
    """A page of one of an article's lists, from the page cache like the article."""
    cursor = paging.cursor or ""
    variant = f"{article_id}:{paging.limit}:{hashlib.sha256(cursor.encode()).hexdigest()}"
    response = cached_page(
        request,
        f"api-article-{name}",
        variant,
        lambda: _article_list_page(request, article_id, name, paging),
        content_type="application/json; charset=utf-8",
        scopes=[article_scope(article_id)],
    )
    following = json.loads(response.content)["next"]  # a page of at most MAX_LIMIT items
    if following:
        response["Link"] = f'<{following}>; rel="next"'
    return response


def _article_list_page(request, article_id: int, name: str, paging: PageQuery) -> HttpResponse:
    rows, ordering = ARTICLE_LISTS[name]
    result = page(request, rows(article_id), ordering, paging.limit, paging.cursor)
    if not result["items"] and not Article.objects.filter(pk=article_id).exists():
        raise Http404("No article with this id.")
    body = ARTICLE_PAGES[name].model_validate(result, context={"request": request})
    return api.create_response(request, body.model_dump(mode="json"), status=200)


def _article_list_route(name: str, what: str) -> None:
    def view(request, article_id: schemas.Id, paging: Query[PageQuery]):
        return _article_list(request, article_id, name, paging)

    api.get(
        f"/articles/{{article_id}}/{name}",
        response={200: ARTICLE_PAGES[name], **ERRORS},
        url_name=f"article-{name}",
        operation_id=f"summit_api_v1_article_{name}",
        summary=f"An article's {what}, in reading order",
    )(view)


_article_list_route("paragraphs", "paragraphs")
_article_list_route("mentions", "mentions of names")
_article_list_route("quotes", "quotes")
_article_list_route("claims", "claims")


# Speakers -------------------------------------------------------------------------------

SPEAKER_ORDER = Ordering(Key("name", str), Key("pk", int))


class SpeakerQuery(PageQuery):
    q: schemas.Text | None = Field(None, description="Words in the name or an alias.")
    kind: SpeakerKind | None = None


@api.get(
    "/speakers",
    response={200: schemas.SpeakerPage, **LIST_ERRORS},
    url_name="speakers",
    summary="Speakers (people and organisations), by name",
)
def speaker_list(request, response: HttpResponse, filters: Query[SpeakerQuery]):
    speakers = Speaker.objects.search(filters.q or "")
    return _listed(request, response, speakers, SPEAKER_ORDER, filters, kind=filters.kind)


def _speaker(slug: str, queryset=None) -> Speaker:
    speaker = (queryset or Speaker.objects).at_address(slug)
    if speaker is None:
        raise Http404("No speaker with this slug.")
    return speaker


@api.get(
    "/speakers/{slug}",
    response={200: schemas.SpeakerDetail, **ERRORS},
    url_name="speaker",
    summary="A speaker with aliases and counts",
    description="A speaker merged into another answers as the one it joined.",
)
def speaker_detail(request, slug: schemas.Slug):
    return _speaker(slug, Speaker.objects.prefetch_related("aliases"))


# Quotes ---------------------------------------------------------------------------------

QUOTE_ORDER = Ordering(
    *newest_first("article__published", "article__created"),
    Key("paragraph__index", int),
    Key("start", int),
    Key("pk", int),
)


@api.get(
    "/speakers/{slug}/quotes",
    response={200: schemas.QuotePage, **ERRORS},
    url_name="speaker-quotes",
    summary="A speaker's quotes, newest first",
    description="The quotes their page on the site shows, in its order.",
)
def speaker_quotes(request, response: HttpResponse, slug: schemas.Slug, paging: Query[PageQuery]):
    quotes = Quote.objects.shown().of_speaker(_speaker(slug)).for_api()
    return _listed(request, response, quotes, QUOTE_ORDER, paging)


@api.get(
    "/quotations/{quotation_id}",
    response={200: schemas.Quotation, **ERRORS},
    url_name="quotation",
    summary="A quotation: the same words from one speaker in every article that carries them",
    description="Quotes of one speaker in the same words, or nearly (90% of the words), "
    "are one quotation; listed earliest first.",
)
def quotation_detail(request, quotation_id: schemas.Id):
    quotation = QuoteGroup.objects.select_related("speaker").filter(pk=quotation_id).first()
    if quotation is None:
        raise Http404("No quotation with this id.")
    quotation.quotes = list(
        Quote.objects.shown()
        .filter(group=quotation)
        .for_api()
        .order_by(F("article__published").asc(nulls_last=True), "article__created", "pk")[:TELLINGS]
    )
    return quotation


class QuoteQuery(PageQuery):
    q: schemas.Text | None = Field(None, description="Words in the quote, speaker or title.")
    speaker: schemas.Slug | None = Field(None, description="The speaker's slug.")
    article: schemas.Id | None = Field(None, description="The article's id.")
    kind: QuoteKind | None = None
    status: schemas.ShownStatus | None = None
    min_confidence: float | None = Field(
        None,
        ge=0,
        le=1,
        allow_inf_nan=False,
        description="Only quotes whose attribution's confidence is at least this "
        "(quotes without one are left out).",
    )


@api.get(
    "/quotes",
    response={200: schemas.QuotePage, **LIST_ERRORS},
    url_name="quotes",
    summary="Quotes, newest first",
)
def quote_list(request, response: HttpResponse, filters: Query[QuoteQuery]):
    quotes = (
        Quote.objects.shown()
        .filtered(speaker=filters.speaker or "", article=filters.article, kind=filters.kind or "")
        .search(filters.q or "")
        .confident(filters.min_confidence)
        .for_api()
    )
    return _listed(request, response, quotes, QUOTE_ORDER, filters, status=filters.status)


# Claims ---------------------------------------------------------------------------------


class ClaimQuery(PageQuery):
    kind: ClaimKind | None = None
    holder: schemas.Slug | None = Field(None, description="The holder's slug.")
    highlighted: bool | None = Field(None, description="Only key claims (true) or the others.")


@api.get(
    "/claims",
    response={200: schemas.ClaimPage, **LIST_ERRORS},
    url_name="claims",
    summary="Claims, newest first",
)
def claim_list(request, response: HttpResponse, filters: Query[ClaimQuery]):
    return _listed(
        request,
        response,
        Claim.objects.shown().for_api(),
        QUOTE_ORDER,
        filters,
        kind=filters.kind,
        holder__slug=filters.holder,
        highlighted=filters.highlighted,
    )

"""Reader views: thin; reads live in QuerySet methods, marks in ``summit.rendering``.

Every HTMX interaction is also a plain link or form: without the ``HX-Request`` header
a view renders its full page; with it, the named partial of the same template.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from functools import wraps

from django.db.models import Case, Count, Exists, Min, OuterRef, TextField, When
from django.db.models.functions import Lower, Substr
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.views.decorators.vary import vary_on_headers

from summit import results
from summit.links import link, linker
from summit.models import (
    INDEX_MIN_ARTICLES,
    QUOTATION_MARKS,
    Article,
    Claim,
    EntityLabel,
    EntityMention,
    Quote,
    QuoteKind,
    RetiredQuote,
    Speaker,
    SpeakerKind,
    SpeakerRedirect,
    Status,
    normalise_name,
    with_elsewhere,
)
from summit.nlp.types import PARAGRAPH_JOIN
from summit.pagecache import LISTINGS, article_scope, cached_page, speaker_scope
from summit.pagination import COUNT_LIMIT, BoundedPaginator, MarkedPage
from summit.rendering import (
    MARKED_LABELS,
    EditorsWord,
    article_author,
    article_paragraphs,
    first_mentions,
    provenance,
    unnamed_source,
)

ARTICLES_PER_PAGE = 20
SPEAKERS_PER_PAGE = 40
# People reached by page number; past them, pages go from a place in the order.
SPEAKERS_NUMBERED = COUNT_LIMIT
QUOTES_PER_PAGE = 25
CARD_QUOTES = 3
SPEAKER_CLAIMS = 20
NAMED_ORGANISATIONS = 200
NAMED_ORGANISATIONS_ARTICLES = 500  # about 12 days of a newsroom storing 40 a day
MENTIONED_IN = 20  # newest articles a person page lists as naming them without a quote
WRITTEN = 20  # articles a person page lists as written by them
FILTER_CHOICES = 200  # speakers and articles offered by the quotes page's filter
# The annotation layers a reader can switch, in the order the toggles show: the one list
# the view, the template and the script (which reads the toggles' ``data-layer``) share.
LAYERS = (
    ("entities", "Names"),
    ("repeats", "Repeated names"),
    ("quotes", "Quotes"),
    ("claims", "Key claims"),
)
LAYER_NAMES = tuple(name for name, _ in LAYERS)
# Calm by default: a name is marked where the article first names it; a reader who wants
# every repeat marked turns "Repeated names" on (the choice is remembered, summit.js).
LAYERS_OFF_BY_DEFAULT = frozenset({"repeats"})


def _is_htmx(request) -> bool:
    """An HTMX request for a fragment (a history restore wants the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _without_empty_params(view):
    """A plain form submits its empty fields too (``?q=&kind=``): send the reader to the
    same page without them, so that addresses say only what was chosen."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _is_htmx(request) and any(v == "" for v in request.GET.values()):
            kept = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                kept.setlist(key, [v for v in values if v != ""])
            query = kept.urlencode()
            return redirect(f"{request.path}?{query}" if query else request.path)
        return view(request, *args, **kwargs)

    return wrapper


# Search words past this length are dropped (the README documents it): a LIKE pattern of
# tens of thousands of characters is refused by SQLite and slow everywhere.
MAX_QUERY_LENGTH = 200
MAX_ID = 2**63 - 1  # the largest id a 64-bit primary key holds


def _id_or_none(value) -> int | None:
    """A row id from the query string; anything else (words, 0, negatives, numbers no
    database column holds) is no id, and the filter is ignored."""
    try:
        number = int(str(value).strip()[:20])
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def _text_param(request, name: str, limit: int = MAX_QUERY_LENGTH) -> str:
    """A text parameter, stripped, without NUL characters (PostgreSQL refuses them), and
    at most ``limit`` characters long."""
    return request.GET.get(name, "").replace("\x00", "").strip()[:limit].strip()


def _with_chosen(choices, chosen) -> list:
    """A bounded list of filter choices, with the chosen one added when it is not in it."""
    choices = list(choices)
    if chosen is not None:
        choices += [c for c in chosen if c not in choices]
    return choices


@vary_on_headers("HX-Request")  # a fragment or a page: caches keep them apart
@_without_empty_params
def home(request):
    query = _text_param(request, "q")
    context = {"query": query, "nav": "home"}
    if query:  # where the words stand, most relevant first (summit/results.py)
        context["found"] = found = results.find(query, request.GET.get("page"))
        context["page"] = found.page
    else:
        articles = Article.objects.originals().with_lead().newest_first()
        context["page"] = BoundedPaginator(articles, ARTICLES_PER_PAGE).get_page(
            request.GET.get("page")
        )
    if _is_htmx(request):
        return render(request, "summit/home.html#results", context)
    return render(request, "summit/home.html", context)


def _layers(request) -> dict[str, bool]:
    """Which annotation layers show. ``?layers=1&show=quotes`` is the no-JS form."""
    if "layers" not in request.GET:
        return {layer: layer not in LAYERS_OFF_BY_DEFAULT for layer in LAYER_NAMES}
    shown = set(request.GET.getlist("show"))
    return {layer: layer in shown for layer in LAYER_NAMES}


def article_detail(request, pk):
    # The same for every reader who is not signed in: served from the cache until the
    # content changes (summit.pagecache). The layers chosen are all the page varies by.
    layers = _layers(request)
    variant = f"{pk}:{'layers' in request.GET}:" + ",".join(n for n in LAYER_NAMES if layers[n])
    return cached_page(
        request,
        "article",
        variant,
        lambda: _article_page(request, pk, layers),
        scopes=[article_scope(pk)],
    )


def _article_page(request, pk, layers):
    editor = request.user.has_perm("summit.change_quote")
    article = get_object_or_404(
        Article.objects.for_reading(labels=MARKED_LABELS, every_claim=editor), pk=pk
    )
    edit_url, desk = None, None
    if editor:
        edit_url, desk = _desk(article, request.user)
    paragraphs = _with_retired_quotes(article, article_paragraphs(article, edit_url=edit_url))
    quotes = list(article.quotes.all())
    people: dict[int, dict] = {}
    for quote in quotes:
        if quote.speaker is not None:
            entry = people.setdefault(
                quote.speaker_id,
                {
                    "speaker": quote.speaker,
                    "count": 0,
                    "card": link("speaker-card", quote.speaker.slug),
                },
            )
            entry["count"] += 1
    people_list = sorted(people.values(), key=lambda e: (-e["count"], e["speaker"].name))
    unnamed = _unnamed_sources(quotes)
    author = article_author(article)
    marked = [m for m in article.entitymentions.all() if m.label in MARKED_LABELS]
    labels_used = {m.label for m in marked}
    legend = [(label.value, label.label) for label in EntityLabel if label.value in labels_used]
    counts = {
        "entities": len(marked),
        "repeats": len(marked) - len(first_mentions(article)),
        "quotes": len(quotes),
        "claims": sum(1 for c in article.claims.all() if c.highlighted),
    }
    context = {
        "article": article,
        "paragraphs": paragraphs,
        "people": people_list,
        "unnamed": unnamed,
        "author": author,
        "lead_id": _title_from_lead(article),
        "source_count": len(people_list) + len(unnamed),
        "quote_count": counts["quotes"],
        "claim_count": counts["claims"],
        "legend": legend,
        "layers": [
            {
                "name": name,
                "label": label,
                "shown": layers[name],
                "default": name not in LAYERS_OFF_BY_DEFAULT,
                "count": counts[name],
            }
            for name, label in LAYERS
        ],
        "hidden_layers": [name for name, shown in layers.items() if not shown],
        "layers_explicit": "layers" in request.GET,
        "desk": desk,
        "also_published": article.also_published(),
    }
    return render(request, "summit/article.html", context)


def _title_from_lead(article) -> int | None:
    """The id of the first body paragraph when the article's title was made of its first
    words (the page then shows them once, as the lead), else None."""
    if not article.title_derived:
        return None
    lead = next((p for p in article.paragraphs.all() if p.kind == "body"), None)
    words = " ".join(article.title.removesuffix("…").split())
    if lead is None or not words or not " ".join(lead.text.split()).startswith(words):
        return None
    return lead.pk


def _unnamed_sources(quotes) -> list[dict]:
    """The sources an article quotes without naming them ("experts", "U.S. national
    security professionals"), one entry per wording, in reading order, with their quotes
    counted."""
    found: dict[str, dict] = {}
    for quote in quotes:
        if words := unnamed_source(quote):
            key = _QUANTIFIER.sub("", words.casefold())  # "some experts" are "experts"
            entry = found.setdefault(key, {"words": words, "count": 0})
            entry["count"] += 1
    return list(found.values())


# Words before an unnamed source that do not make it another source.
_QUANTIFIER = re.compile(r"^(?:(?:the|some|many|several|other|most|a few|few|two|three)\s+)+")


def _desk(article, user):
    """For a signed-in editor: each mark's admin link (back to its paragraph after
    saving) and what the desk panel shows (summit/_desk.html)."""
    here = article.get_absolute_url()
    # Each mark's link: its admin page (a pattern filled in) and the way back to its
    # paragraph (made once a paragraph): a hundred marks cost a hundred lookups else.
    back = {p.pk: "?" + urlencode({"next": f"{here}#{p.anchor}"}) for p in article.paragraphs.all()}
    first = "?" + urlencode({"next": f"{here}#p1"})
    change = {}
    for model in ("quote", "entitymention", "claim"):
        if user.has_perm(f"summit.change_{model}"):
            with contextlib.suppress(NoReverseMatch):  # a model not in the admin: no link
                change[model] = linker(f"admin:summit_{model}_change")

    def edit_url(annotation) -> str:
        url = change.get(annotation._meta.model_name)
        if url is None:
            return ""
        return url(annotation.pk) + back.get(annotation.paragraph_id, first)

    to_review = sum(1 for q in article.quotes.all() if q.status == Status.MACHINE)
    return edit_url, {"next": here, "to_review": to_review}


def _with_retired_quotes(article, paragraphs):
    """Old quote anchors (``#q12``) of quotes re-ingest found no more land on the
    paragraph where they stood, with a short note (shown only when it is the target)."""
    if not paragraphs:
        return paragraphs
    notes: dict[int, list] = {}
    shown = {q.pk for q in article.quotes.all()}  # a rejected quote may be shown again
    for retired in RetiredQuote.objects.filter(article=article).order_by("quote_id"):
        if retired.quote_id in shown:
            continue
        notes.setdefault(min(retired.paragraph_index, len(paragraphs) - 1), []).append(retired)
    out = []
    for paragraph, html in paragraphs:
        for retired in notes.get(paragraph.index, ()):
            words = retired.text.split(PARAGRAPH_JOIN)[0]
            said = (
                "A quote once marked here is no longer marked as a quote; its words stand "
                "in this paragraph"
                if words and words in paragraph.text
                else "A quote that stood here is no longer in the article as it now reads"
            )
            shown_words = Truncator(retired.text).chars(140)
            if retired.text[:1] not in QUOTATION_MARKS:
                shown_words = f"“{shown_words}”"
            html = (
                format_html(
                    '<span class="retired-quote" id="{}" role="note">{}: {}</span>',
                    retired.anchor,
                    said,
                    shown_words,
                )
                + html
            )
        out.append((paragraph, html))
    return out


@vary_on_headers("HX-Request")
@_without_empty_params
def speaker_list(request):
    kind = request.GET.get("kind", "")
    if kind not in SpeakerKind.values:
        kind = ""
    speakers = Speaker.objects.listed().by_quotes()
    if kind:
        speakers = speakers.filter(kind=kind)
    page = _people_page(request, speakers)
    context = {"page": page, "kind": kind, "kinds": SpeakerKind.choices, "nav": "people"}
    if kind == SpeakerKind.ORGANISATION:
        context["named_organisations"] = _named_organisations()
        context["named_organisations_articles"] = NAMED_ORGANISATIONS_ARTICLES
    if _is_htmx(request):
        return render(request, "summit/speakers.html#people", context)
    return render(request, "summit/speakers.html", context)


def _people_page(request, speakers):
    """The people index's page: by number within the first ``SPEAKERS_NUMBERED`` rows
    (an offset that stays short); past them, and for ``?page=last``, from a place in
    the order (``?after=<id>``, ``?before=<id>``), which reads a page of the index
    however deep it is."""
    n = SPEAKERS_PER_PAGE
    paginator = BoundedPaginator(speakers, n, limit=SPEAKERS_NUMBERED)
    after, before = _id_or_none(request.GET.get("after")), _id_or_none(request.GET.get("before"))
    mark = Speaker.objects.filter(pk=after or before).first() if after or before else None
    if mark is not None and after:
        rows = speakers.after(mark, n + 1)
        shown = rows[:n]
        return MarkedPage(shown, has_previous=True, has_next=len(rows) > n, status=_quoted(shown))
    if mark is not None:
        rows = speakers.before(mark, n + 1)
        if len(rows) > n:  # else the first page, by number
            return MarkedPage(rows[1:], has_previous=True, has_next=True, status=_quoted(rows[1:]))
    elif request.GET.get("page") == "last" and paginator.count_is_capped:
        rows = speakers.last_page(n + 1)
        return MarkedPage(rows[-n:], has_previous=len(rows) > n, has_next=False, status="Last page")
    return paginator.get_page(request.GET.get("page") if mark is None else 1)


def _quoted(speakers) -> str:
    """Where a page past the numbered ones stands: its speakers' quote counts."""
    if not speakers:
        return ""
    most, fewest = speakers[0].quote_count, speakers[-1].quote_count
    if not most:
        return "Named, not quoted"
    counts = f"{most:,}" if most == fewest else f"{most:,} to {fewest:,}"
    return f"Quoted {counts} time{'' if most == 1 else 's'}"


def _named_organisations() -> list[dict]:
    """Organisations the newest articles name that are nobody's speaker (no page of their
    own), one entry per name ("the Crisis Group" and "Crisis Group" are one), most named
    first; only those named in at least ``INDEX_MIN_ARTICLES`` articles. The newest
    ``NAMED_ORGANISATIONS_ARTICLES`` articles only: counting every mention in the
    archive on each request would read the whole mentions table."""
    newest = Article.objects.newest_first().values_list("pk", flat=True)[
        :NAMED_ORGANISATIONS_ARTICLES
    ]
    # one row per name, "the" and case aside, so that its articles are counted together
    key = Case(
        When(text__istartswith="the ", then=Lower(Substr("text", 5))),
        default=Lower("text"),
        output_field=TextField(),
    )
    rows = (
        EntityMention.objects.shown()
        .filter(label=EntityLabel.ORG, speaker__isnull=True, article__in=list(newest))
        .values(key=key)
        .annotate(text=Min("text"), mentions=Count("*"), articles=Count("article", distinct=True))
        .filter(articles__gte=INDEX_MIN_ARTICLES)  # named once: a mark in its text only
        .order_by("-mentions", "key")[:NAMED_ORGANISATIONS]
    )
    named: dict[str, dict] = {}
    for row in rows:
        name = re.sub(r"^the\s+", "", row["text"], flags=re.IGNORECASE)
        entry = named.setdefault(normalise_name(name), {"name": name, "mentions": 0, "articles": 0})
        entry["mentions"] += row["mentions"]
        entry["articles"] = max(entry["articles"], row["articles"])
    return sorted(named.values(), key=lambda e: (-e["mentions"], e["name"].casefold()))


def _speaker(request, slug):
    """``(speaker, None)`` for the speaker at ``slug``; ``(None, redirect)`` for a speaker
    merged into another, so that old links still arrive."""
    speaker = Speaker.objects.prefetch_related("aliases").filter(slug=slug).first()
    if speaker is not None:
        return speaker, None
    moved = SpeakerRedirect.objects.select_related("speaker").filter(old_slug=slug).first()
    if moved is None:
        raise Http404("No such person.")
    target = reverse(request.resolver_match.url_name, args=[moved.speaker.slug])
    query = request.META.get("QUERY_STRING")
    return None, redirect(f"{target}?{query}" if query else target, permanent=True)


def _listing_variant(request, *parts) -> str:
    """What a listing page varies by, for ``cached_page``: the fragment or the whole
    page, ``parts`` of the path and every parameter of the address (hashed: an address
    may be long, a cache key may not)."""
    address = "\n".join([*map(str, parts), request.GET.urlencode()])
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"{'htmx' if _is_htmx(request) else 'page'}:{digest}"


@vary_on_headers("HX-Request")
def speaker_detail(request, slug):
    # Served from the cache for readers who are not signed in (summit.pagecache); a
    # merged speaker's old address still redirects, since only a 200 is cached.
    variant = _listing_variant(request, slug)
    return cached_page(
        request,
        "person",
        variant,
        lambda: _speaker_page(request, slug),
        scopes=[speaker_scope(slug)],
    )


def _speaker_page(request, slug):
    speaker, moved = _speaker(request, slug)
    if moved:
        return moved
    page = _speaker_quotes_page(request, speaker)
    context = {
        "speaker": speaker,
        "nav": "people",
        "page": page,
        "previous_article": page.previous_article,
        "can_edit_quotes": request.user.has_perm("summit.change_quote"),
    }
    if _is_htmx(request) and page.number > 1:
        return render(request, "summit/speaker.html#quote-page", context)
    # What they wrote (a byline or a note about the author names them), opinion first;
    # the claims in it that no one else holds are theirs.
    context["written"] = written = list(Article.objects.originals().written_by(speaker)[:WRITTEN])
    context["mentioned_in"] = (
        Article.objects.originals()
        .mentioning_only(speaker)
        .exclude(pk__in=[a.pk for a in written])
        .newest_first()[:MENTIONED_IN]
    )
    # The first claims read in the claim_by_holder index order (no sort of a busy
    # speaker's thousands), then put in reading order.
    held = Claim.objects.shown().filter(holder=speaker)
    if written:
        held = held | Claim.objects.shown().filter(
            holder__isnull=True, article__in=[a.pk for a in written]
        )
    first = held.order_by("-highlighted", "article_id", "pk").values("pk")[:SPEAKER_CLAIMS]
    context["claims"] = (
        Claim.objects.filter(pk__in=first)
        .select_related("article", "paragraph")
        .order_by("-highlighted", "article_id", "paragraph__index", "start")
    )
    return render(request, "summit/speaker.html", context)


def _provenance(quote) -> str:
    """How the quote's speaker was found (``summit.rendering.provenance``); where the
    machine kept no mention, the paragraph the speaker was last named in before it."""
    named_in = None
    if quote.speaker_id and not quote.via:
        named_in = (
            EntityMention.objects.shown()
            .filter(
                article=quote.article_id,
                speaker=quote.speaker_id,
                paragraph__index__lte=quote.paragraph.index,
            )
            .order_by("-paragraph__index", "-start")
            .values_list("paragraph__index", flat=True)
            .first()
        )
    return provenance(quote, named_in, editors_word(quote))


def editors_word(quote) -> EditorsWord | None:
    """Who of the editors last set or checked ``quote``, and whether they chose its
    speaker (or made it) — from its history; ``None`` for the machine's own."""
    if not quote.edited and quote.status == Status.MACHINE:
        return None
    rows = list(
        quote.history.order_by("history_id").values(
            "speaker_id", "history_user_id", "history_user__username", "history_date"
        )
    )
    by_editors = [r for r in rows if r["history_user_id"] is not None]
    if not by_editors:
        return None
    first, last = rows[0], by_editors[-1]
    made_by_editor = first["history_user_id"] is not None
    return EditorsWord(
        who=last["history_user__username"],
        when=last["history_date"],
        chose_speaker=made_by_editor or first["speaker_id"] != quote.speaker_id,
    )


def _speaker_quotes_page(request, speaker):
    """The requested page of ``speaker``'s shown quotes, newest first."""
    count = speaker.quotation_count  # each quotation once, however many articles carry it
    paginator = BoundedPaginator(Quote.objects.none(), QUOTES_PER_PAGE, count=count)
    number = paginator.get_page(request.GET.get("page")).number
    quotes = (
        Quote.objects.shown()
        .by_speaker_newest(speaker, first=number * QUOTES_PER_PAGE, listed=True)
        .for_listing()
    )
    page = BoundedPaginator(quotes, QUOTES_PER_PAGE, count=count).page(number)
    # With the quote before the page, in the same query: the article the previous page
    # ended in, whose heading is not repeated.
    offset = (number - 1) * QUOTES_PER_PAGE
    rows = list(
        quotes[offset - 1 : offset + QUOTES_PER_PAGE] if offset else quotes[:QUOTES_PER_PAGE]
    )
    page.previous_article = rows.pop(0).article_id if offset and rows else None
    page.object_list = with_elsewhere(rows)
    return page


def _in_newest_articles(quotes, number):
    """``quotes`` in the newest articles that hold one, enough for page ``number``
    newest first (each article holds at least one), and how many there are (counted up
    to the paginator's limit). The articles are walked in the ``article_newest`` index's
    order, so that a page reads a few articles' quotes: asked for the quotes directly, a
    planner may read every listed quote and sort them."""
    paginator = BoundedPaginator(quotes, QUOTES_PER_PAGE)
    count = paginator.count
    first = paginator.get_page(number).number * QUOTES_PER_PAGE
    holding = (
        Article.objects.filter(Exists(quotes.filter(article=OuterRef("pk"))))
        .newest_first()
        .values("pk")[:first]
    )
    return quotes.filter(article__in=holding), count


@vary_on_headers("HX-Request")
def speaker_card(request, slug):
    speaker, moved = _speaker(request, slug)
    if moved:
        return moved
    # Their best quotes (``QuoteQuerySet.best_of_speaker``: verified, their own words,
    # the fullest), not merely the latest: the card says so.
    quotes = Quote.objects.shown().best_of_speaker(speaker).for_listing()
    context = {"speaker": speaker, "quotes": quotes[:CARD_QUOTES], "nav": "people"}
    # Opened from a quote: that quote first, with how its speaker was found, and the
    # best of the others after it.
    this_quote = (
        Quote.objects.shown()
        .filter(speaker=speaker, pk=_id_or_none(request.GET.get("quote")))
        .for_listing()
        .first()
    )
    if this_quote is not None:
        context["this_quote"] = this_quote
        context["provenance"] = _provenance(this_quote)
        context["quotes"] = quotes.exclude(pk=this_quote.pk)[:CARD_QUOTES]
    if _is_htmx(request):
        return render(request, "summit/speaker_card.html#card", context)
    return render(request, "summit/speaker_card.html", context)


def _quote_elsewhere(pk):
    """A quote not shown any more (rejected, or gone when its article was re-ingested) is
    still a lasting address: it lands on its article, where a note stands in its place."""
    quote = Quote.objects.filter(pk=pk).only("pk", "article_id").first()
    if quote is None:
        quote = get_object_or_404(RetiredQuote.objects.only("quote_id", "article_id"), quote_id=pk)
    return redirect(f"{reverse('article', args=[quote.article_id])}#q{pk}")


def quote_detail(request, pk):
    """A quote's permalink: the quote in its sentence, where it stands, how its speaker was
    found, and how to cite it (the cite control's page without JavaScript)."""
    quote = Quote.objects.shown().for_listing().filter(pk=pk).first()
    if quote is None:
        return _quote_elsewhere(pk)
    context = {
        "quote": quote,
        "elsewhere": list(quote.tellings()),
        "provenance": _provenance(quote),
        "nav": "quotes",
        "can_edit_quotes": request.user.has_perm("summit.change_quote"),
    }
    return render(request, "summit/quote.html", context)


@vary_on_headers("HX-Request")
@_without_empty_params
def quote_list(request):
    # Served from the cache for readers who are not signed in (summit.pagecache).
    return cached_page(
        request,
        "quotes",
        _listing_variant(request),
        lambda: _quotes_page(request),
        scopes=[LISTINGS],
    )


def _quotes_page(request):
    query = _text_param(request, "q")
    speaker = _text_param(request, "speaker", limit=320)
    article = _id_or_none(request.GET.get("article"))
    kind = request.GET.get("kind", "")
    if kind not in QuoteKind.values:
        kind = ""
    only_speaker = speaker and not (article or kind or query)
    chosen = Speaker.objects.filter(slug=speaker).first() if only_speaker else None
    if chosen is not None:  # one speaker's quotes: counted already, found by article
        page = _speaker_quotes_page(request, chosen)
    else:
        quotes = Quote.objects.shown().filtered(speaker=speaker, article=article, kind=kind)
        # Each quotation once, however many articles carry it; one article's: all of them.
        count = None
        if query:
            quotes = quotes.search(query, read=True)
            quotes = quotes if article else quotes.one_per_quotation()
        elif speaker and not article:  # few: read by speaker (quote_listed_by_speaker)
            quotes = quotes.listed()
        elif not article:
            quotes, count = _in_newest_articles(quotes.listed(), request.GET.get("page"))
        quotes = quotes.for_listing().newest_first()
        paginator = BoundedPaginator(quotes, QUOTES_PER_PAGE, count=count)
        page = paginator.get_page(request.GET.get("page"))
        page.object_list = with_elsewhere(page.object_list)
    context = {
        "page": page,
        "query": query,
        "speaker": speaker,
        "article": article,
        "kind": kind,
        "kinds": QuoteKind.choices,
        "nav": "quotes",
        "can_edit_quotes": request.user.has_perm("summit.change_quote"),
    }
    if _is_htmx(request):
        return render(request, "summit/quotes.html#results", context)
    # The filter's choices: the most quoted and the newest, and the one chosen.
    speakers = Speaker.objects.quoted().only("name", "slug", "quote_count")
    context["speakers"] = _with_chosen(
        speakers[:FILTER_CHOICES], speakers.filter(slug=speaker) if speaker else None
    )
    articles = Article.objects.newest_first().only("title", "published", "created")
    context["articles"] = _with_chosen(
        articles[:FILTER_CHOICES], articles.filter(pk=article) if article else None
    )
    return render(request, "summit/quotes.html", context)

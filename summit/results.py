"""What a search of the archive shows (the home page's search): where the words stand.

- Articles, most relevant first: those whose title matches, then by their best
  paragraph's rank in the full-text index (``Paragraph.objects.search``: PostgreSQL's
  ``ts_rank``, on SQLite BM25); each with the index's snippets of its best matching
  paragraphs, the matched words marked, each a link to its paragraph (``#pN``).
- Quotes that hold the words, those in the best matching paragraphs first, with facets
  by kind and by speaker (links to the quotes page, filtered).
- People whose name or an alias holds the words.
- The words to mark in titles and quotes: the words as the index matched them in the
  text ("talking" for "talks") and the reader's own.

Everything is read in a fixed number of queries however large the archive: the index
gives at most ``summit.search.SEARCH_CANDIDATES`` paragraphs and titles, ranked here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import Count, prefetch_related_objects

from summit import search
from summit.models import (
    Article,
    Paragraph,
    Quote,
    QuoteKind,
    Speaker,
    lead_paragraphs,
    with_elsewhere,
)
from summit.pagination import BoundedPaginator

ARTICLES_PER_PAGE = 20
SNIPPETS = 2  # matching paragraphs shown under each article found
QUOTES = 5
SPEAKERS = 6  # speakers offered as facets of the quotes found
PEOPLE = 8


@dataclass
class Found:
    query: str
    page: Page  # of articles, each with ``hits`` (paragraphs) and ``title_matched``
    capped: bool = False  # the index had more than it reads: "at least" so many
    words: list[str] = field(default_factory=list)
    quotes: list = field(default_factory=list)
    quote_count: int = 0
    kinds: list[tuple[str, str, int]] = field(default_factory=list)
    speakers: list[dict] = field(default_factory=list)
    people: list = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return bool(self.page.paginator.count or self.quote_count or self.people)


def find(query: str, page_number=None, *, per_page: int = ARTICLES_PER_PAGE) -> Found:
    # The ranking first (ids and ranks, best first); snippets only for what the page shows.
    ranking = list(Paragraph.objects.search(query).values_list("pk", "article_id", "search_rank"))
    titled = list(Article.objects.titled(query))
    articles = {article.pk: article for article in titled}
    best: dict[int, float] = {}
    hits: dict[int, list[int]] = {}
    for pk, article_id, rank in ranking:
        best.setdefault(article_id, rank)
        hits.setdefault(article_id, []).append(pk)
    titles = set(articles)
    matching = titles | set(best)
    # Another outlet's copy of a story found too (``Article.copy_of``): the story once.
    copies = Article.objects.filter(pk__in=matching, copy_of__in=matching)
    matching -= set(copies.values_list("pk", flat=True))
    ranked = sorted(matching, key=lambda pk: (pk in titles, best.get(pk, 0.0), pk), reverse=True)
    page = BoundedPaginator(ranked, per_page).get_page(page_number)
    shown = [pk for article_id in page.object_list for pk in hits.get(article_id, [])[:SNIPPETS]]
    snippets: dict[int, list] = {}
    for paragraph in Paragraph.objects.search(query, among=shown).select_related("article"):
        articles.setdefault(paragraph.article_id, paragraph.article)
        snippets.setdefault(paragraph.article_id, []).append(paragraph)
    page.object_list = [articles[pk] for pk in page.object_list if pk in articles]
    for article in page.object_list:
        article.title_matched = article.pk in titles
        article.hits = sorted(snippets.get(article.pk, []), key=lambda p: p.index)
        for paragraph in article.hits:
            paragraph.article = article
    if page.object_list:
        prefetch_related_objects(page.object_list, lead_paragraphs())

    marked = [
        w for a in page.object_list for p in a.hits for w in search.marked_words(p.search_snippet)
    ]
    found = Found(
        query=query,
        page=page,
        capped=search.SEARCH_CANDIDATES in (len(ranking), len(titled)),
        words=list(dict.fromkeys(marked + [w for w in search.words(query) if len(w) > 1])),
        people=list(Speaker.objects.search(query).by_quotes()[:PEOPLE]),
    )
    _quotes(found, query, [pk for pk, _, _ in ranking], list(titles))
    return found


def _quotes(found: Found, query: str, ranked_paragraphs: list[int], titles: list[int]) -> None:
    # Each quotation once, however many articles carry it.
    quotes = (
        Quote.objects.shown()
        .search(query, paragraphs=ranked_paragraphs, titles=titles)
        .one_per_quotation()
    )
    counts = quotes.order_by().values("kind").annotate(n=Count("pk"))
    kinds = {row["kind"]: row["n"] for row in counts}
    found.quote_count = sum(kinds.values())
    if not found.quote_count:
        return
    found.kinds = [
        (value, label, kinds[value]) for value, label in QuoteKind.choices if value in kinds
    ]
    found.speakers = list(
        quotes.filter(speaker__isnull=False)
        .values("speaker__slug", "speaker__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "speaker__name")[:SPEAKERS]
    )
    found.quotes = with_elsewhere(
        quotes.in_order_of_paragraphs(ranked_paragraphs).for_listing()[:QUOTES]
    )

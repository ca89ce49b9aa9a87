"""Summit's data: articles, their paragraphs, speakers, and annotations anchored in text.

Every annotation (entity mention, quote, claim) is anchored by character offsets into
its paragraph's text *and* keeps the exact text it covers, so that it can be found
again when the paragraph changes. The two always agree: ``Annotation.clean()`` checks
it, and ingestion only writes what the language pipeline proved.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import connections, models
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Length
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from summit import search
from summit.links import link
from summit.nlp.gazetteer import name_key
from summit.nlp.types import shorten, span_text

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


# Bidirectional controls: embeddings, overrides, isolates and marks. In a name they can
# make "Ann <U+202E>eciloP<U+202C> Smith" display as "Ann Police Smith".
BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"),
    None,
)


def clean_name(name: str) -> str:
    """A name without bidirectional controls, its spaces collapsed."""
    return " ".join(name.translate(BIDI_CONTROLS).split())


# Characters that show nothing (Unicode's Default_Ignorable_Code_Point: zero-width spaces
# and joiners, soft hyphens, variation selectors, fillers, tags): "Dan\u200b Lee" looks
# like "Dan Lee" and must be matched as it.
_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
NAME_KEY_LENGTH = 300  # the name_key columns' size


@lru_cache(maxsize=8192)
def _latin_lookalike(char: str) -> str:
    """The Latin letter ``char`` is confusable with, by Unicode's confusables data (UTS
    #39, as packaged by confusable_homoglyphs): the Cyrillic "а" is "a", the Greek "ο" is
    "o". A Latin letter, or one that looks like no Latin letter, stays itself."""
    if char.isascii() or not char.isalpha():
        return char
    # Imported here: its data costs every process ~50 ms to load, and most names are ASCII.
    from confusable_homoglyphs import confusables  # type: ignore[import-untyped]

    found = confusables.is_confusable(char, preferred_aliases=["latin"])
    for lookalike in found[0]["homoglyphs"] if found else ():
        if len(lookalike["c"]) == 1 and lookalike["c"].isascii() and lookalike["c"].isalpha():
            return lookalike["c"].casefold()
    return char


@lru_cache(maxsize=65536)
def normalise_name(name: str) -> str:
    """The form names are matched in (speakers' and aliases' ``name_key``, never shown):
    case-folded, accents and punctuation folded, and look-alikes made one. Invisible
    characters are dropped, compatibility forms folded (NFKC: "ｄａｎ" is "dan") and each
    letter of another script that looks like a Latin one replaced by it (Unicode's
    confusables, UTS #39): the Cyrillic "а" in "Dаn Lee" and the Latin "a" in "Dan Lee"
    give one key."""
    text = name_key(unicodedata.normalize("NFKC", _IGNORABLE.sub("", name)))
    return name_key("".join(map(_latin_lookalike, text)))[:NAME_KEY_LENGTH]


MAX_ID = 2**63 - 1  # the largest id any table here holds


def as_id(value: object) -> int | None:
    """``value`` (a query parameter, a form field) as a row id if it is one: ASCII digits
    for a number from 1 to ``MAX_ID``. Else None: "²" or "٣" pass ``str.isdigit`` but are no
    id, and a 30-digit number no database column holds."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 19):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


class ArticleKind(models.TextChoices):
    NEWS = "news", "News"
    OPINION = "opinion", "Opinion"


class ParagraphKind(models.TextChoices):
    BODY = "body", "Body"
    HEADING = "heading", "Heading"
    CAPTION = "caption", "Photo caption"
    BYLINE = "byline", "Byline"
    BIO = "bio", "Author bio"


class SpeakerKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"


class Status(models.TextChoices):
    MACHINE = "machine", "Machine"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"


class QuoteKind(models.TextChoices):
    DIRECT = "direct", "Direct"
    PARTIAL = "partial", "Partial"
    INDIRECT = "indirect", "Indirect"


class ClaimKind(models.TextChoices):
    PREDICTION = "prediction", "Prediction"
    BELIEF = "belief", "Belief or assessment"
    RECOMMENDATION = "recommendation", "Recommendation"


class EntityLabel(models.TextChoices):
    PERSON = "PERSON", "Person"
    ORG = "ORG", "Organisation"
    GPE = "GPE", "Country, city or state"
    NORP = "NORP", "Nationality, religious or political group"
    LOC = "LOC", "Location"
    FAC = "FAC", "Building or facility"
    EVENT = "EVENT", "Event"
    LAW = "LAW", "Law or treaty"
    PRODUCT = "PRODUCT", "Product"
    WORK_OF_ART = "WORK_OF_ART", "Title of a work"
    LANGUAGE = "LANGUAGE", "Language"
    DATE = "DATE", "Date"
    TIME = "TIME", "Time"
    MONEY = "MONEY", "Money"
    PERCENT = "PERCENT", "Percentage"
    QUANTITY = "QUANTITY", "Quantity"
    ORDINAL = "ORDINAL", "Ordinal"
    CARDINAL = "CARDINAL", "Number"


# Articles ------------------------------------------------------------------------------

# Newest first; the ``article_newest`` index holds articles in exactly this order, and
# the id makes it total, so listings that follow it (quotes too) read it without a sort.
NEWEST_ARTICLE_ORDER = (
    models.F("published").desc(nulls_last=True),
    models.F("created").desc(),
    models.F("id").desc(),
)


# How many other outlets' copies an article page lists.
ALSO_PUBLISHED = 50


class ArticleQuerySet(models.QuerySet):
    def originals(self):
        """Articles that are no copy of another (``copy_of``): a story carried by many
        outlets once, as first ingested."""
        return self.filter(copy_of__isnull=True)

    def newest_first(self):
        """Newest first, in the order of the ``article_newest`` index (no sort)."""
        return self.order_by(*NEWEST_ARTICLE_ORDER)

    def titled(self, query: str, *, candidates: int = search.SEARCH_CANDIDATES):
        """The ``candidates`` most recent articles whose title matches ``query``
        (full-text, as ``search``); no words: none."""
        if not search.has_words(query.strip()):
            return self.none()
        vendor = connections[self.db].vendor
        titles = RawSQL(*search.matching_sql(vendor, "summit_article", query.strip(), candidates))
        return self.filter(pk__in=titles)

    def search(self, query: str, *, candidates: int = search.SEARCH_CANDIDATES):
        """Articles whose title or text matches ``query`` (full-text, stemmed: see
        ``summit.search``), among the ``candidates`` most recent matching titles and
        paragraphs; an empty query leaves the articles as they are. For ranked results
        with snippets, see ``Paragraph.objects.search``."""
        query = query.strip()
        if not query:
            return self
        if not search.has_words(query):
            return self.none()
        vendor = connections[self.db].vendor
        titles = Article.objects.filter(
            pk__in=RawSQL(*search.matching_sql(vendor, "summit_article", query, candidates))
        )
        paragraphs = Paragraph.objects.filter(
            pk__in=RawSQL(*search.matching_sql(vendor, "summit_paragraph", query, candidates))
        )
        # One set (a UNION, not an OR of two tests): the planner reads it first, then
        # the few articles in it, instead of testing every article against both.
        found = titles.order_by().values("pk").union(paragraphs.order_by().values("article_id"))
        return self.filter(pk__in=found)

    def for_reading(self, labels=None, *, every_claim: bool = False):
        """Everything the reader's article page shows, in a fixed number of queries: the
        prefetches of ``prefetch_article_annotations()``, loading only the fields that
        rendering marks needs (an article may hold hundreds of mentions), and only the
        mentions with one of ``labels`` when given. Claims: the highlighted ones, or with
        ``every_claim`` (for editors, who may highlight the others) all shown."""
        speaker = ("speaker__id", "speaker__name", "speaker__slug", "speaker__kind")
        place = ("id", "article_id", "paragraph_id", "start", "end", "status")
        mentions = EntityMention.objects.shown()
        if labels is not None:
            mentions = mentions.filter(label__in=sorted(labels))
        return self.prefetch_related(
            Prefetch("paragraphs", queryset=Paragraph.objects.order_by("index")),
            Prefetch(
                "entitymentions",
                queryset=mentions.select_related("speaker").only(*place, "label", *speaker),
            ),
            Prefetch(
                "quotes",
                queryset=Quote.objects.shown()
                .select_related("speaker")
                .only(
                    *place,
                    "end_paragraph_id",
                    "kind",
                    "cue",
                    "speaker_text",
                    "confidence",
                    *speaker,
                ),
            ),
            Prefetch(
                "claims",
                queryset=Claim.objects.shown()
                .filter(**({} if every_claim else {"highlighted": True}))
                .select_related("holder")
                .only(*place, "kind", "highlighted", "holder__id", "holder__name"),
            ),
        )

    def with_lead(self):
        """Prefetch the opening paragraphs as ``lead_paragraphs`` (for a teaser line)."""
        return self.prefetch_related(lead_paragraphs())

    def filtered(self, *, outlet=None, kind=None, published_from=None, published_to=None):
        """Narrowed by outlet (any case), kind and a range of publication dates; None: any."""
        qs = self
        if outlet:
            qs = qs.filter(outlet__iexact=outlet)
        if kind:
            qs = qs.filter(kind=kind)
        if published_from:
            qs = qs.filter(published__gte=published_from)
        if published_to:
            qs = qs.filter(published__lte=published_to)
        return qs

    def written_by(self, speaker):
        """Articles ``speaker`` wrote: those whose byline or note about the author names
        them (a mention of them in a byline or bio paragraph), opinion pieces first, then
        newest first. A speaker named often (more than ``FEW_MENTIONS``) is looked for in
        the author paragraphs (``paragraph_author``) rather than in their every mention."""
        if speaker.mention_count > FEW_MENTIONS:
            named = EntityMention.objects.filter(paragraph=OuterRef("pk"), speaker=speaker)
            bylines = Paragraph.objects.filter(AUTHOR_PARAGRAPH_SQL, Exists(named)).values(
                "article"
            )
        else:
            bylines = EntityMention.objects.filter(
                speaker=speaker, paragraph__kind__in=AUTHOR_PARAGRAPHS
            ).values("article")
        opinion_first = Case(
            When(kind="opinion", then=Value(0)),
            default=Value(1),
            output_field=models.IntegerField(),
        )
        return self.filter(pk__in=bylines).order_by(opinion_first, "-published", "-created", "-pk")

    def mentioning_only(self, speaker):
        """Articles that name ``speaker`` without quoting them, with how often they do
        (``mention_count``). Of a speaker named often (more than ``FEW_MENTIONS``),
        each test is an indexed lookup a row, so a slice of the newest of these stops
        early. Of the others, their articles are read from their mentions and sorted:
        walked newest first, a speaker named only in old articles had every newer
        article tested (150 ms at 100,000 articles; 9 ms so). Reading and sorting a
        busier speaker's would cost more than the walk finds them in."""
        mentions = EntityMention.objects.filter(article=OuterRef("pk"), speaker=speaker)
        quoted = Quote.objects.shown().filter(article=OuterRef("pk"), speaker=speaker)
        if speaker.mention_count > FEW_MENTIONS:
            naming = self.filter(Exists(mentions))
        else:
            # Sliced, so that it is read as a list (SQLite: LIST SUBQUERY) and its
            # articles looked up by id, not tested one by one in the newest-first walk.
            ids = EntityMention.objects.filter(speaker=speaker).values("article_id")
            naming = self.filter(pk__in=ids[: 2 * FEW_MENTIONS])
        return naming.exclude(Exists(quoted)).annotate(
            mention_count=Subquery(
                mentions.order_by().values("article").annotate(n=Count("pk")).values("n")
            )
        )


class Article(models.Model):
    title = models.CharField(max_length=500)
    title_derived = models.BooleanField(
        default=False, help_text="The source had no headline; this one was made from the lead."
    )
    byline = models.CharField(max_length=300, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    published = models.DateField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=ArticleKind, default=ArticleKind.NEWS)
    source = models.CharField(
        max_length=2000, unique=True, help_text="The ingested file's path or the article's URL."
    )
    source_file = models.CharField(max_length=500, blank=True, help_text="The file's base name.")
    content_hash = models.CharField(max_length=64, db_index=True)
    copy_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        help_text="The article first ingested with nearly this text (wire copy another "
        "outlet carried): listings show that one, this one says it was also published here.",
    )
    pipeline = models.CharField(
        max_length=200, blank=True, help_text="The language pipeline that made the annotations."
    )
    edited_fields = models.JSONField(
        default=list, blank=True, help_text="Fields an editor changed; re-ingest keeps them."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    # Kept by summit.services.counters in the transaction that changes the quotes.
    quote_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Quotes shown (not rejected)."
    )
    speaker_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Distinct speakers of the quotes shown."
    )

    history = HistoricalRecords(excluded_fields=["quote_count", "speaker_count"])
    # Set by services before a save or delete: who simple_history records as making it.
    _history_user: AbstractBaseUser | None
    _change_reason: str
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "-created"]
        indexes = [
            # On PostgreSQL the migration makes it "published DESC NULLS LAST" (SQLite
            # puts nulls last in a descending index already, and accepts no NULLS there).
            models.Index(fields=["-published", "-created", "-id"], name="article_newest"),
            # Ingest looks for a near-duplicate of a new source by file name and title.
            models.Index(fields=["source_file"], name="article_by_file"),
            models.Index(fields=["title"], name="article_by_title"),
            # Most articles are no copy: the foreign key's index of every row, nearly all
            # empty, tells SQLite's planner that one story has as many copies as there
            # are articles, and it walked every article newest first for a story's other
            # outlets. This one holds the copies alone.
            models.Index(
                fields=["copy_of"], condition=Q(copy_of__isnull=False), name="article_copies"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return link("article", self.pk)

    @property
    def outlet_name(self) -> str:
        """Who published it: its outlet, else its address's host, else its file's name."""
        if self.outlet:
            return self.outlet
        host = urlsplit(self.source).hostname if self.source.startswith("http") else ""
        return (host or "").removeprefix("www.") or self.source_file or self.source

    def also_published(self) -> list[Article]:
        """The other articles of its story (the first ingested with nearly this text and
        the copies linked to it), earliest first; one query."""
        story = self.copy_of_id or self.pk
        return list(
            Article.objects.filter(Q(pk=story) | Q(copy_of=story))
            .exclude(pk=self.pk)
            .only("title", "outlet", "published", "source", "source_file", "created", "copy_of")
            .order_by(F("published").asc(nulls_last=True), "created", "pk")[:ALSO_PUBLISHED]
        )


def lead_paragraphs() -> Prefetch:
    """An article's opening paragraphs as ``lead_paragraphs`` (for a teaser line), to
    prefetch on a QuerySet (``with_lead``) or on articles at hand."""
    return Prefetch(
        "paragraphs",
        queryset=Paragraph.objects.filter(index__lt=4, kind=ParagraphKind.BODY).order_by("index"),
        to_attr="lead_paragraphs",
    )


class ParagraphQuerySet(models.QuerySet):
    def search(
        self,
        query: str,
        *,
        candidates: int = search.SEARCH_CANDIDATES,
        among: list[int] | None = None,
    ):
        """Full-text search over every article's paragraphs, best match first (on SQLite the
        matching runs when this is called; the QuerySet holds its ranks and snippets).

        Returns a QuerySet of ``Paragraph`` (its ``article`` selected with it), each with:

        - ``search_rank``: a float, higher is better (PostgreSQL ``ts_rank``; SQLite
          BM25 over the candidates, ``summit.search.fts5_hits``); results are ordered
          by it, then newest first;
        - ``search_snippet``: the words around the matches, plain text with
          ``summit.search.MARK_START`` / ``MARK_END`` around each match;
          ``paragraph.snippet_html`` is it as safe HTML, escaped, matches in ``<mark>``;
        - ``paragraph.get_absolute_url()``: the article page at that paragraph (``#pN``).

        ``query`` takes words (all must be there, stemmed: "says" finds "say") and
        "quoted phrases"; on PostgreSQL also ``or`` and ``-word``. Only the
        ``candidates`` most recently stored matching paragraphs are ranked, so a word in
        every article costs what a rare one does. No words: no results.

        ``among``: only these paragraphs (found by an earlier search), to cut snippets
        for those a page shows rather than for every candidate: a ranking alone is
        ``search(query).values_list("pk", "article_id", "search_rank")``, which on
        PostgreSQL leaves the headline out.
        """
        query = query.strip()
        if not search.has_words(query):
            return self._no_hits()
        vendor = connections[self.db].vendor
        ids: RawSQL | list[int] = (
            RawSQL(*search.matching_sql(vendor, "summit_paragraph", query, candidates))
            if among is None
            else list(among)
        )
        if vendor == "postgresql":
            from django.contrib.postgres.search import (
                SearchHeadline,
                SearchQuery,
                SearchRank,
                SearchVectorField,
            )

            words = SearchQuery(query, search_type="websearch", config="english")
            vector = RawSQL('"summit_paragraph"."search"', [], output_field=SearchVectorField())
            rank = SearchRank(vector, words)
            snippet = SearchHeadline(
                "text",
                words,
                config="english",
                start_sel=search.MARK_START,
                stop_sel=search.MARK_END,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        else:
            # FTS5 ranks and cuts snippets in the one pass that finds the candidates.
            hits = search.fts5_hits(connections[self.db], query, candidates, among)
            if not hits:
                return self._no_hits()
            ids = [pk for pk, _, _ in hits]

            def by_row(values: dict, field):  # a JSON object of the hits, read a row each
                sql = 'json_extract(%s, \'$.p\' || "summit_paragraph"."id")'
                return RawSQL(sql, [json.dumps(values)], field)

            rank = by_row({f"p{pk}": r for pk, r, _ in hits}, models.FloatField())
            snippet = by_row({f"p{pk}": s for pk, _, s in hits}, models.TextField())
        return (
            self.filter(pk__in=ids)
            .annotate(search_rank=rank, search_snippet=snippet)
            .select_related("article")
            .order_by("-search_rank", "-pk")
        )

    def _no_hits(self):
        """No results, with the fields a search's results have."""
        return self.none().annotate(
            search_rank=models.Value(0.0, output_field=models.FloatField()),
            search_snippet=models.Value("", output_field=models.TextField()),
        )


class Paragraph(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="paragraphs")
    index = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=ParagraphKind, default=ParagraphKind.BODY)
    text = models.TextField()
    # Null, not "", for none: SQLite adds a nullable column in place, where a NOT NULL
    # one would copy the whole table (and drop the full-text index's triggers on it).
    fingerprint = models.CharField(  # noqa: DJ001
        max_length=16,
        null=True,
        blank=True,
        editable=False,
        help_text="Of its words (``paragraph_fingerprint``): how ingest finds another "
        "outlet's copy of an article. None for a paragraph too short to tell.",
    )

    objects = ParagraphQuerySet.as_manager()

    class Meta:
        ordering = ["article", "index"]
        constraints = [
            models.UniqueConstraint(fields=["article", "index"], name="paragraph_unique_index")
        ]
        indexes = [
            # Oldest article first for a fingerprint: the first ingested copy is found.
            models.Index(
                fields=["fingerprint", "article"],
                condition=Q(fingerprint__isnull=False),
                name="paragraph_by_fingerprint",
            ),
            # The paragraphs that name an article's author (``AUTHOR_PARAGRAPHS``): what a
            # person wrote is found from these, not from every mention of a busy name.
            models.Index(
                fields=["id"],
                condition=Q(kind__in=["byline", "bio"]),
                name="paragraph_author",
            ),
        ]

    def save(self, *args, **kwargs):
        self.fingerprint = paragraph_fingerprint(self.text, self.kind)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"¶{self.index + 1} of {self.article}"

    @property
    def anchor(self) -> str:
        return f"p{self.index + 1}"

    @property
    def snippet_html(self):
        """A search result's snippet as HTML (see ``ParagraphQuerySet.search``)."""
        return search.snippet_html(getattr(self, "search_snippet", ""))

    def get_absolute_url(self) -> str:
        # By the article's id: a listing of quotes or claims need not load each article.
        return f"{link('article', self.article_id)}#{self.anchor}"


# Speakers ------------------------------------------------------------------------------


# A name no one quotes is listed in the people index once this many articles name it.
INDEX_MIN_ARTICLES = 2


def _name_id(op: str, mark: Speaker) -> RawSQL:
    """``(name, id) op (mark's)``: one range of an index on (…, name, id), which an OR
    of two tests is not."""
    table = Speaker._meta.db_table
    return RawSQL(
        f'("{table}"."name", "{table}"."id") {op} (%s, %s)',
        (mark.name, mark.pk),
        output_field=models.BooleanField(),
    )


class SpeakerQuerySet(models.QuerySet):
    def by_quotes(self):
        """Most quoted first (the ``speaker_by_quotes`` index order)."""
        return self.order_by("-quote_count", "name", "id")

    def quoted(self):
        """Speakers with at least one quote shown, most quoted first."""
        return self.by_quotes().filter(quote_count__gt=0)

    # Keyset pages in the ``by_quotes`` order, past what an offset should skip: each
    # reads from a place in the ``speaker_by_quotes`` index (or its ``kind`` variant)
    # instead of counting its way there. Two reads each: the speakers with the mark's
    # own count after (or before) it by name, then those with fewer (or more) quotes;
    # an OR of both would not be a range of the index.

    def after(self, mark: Speaker, n: int) -> list[Speaker]:
        """The first ``n`` speakers after ``mark`` in the ``by_quotes`` order."""
        same = self.filter(quote_count=mark.quote_count).filter(_name_id(">", mark))
        rows = list(same.order_by("name", "id")[:n])
        rows += list(self.filter(quote_count__lt=mark.quote_count).by_quotes()[:n])
        return rows[:n]

    def before(self, mark: Speaker, n: int) -> list[Speaker]:
        """The last ``n`` speakers before ``mark`` in the ``by_quotes`` order (in it)."""
        same = self.filter(quote_count=mark.quote_count).filter(_name_id("<", mark))
        rows = list(same.order_by("-name", "-id")[:n])
        rows += list(
            self.filter(quote_count__gt=mark.quote_count).order_by("quote_count", "-name", "-id")[
                :n
            ]
        )
        return rows[:n][::-1]

    def last_page(self, n: int) -> list[Speaker]:
        """The last ``n`` speakers in the ``by_quotes`` order (the index read backwards)."""
        return list(self.order_by("quote_count", "-name", "-id")[:n])[::-1]

    def listed(self):
        """Speakers worth an index entry: quoted at least once, named in at least
        ``INDEX_MIN_ARTICLES`` articles, or confirmed by an editor. Every other name
        stays a mark in the text of its article."""
        return self.filter(
            Q(quote_count__gt=0) | Q(article_count__gte=INDEX_MIN_ARTICLES) | Q(edited=True)
        )

    def search(self, query: str):
        """Speakers whose name or an alias contains ``query`` (compared as normalised:
        case, accents and punctuation folded); a query of one or two characters finds
        the names that start with it (on PostgreSQL a trigram index finds the others)."""
        query = query.strip()
        if not query:
            return self
        key = normalise_name(query)
        if not key:
            return self.none()
        match = {"name_key__contains" if len(key) >= 3 else "name_key__startswith": key}
        names = Speaker.objects.filter(**match)
        squeezed = key.replace(" ", "")
        if len(squeezed) >= search.SPEAKER_MIN_LETTERS:
            # The names that hold the letters, from the trigram index (a name holding
            # the words holds their letters), then tested: LIKE alone reads every name.
            vendor = connections[self.db].vendor
            names = names.filter(pk__in=RawSQL(*search.speakers_containing_sql(vendor, squeezed)))
        # One set (a UNION, not an OR of two tests): read first, so that a listing in
        # another order does not test every speaker against the aliases.
        found = (
            names.order_by()
            .values("pk")
            .union(SpeakerAlias.objects.filter(**match).order_by().values("speaker"))
        )
        return self.filter(pk__in=found)

    def at_address(self, slug: str):
        """The speaker at ``slug``, or the one a speaker merged away from it joined; None."""
        speaker = self.filter(slug=slug).first()
        if speaker is None:
            moved = SpeakerRedirect.objects.filter(old_slug=slug).values("speaker")
            speaker = self.filter(pk__in=moved).first()
        return speaker

    def matching(self, name: str):
        """Speakers whose name or an alias is ``name`` (normalised)."""
        key = normalise_name(name)
        return self.filter(Q(name_key=key) | Q(aliases__name_key=key)).distinct()


class NameCompact(models.Func):
    """A name key without its spaces ("jae in moon" and "jaein moon" alike), written
    with literals, not parameters, so that SQLite matches it to ``speaker_compact``
    (it serves an expression index only when the query writes it as the index does)."""

    template = "REPLACE(%(expressions)s, ' ', '')"
    output_field = models.CharField()


class NameLastWord(models.Func):
    """A name key's last word ("trump" of "donald trump"): the key with everything up
    to its last space removed (the characters of the key that are not spaces, trimmed
    from its end, leave that part). The same SQL on SQLite and PostgreSQL, and with
    literals, for ``speaker_last_word``."""

    template = (
        "REPLACE(%(expressions)s, RTRIM(%(expressions)s, REPLACE(%(expressions)s, ' ', '')), '')"
    )
    output_field = models.CharField()


class Speaker(models.Model):
    name = models.CharField(max_length=300)
    name_key = models.CharField(max_length=300, db_index=True, editable=False)
    slug = models.SlugField(max_length=320, unique=True)
    kind = models.CharField(max_length=20, choices=SpeakerKind, default=SpeakerKind.PERSON)
    description = models.CharField(max_length=500, blank=True)
    edited = models.BooleanField(
        default=False, help_text="An editor changed this speaker; ingestion won't rename it."
    )
    created = models.DateTimeField(auto_now_add=True)
    # Kept by summit.services.counters in the transaction that changes the annotations.
    quote_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Quotes shown (not rejected)."
    )
    mention_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Entity mentions linked to this speaker."
    )
    quotation_count = models.PositiveIntegerField(
        default=0,
        db_default=0,
        editable=False,
        help_text="Quotations shown: a quote told in many articles counts once.",
    )
    article_count = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Articles that name this speaker (an article and its copies count once).",
    )

    history = HistoricalRecords(
        excluded_fields=["quote_count", "mention_count", "quotation_count", "article_count"]
    )
    # Set by services before a save or delete: who simple_history records as making it.
    _history_user: AbstractBaseUser | None
    _change_reason: str
    objects = SpeakerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name", "id"], name="speaker_by_name"),
            models.Index(F("quote_count").desc(), F("name"), F("id"), name="speaker_by_quotes"),
            models.Index(
                F("kind"),
                F("quote_count").desc(),
                F("name"),
                F("id"),
                name="speaker_kind_by_quotes",
            ),
            # The duplicate hints (summit.services.speakers.speaker_duplicates): the same
            # name written without its spaces, and names that end with a given word.
            models.Index(NameCompact("name_key"), name="speaker_compact"),
            models.Index(NameLastWord("name_key"), name="speaker_last_word"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = clean_name(self.name)
        self.slug = self.slug.translate(BIDI_CONTROLS)
        self.name_key = normalise_name(self.name)
        if not self.slug:
            self.slug = self._unique_slug()
        # Every write path (ingest, import, admin, merge) ends here: a slug that is no
        # slug ("a/b") would break every page that links the speaker.
        validate_slug(self.slug)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return link("speaker", self.slug)

    def _unique_slug(self) -> str:
        base = slugify(self.name, allow_unicode=False)[:300] or "speaker"
        slug, n = base, 1
        while Speaker.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    def alias_names(self) -> list[str]:
        return [a.name for a in self.aliases.all()]


class SpeakerAlias(models.Model):
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    name_key = models.CharField(max_length=300, db_index=True, editable=False)

    history = HistoricalRecords()
    # Set by services before a save or delete: who simple_history records as making it.
    _history_user: AbstractBaseUser | None
    _change_reason: str

    class Meta:
        verbose_name_plural = "speaker aliases"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["speaker", "name_key"], name="alias_unique_per_speaker")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """An alias its speaker has already, written otherwise (case, accents, look-alike
        letters): said in the form, not left to the database's constraint."""
        super().clean()
        if self.speaker_id is None:
            return
        key = normalise_name(self.name)
        twin = (
            SpeakerAlias.objects.filter(speaker_id=self.speaker_id, name_key=key)
            .exclude(pk=self.pk)
            .first()
        )
        if twin is not None:
            raise ValidationError(
                {"name": f"“{twin.name}” is already an alias of this speaker, written so."}
            )

    def save(self, *args, **kwargs):
        self.name = clean_name(self.name)
        self.name_key = normalise_name(self.name)
        super().save(*args, **kwargs)


class EditorRecord(models.Model):
    """Who did an editor's act on speakers, and when: kept for the audit trail."""

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-at"]


class SpeakerMerge(EditorRecord):
    """A record of speakers merged into another, kept for the audit trail."""

    # Kept when the speaker merged into is deleted (its name stays in ``moved``): the
    # audit trail outlives it, though the merge can no longer be undone.
    into = models.ForeignKey(
        Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="merges"
    )
    merged_names = models.JSONField(help_text="Names and ids of the speakers merged away.")
    moved = models.JSONField(help_text="How many quotes, mentions, claims and aliases moved.")
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    undone_at = models.DateTimeField(null=True, blank=True, help_text="When it was undone.")

    def __str__(self) -> str:
        names = ", ".join(m["name"] for m in self.merged_names)
        now = self.into.name if self.into else "a deleted speaker"
        named = (self.moved or {}).get("into_name") or now
        later = f" ({'merged into ' + now if self.into else 'deleted'} since)"
        return f"{names} → {named}{later if named != now else ''}"


# Annotations ---------------------------------------------------------------------------


class AnnotationQuerySet(models.QuerySet):
    def shown(self):
        return self.exclude(status=Status.REJECTED)

    def kept_by_editors(self):
        """What re-ingest must never drop: verified, rejected or editor-changed."""
        return self.filter(Q(edited=True) | ~Q(status=Status.MACHINE))

    def machine_made(self):
        return self.filter(edited=False, status=Status.MACHINE)

    def with_paragraph_index(self):
        """Annotate ``paragraph_index`` (without loading the paragraph's text)."""
        return self.annotate(paragraph_index=models.F("paragraph__index"))


class Annotation(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="%(class)ss")
    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="%(class)ss")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    status = models.CharField(max_length=20, choices=Status, default=Status.MACHINE)
    edited = models.BooleanField(
        default=False, help_text="An editor changed this; re-ingest keeps it as it is."
    )
    created = models.DateTimeField(auto_now_add=True)
    # Set by services before a save: who simple_history records as making the change.
    _history_user: AbstractBaseUser | None
    _change_reason: str
    updated = models.DateTimeField(auto_now=True)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["paragraph__index", "start"]

    def clean(self):
        super().clean()
        if self.paragraph_id and self.article_id and self.paragraph.article_id != self.article_id:
            raise ValidationError({"paragraph": "The paragraph belongs to another article."})
        if self.paragraph_id is None:
            return
        # In one paragraph the end follows the start; a quote running on into a later
        # paragraph ends at an offset into that one, which may be smaller.
        if self.start > self.end and self.end_paragraph_index == self.paragraph.index:
            raise ValidationError({"end": "The end comes before the start."})
        if self.covered_text() != self.text:
            raise ValidationError(
                {"text": "The offsets and the text disagree: the text is not at that place."}
            )

    def get_absolute_url(self) -> str:
        return self.paragraph.get_absolute_url()

    @property
    def end_paragraph_index(self) -> int:
        return self.paragraph.index

    def covered_text(self) -> str:
        """What the offsets cover in the article's paragraphs now."""
        return self.paragraph.text[self.start : self.end]


class EntityMention(Annotation):
    label = models.CharField(max_length=20, choices=EntityLabel)
    speaker = models.ForeignKey(
        Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentions"
    )
    history = HistoricalRecords()

    class Meta(Annotation.Meta):
        indexes = [
            models.Index(fields=["speaker", "article"]),
            # The people index's organisations named in the newest articles that are
            # nobody's speaker: read from this index alone, a fraction of the mentions.
            models.Index(
                fields=["article", "text", "status"],
                condition=Q(label="ORG", speaker__isnull=True),
                name="mention_org_no_speaker",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.text} ({self.label})"


QUOTATION_MARKS = "“”‘’\"'«»„"

# A speaker with more quotes than this has a page of them found by article, newest first.
MANY_QUOTES = 1000
NAMED_SPEAKERS = 8  # a quote search takes in every quote of this many speakers it names
AUTHOR_PARAGRAPHS = ("byline", "bio")  # paragraphs that name an article's author
# The test of ``paragraph_author``'s condition, written out without parameters: SQLite
# uses a partial index only where the query's test is the index's, values and all.
AUTHOR_PARAGRAPH_SQL = RawSQL(
    "\"kind\" IN ('byline', 'bio')", (), output_field=models.BooleanField()
)
# A speaker named at most this often has their articles read from their mentions and
# sorted (``mentioning_only``), and what they wrote found from those mentions; one named
# more often is walked newest first, and what they wrote found from the author
# paragraphs (one or two an article): at 100,000 articles, 3 ms against 15 for a speaker
# named 3,000 times.
FEW_MENTIONS = 1_000
FEW_CONFIDENT = 5_000  # quotes above a confidence read from its index and sorted
BEST_AMONG = 50  # a card's best quotes are chosen among the speaker's newest this many


# How doubtful a quote's attribution is, lowest first: no speaker (-2), a rule never
# measured (-1), else the rule's measured precision. Raw SQL (no parameters), written
# the same in the query and in the ``quote_review`` index, so the database walks it.
DOUBT = RawSQL(
    'CASE WHEN "speaker_id" IS NULL THEN -2 ELSE COALESCE("confidence", -1) END', ()
).asc()
TELLINGS = 100  # other tellings of a quotation its permalink lists


class QuoteQuerySet(AnnotationQuerySet):
    def for_listing(self):
        return self.select_related("speaker", "article", "paragraph", "group")

    def listed(self):
        """Each quotation once: quotes in no group, and each group's lead."""
        return self.filter(listed=True)

    def one_per_quotation(self):
        """These quotes with each quotation once: those in no group, and the lead of
        each group one of them is in (which may be another article's telling). Read
        now, in one query: for a bounded set (a search's), not a whole table."""
        rows = self.order_by().values_list("pk", "group__lead_id")
        return Quote.objects.filter(pk__in=sorted({lead or pk for pk, lead in rows}))

    def newest_first(self):
        return self.order_by(
            models.F("article__published").desc(nulls_last=True),
            "-article__created",
            "paragraph__index",
            "start",
        )

    def in_order_of_paragraphs(self, paragraph_ids):
        """The quotes in ``paragraph_ids`` first, in that order (a search's ranking),
        then the others newest first."""
        newest = self.newest_first()
        if not paragraph_ids:
            return newest
        # One CASE written out: as ``Case(When(...), ...)`` Django would resolve an
        # expression per paragraph on every request (tens of ms for a search's 200).
        whens = " ".join("WHEN %s THEN %s" for _ in paragraph_ids)
        position = RawSQL(
            f'CASE "summit_quote"."paragraph_id" {whens} ELSE %s END',
            [v for n, pk in enumerate(paragraph_ids) for v in (int(pk), n)] + [len(paragraph_ids)],
            output_field=models.IntegerField(),
        )
        return newest.alias(paragraph_position=position).order_by(
            "paragraph_position", *newest.query.order_by
        )

    def by_doubt(self):
        """Most doubtful first: no speaker, then the attribution's measured confidence
        rising (unmeasured first), then in reading order. The order of the
        ``quote_review`` index, so that a page of the review queue reads a page of it."""
        return self.order_by(DOUBT, "article_id", "paragraph_id", "start", "id")

    def search(
        self,
        query: str,
        *,
        candidates: int = search.SEARCH_CANDIDATES,
        read=False,
        paragraphs: list[int] | None = None,
        titles: list[int] | None = None,
    ):
        """Quotes that hold ``query``'s words, in the ``candidates`` most recent
        paragraphs that match it (full-text, see ``summit.search``); quotes of the
        most recent articles whose title matches; the newest ``candidates`` quotes by
        the speaker of that name. ``read=True`` reads their ids now (one query), for a
        listing newest first: given the set as a subquery, planners walk every article
        in that order to test each one's quotes against it. A caller that has already
        searched the paragraphs (``Paragraph.objects.search``) or the titles
        (``Article.objects.titled``) with the same ``candidates`` passes their ids, so
        that each query built on this set does not search them again."""
        query = query.strip()
        if not query:
            return self
        if not search.has_words(query):
            return self.none()
        vendor = connections[self.db].vendor
        in_paragraphs: RawSQL | list[int] = (
            RawSQL(*search.matching_sql(vendor, "summit_paragraph", query, candidates))
            if paragraphs is None
            else paragraphs
        )
        words = Q()
        for word in search.words(query):
            words &= Q(text__icontains=word) | Q(speaker_text__icontains=word)
        in_titles: RawSQL | list[int] = (
            RawSQL(*search.matching_sql(vendor, "summit_article", query, candidates))
            if titles is None
            else titles
        )
        # The most quoted speakers whose name holds the words (the people a search shows,
        # ``Speaker.objects.search``: "Pinkston" finds Dan Pinkston, so his quotes are
        # all found, as his count beside his name promises): a few ids, so that their
        # newest quotes are read in order from an index and stop at ``candidates``.
        speakers = (
            Speaker.objects.search(query)
            .order_by("-quote_count", "pk")
            .values("pk")[:NAMED_SPEAKERS]
        )
        by_name = Quote.objects.filter(
            pk__in=Quote.objects.filter(speaker__in=speakers)
            .order_by("-pk")
            .values("pk")[:candidates]
        )
        # One set of ids (a UNION, not an OR of three tests), each part read through its
        # own index: a few thousand at most.
        found = (
            Quote.objects.filter(Q(paragraph_id__in=in_paragraphs) & words)
            .order_by()
            .values_list("pk", flat=True)
            .union(
                Quote.objects.filter(article_id__in=in_titles).order_by().values_list("pk"),
                by_name.order_by().values_list("pk"),
            )
        )
        return self.filter(pk__in=list(found) if read else found)

    def with_paragraph_index(self):
        """Also ``last_paragraph_index``: where a quote over several paragraphs ends."""
        return (
            super()
            .with_paragraph_index()
            .annotate(
                last_paragraph_index=Coalesce(
                    models.F("end_paragraph__index"), models.F("paragraph__index")
                )
            )
        )

    def for_api(self):
        return self.with_paragraph_index().select_related("speaker", "article", "group")

    def by_speaker_newest(self, speaker, *, first: int, listed: bool = False):
        """``speaker``'s quotes (of these) newest first, right for the first ``first``.

        A speaker with thousands of quotes would have them all read and sorted for one
        page. Instead only the ``first`` newest articles that hold one of their shown
        quotes are looked in (walking the ``article_newest`` index), which hold at least
        ``first`` quotes, and the speaker test is kept off the speaker index (``+ 0``)
        so that the database reads those articles' quotes rather than every quote of
        the speaker. Slices past ``first`` are not complete: ask for more. ``listed``:
        each quotation once (``listed()``).
        """
        listing = {"listed": True} if listed else {}
        quotes = self.filter(speaker=speaker).newest_first()
        if listed:
            quotes = quotes.listed()
        # Few enough to read and sort: each quotation once (``quote_listed_by_speaker``
        # finds them, however many articles copied them), or every quote.
        if listed and speaker.quotation_count <= MANY_QUOTES:
            # Their ids from that index, at most ``MANY_QUOTES``: asked for a page of them
            # directly, PostgreSQL guesses from a speaker's quotes that their quotations
            # are thousands and walks every article for a deep page (3 s for the last
            # of 6 at 100,000 articles); a bounded set of ids it reads and sorts.
            ids = quotes.order_by().values("pk")[: MANY_QUOTES + 1]
            return self.filter(pk__in=ids).newest_first()
        if not listed and speaker.quote_count <= MANY_QUOTES:
            return quotes
        kept = Quote.objects.shown().filter(article=OuterRef("pk"), speaker=speaker)
        if listed:
            kept = kept.listed()
        holding = Article.objects.filter(Exists(kept)).newest_first().values("pk")[:first]
        return self.of_speaker(speaker).filter(article__in=holding, **listing).newest_first()

    def of_speaker(self, speaker):
        """``speaker``'s quotes. Of a speaker with more than ``MANY_QUOTES``, the speaker
        test is kept off the speaker index (``+ 0``), so that a listing newest first
        walks the newest articles (a few hold a page) instead of reading and sorting
        every quote of the speaker."""
        if speaker.quote_count <= MANY_QUOTES:
            return self.filter(speaker=speaker)
        by = ExpressionWrapper(F("speaker_id") + 0, output_field=models.BigIntegerField())
        return self.alias(speaker_plus_zero=by).filter(speaker_plus_zero=speaker.pk)

    def best_of_speaker(self, speaker, *, among: int = BEST_AMONG):
        """``speaker``'s quotes (of these) that tell a reader most about them, best first:
        an editor's verified ones, then their own words (direct quotes) before reported
        speech and fragments, then the fullest; chosen among their ``among`` newest, so
        that a speaker with thousands is not read whole; each quotation once."""
        newest = self.by_speaker_newest(speaker, first=among, listed=True).values_list(
            "pk", flat=True
        )[:among]
        rank = Case(
            When(kind=QuoteKind.DIRECT, then=Value(0)),
            When(kind=QuoteKind.INDIRECT, then=Value(1)),
            default=Value(2),
            output_field=models.IntegerField(),
        )
        verified = Case(
            When(status=Status.VERIFIED, then=Value(0)),
            default=Value(1),
            output_field=models.IntegerField(),
        )
        return self.filter(pk__in=list(newest)).order_by(
            verified, rank, Length("text").desc(), "-pk"
        )

    def confident(self, at_least: float | None):
        """The quotes whose attribution's confidence is at least ``at_least`` (None: all).

        Where few quotes reach it (at most ``FEW_CONFIDENT``), they are read from the
        ``quote_by_confidence`` index and sorted. Where many do (most quotes, at 0.5),
        reading them all from that index to sort them for one page took seconds at
        100,000 articles, while walking the newest articles finds a page of them at
        once: the test is then kept off the index (``+ 0``). Which it is, one count that
        stops at ``FEW_CONFIDENT + 1`` index entries tells, not the planners' guess."""
        if at_least is None:
            return self
        reaching = Quote.objects.filter(confidence__gte=at_least).order_by().values("pk")
        if reaching[: FEW_CONFIDENT + 1].count() <= FEW_CONFIDENT:
            return self.filter(confidence__gte=at_least)
        plus_zero = ExpressionWrapper(F("confidence") + 0.0, output_field=models.FloatField())
        return self.alias(confidence_plus_zero=plus_zero).filter(confidence_plus_zero__gte=at_least)

    def filtered(self, *, speaker: str = "", article: int | None = None, kind: str = ""):
        """Narrowed by speaker slug, article id and quote kind; empty means any."""
        qs = self
        if speaker:
            qs = qs.filter(speaker__slug=speaker)
        if article:
            qs = qs.filter(article_id=article)
        if kind:
            qs = qs.filter(kind=kind)
        return qs


class Quote(Annotation):
    """A quotation. A direct quote may run on over several paragraphs: then
    ``end_paragraph`` is its last paragraph, ``end`` an offset into it, and ``text`` the
    pieces joined with a blank line."""

    end_paragraph = models.ForeignKey(
        Paragraph, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=QuoteKind, default=QuoteKind.DIRECT)
    speaker = models.ForeignKey(
        Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes"
    )
    speaker_text = models.CharField(
        max_length=300, blank=True, help_text="The words the article uses for the speaker."
    )
    cue = models.CharField(max_length=100, blank=True, help_text="The verb that introduces it.")
    sieve = models.CharField(
        max_length=40, blank=True, help_text="The attribution rule that found the speaker."
    )
    via = models.JSONField(
        null=True,
        blank=True,
        help_text="The mention the speaker was resolved through: paragraph, start, end, text.",
    )
    confidence = models.FloatField(
        null=True, blank=True, help_text="The rule's measured precision, 0 to 1."
    )
    # Kept by summit.services.quotations: the quotation this is one telling of.
    group = models.ForeignKey(
        "QuoteGroup",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text="The same words from the same speaker in other articles.",
    )
    listed = models.BooleanField(
        default=True,
        db_default=True,
        editable=False,
        help_text="Shown in listings: no group, or its group's newest member.",
    )
    history = HistoricalRecords(excluded_fields=["group", "listed"])
    objects = QuoteQuerySet.as_manager()  # type: ignore[misc]  # narrows Annotation's

    class Meta(Annotation.Meta):
        # On PostgreSQL also quote_by_speaker (speaker_id, id DESC), migration 0011.
        indexes = [
            models.Index(fields=["speaker", "status"]),
            # The review queue: the machine's quotes, most doubtful first (by_doubt).
            models.Index(
                DOUBT,
                F("article_id"),
                F("paragraph_id"),
                F("start"),
                F("id"),
                condition=Q(status="machine"),
                name="quote_review",
            ),
            # Each quotation once (listings): the shown quotes that stand for theirs, by
            # article, a fraction of the table wherever copies abound.
            models.Index(
                fields=["article", "id"],
                condition=Q(listed=True) & ~Q(status="rejected"),
                name="quote_listed",
            ),
            # A speaker's quotations (each once), however many copies they have: the
            # person page of a speaker quoted a hundred thousand times in a few hundred
            # quotations reads those.
            models.Index(
                fields=["speaker", "id"],
                condition=Q(listed=True) & ~Q(status="rejected"),
                name="quote_listed_by_speaker",
            ),
            # ``min_confidence``: where few quotes reach it, they are read from here and
            # sorted, instead of every article walked for one.
            models.Index(
                fields=["confidence"],
                condition=Q(confidence__isnull=False),
                name="quote_by_confidence",
            ),
        ]

    def __str__(self) -> str:
        return self.quoted(80)

    def quoted(self, limit: int) -> str:
        """Its words in quotation marks, cut at ``limit`` characters: a direct quote's
        text carries its own marks, which are not doubled."""
        words = shorten(self.text, limit)
        if self.text[:1] in QUOTATION_MARKS:
            return words
        return f"“{words}”"

    @property
    def end_paragraph_index(self) -> int:
        return (self.end_paragraph or self.paragraph).index

    def covered_text(self) -> str:
        if not self.end_paragraph_id or self.end_paragraph_id == self.paragraph_id:
            return super().covered_text()
        last = self.end_paragraph
        assert last is not None  # end_paragraph_id is set
        texts = list(
            self.article.paragraphs.filter(index__gte=self.paragraph.index, index__lte=last.index)
            .order_by("index")
            .values_list("text", flat=True)
        )
        return span_text(texts, 0, self.start, self.end, len(texts) - 1)

    def tellings(self, limit: int = TELLINGS):
        """The other shown quotes of its quotation, earliest first (undated last), with
        their articles and paragraphs: at most ``limit``."""
        if not self.group_id:
            return Quote.objects.none()
        return (
            Quote.objects.shown()
            .filter(group_id=self.group_id)
            .exclude(pk=self.pk)
            .select_related("article", "paragraph")
            .order_by(
                F("article__published").asc(nulls_last=True),
                "article__created",
                "pk",
            )[:limit]
        )


class QuoteGroup(models.Model):
    """One quotation told in many articles: quotes of one speaker in the same words or
    nearly (``summit.services.quotations``). Listings show its ``lead`` alone."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="quotations")
    key = models.CharField(max_length=64, help_text="Of the speaker and the normalised words.")
    words = models.TextField(help_text="The first member's words, normalised.")
    lead = models.ForeignKey(
        Quote,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The newest shown member: the one listings show.",
    )
    article_count = models.PositiveIntegerField(
        default=0, help_text="Articles with a shown member."
    )
    earliest = models.JSONField(
        default=list, blank=True, help_text="Ids of the earliest members besides the lead."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["speaker", "key"], name="quotegroup_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.speaker}: “{self.words[:60]}” ({self.article_count} articles)"

    @property
    def elsewhere_count(self) -> int:
        """Articles besides the lead's."""
        return max(self.article_count - 1, 0)


def with_elsewhere(quotes) -> list[Quote]:
    """The quotes (loaded with their ``group``), each with ``elsewhere``: the earliest
    other tellings of its quotation (their articles loaded), and ``elsewhere_more``:
    how many articles besides those. One query for a whole page."""
    quotes = list(quotes)
    wanted = {pk for q in quotes if q.group_id and q.group for pk in q.group.earliest}
    found = {}
    if wanted:
        found = {
            o.pk: o
            for o in Quote.objects.filter(pk__in=sorted(wanted))
            .order_by()  # by id: the default order would join each one's paragraph
            .select_related("article")
            .only("pk", "article__id", "article__title", "article__outlet", "article__published")
        }
    for quote in quotes:
        group = quote.group if quote.group_id else None
        earliest = group.earliest if group else ()
        quote.elsewhere = [found[pk] for pk in earliest if pk != quote.pk and pk in found]
        count = group.elsewhere_count if group else 0
        quote.elsewhere_count = count
        quote.elsewhere_more = max(count - len(quote.elsewhere), 0)
    return quotes


class QuoteGroupBand(models.Model):
    """A MinHash band of a group's words: groups sharing one with a new quote are the
    few whose words are compared with it."""

    group = models.ForeignKey(QuoteGroup, on_delete=models.CASCADE, related_name="bands")
    key = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"band {self.key} of {self.group_id}"


class ClaimQuerySet(AnnotationQuerySet):
    def for_api(self):
        return self.with_paragraph_index().select_related("holder", "article")


class Claim(Annotation):
    kind = models.CharField(max_length=20, choices=ClaimKind)
    holder = models.ForeignKey(
        Speaker,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims",
        help_text="Empty: the article's author holds it.",
    )
    highlighted = models.BooleanField(default=False)
    history = HistoricalRecords()
    objects = ClaimQuerySet.as_manager()  # type: ignore[misc]  # narrows Annotation's

    class Meta(Annotation.Meta):
        indexes = [
            models.Index(
                F("holder"), F("highlighted").desc(), F("article"), F("id"), name="claim_by_holder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:80]}"


# Editors' audit records ----------------------------------------------------------------


class SpeakerSplit(EditorRecord):
    """A record of quotes, mentions, claims and aliases an editor moved off a speaker onto
    a new one (the opposite of a merge), kept for the audit trail."""

    source = models.ForeignKey(
        Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="splits"
    )
    source_name = models.CharField(max_length=300)
    new_speaker = models.ForeignKey(
        Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="split_from"
    )
    new_name = models.CharField(max_length=300)
    moved = models.JSONField(help_text="Which quotes, mentions, claims and aliases moved.")

    def __str__(self) -> str:
        return f"{self.source_name} → {self.new_name}"


class AnnotationTombstone(models.Model):
    """A machine annotation an editor deleted: ingestion never makes it again.

    Found again by its words with the words around them (``text``, ``prefix``,
    ``suffix``; the paragraph's position a hint), so it holds when the text around it
    changes, paragraphs come and go, or the pipeline draws the span a little
    differently (see ``summit.services.anchoring.place``). Each re-ingest moves it to
    where it stands in the new text.
    """

    class Model(models.TextChoices):
        QUOTE = "quote", "Quote"
        MENTION = "entitymention", "Entity mention"
        CLAIM = "claim", "Claim"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="tombstones")
    model = models.CharField(max_length=20, choices=Model)
    paragraph_hash = models.CharField(max_length=64)
    paragraph_index = models.PositiveIntegerField(
        default=0, help_text="Where it stood (a hint for finding it again)."
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    prefix = models.CharField(max_length=64, blank=True, help_text="The words just before.")
    suffix = models.CharField(max_length=64, blank=True, help_text="The words just after.")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["article", "model"])]

    def __str__(self) -> str:
        return f"{self.get_model_display()} “{self.text[:60]}” (deleted)"


class SpeakerTombstone(models.Model):
    """A name of a speaker the language pipeline made and an editor deleted: ingestion
    does not make that speaker again. A person the pipeline finds by this name is
    nobody (their quotes unattributed, their claims not made), or ``replacement``
    when the editor gave the deleted speaker's quotes to another."""

    name = models.CharField(max_length=300)
    name_key = models.CharField(max_length=300, db_index=True)
    speaker_id = models.PositiveIntegerField(help_text="The deleted speaker's id.")
    replacement = models.ForeignKey(
        Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.name} (deleted speaker)"


class RetiredQuote(models.Model):
    """Where a quote stood before re-ingest found it no more: its old links land there."""

    quote_id = models.PositiveIntegerField(unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="retired_quotes")
    paragraph_index = models.PositiveIntegerField()
    text = models.TextField()
    # The words around it: a re-ingest finds its place again (paragraph_index follows).
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"#q{self.quote_id} (no longer in {self.article})"

    @property
    def anchor(self) -> str:
        return f"q{self.quote_id}"


def paragraph_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# A body paragraph of fewer words is too common ("Read more.", a dateline) to tell one
# article from another.
FINGERPRINT_MIN_WORDS = 8
_WORDS = re.compile(r"\w+")


def paragraph_fingerprint(text: str, kind: str = "body") -> str | None:
    """A body paragraph's words, case and punctuation folded, hashed (16 hex digits):
    the same in two outlets' copies of a wire story whatever their typography. None
    for another kind of paragraph or one of fewer than ``FINGERPRINT_MIN_WORDS``."""
    if kind != ParagraphKind.BODY:
        return None
    words = _WORDS.findall((text or "").casefold())
    if len(words) < FINGERPRINT_MIN_WORDS:
        return None
    return hashlib.blake2b(" ".join(words).encode(), digest_size=8).hexdigest()


class SpeakerRedirect(models.Model):
    """The address of a speaker merged into another, so old links still arrive."""

    old_slug = models.SlugField(max_length=320, unique=True)
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="redirects")

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.speaker.slug}"


class RequestCount(models.Model):
    """How many requests one client made in one time window (the API's rate limit): in
    the database, so every process and machine counts together and no cached page can
    push a count out. Not content: the page cache's hook ignores this table."""

    key = models.CharField(max_length=200)
    window = models.BigIntegerField(help_text="The window's number: its start ÷ its length.")
    count = models.PositiveIntegerField(default=0)
    expires = models.FloatField(help_text="When the window ends (a Unix time).")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="request_count_once")]
        indexes = [models.Index(fields=["expires"])]

    def __str__(self) -> str:
        return f"{self.key}: {self.count} in window {self.window}"


class ContentChange(models.Model):
    """One write to Summit's tables: the newest rows of a scope say what version of it a
    reader sees (``summit.pagecache``). Written by a database hook on every insert,
    update or delete (scope ``site``: every page), so no write path has to remember it,
    or by ingest for what a new article changed (its page, its people's, the lists);
    kept short."""

    at = models.DateTimeField(auto_now_add=True)
    scope = models.CharField(max_length=400, default="site")

    class Meta:
        get_latest_by = "pk"
        indexes = [models.Index(fields=["scope", "id"], name="contentchange_scope")]

    def __str__(self) -> str:
        return f"change {self.pk} at {self.at:%Y-%m-%d %H:%M:%S}"


class WorkerBeat(models.Model):
    """A ``db_worker``'s heartbeat: while it runs, it notes the time here every few
    seconds (``summit.services.workers``). A task whose worker has not beaten for
    ``SUMMIT_TASK_LEASE`` seconds was left by a dead worker and goes back in the queue.
    Not content: the page cache's hook ignores this table."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    beat = models.DateTimeField(help_text="When the worker last said it was alive.")

    def __str__(self) -> str:
        return f"worker {self.worker_id} at {self.beat:%Y-%m-%d %H:%M:%S}"


# Feeds ---------------------------------------------------------------------------------


class FeedQuerySet(models.QuerySet):
    def due(self, now):
        """Active feeds whose next poll has come (the ``feed_due`` index order)."""
        return self.filter(active=True, next_poll__lte=now).order_by("next_poll", "pk")


class Feed(models.Model):
    """An RSS or Atom feed polled for new articles (``manage.py feeds``)."""

    url = models.URLField(max_length=2000, unique=True, help_text="The feed's address.")
    title = models.CharField(max_length=300, blank=True, help_text="As the feed names itself.")
    outlet = models.CharField(
        max_length=200,
        blank=True,
        help_text="Given to its articles whose page names no outlet.",
    )
    interval = models.PositiveIntegerField(
        default=15, help_text="Minutes between polls (doubled after each failure, up to a day)."
    )
    active = models.BooleanField(default=True, help_text="Polled by `feeds poll --all`.")
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_polled = models.DateTimeField(null=True, blank=True, editable=False)
    last_result = models.CharField(
        max_length=300, blank=True, editable=False, help_text="What the last poll did."
    )
    last_error = models.TextField(blank=True, editable=False, help_text="Why the last poll failed.")
    failures = models.PositiveIntegerField(
        default=0, editable=False, help_text="Polls failed in a row (the backoff)."
    )
    next_poll = models.DateTimeField(
        default=timezone.now, help_text="Not polled again before this (interval and backoff)."
    )
    # A poller claims a feed until then (one UPDATE that only one poller wins), so that
    # pollers on several machines never poll one feed at once.
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["url"]
        indexes = [models.Index(fields=["active", "next_poll", "id"], name="feed_due")]

    def __str__(self) -> str:
        return self.title or self.url


class FeedEntry(models.Model):
    """An article a feed announced, by its canonical address: each is queued once (and
    again only when the feed changes it)."""

    url = models.CharField(
        max_length=2000, unique=True, help_text="The article's canonical address."
    )
    content_hash = models.CharField(
        max_length=64, db_index=True, help_text="Of the entry's title, summary and date."
    )
    feed = models.ForeignKey(
        Feed, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    title = models.CharField(max_length=500, blank=True)
    author = models.CharField(max_length=300, blank=True)
    published = models.DateField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="An entry with the same content at another address: not fetched.",
    )
    task_id = models.CharField(max_length=64, blank=True, help_text="The ingest task queued.")
    first_seen = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-first_seen", "-pk"]
        verbose_name_plural = "feed entries"

    def __str__(self) -> str:
        return self.title or self.url

"""Ingestion: sources → structure → language pipeline → models, one transaction an article.

Re-ingesting is safe. The same text is reported unchanged and nothing is written.
Changed text (or ``force``) recomputes the machine's annotations, while everything an
editor touched — verified, rejected or edited annotations, edited article fields and
speakers — is kept and re-anchored by its words and the words around them (see
``summit.services.anchoring``). An editor's annotation whose words changed is
re-attached and flagged for review; one whose words are gone goes with them, recorded
in its history and said in the result: nothing is dropped silently, and neither stops
the article's update.
"""

from __future__ import annotations

import collections
import datetime
import itertools
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, OperationalError, connections, router, transaction
from django.db.models import Q
from django.utils import timezone

from summit import pagecache, sources
from summit.models import (
    Annotation,
    AnnotationTombstone,
    Article,
    Claim,
    EntityMention,
    Paragraph,
    Quote,
    RetiredQuote,
    Speaker,
    Status,
    paragraph_fingerprint,
    paragraph_hash,
)
from summit.nlp import types as nlp
from summit.nlp.structure import parse_structure
from summit.nlp.types import span_text
from summit.services.anchoring import (
    BRACKETED_RATIO,
    CONTEXT,
    Placed,
    TextQuote,
    agreement,
    overlap,
    place,
)
from summit.services.counters import counts_refresh
from summit.services.editing import retired_fields
from summit.services.history import history_baseline
from summit.services.inserts import rows_insert
from summit.services.quotations import groups_refresh, quotes_group, quotes_regroup
from summit.services.resolution import SpeakerResolver
from summit.services.speakers import editor_gazetteer

if TYPE_CHECKING:  # spaCy is imported when a pipeline is first needed, not before
    from summit.nlp.pipeline import LanguagePipeline

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    INGESTED = "ingested"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


class NearDuplicates(StrEnum):
    """What ingest does with a new source whose text is nearly an ingested article's."""

    SKIP = "skip"  # report it, store nothing
    UPDATE = "update"  # update that article from it (editors' work re-anchored)
    NEW = "new"  # store it as another article


@dataclass(frozen=True)
class IngestResult:
    source: str
    outcome: Outcome
    article_id: int | None = None
    message: str = ""

    @property
    def failed(self) -> bool:
        return self.outcome is Outcome.FAILED


class IngestError(Exception):
    """This article cannot be written as it stands; the message says why."""


def get_pipeline(model: str | None = None) -> LanguagePipeline:
    from summit.nlp.pipeline import load_pipeline

    return load_pipeline(model or settings.SUMMIT_SPACY_MODEL)


# Batches ------------------------------------------------------------------------------


def articles_ingest(
    *,
    targets: list[str],
    force: bool = False,
    batch_size: int = 16,
    n_process: int = 1,
    pipeline: LanguagePipeline | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
    on_total: Callable[[int], None] | None = None,
    meta: dict[str, str] | None = None,
    near_duplicates: NearDuplicates | str = "skip",
) -> list[IngestResult]:
    """Ingest every article ``targets`` name (files, folders, URLs), reporting each one.

    Reading errors and write errors fail one article each; the rest go on. ``meta``
    (``title``, ``byline``, ``outlet``, ``published``: what a feed said of the article)
    fills in what the article's own metadata lacks. A new source whose text is nearly
    an ingested article's (``near_duplicate``) is, by ``near_duplicates``: ``skip`` —
    reported, not stored twice; ``update`` — that article is updated from it; ``new`` —
    stored as another article.
    """
    near_duplicates = NearDuplicates(near_duplicates)
    results: list[IngestResult] = []

    def report(result: IngestResult) -> None:
        results.append(result)
        if on_result:
            on_result(result)

    expanded = list(sources.expand(targets))
    if on_total:
        on_total(len(expanded))
    # Read lazily: the pipeline pulls articles a batch at a time, so memory stays bounded
    # by the batch, not by how many articles there are.
    raws = _to_analyse(expanded, force=force, report=report, meta=meta or {})
    first = next(raws, None)
    if first is not None:
        pipeline = pipeline or get_pipeline()
        analysed = _analyse(
            itertools.chain([first], raws), pipeline, batch_size=batch_size, n_process=n_process
        )
        for raw, analysis in analysed:
            if isinstance(analysis, Exception):
                report(_analysis_failed(raw, analysis))
                continue
            report(
                article_store(
                    raw=raw,
                    analysis=analysis,
                    force=force,
                    pipeline_name=_pipeline_name(pipeline),
                    near_duplicates=near_duplicates,
                )
            )
    return results


def _to_analyse(expanded, *, force: bool, report, meta) -> Iterator[sources.RawArticle]:
    """The articles of ``expanded`` that need analysing, read one at a time; the others
    (unreadable, named twice, unchanged) are reported as they are met."""
    seen: dict[str, str] = {}
    for item in expanded:
        if isinstance(item, sources.SourceError):
            report(IngestResult(item.source, Outcome.FAILED, message=item.reason))
            continue
        try:
            raw = sources.read(
                item,
                max_bytes=settings.SUMMIT_MAX_ARTICLE_BYTES,
                timeout=settings.SUMMIT_FETCH_TIMEOUT,
            )
        except sources.SourceError as exc:
            report(IngestResult(exc.source, Outcome.FAILED, message=exc.reason))
            continue
        if raw.source in seen:
            continue  # named twice in one batch
        _fill_in(raw, meta)
        if (twin := seen.get(raw.content_hash)) is not None:
            report(IngestResult(raw.source, Outcome.UNCHANGED, message=f"same text as {twin}"))
            continue
        seen[raw.source] = seen[raw.content_hash] = raw.source
        if not force and (same := _unchanged(raw)) is not None:
            report(same)
            continue
        yield raw


def _fill_in(raw: sources.RawArticle, meta: dict[str, str]) -> None:
    """What the page's own metadata lacks, from ``meta``. An outlet that is only the
    address's host name (what a page that names none gets) gives way too."""
    parts = urlsplit(raw.source)
    hosts = {(h or "").lower().removeprefix("www.") for h in (parts.hostname, parts.netloc)}
    for key, value in meta.items():
        have = raw.meta.get(key, "")
        if value and (not have or (key == "outlet" and have.lower() in hosts)):
            raw.meta[key] = value


def _analysis_failed(raw: sources.RawArticle, exc: Exception) -> IngestResult:
    """One article the language pipeline could not analyse: one line, no traceback."""
    kind = getattr(exc, "kind", type(exc).__name__)  # a worker's AnalysisFailed names it
    log.warning("analysing %s failed: %s: %s", raw.source, kind, exc)
    return IngestResult(
        raw.source, Outcome.FAILED, message=f"could not be analysed ({kind}: {str(exc)[:300]})"
    )


def _unchanged(raw: sources.RawArticle) -> IngestResult | None:
    existing = Article.objects.filter(content_hash=raw.content_hash).only("pk", "source").first()
    if existing is None:
        return None
    if existing.source == raw.source:
        return IngestResult(raw.source, Outcome.UNCHANGED, existing.pk, "already ingested")
    return IngestResult(
        raw.source, Outcome.UNCHANGED, existing.pk, f"same text as {existing.source}"
    )


def document_from_raw(raw: sources.RawArticle) -> nlp.Document:
    return parse_structure(raw.text, source=raw.source_file, markdown=raw.markdown, **raw.meta)


def _analyse(raws, pipeline: LanguagePipeline, *, batch_size: int, n_process: int):
    """``(raw, analysis)`` for each article, in order; ``(raw, exception)`` for one the
    pipeline fails on. The articles stream through (only those in the pipeline are
    held); should the stream break, the ones it had not delivered and the rest are
    analysed one at a time, so one bad article fails alone."""
    taught = {"gazetteer": g} if (g := editor_gazetteer()) else {}  # what editors settled
    raws = iter(raws)
    waiting: collections.deque[sources.RawArticle] = collections.deque()

    def documents():
        for raw in raws:
            waiting.append(raw)
            yield document_from_raw(raw)

    try:
        analyses = pipeline.analyze_many(
            documents(), batch_size=batch_size, n_process=n_process, **taught
        )
        for analysis in analyses:
            yield waiting.popleft(), analysis
        return
    except Exception as exc:
        log.warning(
            "a batch broke (%s: %s); analysing the rest one by one", type(exc).__name__, exc
        )
    for raw in itertools.chain(list(waiting), raws):
        try:
            document = document_from_raw(raw)
            analysis = next(pipeline.analyze_many([document], batch_size=1, n_process=1, **taught))
        except Exception as exc:
            yield raw, exc
            continue
        yield raw, analysis


# One article --------------------------------------------------------------------------


def article_store(
    *,
    raw: sources.RawArticle,
    analysis: nlp.Analysis,
    force: bool = False,
    pipeline_name: str = "",
    near_duplicates: NearDuplicates | str = "skip",
) -> IngestResult:
    """Write one analysed article in one transaction; report what happened.

    Workers writing side by side can collide: two create the same new speaker at once,
    or two transactions deadlock over the counters of the speakers they share. The
    one that loses is rolled back and tried again (it then finds the other's speaker).
    """
    for attempt in range(1, _STORE_ATTEMPTS + 1):
        try:
            return _store_once(
                raw,
                analysis,
                force=force,
                pipeline_name=pipeline_name,
                near=NearDuplicates(near_duplicates),
            )
        except _Collided as collision:
            log.info("storing %s collided with another writer (%s)", raw.source, collision)
            if attempt == _STORE_ATTEMPTS:
                return collision.result
    raise AssertionError("unreachable")


_STORE_ATTEMPTS = 3
_RETRYABLE_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock detected


class _Collided(Exception):
    """Another writer got in the way; ``result`` is what to report if it keeps doing so."""

    def __init__(self, result: IngestResult) -> None:
        super().__init__(result.message)
        self.result = result


def _store_once(
    raw: sources.RawArticle,
    analysis: nlp.Analysis,
    *,
    force: bool,
    pipeline_name: str,
    near: NearDuplicates,
) -> IngestResult:
    try:
        # One article, one transaction, one content change (summit.pagecache): of the
        # pages a new article changes, or of every page when it changed a stored one.
        with transaction.atomic(), pagecache.scoped_change() as change:
            pages: set[str] = set()
            result = _store(
                raw, analysis, force=force, pipeline_name=pipeline_name, near=near, pages=pages
            )
            if result.outcome is Outcome.INGESTED and result.article_id is not None:
                change.changed(*pages)
            return result
    except IntegrityError as exc:
        # Another process stored the same source a moment ago: that one stands.
        existing = Article.objects.filter(source=raw.source).only("pk").first()
        if existing is not None:
            return IngestResult(
                raw.source,
                Outcome.UNCHANGED,
                existing.pk,
                "ingested by another process at the same time",
            )
        log.warning("ingest of %s: the database refused it (%s)", raw.source, exc)
        raise _Collided(
            IngestResult(raw.source, Outcome.FAILED, message="the database refused it")
        ) from exc
    except IngestError as exc:
        return IngestResult(raw.source, Outcome.FAILED, message=str(exc))
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlstate", None) in _RETRYABLE_SQLSTATES:
            raise _Collided(
                IngestResult(
                    raw.source,
                    Outcome.FAILED,
                    message=f"the database refused it ({exc}); nothing was written, "
                    "ingest it again",
                )
            ) from exc
        # The database is locked or gone: an operator's problem, said in one line (a
        # traceback per article would bury the batch's report).
        log.warning("ingest of %s failed: the database refused it (%s)", raw.source, exc)
        return IngestResult(
            raw.source,
            Outcome.FAILED,
            message=f"the database refused it ({exc}); nothing was written, ingest it again",
        )
    except Exception as exc:  # one article's failure must not end the batch
        log.exception("ingest of %s failed", raw.source)
        return IngestResult(
            raw.source, Outcome.FAILED, message=f"could not be stored ({type(exc).__name__}: {exc})"
        )


def _pages_of_new(
    article: Article, speakers: Iterable[Speaker | None], joined: set[int]
) -> set[str]:
    """The page-cache scopes a new article changes: its own page, those of its story's
    other articles ("also published by"), of the articles whose quotations its quotes
    joined, and of every person it names, quotes or gives a claim to; and the lists.
    ``speakers``: those of its mentions, quotes and claims, as written; ``joined``: the
    quotation groups its quotes joined that other articles' quotes were already in
    (the others' articles and speakers are read, the rest is known)."""
    articles = {article.pk}
    if article.copy_of_id is not None:
        story = Article.objects.filter(Q(pk=article.copy_of_id) | Q(copy_of=article.copy_of_id))
        articles.update(story.values_list("pk", flat=True))
    slugs = {s.slug for s in speakers if s is not None}
    if joined:
        told = Quote.objects.filter(group__in=sorted(joined))
        for other, slug in told.values_list("article_id", "speaker__slug"):
            articles.add(other)
            slugs.add(slug)
    return {
        pagecache.LISTINGS,
        *map(pagecache.article_scope, articles),
        *(pagecache.speaker_scope(slug) for slug in slugs if slug),
    }


def article_reanalyse(
    *, article: Article, pipeline: LanguagePipeline | None = None
) -> IngestResult:
    """Run the language pipeline again over an article's stored text, keeping editor work.

    A failure (the pipeline cannot load or run, the database refuses the result) is
    reported as a FAILED result, as ingest reports one, and nothing is written.
    """
    paragraphs = list(article.paragraphs.order_by("index"))
    document = nlp.Document(
        title=article.title,
        title_derived=article.title_derived,
        paragraphs=[nlp.Paragraph(p.index, nlp.ParagraphKind(p.kind), p.text) for p in paragraphs],
        byline=article.byline,
        outlet=article.outlet,
        published=article.published.isoformat() if article.published else "",
        kind=nlp.ArticleKind(article.kind),
        source=article.source_file,
    )
    try:
        pipeline = pipeline or get_pipeline()
        analysis = pipeline.analyze(document)
        with transaction.atomic(), pagecache.one_change():
            locked = Article.objects.select_for_update().get(pk=article.pk)
            _replace_annotations(locked, analysis)
            locked.pipeline = _pipeline_name(pipeline)
            locked.save(update_fields=["pipeline", "updated"])
    except IngestError as exc:
        return IngestResult(article.source, Outcome.FAILED, article.pk, str(exc))
    except Exception as exc:  # reported to the editor who asked, like an ingest failure
        log.exception("re-analysing article %s failed", article.pk)
        return IngestResult(
            article.source, Outcome.FAILED, article.pk, f"{type(exc).__name__}: {exc}"
        )
    return IngestResult(article.source, Outcome.UPDATED, article.pk, "annotations recomputed")


def _pipeline_name(pipeline: LanguagePipeline) -> str:
    return pipeline.name[:200]


def _store(
    raw: sources.RawArticle,
    analysis: nlp.Analysis,
    *,
    force: bool,
    pipeline_name: str,
    near: NearDuplicates = NearDuplicates.SKIP,
    pages: set[str] | None = None,
) -> IngestResult:
    """``pages``: filled with the page-cache scopes a new article changes."""
    document = analysis.document
    article = Article.objects.select_for_update().filter(source=raw.source).first()
    if article is not None and article.content_hash == raw.content_hash and not force:
        return IngestResult(raw.source, Outcome.UNCHANGED, article.pk, "already ingested")
    twin = None
    if article is None and near is not NearDuplicates.NEW:
        twin = near_duplicate(raw, document)
    if twin is not None and near is NearDuplicates.SKIP:
        return IngestResult(
            raw.source,
            Outcome.UNCHANGED,
            twin.pk,
            f"nearly the same text as {twin.source}: not stored twice (ingest with "
            "--near-duplicates=update to update that article from this file, or "
            "--near-duplicates=new to store it as another article)",
        )
    if twin is not None:
        article = Article.objects.select_for_update().get(pk=twin.pk)
    # Another outlet's copy of a story already ingested (or, with --near-duplicates=new,
    # this outlet's): stored and readable, linked to the first, listed once.
    original = None
    if article is None or not article.copies.exists():
        original = wire_original(document, source=raw.source, article=article)

    fields = {
        "title": document.title,
        "title_derived": document.title_derived,
        "byline": document.byline[:300],
        "outlet": document.outlet[:200],
        "published": _parse_date(document.published),
        "kind": document.kind.value,
        "source_file": raw.source_file[:500],
        "content_hash": raw.content_hash,
        "copy_of": original,
    }
    fields["pipeline"] = pipeline_name or settings.SUMMIT_SPACY_MODEL
    created = article is None
    if article is None:
        article = Article.objects.create(source=raw.source, **fields)
        rows = [
            Paragraph(
                article=article,
                index=p.index,
                kind=p.kind.value,
                text=p.text,
                fingerprint=paragraph_fingerprint(p.text, p.kind.value),
            )
            for p in document.paragraphs
        ]
        rows_insert(Paragraph, rows)
        _replace_annotations(
            article, analysis, rows={p.index: p for p in rows}, fresh=True, pages=pages
        )
    else:
        kept = set(article.edited_fields or [])
        for name, value in fields.items():
            if name not in kept and not (name == "title_derived" and "title" in kept):
                setattr(article, name, value)
        # Linked (or unlinked) before the annotations' counters are refreshed: a name in
        # a copy counts towards its story's article (``counters._speaker_counts``).
        Article.objects.filter(pk=article.pk).update(copy_of=original)
        old_texts = dict(article.paragraphs.values_list("index", "text"))
        stale, review = _sync_paragraphs(article, document)
        _replace_annotations(article, analysis, old_texts=old_texts)
        Paragraph.objects.filter(pk__in=stale).delete()
        article.save()
    said = _summary(analysis) + (f"; {review}" if not created and review else "")
    if twin is not None:
        said = f"updated {twin.source} from this nearly identical text; {said}"
    if original is not None:
        said = (
            f"{said}; nearly the same text as {original.source} ({original.outlet_name}): "
            "linked to it as a copy, listed once"
        )
    return IngestResult(
        raw.source, Outcome.INGESTED if created else Outcome.UPDATED, article.pk, said
    )


# Share of paragraphs two texts must have in common to be one article's two versions, and
# how alike two paragraphs must be to count as one (a word changed).
NEAR_DUPLICATE_SHARE = 0.9
NEAR_PARAGRAPH_LIKENESS = 0.9


def near_duplicate(raw: sources.RawArticle, document: nlp.Document) -> Article | None:
    """An ingested article from another source whose text is nearly this one's, from
    the same outlet (or where either names none): the same file name or title, and at
    least ``NEAR_DUPLICATE_SHARE`` of paragraphs the same or all but the same (a word
    changed here and there). Another outlet's is no version of it but a copy
    (``wire_original``)."""
    texts = [p.text for p in document.paragraphs]
    if not texts:
        return None
    same_name = Q(source_file=raw.source_file[:500]) if raw.source_file else Q(pk__in=[])
    candidates = Article.objects.filter(same_name | Q(title=document.title)).exclude(
        source=raw.source
    )[:20]
    best, best_share = None, 0.0
    for candidate in candidates:
        if not _same_outlet(candidate.outlet, document.outlet):
            continue
        share = _paragraphs_share(texts, list(candidate.paragraphs.values_list("text", flat=True)))
        if share >= NEAR_DUPLICATE_SHARE and share > best_share:
            best, best_share = candidate, share
    return best


def _same_outlet(one: str, other: str) -> bool:
    one, other = one.strip().casefold(), other.strip().casefold()
    return not one or not other or one == other


# Share of the paragraphs long enough to fingerprint that another outlet's copy of a story
# has in common with the first ingested (equal or nearly: a wire story's copies differ by
# a word here and there, a paragraph cut at the end); how many of a new article's
# fingerprints are looked up, and how many articles (oldest first) each lookup reads.
COPY_SHARE = 0.8
COPY_PRINTS = 12
COPY_CANDIDATES = 20


def wire_original(
    document: nlp.Document, *, source: str = "", article: Article | None = None
) -> Article | None:
    """The article first ingested with nearly this document's text, from any outlet:
    the story this one is a copy of. Found by the fingerprints of its longest body
    paragraphs (``Paragraph.fingerprint``, an index: a few bounded lookups, never a
    pass over the table), then checked paragraph by paragraph (``COPY_SHARE``).
    ``source`` and ``article``: this document's own, never its original. None if there
    is no such article."""
    # Compared by the paragraphs long enough to have a fingerprint: a headline or a
    # dateline repeated in the text is each outlet's own.
    printed = [
        (p.text, f)
        for p in document.paragraphs
        if (f := paragraph_fingerprint(p.text, p.kind.value))
    ]
    if not printed:
        return None
    body = [text for text, _ in printed]
    prints = {f: len(text) for text, f in printed}
    longest = sorted(prints, key=lambda f: -prints[f])[:COPY_PRINTS]
    hits: collections.Counter[int] = collections.Counter()
    for articles in _first_articles(longest, COPY_CANDIDATES).values():
        hits.update(articles)
    needed = max(1, len(longest) // 2)
    candidates = [pk for pk, n in hits.most_common(5) if n >= needed]
    others = Article.objects.filter(pk__in=candidates).exclude(source=source)
    if article is not None:
        others = others.exclude(pk=article.pk)
    for candidate in others.order_by("pk"):
        theirs = candidate.paragraphs.filter(fingerprint__isnull=False).order_by("index")
        texts = list(theirs.values_list("text", flat=True))
        if _paragraphs_share(body, texts, COPY_SHARE) >= COPY_SHARE:
            return candidate.copy_of or candidate
    return None


def _first_articles(fingerprints: list[str], limit: int) -> dict[str, set[int]]:
    """Each fingerprint's articles among its first ``limit`` paragraphs, oldest article
    first: ``Paragraph.objects.filter(fingerprint=f).order_by("article_id")[:limit]``'s,
    for every fingerprint in one statement (a part each, bounded by its LIMIT on the
    fingerprint index) rather than one statement each."""
    found: dict[str, set[int]] = {f: set() for f in fingerprints}
    if not fingerprints:
        return found
    connection = connections[router.db_for_read(Paragraph)]
    name = connection.ops.quote_name
    table = name(Paragraph._meta.db_table)
    fingerprint = name(Paragraph._meta.get_field("fingerprint").column)
    article = name(Paragraph._meta.get_field("article").column)
    sql = " UNION ALL ".join(
        f"SELECT * FROM (SELECT {fingerprint}, {article} FROM {table} "
        f"WHERE {fingerprint} = %s ORDER BY {article} LIMIT %s) AS part{n}"
        for n in range(len(found))
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for f in found for value in (f, limit)])
        for f, article_id in cursor.fetchall():
            found[f].add(article_id)
    return found


def _paragraphs_share(
    ours: list[str], theirs: list[str], enough: float = NEAR_DUPLICATE_SHARE
) -> float:
    """How many of two texts' paragraphs pair up, equal or nearly, over the longer (no
    more than a guess under ``enough``, once reaching it is out of the question)."""
    longest = max(len(ours), len(theirs))
    if not longest:
        return 0.0
    pool = collections.Counter(theirs)
    matched, rest = 0, []
    for text in ours:
        if pool[text] > 0:
            pool[text] -= 1
            matched += 1
        else:
            rest.append(text)
    if (matched + len(rest)) / longest < enough:
        return matched / longest  # even if every other paragraph paired, not enough
    left = list(pool.elements())
    for text in rest:
        scored = [(SequenceMatcher(None, text, o, autojunk=False).quick_ratio(), o) for o in left]
        if not scored:
            break
        _, other = max(scored)
        if SequenceMatcher(None, text, other, autojunk=False).ratio() >= NEAR_PARAGRAPH_LIKENESS:
            matched += 1
            left.remove(other)
    return matched / longest


def _summary(analysis: nlp.Analysis) -> str:
    return (
        f"{len(analysis.document.paragraphs)} paragraphs, {len(analysis.quotes)} quotes, "
        f"{len(analysis.people)} speakers, {len(analysis.claims)} claims"
    )


def _parse_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _sync_paragraphs(article: Article, document: nlp.Document) -> tuple[list[int], str]:
    """Make the article's paragraph rows match the document, in place, by index.

    Returns the rows the document no longer has (the caller deletes them once the
    machine's annotations on them have been matched and moved, see ``_match``), and
    what became of editors' annotations whose words changed (see ``_reanchor_kept``).
    """
    new = document.paragraphs
    existing = {p.index: p for p in article.paragraphs.all()}
    texts = [p.text for p in new]
    review = _reanchor_kept(article, texts, existing)
    changed, added = [], []
    for p in new:
        row = existing.pop(p.index, None)
        fingerprint = paragraph_fingerprint(p.text, p.kind.value)
        if row is None:
            added.append(
                Paragraph(
                    article=article,
                    index=p.index,
                    kind=p.kind.value,
                    text=p.text,
                    fingerprint=fingerprint,
                )
            )
        elif (row.text, row.kind) != (p.text, p.kind.value):
            row.text, row.kind, row.fingerprint = p.text, p.kind.value, fingerprint
            changed.append(row)
    Paragraph.objects.bulk_update(changed, ["text", "kind", "fingerprint"])
    Paragraph.objects.bulk_create(added)
    return [row.pk for row in existing.values()], review


# History reasons of what a re-ingest does to an editor's annotation whose words changed.
REANCHORED_REASON = "Its words changed in the source: check it again"
WORDS_GONE_REASON = "Its words are no longer in the article"


def _reanchor_kept(article: Article, texts: list[str], old_rows: dict[int, Paragraph]) -> str:
    """Move every annotation an editor kept onto the new text, found by its words and
    the words around them (``anchoring.place``); says what needs an editor's eye.

    One whose words stand as they were moves there, quietly (no history row: offsets
    are not an editor's fact). One whose words changed is re-attached to the nearest
    match, takes the new words, and is flagged for review (a verified quote is back in
    the review queue), with a history row that says so. One whose words are gone
    altogether is deleted, with a history row (a quote's address stays, as a retired
    quote). None of these stops the article's ingest. Machine annotations are matched
    to the new analysis later, by ``_replace_annotations``. The paragraph rows are then
    updated in place, so the foreign keys stay valid.
    """
    old_texts = {row.index: row.text for row in old_rows.values()}
    old_index = {row.pk: row.index for row in old_rows.values()}
    rows_by_index = dict(old_rows)
    moves: list[tuple[Annotation, Placed, Placed]] = []
    changed: list[tuple[Annotation, Placed, Placed]] = []
    gone: list[Annotation] = []
    for model in (EntityMention, Quote, Claim):
        for annotation in model.objects.filter(article=article).kept_by_editors():
            placed = _place_kept(annotation, texts, old_texts, old_index)
            if placed is None:
                gone.append(annotation)
            elif placed[0].exact and placed[1].exact:
                moves.append((annotation, *placed))
            else:
                changed.append((annotation, *placed))
    # Paragraph rows for indexes the new text adds are created now, so kept annotations
    # can point at them; _sync_paragraphs then leaves them as they are.
    for index in range(len(texts)):
        if index not in rows_by_index:
            rows_by_index[index] = Paragraph.objects.create(
                article=article, index=index, text=texts[index]
            )
            old_rows[index] = rows_by_index[index]

    def put(annotation: Annotation, first: Placed, last: Placed) -> bool:
        """Set the annotation's place; whether it moved."""
        before = (annotation.paragraph_id, annotation.start, annotation.end)
        annotation.paragraph = rows_by_index[first.paragraph]
        annotation.start, annotation.end = first.start, last.end
        moved = before != (annotation.paragraph_id, annotation.start, annotation.end)
        if isinstance(annotation, Quote):
            end_row = rows_by_index[last.paragraph] if last.paragraph != first.paragraph else None
            moved |= annotation.end_paragraph_id != (end_row.pk if end_row else None)
            annotation.end_paragraph = end_row
        return moved

    by_model: dict[type[Annotation], list[Annotation]] = {}
    for annotation, first, last in moves:
        if put(annotation, first, last):
            by_model.setdefault(type(annotation), []).append(annotation)
    for kind, objs in by_model.items():
        place_fields = ["paragraph", "start", "end", *(["end_paragraph"] * (kind is Quote))]
        kind._default_manager.bulk_update(objs, place_fields)
    for annotation, first, last in changed:
        history_baseline([annotation])
        put(annotation, first, last)
        annotation.text = span_text(texts, first.paragraph, first.start, last.end, last.paragraph)
        if annotation.status == Status.VERIFIED:
            annotation.status = Status.MACHINE  # back in the review queue
        annotation.edited = True  # still the editor's: a re-ingest keeps it
        annotation._history_user = None
        annotation._change_reason = REANCHORED_REASON
        annotation.save()
    for annotation in gone:
        if isinstance(annotation, Quote):
            RetiredQuote.objects.update_or_create(
                quote_id=annotation.pk, defaults=retired_fields(annotation)
            )
        history_baseline([annotation])
        annotation._history_user = None
        annotation._change_reason = WORDS_GONE_REASON
        annotation.delete()
    said = []
    if changed:
        said.append(
            f"{len(changed)} annotation{'s' if len(changed) != 1 else ''} an editor kept "
            "re-attached where the words changed, to check again"
        )
    if gone:
        said.append(
            f"{len(gone)} an editor kept deleted with {'their' if len(gone) != 1 else 'its'} words"
        )
    return "; ".join(said)


def _place_kept(
    annotation: Annotation, texts: list[str], old_texts: dict[int, str], old_index: dict[int, int]
) -> tuple[Placed, Placed] | None:
    """Where a kept annotation's first and last parts stand in ``texts`` (the same for
    one paragraph), found by its words in their old context; ``None`` if gone."""
    pieces = annotation.text.split(nlp.PARAGRAPH_JOIN)
    first_index = old_index.get(annotation.paragraph_id, 0)
    first_text = old_texts.get(first_index, "")
    end_id = getattr(annotation, "end_paragraph_id", None) or annotation.paragraph_id
    last_index = old_index.get(end_id, first_index)
    last_text = old_texts.get(last_index, "")
    start, end = annotation.start, annotation.end
    head = TextQuote(
        pieces[0],
        prefix=first_text[max(0, start - CONTEXT) : start],
        suffix=first_text[start + len(pieces[0]) :][:CONTEXT] if len(pieces) == 1 else "",
        paragraph=first_index,
        start=start,
    )
    first = place(texts, head, bracketed_ratio=BRACKETED_RATIO)
    if first is None:
        return None
    if len(pieces) == 1:
        return first, first
    tail = TextQuote(
        pieces[-1],
        suffix=last_text[end : end + CONTEXT],
        paragraph=first.paragraph + (last_index - first_index),
        start=max(0, end - len(pieces[-1])),
    )
    last = place(texts, tail, bracketed_ratio=BRACKETED_RATIO)
    if last is None or last.paragraph <= first.paragraph:
        return None
    if last.paragraph - first.paragraph != last_index - first_index:
        last = Placed(last.paragraph, last.start, last.end, exact=False)
    return first, last


# Annotations --------------------------------------------------------------------------


def _replace_annotations(
    article: Article,
    analysis: nlp.Analysis,
    *,
    rows: dict[int, Paragraph] | None = None,
    fresh: bool = False,
    old_texts: dict[int, str] | None = None,
    pages: set[str] | None = None,
) -> None:
    """Write the analysis's annotations beside the editors', keeping ids stable.

    Each machine annotation already stored that comes out again (see ``_match``) is
    updated in place and keeps its id; only new ones are inserted and only vanished
    ones deleted. What an editor kept stays as it is, and what an editor deleted (a
    tombstone) is not made again, though the pipeline draw it a little differently.
    ``fresh``: the article was created just now (its new quotes are grouped as
    written, and the page-cache scopes it changes added to ``pages``). ``old_texts``:
    the paragraphs' texts (by index) before this ingest changed them; by default they
    did not change.
    """
    if rows is None:
        rows = {p.index: p for p in article.paragraphs.all()}
    texts = [rows[i].text if i in rows else "" for i in range(max(rows, default=-1) + 1)]
    if old_texts is None:
        old_texts = dict(enumerate(texts))
    resolver = SpeakerResolver()
    speakers = resolver.resolve_all(analysis.people)
    kept: dict[type[Annotation], list[tuple[int, int, int]]] = {
        EntityMention: [],
        Quote: [],
        Claim: [],
    }
    buried: dict[str, list[tuple[int, int, int]]] = {}
    if not fresh:
        for model, places in kept.items():
            stored = model.objects.filter(article=article).kept_by_editors()
            for a in stored.with_paragraph_index():
                one = getattr(a, "end_paragraph_id", None) in (None, a.paragraph_id)
                end = a.end if one else len(texts[a.paragraph_index])
                places.append((a.paragraph_index, a.start, end))
        buried = _tombstones(article, texts)
        _retired_follow(article, texts)

    def free(model: type[Annotation], span: nlp.Span) -> bool:
        """Neither an editor's kept annotation nor a tombstone stands on this span."""
        one = span.end_paragraph in (None, span.paragraph)
        mine = (span.start, span.end if one else len(texts[span.paragraph]))
        for where in (kept[model], buried.get(model._meta.model_name or "", [])):
            for paragraph, start, stop in where:
                if paragraph == span.paragraph and overlap(mine, (start, stop)) >= _SAME_SPAN:
                    return False
        return True

    mentions = [
        EntityMention(
            article=article,
            paragraph=rows[m.span.paragraph],
            start=m.span.start,
            end=m.span.end,
            text=m.span.text,
            label=m.label[:20],
            speaker=speakers.get(m.person),
        )
        for m in analysis.mentions
        if fresh or free(EntityMention, m.span)
    ]
    quotes = [
        Quote(
            article=article,
            paragraph=rows[q.span.paragraph],
            start=q.span.start,
            end=q.span.end,
            text=q.span.text,
            kind=q.kind.value,
            end_paragraph=(
                rows[q.span.end_paragraph]
                if q.span.end_paragraph is not None and q.span.end_paragraph != q.span.paragraph
                else None
            ),
            speaker=speakers.get(q.speaker),
            speaker_text=(q.speaker_span.text if q.speaker_span else "")[:300],
            cue=q.cue[:100],
            sieve=q.sieve,
            via=_span_ref(q.via),
            confidence=q.confidence,
        )
        for q in analysis.quotes
        if fresh or (not _overlaps_kept(q, kept[Quote]) and free(Quote, q.span))
    ]
    claims = [
        Claim(
            article=article,
            paragraph=rows[c.span.paragraph],
            start=c.span.start,
            end=c.span.end,
            text=c.span.text,
            kind=c.kind.value,
            holder=speakers.get(c.holder),
            highlighted=c.highlighted,
        )
        for c in analysis.claims
        if c.holder not in resolver.buried and (fresh or free(Claim, c.span))
    ]
    # No history row each: summit.services.history records one before a first edit.
    batches: list[tuple[type[Annotation], Sequence[Annotation]]] = [
        (EntityMention, mentions),
        (Quote, quotes),
        (Claim, claims),
    ]
    before: set[int | None] = set()
    groups_before: set[int] = set()
    if not fresh:  # the speakers the stored annotations counted for, some about to go
        for counted in (EntityMention, Quote):
            before.update(
                counted.objects.filter(article=article).values_list("speaker_id", flat=True)
            )
        groups_before = set(
            Quote.objects.filter(article=article, group__isnull=False).values_list(
                "group_id", flat=True
            )
        )
    for model, objs in batches:
        if fresh:
            rows_insert(model, objs)
        else:
            _store_matched(article, model, objs, old_texts=old_texts, texts=texts)
    # One quotation, many articles: each quote finds its group (its words, its speaker),
    # and the groups a vanished quote left choose again.
    if fresh:  # every quote is new, as bulk_create returned it (with its id)
        made = quotes_group(quotes)
        if pages is not None:
            joined = {q.group_id for q in quotes if q.group_id} - made
            told = [o.speaker for o in (*mentions, *quotes)]  # type: ignore[attr-defined]
            pages |= _pages_of_new(article, [*told, *(c.holder for c in claims)], joined)
    else:
        quotes_regroup(Quote.objects.filter(article=article).values_list("pk", flat=True))
    groups_refresh(groups_before)
    counts_refresh(
        speakers=before | {o.speaker_id for o in (*mentions, *quotes)},  # type: ignore[attr-defined]
        articles=[article.pk],
    )


# Two spans of one paragraph are the same annotation drawn differently when they share
# at least this much (of their union): "one character shorter" is, a neighbour is not.
_SAME_SPAN = 0.5
# A tombstone whose words changed still holds when they are this alike (a typo fixed).
_TOMBSTONE_LIKENESS = 0.8


def _tombstones(article: Article, texts: list[str]) -> dict[str, list[tuple[int, int, int]]]:
    """Where what editors deleted from this article stands in ``texts``, by model name:
    (paragraph index, start, end). Each tombstone moves to its new place."""
    found: dict[str, list[tuple[int, int, int]]] = {}
    moved = []
    for t in AnnotationTombstone.objects.filter(article=article):
        first = t.text.split(nlp.PARAGRAPH_JOIN)[0]
        selector = TextQuote(first, t.prefix, t.suffix, t.paragraph_index, t.start)
        placed = place(texts, selector, min_ratio=_TOMBSTONE_LIKENESS)
        if placed is None or (placed.likeness == 1.0 and not placed.exact):
            continue  # its words are gone, or stand only elsewhere, in other company
        found.setdefault(t.model, []).append((placed.paragraph, placed.start, placed.end))
        now = TextQuote.at(texts[placed.paragraph], placed.start, placed.end, placed.paragraph)
        if (t.paragraph_index, t.start, t.prefix, t.suffix) != (
            now.paragraph,
            now.start,
            now.prefix,
            now.suffix,
        ):
            t.paragraph_index, t.start, t.end = now.paragraph, placed.start, placed.end
            t.prefix, t.suffix = now.prefix, now.suffix
            t.paragraph_hash = paragraph_hash(texts[placed.paragraph])
            if nlp.PARAGRAPH_JOIN not in t.text:
                t.text = now.exact
            moved.append(t)
    fields = ["paragraph_index", "start", "end", "prefix", "suffix", "paragraph_hash", "text"]
    AnnotationTombstone.objects.bulk_update(moved, fields)
    return found


def _retired_follow(article: Article, texts: list[str]) -> None:
    """Old quote addresses land where their words stand now (paragraphs come and go)."""
    moved = []
    for r in RetiredQuote.objects.filter(article=article):
        first = r.text.split(nlp.PARAGRAPH_JOIN)[0]
        placed = place(texts, TextQuote(first, r.prefix, r.suffix, r.paragraph_index))
        if placed is not None and placed.paragraph != r.paragraph_index:
            r.paragraph_index = placed.paragraph
            moved.append(r)
    RetiredQuote.objects.bulk_update(moved, ["paragraph_index"])


# Fields a re-ingest never writes over on a matched annotation.
_KEEP_ON_MATCH = {"id", "article", "created", "updated", "status", "edited"}


def _store_matched(
    article: Article,
    model: type[Annotation],
    new: Sequence[Annotation],
    *,
    old_texts: dict[int, str],
    texts: list[str],
) -> None:
    """Update the stored machine annotations that ``new`` matches, insert the rest,
    delete the stored ones that came out no more (a vanished quote leaves its address
    behind, see ``RetiredQuote``)."""
    old = list(model.objects.filter(article=article).machine_made().select_related("paragraph"))
    pairs = _match(old, new, old_texts=old_texts, texts=texts)
    fields = [
        f.name
        for f in model._meta.concrete_fields
        if f.name not in _KEEP_ON_MATCH and not f.primary_key
    ]
    now = timezone.now()
    changed, matched = [], set()
    for obj, stored in pairs:
        if stored is None:
            continue
        matched.add(stored.pk)
        if any(
            getattr(stored, f.attname) != getattr(obj, f.attname) for f in _concrete(model, fields)
        ):
            for name in fields:
                setattr(stored, name, getattr(obj, name))
            stored.updated = now
            changed.append(stored)
    gone = [o for o in old if o.pk not in matched]
    if gone:
        if model is Quote:
            retired = []
            for q in gone:
                was = _old_selector(q, old_texts)
                placed = place(texts, was)
                retired.append(
                    RetiredQuote(
                        quote_id=q.pk,
                        article=article,
                        paragraph_index=placed.paragraph if placed else was.paragraph,
                        text=q.text,
                        prefix=was.prefix,
                        suffix=was.suffix,
                    )
                )
            RetiredQuote.objects.bulk_create(retired, ignore_conflicts=True)
        # Nothing refers to an annotation and machine ones carry no history (see
        # summit.services.history): one statement, without a delete signal each.
        doomed = model.objects.filter(pk__in=[o.pk for o in gone])
        doomed._raw_delete(doomed.db)
    if changed:
        model.objects.bulk_update(changed, [*fields, "updated"], batch_size=500)
    model.objects.bulk_create([obj for obj, stored in pairs if stored is None], batch_size=500)


def _concrete(model: type[Annotation], names: list[str]):
    return [model._meta.get_field(name) for name in names]


def _old_selector(annotation: Annotation, old_texts: dict[int, str]) -> TextQuote:
    """A stored annotation's selector in the text as it read before this ingest (its
    paragraph row keeps its index while its text is replaced)."""
    index = annotation.paragraph.index
    text = old_texts.get(index, "")
    first = annotation.text.split(nlp.PARAGRAPH_JOIN)[0]
    return TextQuote.at(text, annotation.start, annotation.start + len(first), index)


def _new_selector(annotation: Annotation, texts: list[str]) -> TextQuote:
    index = annotation.paragraph.index
    first = annotation.text.split(nlp.PARAGRAPH_JOIN)[0]
    return TextQuote.at(texts[index], annotation.start, annotation.start + len(first), index)


def _match(
    old: list[Annotation],
    new: Sequence[Annotation],
    *,
    old_texts: dict[int, str] | None = None,
    texts: list[str] | None = None,
) -> list[tuple[Annotation, Annotation | None]]:
    """Pair each new annotation with the stored one it is, or with ``None``.

    First the same words: of all such pairs, those whose surrounding words agree most
    are paired first, then the nearest (a paragraph inserted before moves every
    annotation after it, and another occurrence of the same name must not take its
    id). Then, for what is left, an overlapping span where the stored one's words stand
    now (a newer pipeline drew it a little wider or narrower). Each stored annotation
    is matched at most once.
    """
    if texts is None or old_texts is None:
        rows = {a.paragraph.index: a.paragraph.text for a in (*old, *new)}
        texts = [rows.get(i, "") for i in range(max(rows, default=-1) + 1)]
        old_texts = old_texts if old_texts is not None else dict(enumerate(texts))
    free = {o.pk: o for o in old}
    result: dict[int, Annotation] = {}
    was = {o.pk: _old_selector(o, old_texts) for o in old}

    by_text: dict[str, list] = {}
    for o in old:
        by_text.setdefault(o.text, []).append(o)
    candidates = []
    for i, obj in enumerate(new):
        here = _new_selector(obj, texts)
        for o in by_text.get(obj.text, ()):
            agree = agreement(here, was[o.pk])
            distance = (abs(o.paragraph.index - here.paragraph), abs(o.start - here.start))
            candidates.append((-agree, distance, i, o.pk))
    candidates.sort()
    for _, _, i, pk in candidates:
        if i not in result and pk in free:
            result[i] = free.pop(pk)

    for pk, o in list(free.items()):
        now = place(texts, was[pk], fuzzy=False)
        if now is None:  # its words changed: where it stood
            paragraph, span = o.paragraph.index, (o.start, o.end)
        else:
            paragraph, span = now.paragraph, (now.start, now.end)
        best = max(
            (
                (overlap(span, (obj.start, obj.end)), i)
                for i, obj in enumerate(new)
                if i not in result and obj.paragraph.index == paragraph
            ),
            default=(0.0, -1),
        )
        if best[0] > 0:
            result[best[1]] = free.pop(pk)
    return [(obj, result.get(i)) for i, obj in enumerate(new)]


def _span_ref(span: nlp.Span | None) -> dict | None:
    """A span as stored in JSON: paragraph index, offsets and text."""
    if span is None:
        return None
    return {"paragraph": span.paragraph, "start": span.start, "end": span.end, "text": span.text}


def _overlaps_kept(quote: nlp.Quote, kept: list[tuple[int, int, int]]) -> bool:
    """A machine quote that an editor already decided on (verified, rejected, changed)
    does not come back as a second copy, however little it overlaps."""
    return any(
        paragraph == quote.span.paragraph and quote.span.start < end and start < quote.span.end
        for paragraph, start, end in kept
    )

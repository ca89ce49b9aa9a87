"""Ingestion: sources → structure → language pipeline → models, one transaction an article.

Re-ingesting is safe. The same text is reported unchanged and nothing is written.
Changed text (or ``force``) recomputes the machine's annotations, while everything an
editor touched — verified, rejected or edited annotations, edited article fields and
speakers — is kept and re-anchored by its text. If an editor's annotation can no longer
be found in the new text, that article is not updated and the failure says which
annotation stands in the way: nothing is ever dropped silently.
"""

from __future__ import annotations

import collections
import datetime
import itertools
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from summit import sources
from summit.models import (
    Annotation,
    AnnotationTombstone,
    Article,
    Claim,
    EntityMention,
    Paragraph,
    Quote,
    RetiredQuote,
    paragraph_hash,
)
from summit.nlp import types as nlp
from summit.nlp.structure import parse_structure
from summit.services.anchoring import AnchorError, find_anchor
from summit.services.counters import counts_refresh
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
) -> list[IngestResult]:
    """Ingest every article ``targets`` name (files, folders, URLs), reporting each one.

    Reading errors and write errors fail one article each; the rest go on. ``meta``
    (``title``, ``byline``, ``outlet``, ``published``: what a feed said of the article)
    fills in what the article's own metadata lacks.
    """
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
                    raw=raw, analysis=analysis, force=force, pipeline_name=_pipeline_name(pipeline)
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
) -> IngestResult:
    """Write one analysed article in one transaction; report what happened.

    Workers writing side by side can collide: two create the same new speaker at once,
    or two transactions deadlock over the counters of the speakers they share. The
    one that loses is rolled back and tried again (it then finds the other's speaker).
    """
    for attempt in range(1, _STORE_ATTEMPTS + 1):
        try:
            return _store_once(raw, analysis, force=force, pipeline_name=pipeline_name)
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
    raw: sources.RawArticle, analysis: nlp.Analysis, *, force: bool, pipeline_name: str
) -> IngestResult:
    try:
        with transaction.atomic():
            return _store(raw, analysis, force=force, pipeline_name=pipeline_name)
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
        with transaction.atomic():
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
    raw: sources.RawArticle, analysis: nlp.Analysis, *, force: bool, pipeline_name: str
) -> IngestResult:
    document = analysis.document
    article = Article.objects.select_for_update().filter(source=raw.source).first()
    if article is not None and article.content_hash == raw.content_hash and not force:
        return IngestResult(raw.source, Outcome.UNCHANGED, article.pk, "already ingested")

    fields = {
        "title": document.title,
        "title_derived": document.title_derived,
        "byline": document.byline[:300],
        "outlet": document.outlet[:200],
        "published": _parse_date(document.published),
        "kind": document.kind.value,
        "source_file": raw.source_file[:500],
        "content_hash": raw.content_hash,
    }
    fields["pipeline"] = pipeline_name or settings.SUMMIT_SPACY_MODEL
    created = article is None
    if article is None:
        article = Article.objects.create(source=raw.source, **fields)
        rows = Paragraph.objects.bulk_create(
            Paragraph(article=article, index=p.index, kind=p.kind.value, text=p.text)
            for p in document.paragraphs
        )
        _replace_annotations(article, analysis, rows={p.index: p for p in rows}, fresh=True)
    else:
        kept = set(article.edited_fields or [])
        for name, value in fields.items():
            if name not in kept and not (name == "title_derived" and "title" in kept):
                setattr(article, name, value)
        stale = _sync_paragraphs(article, document)
        _replace_annotations(article, analysis)
        Paragraph.objects.filter(pk__in=stale).delete()
        article.save()
    return IngestResult(
        raw.source,
        Outcome.INGESTED if created else Outcome.UPDATED,
        article.pk,
        _summary(analysis),
    )


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


def _sync_paragraphs(article: Article, document: nlp.Document) -> list[int]:
    """Make the article's paragraph rows match the document, in place, by index.

    Returns the rows the document no longer has: the caller deletes them once the
    machine's annotations on them have been matched and moved (see ``_match``).
    """
    new = document.paragraphs
    existing = {p.index: p for p in article.paragraphs.all()}
    texts = [p.text for p in new]
    _reanchor_kept(article, texts, existing)
    changed, added = [], []
    for p in new:
        row = existing.pop(p.index, None)
        if row is None:
            added.append(Paragraph(article=article, index=p.index, kind=p.kind.value, text=p.text))
        elif (row.text, row.kind) != (p.text, p.kind.value):
            row.text, row.kind = p.text, p.kind.value
            changed.append(row)
    Paragraph.objects.bulk_update(changed, ["text", "kind"])
    Paragraph.objects.bulk_create(added)
    return [row.pk for row in existing.values()]


def _reanchor_kept(article: Article, texts: list[str], old_rows: dict[int, Paragraph]) -> None:
    """Move every annotation an editor kept onto the new text, found by its own text.

    Kept ones get the paragraph index and offsets where their text now stands (machine
    ones are matched to the new analysis later, by ``_replace_annotations``). The
    paragraph rows are then updated in place, so the foreign keys stay valid.
    """
    old_index = {row.pk: row.index for row in old_rows.values()}
    rows_by_index = dict(old_rows)
    pending: list[tuple[Annotation, int, int, tuple[int | None, int]]] = []
    missing: list[str] = []
    for model in (EntityMention, Quote, Claim):
        for annotation in model.objects.filter(article=article).kept_by_editors():
            near = (old_index.get(annotation.paragraph_id, 0), annotation.start)
            text = annotation.text.split(nlp.PARAGRAPH_JOIN)
            try:
                first = find_anchor(texts, text[0], near=near)
                last = first
                if len(text) > 1:
                    last = find_anchor(texts, text[-1], near=(first.paragraph + len(text) - 1, 0))
            except AnchorError:
                missing.append(f"{model._meta.verbose_name} “{annotation.text[:60]}”")
                continue
            end_index = last.paragraph if len(text) > 1 else None
            pending.append((annotation, first.paragraph, first.start, (end_index, last.end)))
    if missing:
        raise IngestError(
            "the new text no longer holds these annotations an editor kept: "
            + "; ".join(missing)
            + ". Correct or delete them in the admin, then ingest again."
        )
    # Paragraph rows for indexes the new text adds are created now, so kept annotations
    # can point at them; _sync_paragraphs then leaves them as they are.
    for index in range(len(texts)):
        if index not in rows_by_index:
            rows_by_index[index] = Paragraph.objects.create(
                article=article, index=index, text=texts[index]
            )
            old_rows[index] = rows_by_index[index]
    for annotation, index, start, (end_index, end) in pending:
        annotation.paragraph = rows_by_index[index]
        annotation.start, annotation.end = start, end
        if isinstance(annotation, Quote):
            annotation.end_paragraph = (
                rows_by_index[end_index] if end_index is not None and end_index != index else None
            )
        annotation.save()


# Annotations --------------------------------------------------------------------------


def _replace_annotations(
    article: Article,
    analysis: nlp.Analysis,
    *,
    rows: dict[int, Paragraph] | None = None,
    fresh: bool = False,
) -> None:
    """Write the analysis's annotations beside the editors', keeping ids stable.

    Each machine annotation already stored that comes out again (see ``_match``) is
    updated in place and keeps its id; only new ones are inserted and only vanished
    ones deleted. What an editor kept stays as it is, and what an editor deleted (a
    tombstone) is not made again. ``fresh``: the article was created just now.
    """
    if rows is None:
        rows = {p.index: p for p in article.paragraphs.all()}
    speakers = SpeakerResolver().resolve_all(analysis.people)
    kept_quotes: list[Quote] = []
    kept_mentions: set[tuple[int, int, int]] = set()
    kept_claims: set[tuple[int, int, int]] = set()
    buried: set[tuple] = set()
    if not fresh:
        kept_quotes = list(Quote.objects.filter(article=article).kept_by_editors())
        kept_mentions = {
            (m.paragraph_id, m.start, m.end)
            for m in EntityMention.objects.filter(article=article).kept_by_editors()
        }
        kept_claims = {
            (c.paragraph_id, c.start, c.end)
            for c in Claim.objects.filter(article=article).kept_by_editors()
        }
        buried = _tombstones(article)
    hashes = {index: paragraph_hash(row.text) for index, row in rows.items()} if buried else {}

    def alive(model: type[Annotation], span: nlp.Span) -> bool:
        if not buried:
            return True
        name, digest = model._meta.model_name, hashes.get(span.paragraph)
        return (name, digest, span.start, span.end) not in buried and (
            name,
            digest,
            span.text,
        ) not in buried

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
        if (rows[m.span.paragraph].pk, m.span.start, m.span.end) not in kept_mentions
        and alive(EntityMention, m.span)
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
        if not _overlaps_kept(q, rows, kept_quotes) and alive(Quote, q.span)
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
        if (rows[c.span.paragraph].pk, c.span.start, c.span.end) not in kept_claims
        and alive(Claim, c.span)
    ]
    # No history row each: summit.services.history records one before a first edit.
    batches: list[tuple[type[Annotation], Sequence[Annotation]]] = [
        (EntityMention, mentions),
        (Quote, quotes),
        (Claim, claims),
    ]
    before: set[int | None] = set()
    if not fresh:  # the speakers the stored annotations counted for, some about to go
        for counted in (EntityMention, Quote):
            before.update(
                counted.objects.filter(article=article).values_list("speaker_id", flat=True)
            )
    for model, objs in batches:
        if fresh:
            model.objects.bulk_create(objs, batch_size=500)
        else:
            _store_matched(article, model, objs)
    counts_refresh(
        speakers=before | {o.speaker_id for o in (*mentions, *quotes)},  # type: ignore[attr-defined]
        articles=[article.pk],
    )


def _tombstones(article: Article) -> set[tuple]:
    """What editors deleted from this article, keyed by place and by text."""
    keys: set[tuple] = set()
    for t in AnnotationTombstone.objects.filter(article=article):
        keys.add((t.model, t.paragraph_hash, t.start, t.end))
        keys.add((t.model, t.paragraph_hash, t.text))
    return keys


# Fields a re-ingest never writes over on a matched annotation.
_KEEP_ON_MATCH = {"id", "article", "created", "updated", "status", "edited"}


def _store_matched(article: Article, model: type[Annotation], new: Sequence[Annotation]) -> None:
    """Update the stored machine annotations that ``new`` matches, insert the rest,
    delete the stored ones that came out no more (a vanished quote leaves its address
    behind, see ``RetiredQuote``)."""
    old = list(model.objects.filter(article=article).machine_made().select_related("paragraph"))
    pairs = _match(old, new)
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
            RetiredQuote.objects.bulk_create(
                [
                    RetiredQuote(
                        quote_id=q.pk,
                        article=article,
                        paragraph_index=q.paragraph.index,
                        text=q.text,
                    )
                    for q in gone
                ],
                ignore_conflicts=True,
            )
        # Nothing refers to an annotation and machine ones carry no history (see
        # summit.services.history): one statement, without a delete signal each.
        doomed = model.objects.filter(pk__in=[o.pk for o in gone])
        doomed._raw_delete(doomed.db)
    if changed:
        model.objects.bulk_update(changed, [*fields, "updated"], batch_size=500)
    model.objects.bulk_create([obj for obj, stored in pairs if stored is None], batch_size=500)


def _concrete(model: type[Annotation], names: list[str]):
    return [model._meta.get_field(name) for name in names]


def _match(
    old: list[Annotation], new: Sequence[Annotation]
) -> list[tuple[Annotation, Annotation | None]]:
    """Pair each new annotation with the stored one it is, or with ``None``.

    In turn: the same place (paragraph index, offsets) and text; the same text,
    nearest first (the paragraph moved, or text was inserted before it); an
    overlapping span in the same paragraph (a newer pipeline drew it a little wider
    or narrower). Each stored annotation is matched at most once.
    """
    free = {o.pk: o for o in old}
    result: dict[int, Annotation] = {}

    def place(a) -> tuple[int, int]:
        return (a.paragraph.index, a.start)

    by_exact = {(place(o), o.end, o.text): o for o in old}
    for i, obj in enumerate(new):
        o = by_exact.get((place(obj), obj.end, obj.text))
        if o is not None and o.pk in free:
            result[i] = free.pop(o.pk)

    by_text: dict[str, list] = {}
    for o in old:
        by_text.setdefault(o.text, []).append(o)
    for i, obj in enumerate(new):
        if i in result:
            continue
        here = place(obj)
        options = [o for o in by_text.get(obj.text, ()) if o.pk in free]
        if options:
            o = min(
                options, key=lambda o: (abs(o.paragraph.index - here[0]), abs(o.start - here[1]))
            )
            result[i] = free.pop(o.pk)

    for i, obj in enumerate(new):
        if i in result:
            continue
        for o in list(free.values()):
            if o.paragraph.index == obj.paragraph.index and o.start < obj.end and obj.start < o.end:
                result[i] = free.pop(o.pk)
                break
    return [(obj, result.get(i)) for i, obj in enumerate(new)]


def _span_ref(span: nlp.Span | None) -> dict | None:
    """A span as stored in JSON: paragraph index, offsets and text."""
    if span is None:
        return None
    return {"paragraph": span.paragraph, "start": span.start, "end": span.end, "text": span.text}


def _overlaps_kept(quote: nlp.Quote, rows: dict[int, Paragraph], kept: list[Quote]) -> bool:
    """A machine quote that an editor already decided on (verified, rejected, changed)
    does not come back as a second copy."""
    paragraph = rows[quote.span.paragraph].pk
    for other in kept:
        if (
            other.paragraph_id == paragraph
            and quote.span.start < other.end
            and (other.start < quote.span.end or other.end_paragraph_id)
        ):
            return True
    return False

"""Ingestion: sources → structure → language pipeline → models, one transaction an article.

Re-ingesting is safe. The same text is reported unchanged and nothing is written.
Changed text (or ``force``) recomputes the machine's annotations, while everything an
editor touched — verified, rejected or edited annotations, edited article fields and
speakers — is kept and re-anchored by its text. If an editor's annotation can no longer
be found in the new text, that article is not updated and the failure says which
annotation stands in the way: nothing is ever dropped silently.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction

from summit import sources
from summit.models import (
    Article,
    Claim,
    EntityMention,
    Paragraph,
    Quote,
)
from summit.nlp import types as nlp
from summit.nlp.structure import parse_structure
from summit.services.anchoring import AnchorError, find_anchor
from summit.services.resolution import SpeakerResolver

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
) -> list[IngestResult]:
    """Ingest every article ``targets`` name (files, folders, URLs), reporting each one.

    Reading errors and write errors fail one article each; the rest go on.
    """
    results: list[IngestResult] = []

    def report(result: IngestResult) -> None:
        results.append(result)
        if on_result:
            on_result(result)

    expanded = list(sources.expand(targets))
    if on_total:
        on_total(len(expanded))
    raws: list[sources.RawArticle] = []
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
        if (twin := seen.get(raw.content_hash)) is not None:
            report(IngestResult(raw.source, Outcome.UNCHANGED, message=f"same text as {twin}"))
            continue
        seen[raw.source] = seen[raw.content_hash] = raw.source
        if not force and (same := _unchanged(raw)) is not None:
            report(same)
            continue
        raws.append(raw)

    if raws:
        pipeline = pipeline or get_pipeline()
        for raw, analysis in _analyse(raws, pipeline, batch_size=batch_size, n_process=n_process):
            report(
                article_store(
                    raw=raw, analysis=analysis, force=force, pipeline_name=_pipeline_name(pipeline)
                )
            )
    return results


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
    documents = (document_from_raw(raw) for raw in raws)
    analyses = pipeline.analyze_many(documents, batch_size=batch_size, n_process=n_process)
    yield from zip(raws, analyses, strict=True)


# One article --------------------------------------------------------------------------


def article_store(
    *,
    raw: sources.RawArticle,
    analysis: nlp.Analysis,
    force: bool = False,
    pipeline_name: str = "",
) -> IngestResult:
    """Write one analysed article in one transaction; report what happened."""
    try:
        with transaction.atomic():
            return _store(raw, analysis, force=force, pipeline_name=pipeline_name)
    except IntegrityError:
        # Another process stored the same source a moment ago: that one stands.
        existing = Article.objects.filter(source=raw.source).only("pk").first()
        if existing is not None:
            return IngestResult(
                raw.source,
                Outcome.UNCHANGED,
                existing.pk,
                "ingested by another process at the same time",
            )
        log.exception("ingest of %s failed", raw.source)
        return IngestResult(raw.source, Outcome.FAILED, message="the database refused it")
    except IngestError as exc:
        return IngestResult(raw.source, Outcome.FAILED, message=str(exc))
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
    if created:
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
        _sync_paragraphs(article, document)
        _replace_annotations(article, analysis)
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


def _sync_paragraphs(article: Article, document: nlp.Document) -> None:
    """Make the article's paragraph rows match the document, in place, by index."""
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
    if existing:
        Paragraph.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()


def _reanchor_kept(article: Article, texts: list[str], old_rows: dict[int, Paragraph]) -> None:
    """Move every annotation an editor kept onto the new text, found by its own text.

    Machine annotations are dropped first (they are about to be recomputed); kept ones
    get the paragraph index and offsets where their text now stands. The paragraph
    rows are then updated in place, so the foreign keys stay valid.
    """
    _drop_machine_annotations(article)
    old_index = {row.pk: row.index for row in old_rows.values()}
    rows_by_index = dict(old_rows)
    pending: list[tuple[type, object, int, int, int | None]] = []
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
            pending.append((model, annotation, first.paragraph, first.start, (end_index, last.end)))
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
    for model, annotation, index, start, (end_index, end) in pending:
        annotation.paragraph = rows_by_index[index]
        annotation.start, annotation.end = start, end
        if model is Quote:
            annotation.end_paragraph = (
                rows_by_index[end_index] if end_index is not None and end_index != index else None
            )
        annotation.save()


# Annotations --------------------------------------------------------------------------


def _drop_machine_annotations(article: Article) -> None:
    """Delete what the machine made and no editor touched, in one statement a model.

    Nothing refers to an annotation, and machine annotations carry no history (see
    summit.services.history), so the per-row signals of a normal delete (which would
    write a history row for each) are skipped.
    """
    for model in (EntityMention, Quote, Claim):
        machine = model.objects.filter(article=article).machine_made()
        machine._raw_delete(machine.db)


def _replace_annotations(
    article: Article,
    analysis: nlp.Analysis,
    *,
    rows: dict[int, Paragraph] | None = None,
    fresh: bool = False,
) -> None:
    """Drop the machine's annotations and write the analysis's, beside the editors'.

    ``fresh``: the article was created just now, so it has nothing to drop or keep.
    """
    if rows is None:
        rows = {p.index: p for p in article.paragraphs.all()}
    speakers = SpeakerResolver().resolve_all(analysis.people)
    kept_quotes: list[Quote] = []
    kept_mentions: set[tuple[int, int, int]] = set()
    kept_claims: set[tuple[int, int, int]] = set()
    if not fresh:
        _drop_machine_annotations(article)
        kept_quotes = list(Quote.objects.filter(article=article).kept_by_editors())
        kept_mentions = {
            (m.paragraph_id, m.start, m.end)
            for m in EntityMention.objects.filter(article=article).kept_by_editors()
        }
        kept_claims = {
            (c.paragraph_id, c.start, c.end)
            for c in Claim.objects.filter(article=article).kept_by_editors()
        }

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
                if q.span.end_paragraph not in (None, q.span.paragraph)
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
        if not _overlaps_kept(q, rows, kept_quotes)
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
    ]
    # No history row each: summit.services.history records one before a first edit.
    for model, objs in ((EntityMention, mentions), (Quote, quotes), (Claim, claims)):
        model.objects.bulk_create(objs, batch_size=500)


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

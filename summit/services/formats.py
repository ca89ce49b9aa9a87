"""Summit's export formats, one family, and reading the JSON backup back in.

- ``json``: everything — the backup and the measuring contract (see README).
- ``jsonl``: the same article records, one article a line (speakers inline).
- ``spans``: per paragraph ``{"text", "spans": [{"start", "end", "label"}]}``.
- ``w3c``: Web Annotation (JSON-LD) for quotes, mentions and claims.
- ``csv``: quotes, one a row.

Field names are a contract: add, never rename.
"""

from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Iterable, Iterator
from typing import IO

from django.db.models import Prefetch

from summit.models import (
    Article,
    Claim,
    EntityMention,
    Paragraph,
    Quote,
    Speaker,
    SpeakerAlias,
    Status,
)
from summit.nlp.types import PARAGRAPH_JOIN
from summit.services import backup

FORMAT_VERSION = 1
FORMATS = ("json", "jsonl", "spans", "w3c", "csv")


def articles_for_export():
    """Every article with everything it holds, in a fixed number of queries per chunk.

    A mark carries its paragraph's index (``paragraph_index``, and a quote its
    ``last_paragraph_index``), never the paragraph itself: thousands of marks in one long
    paragraph would each bring their own copy of its text."""
    return Article.objects.order_by("pk").prefetch_related(
        Prefetch("paragraphs", queryset=Paragraph.objects.order_by("index")),
        Prefetch(
            "entitymentions",
            queryset=EntityMention.objects.with_paragraph_index()
            .select_related("speaker")
            .order_by("paragraph__index", "start", "pk"),
        ),
        Prefetch(
            "quotes",
            queryset=Quote.objects.with_paragraph_index()
            .select_related("speaker")
            .order_by("paragraph__index", "start", "pk"),
        ),
        Prefetch(
            "claims",
            queryset=Claim.objects.with_paragraph_index()
            .select_related("holder")
            .order_by("paragraph__index", "start", "pk"),
        ),
    )


def _when(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _speaker_ref(speaker: Speaker | None) -> dict | None:
    if speaker is None:
        return None
    return {"name": speaker.name, "kind": speaker.kind, "slug": speaker.slug}


def speaker_record(speaker: Speaker) -> dict:
    aliases = list(speaker.aliases.all())
    return {
        "name": speaker.name,
        "slug": speaker.slug,
        "kind": speaker.kind,
        "description": speaker.description,
        "aliases": [a.name for a in aliases],
        # The backup's own fields (summit.services.backup).
        "id": speaker.pk,
        "created": _when(speaker.created),
        "edited": speaker.edited,
        "alias_ids": [a.pk for a in aliases],
        "redirects": sorted(r.old_slug for r in speaker.redirects.all()),
    }


def article_record(article: Article) -> dict:
    return {
        "id": article.pk,
        "created": _when(article.created),
        "updated": _when(article.updated),
        "title": article.title,
        "title_derived": article.title_derived,
        "byline": article.byline,
        "outlet": article.outlet,
        "published": article.published.isoformat() if article.published else None,
        "kind": article.kind,
        "source": article.source,
        "source_file": article.source_file,
        "content_hash": article.content_hash,
        "pipeline": article.pipeline,
        "edited_fields": list(article.edited_fields or []),
        **backup.article_extras(article),
        "paragraphs": [
            {"index": p.index, "kind": p.kind, "text": p.text, "id": p.pk}
            for p in article.paragraphs.all()
        ],
        "mentions": [
            {
                "text": m.text,
                "label": m.label,
                "paragraph": m.paragraph_index,
                "start": m.start,
                "end": m.end,
                "status": m.status,
                "edited": m.edited,
                "speaker": _speaker_ref(m.speaker),
                "id": m.pk,
                "created": _when(m.created),
                "updated": _when(m.updated),
            }
            for m in article.entitymentions.all()
        ],
        "quotes": [
            {
                "text": q.text,
                "kind": q.kind,
                "paragraph": q.paragraph_index,
                "start": q.start,
                "end_paragraph": q.last_paragraph_index,
                "end": q.end,
                "cue": q.cue,
                "speaker_text": q.speaker_text,
                "status": q.status,
                "edited": q.edited,
                "speaker": _speaker_ref(q.speaker),
                "attribution": {"sieve": q.sieve, "via": q.via, "confidence": q.confidence},
                "id": q.pk,
                "created": _when(q.created),
                "updated": _when(q.updated),
            }
            for q in article.quotes.all()
        ],
        "claims": [
            {
                "text": c.text,
                "kind": c.kind,
                "paragraph": c.paragraph_index,
                "start": c.start,
                "end": c.end,
                "highlighted": c.highlighted,
                "status": c.status,
                "edited": c.edited,
                "holder": _speaker_ref(c.holder),
                "id": c.pk,
                "created": _when(c.created),
                "updated": _when(c.updated),
            }
            for c in article.claims.all()
        ],
    }


class _Counted:
    """Iterates the articles for export, one at a time (a newsroom's articles, or one
    very long one, never all in memory at once), and counts them."""

    def __init__(self, chunk_size: int = 1):
        self.count = 0
        self._rows = articles_for_export().iterator(chunk_size=chunk_size)

    def __iter__(self) -> Iterator[Article]:
        for article in self._rows:
            self.count += 1
            yield article


def _speakers() -> Iterator[Speaker]:
    return (
        Speaker.objects.order_by("pk")
        .prefetch_related(
            Prefetch("aliases", queryset=SpeakerAlias.objects.order_by("name")), "redirects"
        )
        .iterator(chunk_size=500)
    )


def write(fmt: str, out: IO[str]) -> int:
    """Write everything in ``fmt`` to ``out``; return how many articles were written."""
    writer = {
        "json": _write_json,
        "jsonl": _write_jsonl,
        "spans": _write_spans,
        "w3c": _write_w3c,
        "csv": _write_csv,
    }[fmt]
    return writer(out)


def _write_json(out: IO[str]) -> int:
    # Streamed: a newsroom's database does not fit in one Python list.
    exported = json.dumps(datetime.datetime.now(datetime.UTC).isoformat())
    out.write(
        f'{{"format": "summit", "version": {FORMAT_VERSION}, "exported": {exported},\n'
        ' "articles": [\n'
    )
    articles = _Counted()
    for article in articles:
        out.write(
            ("" if articles.count == 1 else ",\n")
            + json.dumps(article_record(article), ensure_ascii=False)
        )
    out.write('\n ],\n "speakers": [\n')
    separator = ""
    for speaker in _speakers():
        out.write(separator + json.dumps(speaker_record(speaker), ensure_ascii=False))
        separator = ",\n"
    out.write("\n ],\n")
    # Everything else an editor did: merges, splits and every history row.
    backup.write_sections(out, lambda record: json.dumps(record, ensure_ascii=False))
    out.write("}\n")
    return articles.count


def _write_jsonl(out: IO[str]) -> int:
    articles = _Counted()
    for article in articles:
        out.write(json.dumps(article_record(article), ensure_ascii=False) + "\n")
    return articles.count


def _write_spans(out: IO[str]) -> int:
    articles = _Counted()
    for article in articles:
        by_paragraph: dict[int, list[dict]] = {}
        for m in article.entitymentions.all():
            by_paragraph.setdefault(m.paragraph_index, []).append(
                {"start": m.start, "end": m.end, "label": m.label}
            )
        for q in article.quotes.all():
            if q.last_paragraph_index == q.paragraph_index:
                by_paragraph.setdefault(q.paragraph_index, []).append(
                    {"start": q.start, "end": q.end, "label": f"QUOTE_{q.kind.upper()}"}
                )
        for c in article.claims.all():
            by_paragraph.setdefault(c.paragraph_index, []).append(
                {"start": c.start, "end": c.end, "label": f"CLAIM_{c.kind.upper()}"}
            )
        for p in article.paragraphs.all():
            spans = sorted(by_paragraph.get(p.index, []), key=lambda s: (s["start"], -s["end"]))
            record = {
                "text": p.text,
                "spans": spans,
                "meta": {
                    "article": article.pk,
                    "source_file": article.source_file,
                    "paragraph": p.index,
                    "kind": p.kind,
                },
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return articles.count


W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
W3C_MEDIA_TYPE = f'application/ld+json; profile="{W3C_CONTEXT}"'
# How much text either side of an annotation its TextQuoteSelector carries.
W3C_CONTEXT_CHARS = 32


class ArticleText:
    """An article's text, its paragraphs joined by a blank line, and where each begins:
    the text W3C selectors point into."""

    def __init__(self, paragraphs: Iterable[Paragraph]):
        self.starts: dict[int, int] = {}
        pieces: list[str] = []
        offset = 0
        for paragraph in sorted(paragraphs, key=lambda p: p.index):
            if pieces:
                offset += len(PARAGRAPH_JOIN)
            self.starts[paragraph.pk] = offset
            pieces.append(paragraph.text)
            offset += len(paragraph.text)
        self.text = PARAGRAPH_JOIN.join(pieces)

    def selectors(self, paragraph_id: int, start: int, end_paragraph_id: int, end: int) -> list:
        """A text-quote and a text-position selector for a span of paragraph offsets."""
        first = self.starts[paragraph_id] + start
        last = self.starts[end_paragraph_id] + end
        return [
            {
                "type": "TextQuoteSelector",
                "exact": self.text[first:last],
                "prefix": self.text[max(0, first - W3C_CONTEXT_CHARS) : first],
                "suffix": self.text[last : last + W3C_CONTEXT_CHARS],
            },
            {"type": "TextPositionSelector", "start": first, "end": last},
        ]


def w3c_annotations(article: Article, source: str) -> list[dict]:
    """The W3C Web Annotations of one article (rejected ones left out), each targeting
    ``source`` with selectors into the article's text. Reads the article's prefetched
    paragraphs, quotes (with speakers), mentions and claims."""
    text = ArticleText(article.paragraphs.all())
    return w3c_items(
        text, source, article.quotes.all(), article.entitymentions.all(), article.claims.all()
    )


def w3c_shown(article: Article) -> tuple:
    """An article's quotes, mentions and claims as the W3C annotations list them, in
    order (rejected ones left out): querysets to count and slice."""

    def shown(model, *related):
        return (
            model.objects.filter(article=article)
            .exclude(status=Status.REJECTED)
            .select_related(*related)
            .order_by("paragraph__index", "start", "pk")
        )

    return shown(Quote, "speaker"), shown(EntityMention), shown(Claim)


def w3c_page_items(article: Article, source: str, start: int, stop: int) -> list[dict]:
    """The annotations at positions ``start`` to ``stop`` of the article's collection
    (quotes, then mentions, then claims), read from the database for that page only."""
    text = ArticleText(article.paragraphs.order_by("index"))
    parts = []
    for rows in w3c_shown(article):
        count = rows.count()
        parts.append(rows[max(0, start) : max(0, min(stop, count))] if start < count else [])
        start, stop = start - count, stop - count
    return w3c_items(text, source, *parts)


def w3c_items(text: ArticleText, source: str, quotes, mentions, claims) -> list[dict]:
    """W3C Web Annotations of ``quotes``, ``mentions`` and ``claims`` (rejected ones left
    out), each targeting ``source`` with selectors into ``text``."""

    def target(a, end_paragraph_id=None) -> dict:
        end_paragraph_id = end_paragraph_id or a.paragraph_id
        return {
            "source": source,
            "selector": text.selectors(a.paragraph_id, a.start, end_paragraph_id, a.end),
        }

    items = []
    for q in quotes:
        if q.status == Status.REJECTED:
            continue
        body = [{"type": "TextualBody", "purpose": "classifying", "value": f"quote:{q.kind}"}]
        if q.speaker:
            body.append({"type": "TextualBody", "purpose": "identifying", "value": q.speaker.name})
        items.append(
            {
                "id": f"urn:summit:quote:{q.pk}",
                "type": "Annotation",
                "motivation": "identifying",
                "body": body,
                "target": target(q, q.end_paragraph_id),
            }
        )
    for m in mentions:
        if m.status == Status.REJECTED:
            continue
        items.append(
            {
                "id": f"urn:summit:mention:{m.pk}",
                "type": "Annotation",
                "motivation": "tagging",
                "body": {"type": "TextualBody", "purpose": "tagging", "value": m.label},
                "target": target(m),
            }
        )
    for c in claims:
        if c.status == Status.REJECTED:
            continue
        items.append(
            {
                "id": f"urn:summit:claim:{c.pk}",
                "type": "Annotation",
                "motivation": "highlighting" if c.highlighted else "classifying",
                "body": {
                    "type": "TextualBody",
                    "purpose": "classifying",
                    "value": f"claim:{c.kind}",
                },
                "target": target(c),
            }
        )
    return items


def w3c_collection(items: list[dict], **fields) -> dict:
    return {
        "@context": W3C_CONTEXT,
        **fields,
        "type": "AnnotationCollection",
        "total": len(items),
        "items": items,
    }


def _write_w3c(out: IO[str]) -> int:
    # Streamed, article by article: the collection's total comes after its items.
    out.write('{\n "@context": ' + json.dumps(W3C_CONTEXT) + ',\n "type": "AnnotationCollection",')
    out.write('\n "items": [')
    total = 0
    articles = _Counted()
    for article in articles:
        for item in w3c_annotations(article, source=article.source):
            out.write(("\n  " if total == 0 else ",\n  ") + json.dumps(item, ensure_ascii=False))
            total += 1
    out.write(f'\n ],\n "total": {total}\n}}\n')
    return articles.count


CSV_FIELDS = [
    "article_id",
    "source_file",
    "title",
    "paragraph",
    "start",
    "end",
    "kind",
    "status",
    "speaker",
    "speaker_slug",
    "cue",
    "text",
]


def _write_csv(out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS)
    writer.writeheader()
    articles = _Counted()
    for article in articles:
        for q in article.quotes.all():
            writer.writerow(
                {
                    "article_id": article.pk,
                    "source_file": article.source_file,
                    "title": article.title,
                    "paragraph": q.paragraph_index,
                    "start": q.start,
                    "end": q.end,
                    "kind": q.kind,
                    "status": q.status,
                    "speaker": q.speaker.name if q.speaker else "",
                    "speaker_slug": q.speaker.slug if q.speaker else "",
                    "cue": q.cue,
                    "text": q.text,
                }
            )
    return articles.count


# Import: summit.services.backup restores the json export (manage.py import).

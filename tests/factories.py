"""Small factories: real rows, built the way ingestion builds them, for tests."""

from __future__ import annotations

import hashlib
import itertools

from summit.models import (
    Article,
    Claim,
    EntityMention,
    Paragraph,
    Quote,
    Speaker,
    SpeakerAlias,
)

_counter = itertools.count(1)


def article(*paragraphs: str, title: str | None = None, **fields) -> Article:
    n = next(_counter)
    texts = paragraphs or (f"Paragraph text number {n}.",)
    body = "\n\n".join(texts)
    obj = Article.objects.create(
        title=title or f"Article {n}",
        source=fields.pop("source", f"tests/article-{n}.txt"),
        source_file=fields.pop("source_file", f"article-{n}.txt"),
        content_hash=hashlib.sha256(body.encode()).hexdigest(),
        **fields,
    )
    for i, text in enumerate(texts):
        kind = "body"
        Paragraph.objects.create(article=obj, index=i, kind=kind, text=text)
    return obj


def speaker(name: str, *aliases: str, **fields) -> Speaker:
    obj = Speaker.objects.create(name=name, **fields)
    for alias in aliases:
        SpeakerAlias.objects.create(speaker=obj, name=alias)
    return obj


def _span(article_obj: Article, text: str, paragraph: int | None):
    paragraphs = list(article_obj.paragraphs.order_by("index"))
    candidates = [paragraphs[paragraph]] if paragraph is not None else paragraphs
    for p in candidates:
        start = p.text.find(text)
        if start != -1:
            return p, start, start + len(text)
    raise ValueError(f"{text!r} is not in {article_obj}")


def quote(
    article_obj: Article,
    text: str,
    speaker_obj: Speaker | None = None,
    paragraph: int | None = None,
    **fields,
) -> Quote:
    p, start, end = _span(article_obj, text, paragraph)
    return Quote.objects.create(
        article=article_obj,
        paragraph=p,
        start=start,
        end=end,
        text=text,
        speaker=speaker_obj,
        **{"kind": "direct", "cue": "said", **fields},
    )


def mention(
    article_obj: Article,
    text: str,
    label: str = "PERSON",
    speaker_obj: Speaker | None = None,
    paragraph: int | None = None,
    **fields,
) -> EntityMention:
    p, start, end = _span(article_obj, text, paragraph)
    return EntityMention.objects.create(
        article=article_obj,
        paragraph=p,
        start=start,
        end=end,
        text=text,
        label=label,
        speaker=speaker_obj,
        **fields,
    )


def claim(
    article_obj: Article,
    text: str,
    holder: Speaker | None = None,
    paragraph: int | None = None,
    **fields,
) -> Claim:
    p, start, end = _span(article_obj, text, paragraph)
    return Claim.objects.create(
        article=article_obj,
        paragraph=p,
        start=start,
        end=end,
        text=text,
        holder=holder,
        **{"kind": "prediction", "highlighted": True, **fields},
    )


# Editors (the admin correction desk) ----------------------------------------------------

EDITOR_PASSWORD = "correct-horse-battery-staple"


def editor(username: str | None = None, password: str = EDITOR_PASSWORD, **fields):
    """A staff user in the Editors group (the group is made if a flush removed it)."""
    from summit.services.roles import editor_create

    user, _ = editor_create(
        username=username or f"editor{next(_counter)}", password=password, **fields
    )
    return user

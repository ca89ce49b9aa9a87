"""Editors' corrections to annotations and articles.

Every write marks what it touched as ``edited`` (re-ingest keeps it) and is recorded
by django-simple-history with the editor as the history user.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from summit.models import Article, Claim, EntityMention, Paragraph, Quote, Speaker, Status
from summit.nlp.types import PARAGRAPH_JOIN
from summit.services.anchoring import AnchorAmbiguous, AnchorNotFound, find_anchor
from summit.services.history import history_baseline

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    User = AbstractBaseUser

AnnotationT = TypeVar("AnnotationT", Quote, EntityMention, Claim)

# Article fields an editor may change; their names go to ``Article.edited_fields``.
ARTICLE_EDITABLE_FIELDS = ("title", "byline", "outlet", "published", "kind")


def annotation_place(
    *, model_instance: AnnotationT, text: str, paragraph: Paragraph | None = None
) -> AnnotationT:
    """Find ``text`` in the annotation's article and set its paragraph and offsets.

    ``paragraph`` restricts the search to that paragraph (where a quote running on over
    several paragraphs starts). Without it the text must stand exactly once in the
    article. Raises ``AnchorNotFound`` or ``AnchorAmbiguous`` (both ``AnchorError``);
    the instance is changed only on success and is not saved.
    """
    article = model_instance.article
    if paragraph is not None and paragraph.article_id != article.pk:
        raise AnchorNotFound("That paragraph belongs to another article.")
    paragraphs = list(article.paragraphs.order_by("index"))
    texts = [p.text for p in paragraphs]
    only = None
    if paragraph is not None:
        only = next(i for i, p in enumerate(paragraphs) if p.pk == paragraph.pk)

    if PARAGRAPH_JOIN in text:
        if not isinstance(model_instance, Quote):
            raise AnchorNotFound("Only a quote may run on over several paragraphs.")
        first, start, last, end = _find_across(texts, text, only=only)
        model_instance.paragraph = paragraphs[first]
        model_instance.end_paragraph = paragraphs[last]
    else:
        try:
            anchor = find_anchor(texts, text, only=only)
        except AnchorNotFound:
            if paragraph is not None:
                raise AnchorNotFound(
                    f"“{_short(text)}” is not in paragraph {paragraph.index + 1}; "
                    "choose another paragraph or leave it empty to search the whole article."
                ) from None
            raise
        first, start, end = anchor.paragraph, anchor.start, anchor.end
        model_instance.paragraph = paragraphs[first]
        if isinstance(model_instance, Quote):
            model_instance.end_paragraph = None
    model_instance.start, model_instance.end, model_instance.text = start, end, text
    return model_instance


def _find_across(texts: list[str], text: str, *, only: int | None) -> tuple[int, int, int, int]:
    """(first paragraph, start, last paragraph, end) of a text that spans paragraphs."""
    joined = PARAGRAPH_JOIN.join(texts)
    bounds, at = [], 0  # where each paragraph starts in the joined text
    for t in texts:
        bounds.append(at)
        at += len(t) + len(PARAGRAPH_JOIN)

    def locate(offset: int) -> tuple[int, int]:
        i = max(n for n, b in enumerate(bounds) if b <= offset)
        return i, offset - bounds[i]

    places = []
    at = joined.find(text)
    while at != -1:
        first, start = locate(at)
        last, end = locate(at + len(text) - 1)
        if only is None or first == only:
            places.append((first, start, last, end + 1))
        at = joined.find(text, at + 1)
    if not places:
        raise AnchorNotFound(f"“{_short(text)}” is not in the article's text.")
    if len(places) > 1:
        raise AnchorAmbiguous(
            f"“{_short(text)}” stands {len(places)} times in the text; say which paragraph."
        )
    return places[0]


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def annotation_save(*, annotation: AnnotationT, by: User | None) -> AnnotationT:
    """Save an editor's change to an annotation (or a new one), marking it edited."""
    history_baseline([annotation])
    annotation.edited = True
    annotation.full_clean(validate_unique=False)
    if by is not None:
        annotation._history_user = by
    annotation.save()
    return annotation


def annotation_set_status(
    *, annotations: Iterable[AnnotationT], status: Status | str, by: User | None
) -> int:
    """Mark annotations verified, rejected (or back to machine-made); returns how many."""
    status = Status(status)
    return _update_annotations(
        annotations, {"status": status}, by=by, reason=f"Marked {status.label.lower()}"
    )


def quote_set_speaker(*, quotes: Iterable[Quote], speaker: Speaker | None, by: User | None) -> int:
    """Attribute quotes to ``speaker`` (``None``: nobody); returns how many."""
    reason = f"Speaker set to {speaker}" if speaker else "Speaker removed"
    return _update_annotations(quotes, {"speaker": speaker}, by=by, reason=reason)


def mention_set_speaker(
    *, mentions: Iterable[EntityMention], speaker: Speaker | None, by: User | None
) -> int:
    """Link entity mentions to ``speaker`` (``None``: unlink); returns how many."""
    reason = f"Linked to {speaker}" if speaker else "Unlinked"
    return _update_annotations(mentions, {"speaker": speaker}, by=by, reason=reason)


def claim_set_highlighted(*, claims: Iterable[Claim], highlighted: bool, by: User | None) -> int:
    reason = "Highlighted" if highlighted else "No longer highlighted"
    return _update_annotations(claims, {"highlighted": highlighted}, by=by, reason=reason)


def _update_annotations(
    annotations: Iterable[AnnotationT], values: Mapping[str, Any], *, by, reason: str
) -> int:
    """Set ``values`` on each annotation, mark it edited and record history per row."""
    objs = list(annotations)
    if not objs:
        return 0
    now = timezone.now()
    by_model: dict[type, list] = {}
    for obj in objs:
        for name, value in values.items():
            setattr(obj, name, value)
        obj.edited = True
        obj.updated = now
        by_model.setdefault(type(obj), []).append(obj)
    with transaction.atomic():
        history_baseline(objs)
        for model, rows in by_model.items():
            bulk_update_with_history(
                rows,
                model,
                [*values, "edited", "updated"],
                default_user=by,
                default_change_reason=reason,
            )
    return len(objs)


def article_update(*, article: Article, data: Mapping[str, Any], by: User | None) -> Article:
    """Apply an editor's changes to an article's metadata.

    The changed field names are added to ``article.edited_fields`` so that re-ingest
    keeps them; a title an editor gave is no longer a derived one.
    """
    unknown = set(data) - set(ARTICLE_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Editors cannot change {', '.join(sorted(unknown))}.")
    edited = list(article.edited_fields or [])
    for name, value in data.items():
        setattr(article, name, value)
        if name not in edited:
            edited.append(name)
    article.edited_fields = edited
    if "title" in data:
        article.title_derived = False
    if by is not None:
        article._history_user = by
    article.save()
    return article

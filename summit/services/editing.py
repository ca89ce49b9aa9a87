"""Editors' corrections to annotations and articles.

Every write marks what it touched as ``edited`` (re-ingest keeps it) and is recorded
by django-simple-history with the editor as the history user.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator
from simple_history.utils import bulk_update_with_history

from summit.models import (
    AnnotationTombstone,
    Article,
    Claim,
    EntityMention,
    Paragraph,
    Quote,
    RetiredQuote,
    Speaker,
    Status,
    paragraph_hash,
)
from summit.nlp.types import PARAGRAPH_JOIN
from summit.services.anchoring import (
    CONTEXT,
    AnchorAmbiguous,
    AnchorNotFound,
    TextQuote,
    find_anchor,
    place,
)
from summit.services.counters import counts_refresh_for
from summit.services.history import MACHINE_REASON, history_baseline

if TYPE_CHECKING:
    from django.contrib.auth.models import User

AnnotationT = TypeVar("AnnotationT", Quote, EntityMention, Claim)

# Article fields an editor may change; their names go to ``Article.edited_fields``.
ARTICLE_EDITABLE_FIELDS = ("title", "byline", "outlet", "published", "kind")


def annotation_place(
    *,
    model_instance: AnnotationT,
    text: str,
    paragraph: Paragraph | None = None,
    offset: int | None = None,
) -> AnnotationT:
    """Find ``text`` in the annotation's article and set its paragraph and offsets.

    ``paragraph`` restricts the search to that paragraph (where a quote running on over
    several paragraphs starts). Without it the text must stand exactly once in the
    article. With the paragraph, ``offset`` (where in it the editor selected the words)
    picks the occurrence nearest to it when the words stand there more than once.
    Raises ``AnchorNotFound`` or ``AnchorAmbiguous`` (both ``AnchorError``); the instance
    is changed only on success and is not saved.
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
        near = (only, offset) if only is not None and offset is not None else None
        try:
            anchor = find_anchor(texts, text, only=only, near=near)
        except AnchorNotFound:
            if paragraph is not None:
                raise AnchorNotFound(
                    f"“{Truncator(text).chars(60)}” is not in paragraph {paragraph.index + 1}; "
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
        raise AnchorNotFound(f"“{Truncator(text).chars(60)}” is not in the article's text.")
    if len(places) > 1:
        raise AnchorAmbiguous(
            f"“{Truncator(text).chars(60)}” stands {len(places)} times in the text; "
            "say which paragraph."
        )
    return places[0]


def annotation_save(*, annotation: AnnotationT, by: User | None, reason: str = "") -> AnnotationT:
    """Save an editor's change to an annotation (or a new one), marking it edited.

    A quote whose speaker changes takes along the claims that stand inside it (see
    ``quote_set_speaker``).
    """
    with transaction.atomic():
        history_baseline([annotation])
        follow = isinstance(annotation, Quote) and annotation.pk is None
        moved_from: int | None = None
        if isinstance(annotation, Quote) and annotation.pk:
            stored = Quote.objects.filter(pk=annotation.pk).values("speaker_id").first()
            if stored and stored["speaker_id"] != annotation.speaker_id:
                follow, moved_from = True, stored["speaker_id"]
        if annotation.status == Status.MACHINE and (
            annotation.pk is None or (follow and getattr(annotation, "speaker_id", None))
        ):
            # What an editor made, or a speaker an editor chose, is an editor's fact:
            # checked, out of the review queue.
            annotation.status = Status.VERIFIED
        annotation.edited = True
        annotation.full_clean(validate_unique=False)
        if by is not None:
            annotation._history_user = by
        if reason:
            annotation._change_reason = reason[:100]
        annotation.save()
        if follow and isinstance(annotation, Quote):
            former = {annotation.pk: moved_from}
            _claims_follow([annotation], annotation.speaker, by=by, former=former)
    return annotation


def machine_version(annotation):
    """The machine's version of an annotation (a history row or the row itself), or
    ``None`` if an editor made it."""
    history = type(annotation).history.filter(id=annotation.pk)
    first = history.order_by("history_date", "history_id").first()
    if first is None:
        return None if annotation.edited else annotation
    # Every editor's save marks an annotation edited; the machine's never do.
    return None if first.edited else first


def annotation_revert(
    *, annotation: AnnotationT, version, by: User | None, reason: str = ""
) -> AnnotationT:
    """Put an annotation back as it was in ``version`` (one of its history rows).

    Back to the machine's own version, it is the machine's again: no longer edited, so
    the next re-ingest may update it. Any other version is an editor's change.
    """
    if not _is_machine(version):
        return annotation_save(
            annotation=annotation,
            by=by,
            reason=reason or f"Reverted to the version of {version.history_date:%Y-%m-%d %H:%M}",
        )
    with transaction.atomic():
        history_baseline([annotation])
        old = version.instance
        for field in type(annotation)._meta.concrete_fields:
            if field.name not in {"id", "created", "updated", "article"}:
                setattr(annotation, field.attname, getattr(old, field.attname))
        annotation.edited = False
        annotation.status = Status.MACHINE
        if by is not None:
            annotation._history_user = by
        annotation._change_reason = (reason or "Reverted to the machine's version")[:100]
        annotation.save()
        if isinstance(annotation, Quote):
            _claims_unfollow(annotation, since=version.history_date, by=by)
    return annotation


FOLLOW_REASON = "Follows its quote to "


def _claims_unfollow(quote: Quote, *, since, by: User | None) -> int:
    """The claims inside ``quote`` that followed it to another speaker after ``since``
    go back as they were before (the machine's again, if they were the machine's).
    A claim an editor changed since it followed stays as the editor left it."""
    back = 0
    for claim in claims_within([quote]):
        rows = list(claim.history.order_by("-history_date", "-history_id"))
        n = 0
        while (
            n < len(rows)
            and (rows[n].history_change_reason or "").startswith(FOLLOW_REASON)
            and rows[n].history_date > since
        ):
            n += 1
        if n == 0 or n == len(rows):
            continue
        target = rows[n]
        old = target.instance
        for attname in ("holder_id", "edited", "status"):
            setattr(claim, attname, getattr(old, attname))
        if _is_machine(target):
            claim.edited, claim.status = False, Status.MACHINE
        if by is not None:
            claim._history_user = by
        claim._change_reason = "Back with its quote (reverted)"
        claim.save()
        back += 1
    return back


def _is_machine(version) -> bool:
    return version.history_change_reason == MACHINE_REASON and version.history_user_id is None


def annotation_delete(*, annotation: AnnotationT, by: User | None, reason: str = "") -> bool:
    """Delete an annotation. One the machine made leaves a tombstone, so re-ingest never
    makes it again; returns whether it did. A deleted quote's address lands on its
    article and paragraph from then on."""
    with transaction.atomic():
        machine = machine_version(annotation)
        if machine is not None:
            texts = list(
                Paragraph.objects.filter(article_id=annotation.article_id)
                .order_by("index")
                .values_list("text", flat=True)
            )
            here = _selector_now(annotation, machine.text, texts)
            AnnotationTombstone.objects.create(
                article_id=annotation.article_id,
                model=type(annotation)._meta.model_name or "",
                paragraph_hash=paragraph_hash(texts[here.paragraph]) if texts else "",
                paragraph_index=here.paragraph,
                start=here.start,
                end=here.start + len(here.exact),
                text=machine.text,
                prefix=here.prefix,
                suffix=here.suffix,
                by=by,
            )
        if isinstance(annotation, Quote):
            RetiredQuote.objects.update_or_create(
                quote_id=annotation.pk, defaults=retired_fields(annotation)
            )
        history_baseline([annotation])
        if by is not None:
            annotation._history_user = by
        annotation._change_reason = (reason or "Deleted by an editor")[:100]
        annotation.delete()
    return machine is not None


def _selector_now(annotation, words: str, texts: list[str]) -> TextQuote:
    """The selector of ``words`` (the machine's) where they stand in ``texts`` now: at
    the annotation's place when it still has them, else wherever they stand nearest.
    A span over several paragraphs is found by its first paragraph's part."""
    first = words.split(PARAGRAPH_JOIN)[0]
    index = annotation.paragraph.index
    if annotation.text.split(PARAGRAPH_JOIN)[0] == first and index < len(texts):
        return TextQuote.at(texts[index], annotation.start, annotation.start + len(first), index)
    placed = place(texts, TextQuote(first, paragraph=index, start=annotation.start), fuzzy=False)
    if placed is None:
        return TextQuote(first, paragraph=index, start=annotation.start)
    return TextQuote.at(texts[placed.paragraph], placed.start, placed.end, placed.paragraph)


def retired_fields(quote: Quote) -> dict[str, Any]:
    """What a ``RetiredQuote`` keeps of ``quote``: its words and where they stood."""
    first = quote.paragraph
    last = quote.end_paragraph or first
    return {
        "article_id": quote.article_id,
        "paragraph_index": first.index,
        "text": quote.text,
        "prefix": first.text[max(0, quote.start - CONTEXT) : quote.start],
        "suffix": last.text[quote.end : quote.end + CONTEXT],
    }


def retired_quote(quote: Quote) -> RetiredQuote:
    """A ``RetiredQuote`` for ``quote`` (not saved): its old address lands here."""
    return RetiredQuote(quote_id=quote.pk, **retired_fields(quote))


def annotation_set_status(
    *, annotations: Iterable[AnnotationT], status: Status | str, by: User | None
) -> int:
    """Mark annotations verified, rejected (or back to machine-made); returns how many."""
    status = Status(status)
    annotations = list(annotations)
    with transaction.atomic():
        n = _update_annotations(
            annotations, {"status": status}, by=by, reason=f"Marked {status.label.lower()}"
        )
        if status == Status.REJECTED:
            # A rejected quote's address lands on its article, with a note in its place.
            RetiredQuote.objects.bulk_create(
                [retired_quote(q) for q in _quotes(annotations)],
                ignore_conflicts=True,
            )
    return n


def _quotes(annotations: Iterable[Any]) -> list[Quote]:
    return [a for a in annotations if isinstance(a, Quote)]


def quote_set_speaker(*, quotes: Iterable[Quote], speaker: Speaker | None, by: User | None) -> int:
    """Attribute quotes to ``speaker`` (``None``: nobody); returns how many.

    The claims that stand inside a quote move with it, when they were held by the
    quote's old speaker (or by nobody); both moves are in the history.
    """
    quotes = list(quotes)
    reason = f"Speaker set to {speaker}" if speaker else "Speaker removed"
    with transaction.atomic():
        former = {q.pk: q.speaker_id for q in quotes}
        if speaker is not None:  # an editor chose it: checked (see annotation_save)
            for q in quotes:
                if q.status == Status.MACHINE:
                    q.status = Status.VERIFIED
        also = ("status",) if speaker is not None else ()
        n = _update_annotations(quotes, {"speaker": speaker}, by=by, reason=reason, also=also)
        _claims_follow(quotes, speaker, by=by, former=former)
    return n


def claims_within(quotes: Iterable[Quote]):
    """The claims that stand inside the given quotes (same paragraph, within the span)."""
    quotes = list(quotes)
    if not quotes:
        return Claim.objects.none()
    inside = Q()
    for q in quotes:
        if q.end_paragraph_id and q.end_paragraph_id != q.paragraph_id:
            inside |= Q(paragraph_id=q.paragraph_id, start__gte=q.start)
        else:
            inside |= Q(paragraph_id=q.paragraph_id, start__gte=q.start, end__lte=q.end)
    return Claim.objects.filter(inside)


def _claims_follow(quotes, speaker, *, by, former: dict[int, int | None]) -> int:
    """Move the claims inside ``quotes`` to ``speaker``: those held by a quote's former
    speaker, or by nobody (an unattributed quote's claim is the speaker's too).

    A quote whose speaker is cleared (``None``) moves no claim: a claim held by nobody
    reads as the article's author's, and an editor who says "we don't know who said
    this" has not said the reporter did."""
    if speaker is None:
        return 0
    moving = []
    for quote in quotes:
        for claim in claims_within([quote]):
            if claim.holder_id == speaker.pk:
                continue
            if claim.holder_id in (former.get(quote.pk), None):
                moving.append(claim)
    if not moving:
        return 0
    reason = f"{FOLLOW_REASON}{speaker}"
    return _update_annotations(moving, {"holder": speaker}, by=by, reason=reason)


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
    annotations: Iterable[AnnotationT],
    values: Mapping[str, Any],
    *,
    by,
    reason: str,
    also: Iterable[str] = (),
) -> int:
    """Set ``values`` on each annotation, mark it edited and record history per row
    (``also``: fields the caller set on each one itself, saved too)."""
    objs = list(annotations)
    if not objs:
        return 0
    now = timezone.now()
    by_model: dict[type, list] = {}
    speakers_before = [getattr(obj, "speaker_id", None) for obj in objs]
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
                [*values, *also, "edited", "updated"],
                default_user=by,
                default_change_reason=reason,
            )
        counts_refresh_for(objs, speakers=speakers_before)
    return len(objs)


def article_update(
    *, article: Article, data: Mapping[str, Any], by: User | None, reason: str = ""
) -> Article:
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
    if reason:
        article._change_reason = reason[:100]
    article.save()
    return article

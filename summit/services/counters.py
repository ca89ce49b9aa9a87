"""The counts the reader shows, kept on the rows they describe.

``Speaker.quote_count`` / ``mention_count`` / ``article_count`` and
``Article.quote_count`` / ``Article.speaker_count`` would otherwise be aggregates over
the whole quotes and mentions tables on every page. They are recounted, for just the
speakers and articles touched, by whatever changes annotations, in the same
transaction: ingest and the editors' services call ``counts_refresh``; single saves and
deletes (the admin's, a re-anchored annotation's) reach it through the signals below.
Each recount is a correlated count on an indexed foreign key, so it costs the rows of
those speakers and articles, never the table.

``manage.py recount`` (``counts_recompute``) recounts everything, e.g. after rows were
written by hand.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save, pre_save

from summit.models import Article, EntityMention, Quote, Speaker
from summit.services.quotations import groups_refresh, quotes_regroup


def count_subquery(queryset, group: str, counted: str = "pk", *, distinct: bool = False):
    """How many rows of ``queryset`` (filtered on an ``OuterRef``) there are, as a
    correlated subquery: several such counts on one row never multiply each other's
    joins, as ``Count`` over several relations would."""
    rows = queryset.order_by().values(group).annotate(n=Count(counted, distinct=distinct))
    return Coalesce(Subquery(rows.values("n")), Value(0), output_field=IntegerField())


def _speaker_counts() -> dict:
    return {
        "quote_count": count_subquery(
            Quote.objects.shown().filter(speaker=OuterRef("pk")), "speaker"
        ),
        "quotation_count": count_subquery(
            Quote.objects.shown().filter(speaker=OuterRef("pk"), listed=True), "speaker"
        ),
        "mention_count": count_subquery(
            EntityMention.objects.filter(speaker=OuterRef("pk")), "speaker"
        ),
        # Stories, not articles: another outlet's copy of one (``Article.copy_of``)
        # names the same people again.
        "article_count": count_subquery(
            EntityMention.objects.filter(speaker=OuterRef("pk")).annotate(
                story=Coalesce("article__copy_of", "article")
            ),
            "speaker",
            "story",
            distinct=True,
        ),
    }


def _article_counts() -> dict:
    shown = Quote.objects.shown().filter(article=OuterRef("pk"))
    return {
        "quote_count": count_subquery(shown, "article"),
        "speaker_count": count_subquery(shown, "article", "speaker", distinct=True),
    }


def counts_refresh(*, speakers: Iterable[int | None] = (), articles: Iterable[int | None] = ()):
    """Recount the given speakers' and articles' counters (ids; ``None`` is skipped)."""
    speaker_ids = sorted({s for s in speakers if s is not None})
    article_ids = sorted({a for a in articles if a is not None})
    if speaker_ids:
        Speaker.objects.filter(pk__in=speaker_ids).update(**_speaker_counts())
    if article_ids:
        Article.objects.filter(pk__in=article_ids).update(**_article_counts())


def counts_refresh_for(annotations: Iterable, *, speakers: Iterable[int | None] = ()) -> None:
    """Recount what ``annotations`` (quotes, mentions, claims) count towards, and the
    speakers in ``speakers`` (e.g. the ones they were moved away from)."""
    speaker_ids, article_ids = set(speakers), set()
    annotations = list(annotations)
    quotes_regroup(obj.pk for obj in annotations if isinstance(obj, Quote))
    for obj in annotations:
        if isinstance(obj, Quote):
            article_ids.add(obj.article_id)
        if isinstance(obj, Quote | EntityMention):
            speaker_ids.add(obj.speaker_id)
    counts_refresh(speakers=speaker_ids, articles=article_ids)


def counts_recompute() -> None:
    """Recount every speaker and article."""
    Speaker.objects.update(**_speaker_counts())
    Article.objects.update(**_article_counts())


# Single saves and deletes ------------------------------------------------------------

_BEFORE = "_counted_before"


def _remember(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    before = sender.objects.filter(pk=instance.pk).values("speaker_id", "article_id").first()
    setattr(instance, _BEFORE, before or {})


def _recount(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, _BEFORE, {})
    if sender is Quote and kwargs.get("signal") is post_save:
        quotes_regroup([instance.pk])
    elif sender is Quote and instance.group_id:  # deleted: its group chooses again
        groups_refresh([instance.group_id])
    speakers = {instance.speaker_id, before.get("speaker_id")}
    articles = {instance.article_id, before.get("article_id")} if sender is Quote else ()
    counts_refresh(speakers=speakers, articles=articles)


for _model in (Quote, EntityMention):
    pre_save.connect(_remember, sender=_model, dispatch_uid=f"counters-pre-{_model.__name__}")
    post_save.connect(_recount, sender=_model, dispatch_uid=f"counters-post-{_model.__name__}")
    post_delete.connect(_recount, sender=_model, dispatch_uid=f"counters-del-{_model.__name__}")

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

import functools
from collections.abc import Callable, Iterable

from django.db import connections, router, transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save, pre_save
from django.db.models.sql.subqueries import UpdateQuery

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
        _recount_rows(Speaker, _speaker_counts, speaker_ids)
    if article_ids:
        _recount_rows(Article, _article_counts, article_ids)


# Up to this many ids, a recount's statement is compiled once per database and number of
# ids and kept: Django compiling these correlated counts costs three times what running
# them does (ingest recounts an article and its speakers, a handful, for each article).
_KEPT_STATEMENT_IDS = 64


def _recount_rows(model, counts: Callable[[], dict], ids: list[int]) -> None:
    """``model.objects.filter(pk__in=ids).update(**counts())``, the same statement."""
    using = router.db_for_write(model)
    statement = (
        _statement(model, counts, using, len(ids)) if len(ids) <= _KEPT_STATEMENT_IDS else None
    )
    if statement is None:
        model.objects.using(using).filter(pk__in=ids).update(**counts())
        return
    sql, fixed = statement
    with transaction.mark_for_rollback_on_error(using), connections[using].cursor() as cursor:
        cursor.execute(sql, [*fixed, *ids])


@functools.lru_cache(maxsize=256)
def _statement(model, counts: Callable[[], dict], using: str, n: int):
    """The SQL of the recount of ``n`` ids and its parameters before the ids (which come
    last: the WHERE clause follows the SET clause); None if they do not come last."""
    stand_ins = list(range(1, n + 1))
    query = model.objects.using(using).filter(pk__in=stand_ins).query.chain(UpdateQuery)
    query.add_update_values(counts())
    sql, params = query.get_compiler(using).as_sql()
    if list(params[len(params) - n :]) != stand_ins:
        return None
    return sql, tuple(params[: len(params) - n])


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

"""bench/scale_pg.py multiply in small, on PostgreSQL: a generated archive made twice as
large inside the database holds what the app's own rules would make of the same rows
(every quotation listed once by its newest telling, its article count and earliest
tellings, every counter), with the indexes and constraints it dropped made again."""

from __future__ import annotations

import pytest
from django.db import connection

from bench import scale, scale_pg

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="scale_pg works on PostgreSQL only"
)


def _url() -> str:
    s = connection.settings_dict
    where = f"{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{where}/{s['NAME']}"


def _state():
    from summit.models import Article, Quote, QuoteGroup, Speaker

    return {
        "articles": Article.objects.count(),
        "quotes": Quote.objects.count(),
        "groups": sorted(QuoteGroup.objects.values_list("pk", "lead", "article_count", "earliest")),
        "listed": sorted(Quote.objects.filter(listed=True).values_list("pk", flat=True)),
        "speakers": sorted(
            Speaker.objects.values_list("pk", "quote_count", "quotation_count", "mention_count")
        ),
        "indexes": _indexes(),
    }


def _indexes() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename LIKE 'summit_%%' "
            "UNION ALL SELECT conname FROM pg_constraint WHERE conrelid::regclass::text "
            "LIKE 'summit_%%' ORDER BY 1"
        )
        return [r[0] for r in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_multiply_leaves_what_the_apps_own_rules_leave(seeds):
    from summit.models import Quote
    from summit.services.counters import counts_recompute
    from summit.services.quotations import groups_refresh

    scale.generate_from(scale.template_from_db(), 60, speakers=40, frequent=1)
    before = _state()

    scale_pg.multiply(_url(), 1)

    after = _state()
    assert after["articles"] == 2 * before["articles"]
    assert after["quotes"] == 2 * before["quotes"]
    assert after["indexes"] == before["indexes"]
    # A copied quote joins its quotation: the same groups over twice the articles, and
    # every speaker (the people are shared) twice the quotes and mentions.
    assert [(g[0], 2 * g[2]) for g in before["groups"]] == [(g[0], g[2]) for g in after["groups"]]
    assert [(s[0], 2 * s[1], s[2], 2 * s[3]) for s in before["speakers"]] == after["speakers"]

    # The app's own rules over the same rows change nothing.
    groups_refresh(Quote.objects.values_list("group_id", flat=True).distinct())
    counts_recompute()
    assert _state() == after

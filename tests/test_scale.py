"""bench/scale.py in small: every page of a generated 1,000-article database answers in a
number of queries that does not grow with the data, and none of its SQL reads the whole
quotes or mentions table (the plans are read, nothing is timed)."""

from __future__ import annotations

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import scale

ANNOTATION_TABLES = ("summit_quote", "summit_entitymention")
_ALIASED = re.compile(r'"(summit_\w+)" (U\d+|T\d+)')


# Two shapes, so that a plan that suits only one shows: speakers spread over many
# variants (a long tail, no one with a thousand quotes), and every person one speaker
# who gathers every copy of their quotes (many quotes, few quotations).
SHAPES = {"spread": {"speakers": 500}, "concentrated": {"speakers": 50, "frequent": 1}}


@pytest.fixture(params=SHAPES, ids=list(SHAPES))
def archive(request, seeds, django_user_model):
    """The seed articles copied to 1,000, as bench/scale.py generate does."""
    template = scale.template_from_db()
    shape = SHAPES[request.param]
    scale.generate_from(template, 1_000, **shape)
    user = django_user_model.objects.create_superuser("scale", "scale@example.org", "x")
    return template, user, shape


def _page_queries(client, pages) -> dict[str, list[str]]:
    ContentType.objects.clear_cache()  # each pass looks them up afresh, on the same page
    found = {}
    for name, url, form in pages:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url) if form is None else client.post(url, form)
        assert response.status_code == 200, url
        found[name] = [q["sql"] for q in ctx.captured_queries]
    return found


def _full_scans(sql: str) -> list[str]:
    """The annotation tables this SELECT reads whole, by its plan."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # small tables: ask for an index
        lines = scale.plan(connection, sql)
        return [t for t in ANNOTATION_TABLES for line in lines if f"Seq Scan on {t} " in line]
    aliases = {alias: table for table, alias in _ALIASED.findall(sql)}
    lines = scale.plan(connection, sql)
    # A scan that a LIMIT stops early reads a page, not the table, unless it must sort
    # (or group) everything first.
    bounded = " LIMIT " in sql and not any(
        "TEMP B-TREE FOR ORDER BY" in line or "GROUP BY" in line for line in lines
    )
    scanned = []
    for line in lines:
        m = re.match(r"SCAN (\w+)", line)
        if m and aliases.get(m.group(1), m.group(1)) in ANNOTATION_TABLES and not bounded:
            scanned.append(f"{aliases.get(m.group(1), m.group(1))}: {line}")
    return scanned


def test_every_page_keeps_its_query_count_and_reads_no_whole_annotation_table(client, archive):
    template, user, shape = archive
    client.force_login(user)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    pages = scale.pages()  # the same pages (the same busiest speaker) before and after
    before = _page_queries(client, pages)
    for name, queries in before.items():
        for sql in queries:
            if scale.is_select(sql):
                assert not _full_scans(sql), f"{name} reads a whole table:\n{sql}"

    scale.generate_from(template, 200, **shape, seed=2)  # more of everything
    after = _page_queries(client, pages)
    assert {name: len(q) for name, q in after.items()} == {
        name: len(q) for name, q in before.items()
    }


def test_generation_leaves_every_counter_and_quotation_right(archive):
    """``finish`` (set-based) leaves what ingest would: every speaker's counters equal a
    count of their rows, and every quotation is shown once, by its newest telling."""
    from django.db.models import Count, F, Q

    from summit.models import Quote, QuoteGroup, Speaker, Status

    shown = ~Q(quotes__status=Status.REJECTED)
    counted = Speaker.objects.annotate(
        q=Count("quotes", filter=shown, distinct=True),
        ql=Count("quotes", filter=shown & Q(quotes__listed=True), distinct=True),
        m=Count("mentions", distinct=True),
    )
    speakers = list(
        counted.values_list("quote_count", "q", "quotation_count", "ql", "mention_count", "m")
    )
    assert speakers
    assert all(r[0] == r[1] and r[2] == r[3] and r[4] == r[5] for r in speakers)
    assert max(r[0] for r in speakers) > max(r[2] for r in speakers)  # copies are grouped
    assert not Quote.objects.shown().filter(speaker__isnull=False, group=None).exists()
    for group in QuoteGroup.objects.annotate(
        listed=Count("members", filter=Q(members__listed=True)),
        articles=Count("members__article", distinct=True),
    ).select_related("lead__article")[:50]:
        assert group.listed == 1
        assert group.articles == group.article_count
        newest = Quote.objects.filter(group=group).order_by(
            F("article__published").desc(nulls_last=True), "-article__created", "-article", "-pk"
        )[0]
        assert group.lead_id == newest.pk

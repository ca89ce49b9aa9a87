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


def test_generation_leaves_every_counter_and_quotation_right(archive, client):
    """``finish`` (set-based) leaves what ingest would: every speaker's counters equal a
    count of their rows, and every quotation is shown once, by its newest telling (with
    the editors' verdicts, merges and deletions in; the same archive as
    ``_is_honest_about_the_newsroom``'s, generated once for both)."""
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
    _is_honest_about_the_newsroom(archive, client)


def _is_honest_about_the_newsroom(archive, client):
    """What a working newsroom's database holds, not a flattering copy: the template's
    real confidences, one speaker per person in each article, editors' verdicts with
    their history, aliases, merges and tombstones, words only one article has, and
    people quoted only long ago."""
    from django.db.models import Max, Min

    from summit.models import (
        AnnotationTombstone,
        Paragraph,
        Quote,
        RetiredQuote,
        Speaker,
        SpeakerAlias,
        SpeakerMerge,
        SpeakerTombstone,
        Status,
    )

    template, user, shape = archive
    # The attribution as ingested: each quote's rule and confidence are its template's.
    made = {(q["text"], q["sieve"], q["confidence"]) for q in template["quotes"]}
    assert any(c is not None for _, _, c in made)
    quotes = set(Quote.objects.values_list("text", "sieve", "confidence").distinct())
    assert quotes <= made
    assert len(quotes) > 1
    # One speaker per person in an article: no two of one name's variants in one article.
    seen: dict[tuple[int, str], int] = {}
    for article, speaker, name in Quote.objects.filter(speaker__isnull=False).values_list(
        "article_id", "speaker_id", "speaker__name"
    ):
        person = name.rstrip("0123456789 ")
        assert seen.setdefault((article, person), speaker) == speaker, (article, name)
    # Editors' verdicts, each with the machine's version and the editor's change.
    for status, reason in (
        (Status.VERIFIED, "Marked verified"),
        (Status.REJECTED, "Marked rejected"),
    ):
        decided = Quote.objects.filter(status=status, edited=True)
        assert decided.exists()
        quote = decided.first()
        rows = list(Quote.history.filter(id=quote.pk).order_by("history_id"))
        assert [r.history_type for r in rows] == ["+", "~"]
        assert rows[0].status == Status.MACHINE
        assert rows[1].status == status
        assert rows[1].history_change_reason == reason
        assert rows[1].history_user_id
    assert RetiredQuote.objects.filter(
        quote_id__in=Quote.objects.filter(status=Status.REJECTED).values("pk")
    ).exists()
    assert Quote.objects.filter(status=Status.MACHINE, edited=True, speaker=None).exists()
    assert SpeakerAlias.objects.exists()
    assert SpeakerAlias.history.exists()
    assert AnnotationTombstone.objects.exists()
    if shape["speakers"] > 100:  # people spread over variants: some merged, some deleted
        assert SpeakerMerge.objects.exists()
        assert SpeakerTombstone.objects.exists()
    else:  # every person one busy speaker: a busy one is quoted only long ago
        first, last = Quote.objects.aggregate(a=Min("pk"), z=Max("pk")).values()
        old = scale._oldest_busy(Speaker, Quote)
        assert old is not None
        assert old.quote_count > 100
        # Articles are numbered newest first: the old ones hold the highest ids.
        assert Quote.objects.filter(speaker=old).aggregate(m=Min("pk"))["m"] > (first + last) / 2
    # A made-up word is found by the full-text index, in one article alone.
    word = scale._unique_word(Paragraph)
    assert word
    found = Paragraph.objects.search(word)
    assert len({p.article_id for p in found}) == 1
    # The review queue, most doubtful first by the real confidences: no speaker, then
    # unmeasured, then rising confidence; the page a database reads is the same order.
    client.force_login(user)

    def doubt(q):
        return -2 if q.speaker_id is None else (-1 if q.confidence is None else q.confidence)

    queue = sorted(
        Quote.objects.filter(status=Status.MACHINE),
        key=lambda q: (doubt(q), q.article_id, q.paragraph_id, q.start, q.pk),
    )
    measured = next(n for n, q in enumerate(queue) if q.confidence is not None and q.speaker_id)
    for page in (1, measured // 25 + 2):
        response = client.get(f"/admin/summit/quote/review/?page={page}")
        shown = [row["quote"].pk for row in response.context["rows"]]
        assert shown == [q.pk for q in queue[(page - 1) * 25 : page * 25]]
    assert len({doubt(q) for q in queue}) > 2

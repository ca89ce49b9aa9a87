"""Server time of the reader's article page, with its query count, and render time
against the number of marks.

    .venv/bin/python bench/render.py [--requests N] [--folder seeds/] [--runs 5] [--no-marks]

Ingests FOLDER (default seeds/) through the real pipeline (``manage.py ingest``) into a
scratch SQLite database, then requests the seed-000 article page N times with Django's
test client and prints the median server time and the number of SQL queries one render
makes, rendered (caches cleared before each request) and as a reader gets it from the
page cache. Target: median under 50 ms, and a query count that does not grow with the
article's annotations.

Then, for articles of one paragraph holding 1,000, 10,000 and 100,000 marks (names), the
median of ``--runs`` timings of ``render_marks`` alone and of the whole page rendered,
each with its ratio to the 1,000-mark figure and its time per mark: linear growth shows
as ratios near 10 and 100 and a steady time per mark. Medians and ratios, because on a
shared machine single timings are noise.

Then names that cross each other by the hundred in one paragraph (as a crafted backup or
an editor can make them): 500, 1,000 and 2,000 names, each crossing every other, and as
many each crossing its ~100 nearest: the page's size and render time against the
number of names (drawing a segment for every pair made the page grow with the square).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

from _setup import SEEDS, scratch_django

MARKS = (1_000, 10_000, 100_000)
CROSSING = (500, 1_000, 2_000)


def marked_article(n_marks: int, *, chars: int | None = None):
    """An article of one paragraph holding ``n_marks`` names, each a mark (a name every
    7 characters of 21), padded with letters to ``chars`` characters when given."""
    from summit.models import Article, EntityMention, Paragraph

    sentence = "Ann Lee met Bo Chan. "  # two names, 21 characters
    pairs = max(1, n_marks // 2)
    text = sentence * pairs
    if chars and len(text) < chars:
        text += "x" * (chars - len(text))
    article = Article.objects.create(
        title=f"{n_marks} marks", source=f"bench/{n_marks}-{chars}.txt", content_hash="-"
    )
    paragraph = Paragraph.objects.create(article=article, index=0, text=text)
    mentions = [
        EntityMention(
            article=article,
            paragraph=paragraph,
            start=start,
            end=end,
            text=text[start:end],
            label="PERSON",
        )
        for i in range(pairs)
        for start, end in ((i * 21, i * 21 + 7), (i * 21 + 12, i * 21 + 19))
    ]
    EntityMention.objects.bulk_create(mentions[:n_marks], batch_size=2000)
    return article, paragraph


def _median(call, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def rendered_page(client, url: str) -> None:
    """The page rendered afresh: every cache emptied first."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    response = client.get(url)
    assert response.status_code == 200, response.status_code


def marks_figures(runs: int) -> None:
    """Render time against marks; see the module's doc."""
    from django.test import Client

    from summit.rendering import Mark, render_marks

    client = Client()
    rows = []
    for n in MARKS:
        article, paragraph = marked_article(n)
        marks = [
            Mark(m.start, m.end, "entity", {"class": "m"})
            for m in article.entitymentions.order_by("start")
        ]
        url = article.get_absolute_url()
        pure = _median(lambda marks=marks, p=paragraph: render_marks(p.text, marks), runs)
        page = _median(lambda url=url: rendered_page(client, url), runs)
        rows.append((n, pure, page))
    print(f"render time against marks in one paragraph (median of {runs} runs):")
    print(
        f"  {'marks':>7}  {'render_marks':>12} {'×1k':>6} {'µs/mark':>8}"
        f"  {'page rendered':>13} {'×1k':>6} {'µs/mark':>8}"
    )
    _, pure_1k, page_1k = rows[0]
    for n, pure, page in rows:
        print(
            f"  {n:>7,}  {pure * 1000:9.1f} ms {pure / pure_1k:6.1f} {pure / n * 1e6:8.2f}"
            f"  {page * 1000:10.1f} ms {page / page_1k:6.1f} {page / n * 1e6:8.2f}"
        )
    n_last, pure_last, page_last = rows[-1]
    per_mark = (pure_last / n_last) / (pure_1k / rows[0][0])
    per_mark_page = (page_last / n_last) / (page_1k / rows[0][0])
    print(
        f"  time per mark at {n_last:,} ÷ at {rows[0][0]:,}: render_marks {per_mark:.2f}, "
        f"page {per_mark_page:.2f} (1.00 is linear; quadratic would be {n_last // rows[0][0]})"
    )


def crossing_article(n_names: int, *, each_crosses: int | None = None):
    """An article of one paragraph with ``n_names`` names that cross each other: every
    other name (a staircase), or the ``each_crosses`` names before and after it."""
    from summit.models import Article, EntityMention, Paragraph

    reach = n_names if each_crosses is None else each_crosses
    text = ("Dan Lee and Ann Wu met. " * (2 * n_names // 24 + 2))[: 2 * n_names + reach + 1]
    article = Article.objects.create(
        title=f"{n_names} crossing names", source=f"bench/x{n_names}-{reach}", content_hash="-"
    )
    paragraph = Paragraph.objects.create(article=article, index=0, text=text)
    EntityMention.objects.bulk_create(
        (
            EntityMention(
                article=article,
                paragraph=paragraph,
                start=2 * i if each_crosses else i,
                end=(2 * i if each_crosses else i) + reach,
                text="-",
                label="PERSON",
            )
            for i in range(n_names)
        ),
        batch_size=2000,
    )
    return article


def crossing_figures(runs: int) -> None:
    """Page size and render time against names that cross; see the module's doc."""
    from django.test import Client

    client = Client()
    print(f"names crossing each other in one paragraph (median of {runs} runs):")
    header = f"{'names':>6} {'page':>9} {'bytes/name':>10} {'rendered':>10} {'ms/name':>8}"
    print(f"  {'shape':<18} {header}")
    for shape, reach in (("each crosses all", None), ("each crosses ~100", 100)):
        for n in CROSSING:
            url = crossing_article(n, each_crosses=reach).get_absolute_url()
            size = len(client.get(url).content)
            page = _median(lambda url=url: rendered_page(client, url), runs)
            print(
                f"  {shape:<18} {n:>6,} {size / 1e6:7.2f} MB {size / n:10.0f}"
                f" {page * 1000:7.0f} ms {page * 1000 / n:8.3f}"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50, help="Renders to time.")
    parser.add_argument("--folder", default=str(SEEDS))
    parser.add_argument("--profile", action="store_true", help="Print a cProfile of renders.")
    parser.add_argument("--runs", type=int, default=5, help="Timings per figure (median).")
    parser.add_argument("--no-marks", action="store_true", help="Skip render time vs marks.")
    args = parser.parse_args()

    scratch_django(ALLOWED_HOSTS="testserver")
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    # Static URLs without a collectstatic run (as the tests do).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    setup_test_environment()
    started = time.perf_counter()
    call_command("ingest", args.folder, "--no-progress", verbosity=0)
    ingest_seconds = time.perf_counter() - started

    from summit.models import Article, EntityMention, Quote

    article = Article.objects.get(source_file__startswith="000_")
    url = article.get_absolute_url()
    client = Client()
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    if response.status_code != 200:
        print(f"{url} answered {response.status_code}", file=sys.stderr)
        return 1

    times, cached = [], []
    for _ in range(args.requests):
        t0 = time.perf_counter()
        rendered_page(client, url)
        times.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        client.get(url)
        cached.append((time.perf_counter() - t0) * 1000)

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(10):
            client.get(url)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(35)

    median = statistics.median(times)
    print(f"article:  {article.title[:70]!r} ({url})")
    print(
        f"content:  {article.paragraphs.count()} paragraphs, "
        f"{Quote.objects.filter(article=article).count()} quotes, "
        f"{EntityMention.objects.filter(article=article).count()} mentions, "
        f"{len(response.content) // 1024} KiB of HTML"
    )
    print(f"ingest:   {ingest_seconds:.1f} s for {args.folder}")
    print(f"queries:  {len(queries)} per render")
    print(
        f"render:   median {median:.1f} ms over {args.requests} requests "
        f"(min {min(times):.1f}, max {max(times):.1f}); target < 50 ms: "
        f"{'met' if median < 50 else 'NOT met'}"
    )
    print(
        f"cached:   median {statistics.median(cached):.2f} ms, as a reader who is not signed in "
        f"gets it from the page cache ({statistics.median(times) / statistics.median(cached):.0f}× "
        "less than rendering)"
    )
    if not args.no_marks:
        marks_figures(args.runs)
        crossing_figures(args.runs)
    return 0 if median < 50 else 2


if __name__ == "__main__":
    raise SystemExit(main())

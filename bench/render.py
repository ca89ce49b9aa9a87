"""Server time of the reader's article page, with its query count.

    .venv/bin/python bench/render.py [--requests N] [--folder seeds/]

Ingests FOLDER (default seeds/) through the real pipeline (``manage.py ingest``) into a
scratch SQLite database, then requests the seed-000 article page N times with Django's
test client and prints the median server time and the number of SQL queries one render
makes. Target: median under 50 ms, and a query count that does not grow with the
article's annotations.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

from _setup import SEEDS, scratch_django


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50, help="Renders to time.")
    parser.add_argument("--folder", default=str(SEEDS))
    parser.add_argument("--profile", action="store_true", help="Print a cProfile of renders.")
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

    times = []
    for _ in range(args.requests):
        t0 = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t0) * 1000)

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
    return 0 if median < 50 else 2


if __name__ == "__main__":
    raise SystemExit(main())

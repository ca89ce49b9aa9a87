"""Peak memory against an article's size: export, its W3C annotations, the API's article
detail and ingest, for articles of one long paragraph (the hostile case: every mark in
the same paragraph).

    .venv/bin/python bench/memory.py [--sizes 10000,100000,300000] [--ingest-sizes 10000,100000]

Each figure is one fresh process: Django set up over a scratch SQLite database holding
one article of N characters in one paragraph with a mark every ~27 characters (a quote
and two names a sentence, as dense as the 1.2M-character article of issue #22: 44,000
marks), doing one thing, and its peak resident memory (``ru_maxrss``) next to a process
that does nothing but set up (the baseline). Ingest goes through the real pipeline (a
text file of N characters). Growth should be linear in N: the extra memory per
character about constant, never a copy of the paragraph per mark. Use sizes up to
1200000 to see the worst case; on a shared machine start small.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SENTENCE = "“We will build the bridge {n},” said Ann Lee in Springfield. "


def _django(db: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "summit.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.conf import settings

    settings.STORAGES = {  # no collectstatic manifest in a scratch run
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _text(size: int) -> str:
    pieces, total, n = [], 0, 0
    while total < size:
        piece = SENTENCE.format(n=n)
        pieces.append(piece)
        total += len(piece)
        n += 1
    return "".join(pieces)


def prepare(db: str, size: int) -> None:
    """One article of ``size`` characters in one paragraph, with its marks."""
    _django(db)
    from django.core.management import call_command

    from summit.models import Article, EntityMention, Paragraph, Quote, Speaker

    call_command("migrate", verbosity=0)
    text = _text(size)
    article = Article.objects.create(
        title="A very long article", source="bench/long.txt", content_hash="x" * 64
    )
    paragraph = Paragraph.objects.create(article=article, index=0, text=text)
    lee = Speaker.objects.create(name="Ann Lee")
    quotes, mentions = [], []
    at = 0
    for n in range(text.count("said Ann Lee")):
        piece = SENTENCE.format(n=n)
        words = piece[1 : piece.index(",”") + 1]
        quotes.append(
            Quote(
                article=article,
                paragraph=paragraph,
                start=at + 1,
                end=at + 1 + len(words),
                text=words,
                speaker=lee,
                kind="direct",
                cue="said",
            )
        )
        for name in ("Ann Lee", "Springfield"):
            start = at + piece.index(name)
            mentions.append(
                EntityMention(
                    article=article,
                    paragraph=paragraph,
                    start=start,
                    end=start + len(name),
                    text=name,
                    label="PERSON" if name == "Ann Lee" else "GPE",
                    speaker=lee if name == "Ann Lee" else None,
                )
            )
        at += len(piece)
    Quote.objects.bulk_create(quotes, batch_size=2000)
    EntityMention.objects.bulk_create(mentions, batch_size=2000)
    print(json.dumps({"marks": len(quotes) + len(mentions), "article": article.pk}))


def child(kind: str, db: str, size: int) -> None:
    _django(db)
    from django.test import Client

    started = time.perf_counter()
    detail = ""
    if kind == "export":
        import io

        from django.core.management import call_command

        out = Path(db).with_suffix(".export.json")
        call_command("export", "--format", "json", "-o", str(out), stderr=io.StringIO())
        detail = f"{out.stat().st_size / 1e6:.1f} MB written"
    elif kind == "jsonld":
        client = Client()
        url = "/articles/1/annotations.jsonld"
        collection = client.get(url).json()
        sizes = [len(client.get(url).content)]
        if "first" in collection:
            sizes = [len(client.get(f"{url}?page=0").content)]
        detail = f"{collection['total']} annotations, {sizes[0] / 1e6:.2f} MB a response"
    elif kind == "api":
        client = Client()
        response = client.get("/api/v1/articles/1")
        assert response.status_code == 200, response.status_code
        detail = f"{len(response.content) / 1e6:.2f} MB the detail"
        following = response.json()["quotes_next"]
        if following:  # and the next page of its quotes (the detail is paged)
            more = client.get(following)
            assert more.status_code == 200, more.status_code
            detail += f", {len(more.content) / 1e6:.2f} MB a page of its quotes"
    elif kind == "ingest":
        from django.core.management import call_command

        from summit.services.ingest import articles_ingest

        call_command("migrate", verbosity=0)
        path = Path(db).with_suffix(".txt")
        path.write_text("A very long article\n\n" + _text(size), encoding="utf-8")
        [result] = articles_ingest(targets=[str(path)])
        detail = f"{result.outcome}"
    print(
        json.dumps(
            {
                "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                "seconds": time.perf_counter() - started,
                "detail": detail,
            }
        )
    )


def _run(*args: str) -> dict:
    run = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,300000")
    parser.add_argument("--ingest-sizes", default="10000,100000")
    parser.add_argument("--prepare", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.prepare[0], int(args.prepare[1]))
        return 0
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return 0
    print("| size (chars) | marks | what | peak RSS | over baseline | per 1k chars | time | |")
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |")
    tmp = Path(tempfile.mkdtemp(prefix="summit-memory-"))
    ingest_sizes = {int(s) for s in args.ingest_sizes.split(",") if s}
    for size in (int(s) for s in args.sizes.split(",")):
        db = str(tmp / f"bench-{size}.sqlite3")
        made = _run("--prepare", db, str(size))
        base = _run("--child", "none", db, str(size))["peak_kb"]
        kinds = ["export", "jsonld", "api"] + (["ingest"] if size in ingest_sizes else [])
        for kind in kinds:
            where = db if kind != "ingest" else str(tmp / f"ingest-{size}.sqlite3")
            got = _run("--child", kind, where, str(size))
            over = (got["peak_kb"] - base) / 1024
            print(
                f"| {size:,} | {made['marks']:,} | {kind} | {got['peak_kb'] / 1024:.0f} MB | "
                f"{over:.0f} MB | {over * 1024 / (size / 1000):.0f} kB | "
                f"{got['seconds']:.1f} s | {got['detail']} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

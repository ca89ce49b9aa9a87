"""Hostile and huge input, measured: the figures issue #12 asks for.

    .venv/bin/python bench/hostile.py [--huge] [--skip-corpus]

In a scratch SQLite database (yours is not touched) it prints:

- render time against marks in one paragraph (1k, 10k, 100k): ``render_marks`` alone
  and the article page rendered, medians with ratios (``bench/render.py``);
- the page time of an article with one 200,000-character paragraph (~9,800 marks);
- the hostile corpus (tests/data/hostile/) ingested: outcome and time per file;
- the backup round trip: seeds ingested, an editor's work done, exported, the database
  emptied, imported, exported again: lines that differ (0) and history rows each side;
- sign-in throttling: the status of each of 7 sign-ins with a wrong password, then the
  right one while locked out;
- with ``--huge``, a 1.1M-character article ingested.

The wrk figures (the article, person and quotes pages and a static file under gunicorn,
this code beside an earlier commit) are ``bench/wrk.py``'s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"


def _setup(tmp: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "summit.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    setup_test_environment()
    call_command("migrate", verbosity=0)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def _timed(call, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def render_figures() -> None:
    from django.core.cache import caches
    from django.test import Client
    from render import marked_article, marks_figures

    marks_figures(runs=3)
    client = Client()
    article, _ = marked_article(9_775, chars=200_000)
    url = article.get_absolute_url()

    def cold200(url=url):
        for cache in caches.all():
            cache.clear()
        assert client.get(url).status_code == 200

    print(
        "200,000-character paragraph, 9,775 marks: page "
        f"rendered {_ms(_timed(cold200)).strip()}, "
        f"cached {_ms(_timed(lambda: client.get(url), 5)).strip()}"
    )


def tokenizing_runs() -> None:
    """Time against size of tokenizing runs and repetitions (linear: each doubling about
    doubles the time; the issue measured 76 s for ’s and 94 s for US$ at 10k)."""
    from summit.services.ingest import get_pipeline

    nlp = get_pipeline().nlp
    for unit in ("“", "’s", "US$", "a.b", "(x)", "n’t-"):
        figures = []
        previous = None
        for n in (5_000, 10_000, 20_000, 40_000):
            text = f"He said {unit * n} and left."
            seconds = _timed(lambda text=text: nlp.tokenizer(text), 1)
            ratio = f" (×{seconds / previous:.1f})" if previous else ""
            figures.append(f"{n // 1000}k: {seconds:.2f} s{ratio}")
            previous = seconds
        print(f"tokenizing {unit!r} repeated: " + ", ".join(figures))


def huge_article() -> None:
    """An article over spaCy's 1,000,000 characters, through the real pipeline."""
    from summit.services.ingest import articles_ingest

    sentences = [
        "“We will build the bridge,” said Ann Lee, the mayor of Springfield.",
        "The council met on Tuesday to discuss the budget for the coming year.",
        "Bo Chan, a resident, said the plan was “too little, too late”.",
    ]
    paragraphs = [" ".join(sentences[(i + j) % 3] for j in range(6)) for i in range(2_700)]
    text = "A Very Long Article\n\n" + "\n\n".join(paragraphs)
    path = Path(tempfile.mkdtemp(prefix="summit-huge-")) / "huge.txt"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    [result] = articles_ingest(targets=[str(path)])
    print(
        f"an article of {len(text):,} characters (over spaCy's 1,000,000): {result.outcome} "
        f"in {time.perf_counter() - started:.0f} s ({result.message})"
    )


def hostile_corpus() -> None:
    from summit.services.ingest import articles_ingest

    folder = ROOT / "tests" / "data" / "hostile"
    print(f"hostile corpus ({folder.relative_to(ROOT)}):")
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        started = time.perf_counter()
        [result] = articles_ingest(targets=[str(path)], force=True)
        seconds = time.perf_counter() - started
        size = path.stat().st_size
        print(f"  {path.name:<34} {size / 1024:8.0f} KiB  {seconds:6.1f} s  {result.outcome}")


def backup_round_trip() -> None:
    import io

    from django.core.management import call_command

    from summit.models import Article, Quote, Speaker, SpeakerMerge, SpeakerSplit
    from summit.services.backup import HISTORY_MODELS
    from summit.services.editing import annotation_set_status, article_update
    from summit.services.roles import editor_create
    from summit.services.speakers import speaker_merge

    Article.objects.all().delete()
    call_command("ingest", str(ROOT / "seeds"), "--no-progress", verbosity=0)
    editor, _ = editor_create(username="bench-editor", password="correct-horse-battery-staple")
    article = Article.objects.order_by("pk").first()
    article_update(article=article, data={"title": "An editor's title"}, by=editor)
    quotes = list(Quote.objects.order_by("pk")[:3])
    annotation_set_status(annotations=quotes, status="verified", by=editor)
    speakers = list(Speaker.objects.order_by("pk")[:2])
    speaker_merge(into=speakers[0], others=speakers[1:], by=editor)

    def export() -> str:
        out = io.StringIO()
        call_command("export", "--format", "json", stdout=out)
        data = json.loads(out.getvalue())
        data.pop("exported")
        return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True)

    def history() -> int:
        return sum(m.history.model.objects.count() for m in HISTORY_MODELS.values())

    before, rows_before = export(), history()
    path = Path(tempfile.mkdtemp(prefix="summit-backup-")) / "backup.json"
    call_command("export", "--format", "json", "-o", str(path), stderr=io.StringIO())
    Article.objects.all().delete()
    Speaker.objects.all().delete()
    SpeakerMerge.objects.all().delete()
    SpeakerSplit.objects.all().delete()
    for model in HISTORY_MODELS.values():
        model.history.model.objects.all().delete()
    call_command("import", str(path), stdout=io.StringIO())
    after, rows_after = export(), history()
    a, b = before.splitlines(), after.splitlines()
    differing = sum(x != y for x, y in zip(a, b, strict=False)) + abs(len(a) - len(b))
    print(
        f"backup round trip: {len(a)} lines exported, {differing} differ after restore; "
        f"history rows {rows_before} before, {rows_after} after"
    )


def lockout() -> None:
    from django.conf import settings
    from django.test import Client

    from summit.services.roles import editor_create

    editor_create(username="locked-editor", password="correct-horse-battery-staple")
    client = Client()
    codes = []
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        response = client.post(
            "/admin/login/?next=/admin/",
            {"username": "locked-editor", "password": "guess", "next": "/admin/"},
            REMOTE_ADDR="203.0.113.5",
        )
        codes.append(response.status_code)
    right = client.post(
        "/admin/login/?next=/admin/",
        {"username": "locked-editor", "password": "correct-horse-battery-staple"},
        REMOTE_ADDR="203.0.113.5",
    )
    print(
        f"sign-in throttling: wrong passwords answered {codes}; the right one while locked "
        f"out: {right.status_code} ({right.content.decode()[:70]!r}…)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-corpus", action="store_true")
    parser.add_argument("--huge", action="store_true", help="Also ingest a 1.1M-char article.")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="summit-hostile-")
    _setup(tmp)
    print(f"(scratch database in {tmp}; timings are from this machine, now)")
    render_figures()
    lockout()
    tokenizing_runs()
    if args.huge:
        huge_article()
    if not args.skip_corpus:
        hostile_corpus()
    backup_round_trip()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

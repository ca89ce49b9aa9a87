"""Requests per second under load, this code next to an earlier commit, in one run.

    .venv/bin/python bench/wrk.py [--baseline cd3aac6] [--duration 10] [--connections 8]

Needs the Debian package ``wrk`` and git. In a scratch folder (your database is not
touched) it ingests seeds/ and ../shared/eval/bbc-dev (32 articles) with this code, then
for each code — the ``--baseline`` commit's tree (``git archive`` into a temporary
folder; default cd3aac6, the commit issue #12 measured) and this checkout — serves a
copy of that same database with gunicorn (2 sync workers, production settings: DEBUG
off, static files collected and served by whitenoise, loopback ports 8113/8112) and
runs ``wrk -t2 -cN -dS --latency`` against each page below, the baseline and then this
code back to back (so that a change in the machine's load falls on both alike):

- the article page with the most quotes (78 in that set),
- the page of the most quoted person,
- ``/quotes/``,
- a static file (the stylesheet),

printing requests/s, median and 99th-percentile latency and non-2xx responses for each,
then the ratio of this code to the baseline. The machine's load average is printed
before and after each run: on a shared machine, read the ratios, and re-run on a quiet
one for absolute figures.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _setup import ROOT

SHARED = ROOT.parent / "shared"
FOLDERS = [ROOT / "seeds", SHARED / "eval" / "bbc-dev" / "articles"]


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f} on {os.cpu_count()} cores"


def _environ(database: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SUMMIT_")) and k not in ("DEBUG", "DATABASE_URL")
    }
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SETTINGS_MODULE="summit.settings",
        SUMMIT_LOGIN_FAILURES="100",  # the most settings allow: wrk is no password guesser
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _manage(code: Path, env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=code, env=env, check=True, capture_output=True
    )


def _prepare(database: Path) -> dict[str, str]:
    """Ingest the articles with this code; the pages to measure."""
    env = _environ(database)
    _manage(ROOT, env, "migrate", "--noinput")
    _manage(ROOT, env, "ingest", *map(str, FOLDERS), "--no-progress")
    script = (
        "import django; django.setup()\n"
        "from django.db.models import Count\n"
        "from summit.models import Article, Speaker\n"
        "a = Article.objects.annotate(n=Count('quotes')).order_by('-n', 'pk').first()\n"
        "s = Speaker.objects.quoted().first()\n"
        "print(a.get_absolute_url(), a.n, s.get_absolute_url())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    article, quotes, person = out[0], int(out[1]), out[2]
    return {
        f"article ({quotes} quotes)": article,
        "person": person,
        "quotes": "/quotes/",
        "static file": "/static/summit/summit.css",
    }


def _serve(code: Path, database: Path, port: int) -> subprocess.Popen:
    env = _environ(database)
    _manage(code, env, "collectstatic", "--noinput", "-v", "0")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "summit.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "60",
            "--config",
            "/dev/null",  # the same gunicorn settings for both codes: only the code differs
        ],
        cwd=code,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.3)
    os.killpg(server.pid, signal.SIGTERM)
    raise SystemExit(f"gunicorn in {code} did not answer on port {port}")


def _wrk(url: str, duration: int, connections: int) -> dict:
    urllib.request.urlopen(url, timeout=30).read()  # warm: the first render is not measured
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": re.search(r"50%\s+([\d.]+\w+)", out).group(1),
        "p99": re.search(r"99%\s+([\d.]+\w+)", out).group(1),
        "non2xx": int(errors.group(1)) if errors else 0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="cd3aac6", help="The commit to compare with.")
    parser.add_argument("--duration", type=int, default=10, help="Seconds per wrk run.")
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    tmp = Path(tempfile.mkdtemp(prefix="summit-wrk-"))
    try:
        database = tmp / "bench.sqlite3"
        print(f"ingesting {', '.join(str(f.relative_to(ROOT.parent)) for f in FOLDERS)} …")
        pages = _prepare(database)
        old = tmp / "baseline"
        old.mkdir()
        tree = subprocess.run(
            ["git", "archive", args.baseline], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=tree, check=True)
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        codes = [(f"baseline {args.baseline}", old, 8113), (f"this code {head}", ROOT, 8112)]
        print(
            f"wrk -t2 -c{args.connections} -d{args.duration}s; gunicorn, 2 sync workers; "
            f"SQLite, the same data for both; {_load()}"
        )
        servers = []
        try:
            for _, code, port in codes:
                copy = tmp / f"{port}.sqlite3"
                shutil.copyfile(database, copy)
                servers.append(_serve(code, copy, port))
            # Page by page, the two codes one right after the other, so that a change in
            # the machine's load falls on both alike.
            results: dict[str, dict[str, dict]] = {}
            for name, path in pages.items():
                for label, _, port in codes:
                    r = _wrk(f"http://127.0.0.1:{port}{path}", args.duration, args.connections)
                    results.setdefault(name, {})[label] = r
                    print(
                        f"  {name:<20} {label:<20} {r['rps']:8.1f} req/s  p50 {r['p50']:>8}  "
                        f"p99 {r['p99']:>8}  non-2xx {r['non2xx']}  ({_load()})",
                        flush=True,
                    )
        finally:
            for server in servers:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
        print("this code ÷ baseline, requests per second:")
        for name, by_code in results.items():
            before, after = (by_code[label]["rps"] for label, _, _ in codes)
            print(f"  {name:<20} {after / before:6.2f}×")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Several machines, on one: two gunicorn instances on one PostgreSQL and one Redis, and
``db_worker``s, shown to act as one site, step by step.

    .venv/bin/python bench/multi_machine.py [--database-url postgres://…/summit_multimachine]
        [--redis-port 6391] [--ports 8771,8772] [--articles 3] [--folder FOLDER]

Needs Debian's ``redis-server`` (``apt-get install redis-server``; this script starts
its own on ``--redis-port``, with no persistence, and stops it), the ``redis`` package
(``pip install '.[redis]'``) and a PostgreSQL server (the database ``--database-url``
names is created when missing, and emptied). Every process gets the same settings, as
the machines of a deployment would: ``DATABASE_URL``, ``SUMMIT_CACHE_URL=redis://…``,
``SUMMIT_TASKS_BACKEND=database``, one ``SECRET_KEY``. Then it shows, printing each step:

1. an edit through one instance is seen at once through the other: a reader's page
   cached in Redis by instance A is served by instance B from Redis; an editor signed
   in on A rejects a quote; B's next answer no longer has it;
2. a sign-in lockout counted on one instance holds on the other: wrong passwords on A
   and B count together, and then the right one is refused on both;
3. a ``db_worker`` killed with SIGKILL mid-task stops beating; another ``db_worker``
   puts its task back in the queue once ``SUMMIT_TASK_LEASE`` has passed (3 seconds
   here) and runs it, with no operator and no command; every article is stored once,
   and both instances list them at once.

Exit status 0 when all three hold. Not part of the test suite (it starts servers and
loads spaCy): a demonstration on one machine of the deployment the README describes.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import psycopg
from _setup import ROOT, default_articles
from _setup import manage as run_manage
from ingest_scaling import ensure_database, make_corpus

DEFAULT_DB = "postgres://summit_ci:summit_ci@127.0.0.1:5432/summit_multimachine"
LEASE = 3  # seconds without a beat before a worker's task is another's (production: 60)
TASKS = "django_tasks_database_dbtaskresult"
TASK = "summit.tasks.ingest_target"
PASSWORD = "correct horse battery staple 42"

SETUP = """
import django; django.setup()
from django.contrib.auth.models import User
from summit.models import Article, Paragraph, Quote, Speaker
from summit.services.history import version_of
for name in ("ed", "ann"):
    User.objects.create_superuser(name, f"{name}@example.org", PASSWORD)
article = Article.objects.create(title="Bridge talks", source="bench/bridge.txt",
                                 content_hash="b" * 64)
text = "“The bridge will open in May,” said Ann Lee. Work goes on."
paragraph = Paragraph.objects.create(article=article, index=0, text=text)
words = text[1:text.index(",”") + 1]
quote = Quote.objects.create(article=article, paragraph=paragraph, start=1,
    end=1 + len(words), text=words, speaker=Speaker.objects.create(name="Ann Lee"),
    kind="direct", cue="said")
print(article.pk, quote.pk, version_of(quote))
"""


HOST = "news.example.org"  # the site's name: what the proxy in front passes on to each


class Site:
    """One gunicorn instance, as a browser behind the proxy sees it (its own cookies)."""

    def __init__(self, name: str, port: int) -> None:
        self.name, self.base = name, f"http://127.0.0.1:{port}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str]:
        request = urllib.request.Request(self.base + path, headers={"Host": HOST})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except urllib.error.URLError as error:  # not listening (yet)
            return 0, str(error.reason)

    def post(self, path: str, form: dict) -> tuple[int, str]:
        status, page = self.get(path)  # the form: its CSRF token and cookie
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        data = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": token[1] if token else ""})
        request = urllib.request.Request(
            self.base + path, data=data.encode(), method="POST", headers={"Host": HOST}
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def sign_in(self, username: str, password: str) -> int:
        """The status of a sign-in (a good one lands on the admin's index: 200)."""
        status, page = self.post(
            "/admin/login/?next=/admin/", {"username": username, "password": password}
        )
        if status == 200 and 'name="password"' in page:
            return 401  # the form again: refused
        return status


def redis_cli(port: int, *args: str) -> str:
    return subprocess.run(
        ["redis-cli", "-p", str(port), *args], check=True, capture_output=True, text=True
    ).stdout


def redis_hits(port: int) -> int:
    return int(re.search(r"keyspace_hits:(\d+)", redis_cli(port, "INFO", "stats"))[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("MULTI_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-port", type=int, default=6391)
    parser.add_argument("--ports", default="8771,8772")
    parser.add_argument("--articles", type=int, default=3)
    parser.add_argument(
        "--folder", default=str(default_articles()), help="the articles to queue (distinct ones)"
    )
    args = parser.parse_args()
    server = shutil.which("redis-server")
    if not server or not shutil.which("redis-cli"):
        print("no redis-server here: apt-get install redis-server", file=sys.stderr)
        return 2
    url = args.database_url
    ensure_database(url)
    tmp = Path(tempfile.mkdtemp(prefix="summit-multi-"))
    cache_url = f"redis://127.0.0.1:{args.redis_port}/0"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SUMMIT_")) and k not in ("DEBUG", "DATABASE_URL")
    }
    env.update(
        DATABASE_URL=url,
        SUMMIT_CACHE_URL=cache_url,
        SUMMIT_TASKS_BACKEND="database",
        SUMMIT_TASK_LEASE=str(LEASE),
        SECRET_KEY="multi-machine-bench-" + "k" * 40,
        ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        DJANGO_SETTINGS_MODULE="summit.settings",
        PYTHONDONTWRITEBYTECODE="1",
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    started: list[subprocess.Popen] = []

    def start(argv: list[str]) -> subprocess.Popen:
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        started.append(process)
        return process

    def command(*argv: str, show: bool = True) -> str:
        return run_manage(env, *argv, show=show, indent="   ")

    def tasks() -> Counter:
        with psycopg.connect(url) as conn:
            rows = conn.execute(f"SELECT status FROM {TASKS} WHERE task_path = %s", [TASK])
            return Counter(row[0] for row in rows)

    def running() -> tuple | None:
        with psycopg.connect(url) as conn:
            return conn.execute(
                f"SELECT id::text, args_kwargs->'args'->>0 FROM {TASKS} "
                "WHERE status = 'RUNNING' AND task_path = %s LIMIT 1",
                [TASK],
            ).fetchone()

    ok = {}
    try:
        start([server, "--port", str(args.redis_port), "--bind", "127.0.0.1", "--save", ""])
        start_redis = time.monotonic()
        while (
            subprocess.run(
                ["redis-cli", "-p", str(args.redis_port), "PING"], capture_output=True, text=True
            ).stdout.strip()
            != "PONG"
        ):
            if time.monotonic() - start_redis > 20:
                raise SystemExit("redis-server did not start")
            time.sleep(0.1)
        command("migrate", "--verbosity", "0", show=False)
        command("flush", "--noinput", show=False)
        command("collectstatic", "--noinput", "--verbosity", "0", show=False)
        out = subprocess.run(
            [sys.executable, "-c", f"PASSWORD = {PASSWORD!r}\n{SETUP}"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        article, quote, version = int(out[0]), int(out[1]), out[2]
        ports = [int(p) for p in args.ports.split(",")]
        sites = [Site("A", ports[0]), Site("B", ports[1])]
        for port in ports:
            start(
                [
                    str(Path(sys.executable).with_name("gunicorn")),
                    "summit.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--config",
                    "/dev/null",
                ]
            )
        for site in sites:
            for _ in range(300):
                if site.get("/")[0] == 200:
                    break
                time.sleep(0.2)
            else:
                raise SystemExit(f"instance {site.name} did not answer")
        a, b = sites
        print(
            f"database {url.rpartition('@')[2]} (emptied), cache {cache_url} (a fresh "
            f"redis-server), instances A {a.base} and B {b.base} (gunicorn, 2 workers each)"
        )

        print("\n1. An edit through one instance is seen at once through the other")
        page = f"/articles/{article}/"
        api = f"/api/v1/articles/{article}"
        status, first = a.get(page)
        a.get(api)
        keys = redis_cli(args.redis_port, "--scan", "--pattern", "*summit:page:*").split()
        print(f"   reader GET {page} and {api} on A: {status}; Redis holds {len(keys)} page(s)")
        hits = redis_hits(args.redis_port)
        status, second = b.get(page)
        quotes_before = json.loads(b.get(api)[1])["quotes"]
        served = redis_hits(args.redis_port) - hits
        print(
            f"   the same on B: {status}, the same page ({first == second}), {served} Redis "
            f"hit(s): B served A's cached entries; the API lists {len(quotes_before)} quote"
        )
        print(f"   editor 'ed' signs in on A: {a.sign_in('ed', PASSWORD)}")
        status, _ = a.post(
            "/admin/summit/quote/review/",
            {"quote": quote, "version": version, "do": "reject", "next": "/admin/"},
        )
        print(f"   and rejects quote {quote} through A's review queue: {status}")
        status, third = b.get(page)
        quotes_after = json.loads(b.get(api)[1])["quotes"]
        print(
            f"   B at once: page changed ({third != second}), the API lists "
            f"{len(quotes_after)} quotes"
        )
        ok["edit"] = first == second and served >= 2 and third != second and not quotes_after
        ok["edit"] = ok["edit"] and len(quotes_before) == 1

        print("\n2. A sign-in lockout counted on one instance holds on the other")
        tries = []
        for n in range(5):
            site = sites[n % 2]
            tries.append(f"{site.name} {site.sign_in('ann', 'wrong password')}")
        print(f"   five wrong passwords for 'ann', alternating: {', '.join(tries)}")
        right = {site.name: site.sign_in("ann", PASSWORD) for site in (b, a)}
        print(
            f"   then the right password: B {right['B']}, A {right['A']} (429: locked out, on both)"
        )
        ok["lockout"] = right == {"A": 429, "B": 429}

        print("\n3. A db_worker killed mid-task: its task recovered by another worker")
        folder = tmp / "articles"
        make_corpus(args.folder, args.articles, folder)
        command("ingest", "--queue", str(folder), show=False)
        print(f"   queued {args.articles} articles (manage.py ingest --queue)")
        doomed = start([*manage, "db_worker", "--no-startup-delay", "--verbosity", "0"])
        deadline = time.monotonic() + 180
        while (claimed := running()) is None:
            if time.monotonic() > deadline or doomed.poll() is not None:
                raise SystemExit("the first worker claimed no task")
            time.sleep(0.05)
        time.sleep(0.3)  # mid-task: loading the model or analysing the article
        os.kill(doomed.pid, signal.SIGKILL)
        killed = time.monotonic()
        doomed.wait()
        print(
            f"   worker 1 (pid {doomed.pid}) claimed task {claimed[0]} "
            f"({Path(claimed[1]).name}) and was killed with SIGKILL"
        )
        command("ingest_tasks")
        worker = start([*manage, "db_worker", "--no-startup-delay", "--verbosity", "0"])
        print(f"   worker 2 (pid {worker.pid}) starts and drains the queue")
        deadline = time.monotonic() + 600
        while tasks().get("READY", 0):
            if time.monotonic() > deadline or worker.poll() is not None:
                raise SystemExit("worker 2 did not drain the queue")
            time.sleep(0.5)
        while tasks().get("RUNNING", 0) > 1:
            time.sleep(0.5)
        while set(tasks()) != {"SUCCESSFUL"}:
            if time.monotonic() > deadline or worker.poll() is not None:
                raise SystemExit("worker 2 did not run the dead worker's task")
            time.sleep(0.2)
        with psycopg.connect(url) as conn:
            twice = conn.execute(
                f"SELECT jsonb_array_length(worker_ids) FROM {TASKS} WHERE id::text = %s",
                [claimed[0]],
            ).fetchone()[0]
        print(
            f"   no command run: worker 2 put task {claimed[0][:8]}… back in the queue and "
            f"ran it ({twice} workers claimed it), {time.monotonic() - killed:.1f} s after "
            f"the kill (lease {LEASE} s)"
        )
        command("ingest_tasks")
        with psycopg.connect(url) as conn:
            stored = conn.execute(
                "SELECT count(*), count(DISTINCT content_hash) FROM summit_article "
                "WHERE source <> 'bench/bridge.txt'"
            ).fetchone()
        listed = {
            site.name: len(json.loads(site.get("/api/v1/articles?limit=100")[1])["items"]) - 1
            for site in sites
        }
        print(
            f"   {stored[0]} articles stored ({stored[1]} distinct) for {args.articles} queued; "
            f"listed at once by A: {listed['A']}, by B: {listed['B']}"
        )
        ok["worker"] = stored[0] == stored[1] == args.articles and twice == 2
        ok["worker"] = ok["worker"] and listed == {"A": args.articles, "B": args.articles}
    finally:
        for process in reversed(started):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    print("\n" + ", ".join(f"{what}: {'holds' if held else 'FAILED'}" for what, held in ok.items()))
    return 0 if ok and all(ok.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())

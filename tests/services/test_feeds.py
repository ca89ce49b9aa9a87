"""Feeds polled from a local HTTP server (127.0.0.1 only): each article queued once."""

from __future__ import annotations

import contextlib
import http.server
import threading
import time
from dataclasses import dataclass, field

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from summit.models import Feed, FeedEntry
from summit.services.feeds import canonical_url, feed_add, feeds_poll

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

RSS2 = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>The Valley Courier</title><link>{base}/</link><description>News</description>
<item><title>Council approves the new bridge</title>
  <link>{base}/a/bridge?utm_source=rss</link>
  <description>Wire copy.</description>
  <pubDate>Tue, 03 Mar 2026 08:00:00 GMT</pubDate><dc:creator>Ann Example</dc:creator></item>
<item><title>Library opens late on Fridays</title><link>{base}/a/library</link>
  <description>Longer hours.</description>
  <pubDate>Wed, 04 Mar 2026 09:30:00 GMT</pubDate></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Daily</title>
<id>urn:harbour</id><updated>2026-03-05T10:00:00Z</updated>
<entry><title>Ferry timetable changes</title><id>urn:harbour:1</id>
  <link rel="alternate" href="{base}/b/ferry"/>
  <published>2026-03-05T07:15:00Z</published><updated>2026-03-05T07:15:00Z</updated>
  <author><name>Bo Writer</name></author><summary>New times.</summary></entry>
<entry><title>Council approves the new bridge</title><id>urn:harbour:2</id>
  <link rel="alternate" href="{base}/a/bridge#comments"/>
  <updated>2026-03-03T08:00:00Z</updated><summary>Wire copy.</summary></entry>
</feed>"""

RSS1 = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
  xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="{base}/rdf"><title>Upland Weekly</title><link>{base}/</link>
  <description>Weekly</description>
  <items><rdf:Seq><rdf:li resource="{base}/c/fair"/></rdf:Seq></items></channel>
<item rdf:about="{base}/c/fair"><title>County fair returns</title><link>{base}/c/fair</link>
  <dc:date>2026-03-06</dc:date><dc:creator>Cy Reporter</dc:creator></item>
</rdf:RDF>"""

RSS091 = """<?xml version="1.0"?><rss version="0.91"><channel><title>Old Post</title>
<link>{base}/</link><description>Old</description><language>en</language>
<item><title>Mill reopens</title><link>{base}/d/mill</link></item></channel></rss>"""


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/xml"
    etag: str = ""
    delay: float = 0.0


@dataclass
class Server:
    base: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[tuple[str, int]] = field(default_factory=list)

    def serve(self, path: str, text: str, title: str = "", **kw) -> str:
        body = text.replace("{base}", self.base).replace("{title}", title)
        self.routes[path] = Route(body=body.encode(), **kw)
        return self.base + path


@pytest.fixture
def server():
    state = Server()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            route = state.routes.get(self.path)
            if route is None:
                return self._answer(404, b"not here")
            time.sleep(route.delay)
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                return self._answer(304, b"")
            return self._answer(route.status, route.body, route)

        def _answer(self, status, body, route=None):
            state.hits.append((self.path, status))
            self.send_response(status)
            if route is not None:
                self.send_header("Content-Type", route.content_type)
                if route.etag:
                    self.send_header("ETag", route.etag)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                # The poller may have given up on it (too slow, too large).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


def _queued():
    """The articles queued, with what the feed said of each."""
    return {
        t.args_kwargs["args"][0]: t.args_kwargs["kwargs"].get("meta", {})
        for t in DBTaskResult.objects.filter(task_path="summit.tasks.ingest_target")
    }


pytestmark = pytest.mark.usefixtures("_database_tasks")


@pytest.fixture
def _database_tasks():
    with override_settings(TASKS=DATABASE_TASKS):
        yield


def _poll_all(**kw):
    return {r.feed.url: r for r in feeds_poll(due_only=False, **kw)}


@pytest.mark.django_db
def test_rss_and_atom_feeds_queue_each_article_once_with_its_date_author_and_outlet(server):
    rss, _ = feed_add(url=server.serve("/rss", RSS2, etag='"r1"'), outlet="Valley Courier")
    atom, _ = feed_add(url=server.serve("/atom", ATOM, etag='"a1"'))
    rdf, _ = feed_add(url=server.serve("/rdf", RSS1), outlet="Upland Weekly")
    old, _ = feed_add(url=server.serve("/old", RSS091))

    results = _poll_all()

    assert not any(r.failed for r in results.values())
    queued = _queued()
    base = server.base
    # The bridge story is in two feeds, under two spellings of its address: queued once.
    assert sorted(queued) == [
        f"{base}/a/bridge",
        f"{base}/a/library",
        f"{base}/b/ferry",
        f"{base}/c/fair",
        f"{base}/d/mill",
    ]
    assert queued[f"{base}/a/bridge"] == {
        "title": "Council approves the new bridge",
        "byline": "Ann Example",
        "outlet": "Valley Courier",
        "published": "2026-03-03",
    }
    assert queued[f"{base}/b/ferry"]["published"] == "2026-03-05"
    assert queued[f"{base}/b/ferry"]["byline"] == "Bo Writer"
    assert "outlet" not in queued[f"{base}/b/ferry"]  # none given: the page's own, or its host
    assert queued[f"{base}/c/fair"]["published"] == "2026-03-06"
    assert FeedEntry.objects.count() == 5
    assert Feed.objects.get(pk=atom.pk).title == "Harbour Daily"
    assert results[rss.url].summary() == "2 new, 0 already seen"
    assert results[atom.url].summary() == "1 new, 1 already seen"

    # Again: the feeds with an ETag answer 304, the others hold nothing new.
    server.hits.clear()
    again = _poll_all()
    assert again[rss.url].not_modified
    assert again[atom.url].not_modified
    assert ("/rss", 304) in server.hits
    assert ("/atom", 304) in server.hits
    assert again[rdf.url].summary() == "0 new, 1 already seen"
    assert again[old.url].summary() == "0 new, 1 already seen"
    assert DBTaskResult.objects.count() == 5


@pytest.mark.django_db
def test_an_entry_the_feed_changes_is_queued_again_and_the_same_words_elsewhere_are_not(server):
    feed, _ = feed_add(url=server.serve("/rss", RSS2))
    _poll_all()
    assert DBTaskResult.objects.count() == 2
    changed = RSS2.replace("Longer hours.", "Longer hours, and a café.")
    server.serve("/rss", changed)
    result = _poll_all()[feed.url]
    assert result.queued == [f"{server.base}/a/library"]
    assert DBTaskResult.objects.count() == 3
    # The same entry at another address (a mirror) is the same article: not fetched.
    mirror = changed.replace("/a/library", "/mirror/library")
    other, _ = feed_add(url=server.serve("/mirror", mirror))
    assert _poll_all(feeds=[other])[other.url].summary() == "0 new, 2 already seen"
    twin = FeedEntry.objects.get(url=f"{server.base}/mirror/library")
    assert twin.duplicate_of.url == f"{server.base}/a/library"
    assert DBTaskResult.objects.count() == 3


@pytest.mark.django_db
@override_settings(SUMMIT_FETCH_TIMEOUT=0.5, SUMMIT_MAX_ARTICLE_BYTES=5000)
def test_a_broken_feed_records_its_error_backs_off_and_the_others_go_on(server):
    good, _ = feed_add(url=server.serve("/good", RSS2), interval=10)
    bad_xml, _ = feed_add(url=server.serve("/bad", "<rss><channel><item><title>oops"))
    html, _ = feed_add(url=server.serve("/page", "<html><body>Hi</body></html>"))
    missing, _ = feed_add(url=f"{server.base}/gone")
    slow, _ = feed_add(url=server.serve("/slow", RSS2, delay=2))
    huge, _ = feed_add(url=server.serve("/huge", RSS2.replace("News", "x" * 10_000)))

    before = timezone.now()
    results = _poll_all()

    assert not results[good.url].failed
    assert len(_queued()) == 2
    errors = {url: Feed.objects.get(url=url).last_error for url in results}
    assert "not well-formed XML" in errors[bad_xml.url]
    assert "not an RSS or Atom feed" in errors[html.url]
    assert errors[missing.url] == "the server answered 404 Not Found"
    assert "too long" in errors[slow.url] or "timed out" in errors[slow.url]
    assert "too large" in errors[huge.url]
    broken = Feed.objects.get(pk=missing.pk)
    assert broken.failures == 1
    # Backoff: twice its interval after one failure, and growing.
    assert broken.next_poll - before >= timezone.timedelta(minutes=2 * broken.interval)
    healthy = Feed.objects.get(pk=good.pk)
    assert healthy.failures == 0
    assert not healthy.last_error
    assert healthy.next_poll - before < timezone.timedelta(minutes=11)

    feeds_poll(feeds=[broken], due_only=False)
    broken.refresh_from_db()
    assert broken.failures == 2
    assert broken.next_poll - timezone.now() > timezone.timedelta(minutes=3.9 * broken.interval)

    # Fixed: one good poll clears the error and the backoff.
    server.serve("/gone", RSS091)
    feeds_poll(feeds=[broken], due_only=False)
    broken.refresh_from_db()
    assert (broken.failures, broken.last_error) == (0, "")


@pytest.mark.django_db
def test_only_due_feeds_are_polled_and_a_feed_claimed_by_another_poller_is_left_alone(server):
    feed, _ = feed_add(url=server.serve("/rss", RSS2), interval=30)
    assert len(feeds_poll()) == 1  # due at once when added
    assert feeds_poll() == []  # not again before its interval
    # Another poller holds it (mid-poll on another machine): this one leaves it.
    Feed.objects.filter(pk=feed.pk).update(
        next_poll=timezone.now(), claimed_until=timezone.now() + timezone.timedelta(minutes=1)
    )
    assert feeds_poll() == []
    assert feeds_poll(feeds=[feed], due_only=False) == []
    # A claim whose poller died runs out.
    Feed.objects.filter(pk=feed.pk).update(claimed_until=timezone.now())
    assert len(feeds_poll()) == 1


@pytest.mark.django_db(transaction=True)
def test_two_pollers_at_once_queue_each_article_once(server):
    server.serve("/rss", RSS2, delay=0.3)  # both are inside the poll at once
    feed_add(url=f"{server.base}/rss")
    feed_add(url=server.serve("/atom", ATOM, delay=0.3))
    done = []

    def poller():
        from django.db import connection

        try:
            done.append(feeds_poll())
        finally:
            connection.close()

    threads = [threading.Thread(target=poller) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(len(r) for r in done) in ([0, 2], [1, 1])  # each feed polled once
    assert len(_queued()) == 3
    assert [p for p, _ in server.hits].count("/rss") == 1


def test_canonical_addresses():
    assert canonical_url("HTTPS://News.Example:443/a?utm_source=x&id=3#top") == (
        "https://news.example/a?id=3"
    )
    assert canonical_url("http://news.example") == "http://news.example/"
    assert canonical_url("http://news.example:8080/a?fbclid=1") == "http://news.example:8080/a"


ARTICLE = """<!doctype html><html><head><title>{title}</title>{extra}</head><body><article>
<h1>{title}</h1>
<p>The county council voted on Tuesday to build a new footbridge over the river, ending
a debate that had run for most of the decade and divided the two towns it will join.</p>
<p>“This bridge will bring the two halves of the valley together,” said Mara Quill, who
chairs the council's transport committee. Work is due to begin in the spring.</p>
<p>Residents on both banks had asked for a crossing since the old ferry stopped running,
and a petition signed by several thousand people was handed in last year.</p>
</article></body></html>"""


@pytest.mark.django_db(transaction=True)  # the worker opens and closes connections itself
def test_a_worker_ingests_what_a_poll_queued_with_the_feeds_date_author_and_outlet(server):
    from django.core.management import call_command

    from summit.models import Article

    server.serve(
        "/a/bridge",
        ARTICLE.replace("{extra}", ""),
        content_type="text/html",
        title="Council approves the new bridge",
    )
    dated = '<meta property="article:published_time" content="2026-02-01">'
    server.serve(
        "/a/library",
        ARTICLE.replace("{extra}", dated),
        content_type="text/html",
        title="Library opens late on Fridays",
    )
    feed_add(url=server.serve("/rss", RSS2, etag='"r1"'), outlet="Valley Courier")
    _poll_all()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    bridge = Article.objects.get(source=f"{server.base}/a/bridge")
    assert (bridge.outlet, str(bridge.published), bridge.byline) == (
        "Valley Courier",
        "2026-03-03",
        "Ann Example",
    )
    assert bridge.quotes.filter(speaker__name="Mara Quill").exists()
    # The page's own date stands over the feed's.
    assert str(Article.objects.get(source=f"{server.base}/a/library").published) == "2026-02-01"
    # Polled again: nothing new to fetch, nothing queued.
    again = _poll_all()
    assert all(r.not_modified for r in again.values())
    assert DBTaskResult.objects.count() == 2


# manage.py feeds and the admin -------------------------------------------------------


@pytest.mark.django_db
def test_the_feeds_command_adds_lists_and_polls_and_its_exit_code_tells_of_a_failure(server):
    import io

    from django.core.management import CommandError, call_command

    def run(*args):
        out = io.StringIO()
        call_command("feeds", *args, stdout=out, stderr=out)
        return out.getvalue()

    rss = server.serve("/rss", RSS2, etag='"r1"')
    assert run("add", rss, "--outlet", "Valley Courier").startswith("added: feed ")
    assert run("add", rss).startswith("already there")
    with pytest.raises(CommandError, match="only http"):
        run("add", "ftp://example.org/feed")
    assert "2 articles queued, 0 failed" in run("poll", "--all")
    assert run("poll", "--all").strip() == "0 polled, 0 articles queued, 0 failed"  # not due
    assert "not modified (304)" in run("poll", "--all", "--now")
    run("add", f"{server.base}/gone")
    with pytest.raises(CommandError, match="1 failed") as failed:
        run("poll", "--all")
    assert failed.value.returncode == 1
    listing = run("list")
    assert "[Valley Courier] every 15 min" in listing
    assert "error (1 in a row): the server answered 404 Not Found" in listing
    with pytest.raises(CommandError, match="No such feed: 99"):
        run("poll", "99")
    with pytest.raises(CommandError, match="or give --all"):
        run("poll")


@pytest.mark.django_db
def test_the_admin_shows_a_broken_feeds_error_and_polls_on_demand(server, admin_client):
    good, _ = feed_add(url=server.serve("/rss", RSS2))
    feed_add(url=f"{server.base}/gone")
    _poll_all()
    page = admin_client.get("/admin/summit/feed/").content.decode()
    assert "Failed (1 in a row): the server answered 404 Not Found" in page
    assert "2 new, 0 already seen" in page
    response = admin_client.post(
        "/admin/summit/feed/",
        {"action": "poll_now", "_selected_action": [good.pk]},
        follow=True,
    )
    assert "0 new, 2 already seen" in response.content.decode()
    assert (
        admin_client.get(f"/admin/summit/feedentry/?feed__id__exact={good.pk}").status_code == 200
    )

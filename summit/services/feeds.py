"""Feeds: poll RSS and Atom feeds, queue each new article once for the ingest workers.

Polling only reads the feed and queues tasks (``summit.tasks.ingest_target``): the
articles are downloaded and analysed by the ``db_worker`` processes, as many as there
are. Each poll is a conditional GET (``If-None-Match`` / ``If-Modified-Since``), so a
feed that has not changed costs a 304. A feed is polled at most once per its interval,
and after a failure the interval doubles each time (up to a day) until a poll succeeds.

Safe on several machines at once (``feeds poll --all`` from cron everywhere): a poller
claims a feed with one conditional ``UPDATE`` that only one of them wins, and an
article's canonical address is unique among the entries, so two feeds (or two
pollers) that announce one article queue it once.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
import time
import xml.sax
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from summit import sources
from summit.models import Feed, FeedEntry

log = logging.getLogger(__name__)

MAX_BACKOFF = datetime.timedelta(days=1)
# Query parameters that only track where a reader came from: not part of the address.
TRACKING_PARAMETERS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid")


@dataclass
class PollResult:
    feed: Feed
    polled: bool = True  # False: another poller had it, or it was not due
    not_modified: bool = False
    queued: list[str] = field(default_factory=list)
    seen: int = 0  # entries already queued before (or the same article at another address)
    error: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.error)

    def summary(self) -> str:
        if self.error:
            return f"failed: {self.error}"
        if self.not_modified:
            return "not modified (304)"
        return f"{len(self.queued)} new, {self.seen} already seen"


def canonical_url(url: str) -> str:
    """The address an article is known by: scheme and host in lower case, no default
    port, no fragment, no tracking parameters (``utm_source``, ``fbclid`` …)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and (scheme, port) not in {("http", 80), ("https", 443)}:
        host = f"{host}:{port}"
    if parts.username or parts.password:
        host = f"{parts.username or ''}:{parts.password or ''}@{host}"
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.lower().startswith(TRACKING_PARAMETERS)
        ]
    )
    return urlunsplit((scheme, host, parts.path or "/", query, ""))


def feed_add(*, url: str, outlet: str = "", interval: int | None = None) -> tuple[Feed, bool]:
    """The feed at ``url`` (added if new, its outlet and interval set when given)."""
    sources.parse_url(url)  # a clear error for an address that is none
    feed, created = Feed.objects.get_or_create(url=url.strip())
    changed = []
    if outlet and feed.outlet != outlet:
        feed.outlet = outlet[:200]
        changed.append("outlet")
    if interval is not None and feed.interval != interval:
        feed.interval = interval
        changed.append("interval")
    if changed:
        feed.save(update_fields=changed)
    return feed, created


def feeds_poll(*, feeds=None, due_only: bool = True, now=None) -> list[PollResult]:
    """Poll ``feeds`` (default: every active feed); with ``due_only`` only those whose
    interval has passed. A feed another poller holds is left to it. One feed's failure
    is recorded on it and the others go on."""
    now = now or timezone.now()
    chosen = (
        Feed.objects.filter(active=True)
        if feeds is None
        else Feed.objects.filter(pk__in=[f.pk for f in feeds])
    )
    if due_only:
        chosen = chosen.filter(next_poll__lte=now)
    results = []
    for feed_id in list(chosen.order_by("next_poll", "pk").values_list("pk", flat=True)):
        feed = _claim(feed_id, due_only=due_only)
        if feed is None:
            continue  # another poller has it, or polled it a moment ago
        results.append(feed_poll(feed))
    return results


def _claim(feed_id: int, *, due_only: bool) -> Feed | None:
    """The feed, if this poller wins it: one UPDATE that only one poller's matches."""
    now = timezone.now()  # not the run's start: polling the feeds before took time
    lease = datetime.timedelta(seconds=settings.SUMMIT_FETCH_TIMEOUT * 2 + 60)
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    claim = Feed.objects.filter(free, pk=feed_id)
    if due_only:
        claim = claim.filter(next_poll__lte=now)
    if not claim.update(claimed_until=now + lease):
        return None
    return Feed.objects.get(pk=feed_id)


def feed_poll(feed: Feed) -> PollResult:
    """Poll one feed this poller has claimed; record what happened on it and free it."""
    result = PollResult(feed)
    started = time.monotonic()
    try:
        _poll(feed, result)
    except sources.SourceError as exc:
        result.error = exc.reason
    except Exception as exc:  # one feed's failure must not stop the others
        log.exception("polling %s failed", feed.url)
        result.error = f"{type(exc).__name__}: {exc}"[:500]
    now = timezone.now()
    feed.last_polled = now
    feed.claimed_until = None
    if result.error:
        feed.failures += 1
        feed.last_error = result.error
        wait = datetime.timedelta(minutes=feed.interval) * 2 ** min(feed.failures, 16)
        feed.next_poll = now + min(wait, MAX_BACKOFF)
    else:
        feed.failures = 0
        feed.last_error = ""
        feed.next_poll = now + datetime.timedelta(minutes=feed.interval)
    feed.last_result = f"{result.summary()} in {time.monotonic() - started:.1f} s"[:300]
    feed.save(
        update_fields=[
            "title",
            "etag",
            "last_modified",
            "last_polled",
            "last_result",
            "last_error",
            "failures",
            "next_poll",
            "claimed_until",
        ]
    )
    return result


def _poll(feed: Feed, result: PollResult) -> None:
    import feedparser  # imported here: only pollers need it

    conditions = {}
    if feed.etag:
        conditions["If-None-Match"] = feed.etag
    if feed.last_modified:
        conditions["If-Modified-Since"] = feed.last_modified
    download = sources.fetch(
        feed.url,
        max_bytes=settings.SUMMIT_MAX_ARTICLE_BYTES,
        timeout=settings.SUMMIT_FETCH_TIMEOUT,
        headers=conditions,
    )
    if download.status == 304:
        result.not_modified = True
        return
    # A file object, never the bytes: given bytes, feedparser would open them as a path.
    parsed = feedparser.parse(
        io.BytesIO(download.body),
        response_headers={
            "content-location": download.url,
            "content-type": download.headers.get("Content-Type", "application/xml"),
        },
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    why = parsed.get("bozo_exception")
    if isinstance(why, xml.sax.SAXException):  # feedparser guessed on from broken XML
        raise sources.SourceError(feed.url, f"is not well-formed XML ({why})")
    if not parsed.version:
        raise sources.SourceError(
            feed.url, f"is not an RSS or Atom feed ({why})" if why else "is not an RSS or Atom feed"
        )
    feed.title = (parsed.feed.get("title") or feed.title or "")[:300]
    for entry in parsed.entries:
        _take(feed, entry, base=download.url, result=result)
    # Remembered only once the entries are recorded: a poll that failed half-way asks
    # for the whole feed again.
    feed.etag = (download.headers.get("ETag") or "")[:500]
    feed.last_modified = (download.headers.get("Last-Modified") or "")[:100]


def _take(feed: Feed, entry, *, base: str, result: PollResult) -> None:
    """Record one entry; queue its article if it is new (or the feed changed it)."""
    from urllib.parse import urljoin

    link = (entry.get("link") or "").strip()
    if not link:
        return
    url = canonical_url(urljoin(base, link))
    try:
        sources.parse_url(url)
    except sources.SourceError:
        return  # a mailto: or javascript: link is no article
    published = _entry_date(entry)
    fields = {
        "title": " ".join((entry.get("title") or "").split())[:500],
        "author": " ".join((entry.get("author") or "").split())[:300],
        "published": published,
        "content_hash": _entry_hash(entry, published, url),
        "feed": feed,
    }
    with transaction.atomic():
        try:
            with transaction.atomic():
                stored = FeedEntry.objects.create(url=url, **fields)
        except IntegrityError:  # known already (another feed, another poller)
            stored = FeedEntry.objects.get(url=url)
            if stored.feed_id != feed.pk or stored.content_hash == fields["content_hash"]:
                result.seen += 1  # another feed's words for it are no change
                return
            # The feed changed its entry: whoever moves the hash on queues it again.
            moved = FeedEntry.objects.filter(pk=stored.pk, content_hash=stored.content_hash)
            if not moved.update(**fields, updated=timezone.now()):
                result.seen += 1
                return
        else:
            twin = (
                FeedEntry.objects.filter(content_hash=fields["content_hash"])
                .exclude(pk=stored.pk)
                .order_by("pk")
                .first()
            )
            if twin is not None:  # the same entry under another address
                stored.duplicate_of = twin
                stored.save(update_fields=["duplicate_of"])
                result.seen += 1
                return
        _queue(feed, stored.pk, url, fields)
        result.queued.append(url)


def _queue(feed: Feed, entry_id: int, url: str, fields: dict) -> None:
    """Queue the article for the workers, with what the feed says of it; in the entry's
    transaction, so that an entry is never recorded without its task."""
    from summit.tasks import ingest_target

    meta = {
        "title": fields["title"],
        "byline": fields["author"],
        "outlet": feed.outlet,
        "published": fields["published"].isoformat() if fields["published"] else "",
    }
    task = ingest_target.enqueue(url, meta={k: v for k, v in meta.items() if v})
    FeedEntry.objects.filter(pk=entry_id).update(task_id=str(task.id)[:64])


def _entry_date(entry) -> datetime.date | None:
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    if not when:
        return None
    try:
        return datetime.date(when.tm_year, when.tm_mon, when.tm_mday)
    except (ValueError, AttributeError):
        return None


def _entry_hash(entry, published: datetime.date | None, url: str) -> str:
    """What the entry says: the same under two addresses is one article; with no words
    at all, only its address tells it apart."""
    parts = [" ".join((entry.get(key) or "").split()).casefold() for key in ("title", "summary")]
    if not any(parts):
        parts.append(url)
    parts.append(published.isoformat() if published else "")
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

"""Reader pages served from the cache, never stale: keyed by the versions of what they show.

Any insert, update or delete in Summit's tables (``summit_*``), by whatever path (the
admin, the editors' services, ingest, merges and splits, import, bulk updates, a raw
statement), is noted by a database hook as one row of ``ContentChange`` in the same
transaction. A version is the newest of a scope's rows and how many there are: it
changes when such a write commits (even one whose row was numbered before another's
that committed first), and a writer sees its own change at once. A page cached under a
version is therefore never served after the content moved on, whichever cache backend
holds it (one memory per process, a file, a database, Redis, memcached) and whichever
process or machine wrote: the old entry is simply never asked for again and ages out.

Scopes: a page's key holds the version of ``site`` (every page: a write the hook notes
is scoped so) and of the scopes the page shows (``article_scope``, ``speaker_scope``,
``LISTINGS``). Only ingest of a new article notes narrower scopes
(``scoped_change``): its own page, the pages of the people it names, quotes or gives
claims to, the articles of its story and of its quotations, and the lists; another
article's page and a person it does not name stay cached while a newsroom ingests. Its
writes are checked as they are made: a statement outside what a new article writes
(an update of a name, a delete, …) makes the change site-wide after all.

A writer that makes many statements inside one transaction and renders no page between
them (ingest: one article, a few dozen statements) wraps them in ``one_change()``: they
are then noted by one row, made at the first write (and again only if a savepoint
rolled that row back), instead of one row a statement.

Only what every reader sees the same is cached: the page of a reader who is not signed
in (no per-user links, no CSRF token, no nonce in the page; the CSP and other headers are
added to each response by the middleware as usual). Editors' pages are rendered each
time (their paragraphs still come from ``summit.rendering``'s cache).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.core.cache import caches
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

PAGE_CACHE = "default"
PAGE_SECONDS = 24 * 3600
KEEP_CHANGES = 1000  # ContentChange rows kept; older ones are deleted now and then
SITE = "site"  # every page
LISTINGS = "listings"  # the pages that list quotes from every article


def article_scope(pk: int | str) -> str:
    """The scope of an article's pages (HTML, API, annotations)."""
    return f"article:{int(pk)}"


def speaker_scope(slug: str) -> str:
    """The scope of a person's page, by the address it is asked for."""
    return f"speaker:{slug}"


# A statement that writes a Summit table (the hook's own table excepted, and the feeds'
# bookkeeping and the workers' heartbeats, which no reader's page shows: polling every
# minute must not empty the cache).
_WRITES = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?summit_'
    r"(?!contentchange\b|feed\b|feedentry\b|requestcount\b|workerbeat\b)",
    re.IGNORECASE,
)
_migrating = False  # tables may not exist yet while migrations run


def _note_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if not _migrating and isinstance(sql, str) and _WRITES.match(sql):
        connection = context["connection"]
        scoped = getattr(connection, _SCOPED, None)
        if scoped is not None and connection.in_atomic_block:
            scoped.wrote = True
            if not _within_new_article(sql):
                described = _DESCRIBED.match(sql)
                if described and not many:
                    scoped.described.add(params[-1])
                else:
                    scoped.site = True
        elif getattr(connection, _ONE_CHANGE, False) and connection.in_atomic_block:
            _note_once(connection)
        else:
            content_changed(connection.alias)
    return result


_ONE_CHANGE = "_summit_one_change"  # connection attribute: inside one_change()
_NOTED = "_summit_noted"  # connection attribute: the on-commit marker of the last note


def _noted() -> None:
    """Marks, among a transaction's on-commit callbacks, that its change is noted."""


def _note_once(connection) -> None:
    """The change of this transaction, noted unless it already is. Django drops the
    on-commit callbacks of a savepoint rolled back, so the marker is gone exactly when
    the row noted with it is."""
    marker = getattr(connection, _NOTED, None)
    if marker is not None and any(func is marker for _, func, _ in connection.run_on_commit):
        return
    content_changed(connection.alias)
    marker = functools.partial(_noted)  # a new object each time, told apart by identity
    connection.on_commit(marker)
    setattr(connection, _NOTED, marker)


@contextmanager
def one_change(using: str = "default") -> Iterator[None]:
    """Inside an ``atomic`` block, around writes with no page rendered between them:
    they note one change (see the module's docstring). Outside a transaction each
    statement still notes its own."""
    connection = connections[using]
    was = getattr(connection, _ONE_CHANGE, False)
    setattr(connection, _ONE_CHANGE, True)
    setattr(connection, _NOTED, None)  # this block's writes are noted afresh
    try:
        yield
    finally:
        setattr(connection, _ONE_CHANGE, was)


def content_changed(using: str = "default", scopes: Iterable[str] = (SITE,)) -> None:
    """Record a change to the content, of every page (the hook does this for every
    write) or of ``scopes`` only."""
    from summit.models import ContentChange

    changes = ContentChange.objects.using(using)
    scopes = sorted(set(scopes))
    if len(scopes) == 1:  # the hook's (bulk_create would commit under a running INSERT)
        rows = [changes.create(scope=scopes[0])]
    else:
        rows = changes.bulk_create(ContentChange(scope=scope) for scope in scopes)
    if rows[-1].pk // KEEP_CHANGES != (rows[0].pk - 1) // KEEP_CHANGES:
        # Plain SQL with no transaction of its own: the write that called the hook may
        # still be in progress (an INSERT … RETURNING on SQLite), and a COMMIT then fails.
        # A scope's newest row stays, so that no version ever goes back to an earlier one.
        connection = connections[using]
        table = connection.ops.quote_name(ContentChange._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE id <= %s AND EXISTS (SELECT 1 FROM {table} "
                f"newer WHERE newer.scope = {table}.scope AND newer.id > {table}.id)",
                [rows[-1].pk - KEEP_CHANGES],
            )


def content_version(*scopes: str, using: str = "default") -> str:
    """The version of Summit's content as this connection sees it, of every page and of
    ``scopes``, e.g. ``"4711.998;4705.2"``."""
    from summit.models import ContentChange

    connection = connections[using]
    table = connection.ops.quote_name(ContentChange._meta.db_table)
    scopes = (SITE, *scopes)
    marks = ", ".join(["%s"] * len(scopes))
    with connection.cursor() as cursor:  # plain SQL: on every cached page, kept cheap
        cursor.execute(
            f"SELECT scope, MAX(id), COUNT(*) FROM {table} WHERE scope IN ({marks}) GROUP BY scope",
            scopes,
        )
        found = {scope: f"{newest}.{rows}" for scope, newest, rows in cursor.fetchall()}
    return ";".join(found.get(scope, "0.0") for scope in scopes)


# What ingest writes for a new article, beyond inserting its own rows: counters of the
# people it names and of itself, and its quotations' groups (all within the scopes it
# notes). Any other update, or a delete, is noted for every page.
_NEW_ARTICLE_INSERTS = re.compile(
    r'^\s*INSERT\s+INTO\s+"?summit_(?:historical)?(?:article|paragraph|speaker|speakeralias|'
    r'entitymention|quote|claim|quotegroup|quotegroupband)"?[\s(]',
    re.IGNORECASE,
)
_NEW_ARTICLE_UPDATES = {
    "summit_speaker": {"quote_count", "mention_count", "quotation_count", "article_count"},
    "summit_article": {"quote_count", "speaker_count"},
    "summit_quote": {"group_id", "listed"},
    "summit_quotegroup": {"lead_id", "article_count", "earliest"},
}
# A person's description filled in from the new article: shown on their own page only.
_DESCRIBED = re.compile(
    r'^UPDATE "summit_speaker" SET "description" = %s WHERE "summit_speaker"."id" = %s$'
)
_UPDATE = re.compile(r'^\s*UPDATE\s+"?(\w+)"?\s+SET\s', re.IGNORECASE)
# Every column a statement assigns (and perhaps a few more: never fewer).
_ASSIGNED = re.compile(r'(?:\bSET\s+|,\s*)"?(\w+)"?\s*=', re.IGNORECASE)


def _within_new_article(sql: str) -> bool:
    if _NEW_ARTICLE_INSERTS.match(sql):
        return not re.search(r"\bDO\s+UPDATE\b", sql, re.IGNORECASE)
    update = _UPDATE.match(sql)
    allowed = _NEW_ARTICLE_UPDATES.get(update[1].lower()) if update else None
    return allowed is not None and {c.lower() for c in _ASSIGNED.findall(sql)} <= allowed


class ScopedChange:
    """The writes of one ``scoped_change`` block: whether there were any, whether one
    reached beyond a new article's, the people whose description it filled in, and the
    scopes the writer says they changed."""

    def __init__(self) -> None:
        self.wrote = False
        self.site = False
        self.described: set[int] = set()
        self.scopes: set[str] = set()

    def changed(self, *scopes: str) -> None:
        """What the block's writes changed (ingest says so once it knows)."""
        self.scopes.update(scopes)


_SCOPED = "_summit_scoped"  # connection attribute: the ScopedChange of the open block


@contextmanager
def scoped_change(using: str = "default") -> Iterator[ScopedChange]:
    """Inside an ``atomic`` block, around the writes of one new article: noted, when
    the block ends without an error, as changes of the scopes ``changed()`` was told,
    or of every page when it was told none or a write reached beyond them."""
    connection = connections[using]
    outer = getattr(connection, _SCOPED, None)
    block = ScopedChange()
    setattr(connection, _SCOPED, block)
    try:
        yield block
    finally:
        setattr(connection, _SCOPED, outer)
    if outer is not None:  # one change for them all, noted by the outer block
        outer.wrote, outer.site = outer.wrote or block.wrote, outer.site or block.site
        outer.scopes |= block.scopes
        outer.described |= block.described
    elif block.site or (block.wrote and not block.scopes):
        content_changed(using, (SITE,))
    elif block.wrote:
        from summit.models import Speaker

        described = Speaker.objects.using(using).filter(pk__in=block.described)
        slugs = described.values_list("slug", flat=True) if block.described else ()
        content_changed(using, block.scopes | {speaker_scope(slug) for slug in slugs})


@receiver(connection_created, dispatch_uid="summit-pagecache-hook")
def _hook(sender, connection, **kwargs):
    if _note_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_note_writes)


@receiver(pre_migrate, dispatch_uid="summit-pagecache-migrating")
def _pause(sender, **kwargs):
    global _migrating
    _migrating = True


@receiver(post_migrate, dispatch_uid="summit-pagecache-migrated")
def _resume(sender, using="default", **kwargs):
    """Migrations may have changed content (a data migration): one change for them all."""
    global _migrating
    _migrating = False
    from summit.models import ContentChange

    if sender.name != "summit":
        return
    if ContentChange._meta.db_table in connections[using].introspection.table_names():
        content_changed(using)


def for_every_reader(request: HttpRequest) -> bool:
    """Whether ``request`` gets the page every reader gets: a GET or HEAD by someone not
    signed in (a session cookie alone, e.g. after signing out, is still no one)."""
    return request.method in ("GET", "HEAD") and not request.user.is_authenticated


def cached_page(
    request: HttpRequest,
    name: str,
    variant: str,
    render: Callable[[], HttpResponse],
    *,
    content_type: str | None = None,
    scopes: Iterable[str] = (),
) -> HttpResponse:
    """The response of ``render()``, from the cache for a reader who is not signed in.

    ``name`` and ``variant`` say which page and which form of it (everything in the
    request the page depends on); the versions of every page and of ``scopes`` (what
    the page shows) complete the key. Only a 200
    response is cached, and only its body (HTML, or of ``content_type``): headers are
    made fresh by the middleware.
    """
    if not for_every_reader(request):
        return render()
    # The host and scheme too: a page may hold absolute addresses (a citation's permalink).
    site = f"{request.scheme}://{request.get_host()}"
    key = f"summit:page:{name}:{variant}:{site}:{content_version(*scopes)}"
    store = caches[PAGE_CACHE]
    html = store.get(key)
    if html is not None:
        return HttpResponse(html, content_type=content_type)
    response = render()
    if response.status_code == 200 and not response.streaming:
        store.set(key, response.content.decode(response.charset), PAGE_SECONDS)
    return response

"""Reader pages served from the cache, never stale: keyed by the content version.

Any insert, update or delete in Summit's tables (``summit_*``), by whatever path (the
admin, the editors' services, ingest, merges and splits, import, bulk updates, a raw
statement), is noted by a database hook as one row of ``ContentChange`` in the same
transaction. The content version is the newest of those rows and how many there are:
it changes when such a write commits, and a writer sees its own change at once. A page
cached under a version is therefore never served after the content moved on, whichever
cache backend holds it (one memory per process, a file, a database, memcached): the
old entry is simply never asked for again and ages out.

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
from collections.abc import Callable, Iterator
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

# A statement that writes a Summit table (the hook's own table excepted, and the feeds'
# bookkeeping, which no reader's page shows: polling every minute must not empty the cache).
_WRITES = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?summit_'
    r"(?!contentchange\b|feed\b|feedentry\b|requestcount\b)",
    re.IGNORECASE,
)
_migrating = False  # tables may not exist yet while migrations run


def _note_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if not _migrating and isinstance(sql, str) and _WRITES.match(sql):
        connection = context["connection"]
        if getattr(connection, _ONE_CHANGE, False) and connection.in_atomic_block:
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


def content_changed(using: str = "default") -> None:
    """Record a change to the content (the hook does this for every write)."""
    from summit.models import ContentChange

    change = ContentChange.objects.using(using).create()
    if change.pk % KEEP_CHANGES == 0:
        # Plain SQL with no transaction of its own: the write that called the hook may
        # still be in progress (an INSERT … RETURNING on SQLite), and a COMMIT then fails.
        connection = connections[using]
        table = connection.ops.quote_name(ContentChange._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id <= %s", [change.pk - KEEP_CHANGES])


def content_version(using: str = "default") -> str:
    """The version of Summit's content as this connection sees it, e.g. ``"4711.998"``."""
    from summit.models import ContentChange

    connection = connections[using]
    table = connection.ops.quote_name(ContentChange._meta.db_table)
    with connection.cursor() as cursor:  # plain SQL: on every cached page, kept cheap
        cursor.execute(f"SELECT MAX(id), COUNT(*) FROM {table}")
        newest, rows = cursor.fetchone()
    return f"{newest or 0}.{rows}"


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
) -> HttpResponse:
    """The response of ``render()``, from the cache for a reader who is not signed in.

    ``name`` and ``variant`` say which page and which form of it (everything in the
    request the page depends on); the content version completes the key. Only a 200
    response is cached, and only its body (HTML, or of ``content_type``): headers are
    made fresh by the middleware.
    """
    if not for_every_reader(request):
        return render()
    # The host and scheme too: a page may hold absolute addresses (a citation's permalink).
    site = f"{request.scheme}://{request.get_host()}"
    key = f"summit:page:{name}:{variant}:{site}:{content_version()}"
    store = caches[PAGE_CACHE]
    html = store.get(key)
    if html is not None:
        return HttpResponse(html, content_type=content_type)
    response = render()
    if response.status_code == 200 and not response.streaming:
        store.set(key, response.content.decode(response.charset), PAGE_SECONDS)
    return response

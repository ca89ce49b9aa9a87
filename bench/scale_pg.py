"""Large scale databases on PostgreSQL without Python per row: the same rows as a SQLite
scale database, or a finished one multiplied.

    DATABASE_URL=postgres://… .venv/bin/python bench/scale_pg.py from-sqlite FILE
    DATABASE_URL=postgres://… .venv/bin/python bench/scale_pg.py multiply K

``from-sqlite FILE``: every row of a finished SQLite scale database (``scale.py
generate``'s, migrated as far as the PostgreSQL one) into the migrated, empty
PostgreSQL database DATABASE_URL names: ``sqlite3``'s CSV piped into ``psql``'s COPY,
table by table, the secondary indexes, unique and foreign-key constraints dropped
during the load and made again at the end (the foreign keys checked then), the
sequences set past the ids, ANALYZE. Generated columns (the full-text ``search``) are
computed by PostgreSQL as rows arrive; ``django_migrations`` stays PostgreSQL's own. So
both databases hold the same articles, annotations, groups, counters and editors' acts.
Copy from a file nobody writes meanwhile (``sqlite3 FILE ".backup SNAPSHOT"``).

``multiply K``: K more copies of every article of the finished scale database
DATABASE_URL names, with its paragraphs, mentions, quotes, claims, their history rows
and retired quotes, by ``INSERT … SELECT`` with id offsets inside PostgreSQL. Copy k is
the whole archive k spans further into the past (published k × its span of days
earlier), each article with its own source and content hash; the people are the same
(the same speakers quoted over a longer archive). A copied quote joins its quotation's
group (the group's newest telling stays the newest, so it is not listed); each group's
article count and earliest tellings are recomputed as ``quotations_rebuild`` does, and
every counter recounted (``counts_recompute``): the result is what ``scale.py finish``
makes of the same rows, without regrouping every quote. Aliases, merges, tombstones and
the made-up rare words are not multiplied (each rare word is then in K + 1 articles).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
STARTED = time.perf_counter()
ANNOTATIONS = ["summit_entitymention", "summit_quote", "summit_claim"]
BASE = ["summit_article", "summit_paragraph", *ANNOTATIONS]
HISTORY = {f"summit_historical{t.removeprefix('summit_')}": t for t in ANNOTATIONS}


def log(message: str) -> None:
    print(f"{time.perf_counter() - STARTED:6.0f} s  {message}", file=sys.stderr, flush=True)


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def columns(cursor, table: str) -> list[str]:
    """The columns rows are written to (generated ones are computed by PostgreSQL)."""
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
        "AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
        [table],
    )
    return [r[0] for r in cursor.fetchall()]


class Unindexed:
    """Drops the secondary indexes and the unique and foreign-key constraints of
    ``tables`` (and those pointing at them) for a bulk load; ``restore`` makes them again,
    the foreign keys checked once over the loaded rows."""

    def __init__(self, cursor, tables: list[str]):
        self.cursor = cursor
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE connamespace = 'public'::regnamespace "
            "AND contype IN ('f', 'u') AND (conrelid::regclass::text = ANY(%s) "
            "OR confrelid::regclass::text = ANY(%s)) ORDER BY contype DESC, conname",
            [tables, tables],
        )
        self.constraints = cursor.fetchall()  # unique ones first: foreign keys may need them
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i LEFT JOIN pg_constraint c "
            "ON c.conname = i.indexname AND c.connamespace = 'public'::regnamespace "
            "WHERE i.schemaname = 'public' AND c.conname IS NULL AND i.tablename = ANY(%s)",
            [tables],
        )
        self.indexes = cursor.fetchall()
        for table, name, _ in reversed(self.constraints):
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {q(name)}")
        for name, _ in self.indexes:
            cursor.execute(f"DROP INDEX {q(name)}")
        log(f"{len(self.constraints)} constraints and {len(self.indexes)} indexes dropped")

    def restore(self) -> None:
        self.cursor.execute("SET maintenance_work_mem = '512MB'")
        for name, sql in self.indexes:
            started = time.perf_counter()
            self.cursor.execute(sql)
            log(f"  index {name} ({time.perf_counter() - started:.0f} s)")
        for table, name, definition in self.constraints:
            started = time.perf_counter()
            self.cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {q(name)} {definition}")
            log(f"  constraint {name} ({time.perf_counter() - started:.0f} s)")


def sequences_reset(cursor, tables: list[str]) -> None:
    """Every identity column's sequence past its table's highest value."""
    cursor.execute(
        "SELECT c.relname, a.attname, pg_get_serial_sequence(quote_ident(c.relname), a.attname) "
        "FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
        "WHERE c.relname = ANY(%s) AND c.relkind = 'r' AND a.attnum > 0 "
        "AND NOT a.attisdropped AND a.attidentity <> ''",
        [tables],
    )
    for table, column, sequence in cursor.fetchall():
        cursor.execute(
            f"SELECT setval(%s, COALESCE(MAX({q(column)}), 1), MAX({q(column)}) IS NOT NULL) "
            f"FROM {q(table)}",
            [sequence],
        )


def connect(url: str):
    import psycopg

    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(f"DATABASE_URL must name a PostgreSQL database, not {url!r}")
    connection = psycopg.connect(url, autocommit=True)
    cursor = connection.cursor()
    cursor.execute("SET synchronous_commit = off")
    return cursor


# from-sqlite --------------------------------------------------------------------------


def from_sqlite(url: str, path: str) -> None:
    def sqlite(sql: str) -> list[list[str]]:
        run = subprocess.run(
            ["sqlite3", "-readonly", path, sql], capture_output=True, text=True, check=True
        )
        return [line.split("|") for line in run.stdout.splitlines()]

    if not Path(path).is_file():
        raise SystemExit(f"no SQLite file at {path}")
    cursor = connect(url)
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
        "AND tablename <> 'django_migrations' ORDER BY tablename"
    )
    tables = [r[0] for r in cursor.fetchall()]
    cursor.execute("SELECT COUNT(*) FROM summit_article")
    if cursor.fetchone()[0]:
        raise SystemExit("the PostgreSQL database already has articles: give an empty one")
    in_sqlite = {r[0] for r in sqlite("SELECT name FROM sqlite_master WHERE type = 'table'")}
    wanted = {}
    for table in tables:
        cols = columns(cursor, table)
        have = {r[1] for r in sqlite(f"PRAGMA table_info({q(table)})")}
        missing = set(cols) - have if table in in_sqlite else {"(the table)"}
        if missing:
            raise SystemExit(
                f"{table}: {', '.join(sorted(missing))} not in {path}: migrate both databases "
                "to the same migration first"
            )
        wanted[table] = cols
    unindexed = Unindexed(cursor, tables)
    cursor.execute("TRUNCATE " + ", ".join(q(t) for t in tables))  # what migrate wrote
    for table in tables:
        listed = ", ".join(q(c) for c in wanted[table])
        started = time.perf_counter()
        producer = subprocess.Popen(
            ["sqlite3", "-readonly", "-csv", "-nullvalue", "\\N", path]
            + [f"SELECT {listed} FROM {q(table)}"],
            stdout=subprocess.PIPE,
        )
        copy = subprocess.run(
            ["psql", url, "-v", "ON_ERROR_STOP=1", "-qAt", "-c"]
            + [f"\\copy {q(table)} ({listed}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"],
            stdin=producer.stdout,
            capture_output=True,
            text=True,
            env=dict(os.environ, PGTZ="UTC"),  # SQLite's times are UTC without a zone
        )
        producer.stdout.close()
        if producer.wait() or copy.returncode:
            raise SystemExit(f"{table}: the copy failed: {copy.stderr.strip()}")
        cursor.execute(f"SELECT COUNT(*) FROM {q(table)}")
        rows = cursor.fetchone()[0]
        if rows:
            log(f"{table}: {rows:,} rows ({time.perf_counter() - started:.0f} s)")
    unindexed.restore()
    sequences_reset(cursor, tables)
    log("analysing")
    cursor.execute("ANALYZE")


# multiply -----------------------------------------------------------------------------


def multiply(url: str, k_copies: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "summit.settings")
    import django

    django.setup()  # for the app's own recount and group rules
    cursor = connect(url)
    cursor.execute("SET work_mem = '256MB'")
    top = {}
    for table in BASE:
        cursor.execute(f"SELECT MAX(id) FROM {table}")
        top[table] = cursor.fetchone()[0] or 0
    if not top["summit_article"]:
        raise SystemExit("no articles to multiply")
    cursor.execute("SELECT COUNT(*), MAX(published) - MIN(published) + 1 FROM summit_article")
    articles, days = cursor.fetchone()
    log(f"{articles:,} articles over {days} days, {k_copies} more copies")
    tables = [*BASE, *HISTORY, "summit_retiredquote"]

    def value(table: str, column: str, k: int) -> str:
        """What copy ``k`` writes in ``column``: ids moved past the original's."""
        own = HISTORY.get(table, table)
        moved = {
            "article_id": "summit_article",
            "copy_of_id": "summit_article",
            "paragraph_id": "summit_paragraph",
            "end_paragraph_id": "summit_paragraph",
        }
        if column == "id" and own in top:
            return f"id + {k * top[own]}"
        if column in moved:
            return f"{column} + {k * top[moved[column]]}"
        if table == "summit_retiredquote" and column == "quote_id":
            return f"quote_id + {k * top['summit_quote']}"
        new_id = f"(id + {k * top['summit_article']})"
        article = {
            "published": f"published - {k * days}",
            "created": f"created - interval '{k * articles} seconds'",
            "updated": f"updated - interval '{k * articles} seconds'",
            "source": f"'scale://' || {new_id} || '/' || source_file",
            "content_hash": f"lpad(to_hex({new_id}), 64, '0')",
        }
        if table == "summit_article" and column in article:
            return article[column]
        if table == "summit_quote" and column == "listed":
            return "group_id IS NULL"  # each group's newest telling is the original's
        return q(column)

    unindexed = Unindexed(cursor, tables)
    for k in range(1, k_copies + 1):
        for table in tables:
            cols = [c for c in columns(cursor, table) if c != "history_id"]
            if table == "summit_retiredquote":
                cols.remove("id")
                original = f"quote_id <= {top['summit_quote']}"
            else:  # a history row's id is its annotation's
                original = f"id <= {top[HISTORY.get(table, table)]}"
            started = time.perf_counter()
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(q(c) for c in cols)}) "
                f"SELECT {', '.join(value(table, c, k) for c in cols)} "
                f"FROM {table} WHERE {original}"
            )
            took = time.perf_counter() - started
            log(f"copy {k}: {table} {cursor.rowcount:,} rows ({took:.0f} s)")
    unindexed.restore()
    sequences_reset(cursor, tables)
    groups_refresh_all(cursor)
    log("recounting")
    from django.db import transaction

    from summit.services.counters import counts_recompute

    with transaction.atomic():
        counts_recompute()
    log("analysing")
    cursor.execute("ANALYZE")


def groups_refresh_all(cursor) -> None:
    """Every group's article count and earliest tellings from its members ranked newest
    first, as ``quotations._members_set`` sets them; checks that each group's listed
    telling is its newest."""
    from summit.services.quotations import EARLIEST

    log("groups: article counts and earliest tellings")
    order = "a.published DESC NULLS LAST, a.created DESC, a.id DESC, q.id DESC"
    cursor.execute(
        "CREATE TEMPORARY TABLE scale_rank AS SELECT q.id AS quote_id, q.group_id, "
        f"q.article_id, ROW_NUMBER() OVER (PARTITION BY q.group_id ORDER BY {order}) AS rn, "
        "CASE WHEN a.published IS NULL THEN 1 ELSE 0 END AS undated FROM summit_quote q "
        "JOIN summit_article a ON a.id = q.article_id WHERE q.group_id IS NOT NULL"
    )
    cursor.execute("CREATE INDEX ON scale_rank (group_id, rn)")
    cursor.execute("ANALYZE scale_rank")
    cursor.execute(
        "SELECT COUNT(*) FROM scale_rank r JOIN summit_quote q ON q.id = r.quote_id "
        "WHERE q.listed <> (r.rn = 1)"
    )
    if wrong := cursor.fetchone()[0]:
        raise SystemExit(f"{wrong} quotes listed against their group's order: run scale.py finish")
    cursor.execute(
        "UPDATE summit_quotegroup g SET article_count = x.n FROM (SELECT group_id, "
        "COUNT(DISTINCT article_id) AS n FROM scale_rank GROUP BY group_id) x "
        "WHERE g.id = x.group_id"
    )
    cursor.execute(
        "UPDATE summit_quotegroup g SET earliest = x.ids FROM (SELECT group_id, "
        "jsonb_agg(quote_id ORDER BY e) AS ids FROM (SELECT group_id, quote_id, "
        "ROW_NUMBER() OVER (PARTITION BY group_id ORDER BY undated, rn DESC) AS e "
        "FROM scale_rank WHERE rn > 1) y WHERE e <= %s GROUP BY group_id) x "
        "WHERE g.id = x.group_id",
        [EARLIEST],
    )
    cursor.execute("DROP TABLE scale_rank")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    copy = sub.add_parser("from-sqlite", help="Copy a SQLite scale database's rows in.")
    copy.add_argument("file", help="the SQLite file (a snapshot nobody writes)")
    more = sub.add_parser("multiply", help="Add K copies of every article, older.")
    more.add_argument("copies", type=int, metavar="K")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if args.command == "from-sqlite":
        from_sqlite(url, args.file)
    elif args.copies < 1:
        raise SystemExit("K must be 1 or more")
    else:
        multiply(url, args.copies)
    log("done")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

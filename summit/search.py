"""Full-text search: the index each database keeps, and how a reader's words query it.

PostgreSQL: ``summit_paragraph.search`` and ``summit_article.search`` are stored
generated ``tsvector`` columns (English stemming) with GIN indexes; queries are
``websearch_to_tsquery`` (words, "a phrase", or, -not), ranked with ``ts_rank`` and
highlighted with ``ts_headline`` (Django's SearchRank / SearchHeadline).

SQLite: ``summit_paragraph_fts`` and ``summit_article_fts`` are FTS5 tables (Porter
stemming) over the paragraph texts and article titles, external-content tables kept in
step by triggers; highlighted with ``snippet`` and ranked by BM25 computed over the
candidates (``fts5_hits`` says why not FTS5's own ``bm25()``).

Both are created by migration 0008, each on its own database only. Searches read at most
``SEARCH_CANDIDATES`` matching rows, the most recently stored first, so a word found
in every article costs the same as a rare one.

Finding the newest matches is direct in FTS5 (its lists are in rowid order). A GIN
index has no order: asked for the newest matches of a common word, it lists hundreds
of thousands of rows to sort; walking the rows newest first instead reads a few
hundred for "said" but most of the table for a rare word. So ``matching_sql`` on
PostgreSQL is one statement in three parts, each run only when the one before it
found too few: the newest ``RECENT_ROWS`` rows, walked newest first; then, for a word
that was frequent among them (``FREQUENT_HITS`` or more matches), the walk goes on;
for a rarer word, the GIN index lists its older rows, a few thousand at most, and
those are sorted. A word absent from the newest rows but in very many older ones is
the one slow case (the index lists them all).
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SEARCH_CANDIDATES = 200
# PostgreSQL: the newest rows walked first, and the matches among them that make a word
# frequent enough to keep walking (1 row in 250) rather than ask the GIN index.
RECENT_ROWS = 5_000
FREQUENT_HITS = 20
# Snippets carry these around each match; ``snippet_html`` makes them <mark>.
MARK_START, MARK_END = "\x02", "\x03"
_ELLIPSIS = "…"
_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)
_MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_END}]*){MARK_END}")


def fts5_query(text: str) -> str:
    """A reader's words as an FTS5 query: every word (or "quoted phrase") must be
    there; FTS5's own syntax (NEAR, OR, *, column filters) is taken as plain words."""
    parts = []
    for phrase, word in _TOKEN.findall(text):
        words = _WORD.findall(phrase or word)
        if words:
            parts.append('"' + " ".join(words) + '"')
    return " ".join(parts)


def snippet_html(snippet: str | None) -> SafeString:
    """A snippet from the database as HTML: escaped, its matches in <mark>. The text
    itself may hold the marker characters (ingest keeps control characters as text):
    only a start and an end with nothing of either between make a <mark>, and strays go,
    so the markup is always whole."""
    html = _MARKED.sub(r"<mark>\1</mark>", escape(snippet or ""))
    return mark_safe(html.replace(MARK_START, "").replace(MARK_END, ""))


def marked_words(snippet: str | None) -> list[str]:
    """The words the index marked in ``snippet`` (as they stand in the text: "talking"
    for a search for "talks"), each once."""
    return list(dict.fromkeys(m.strip() for m in _MARKED.findall(snippet or "") if m.strip()))


# Migration SQL ------------------------------------------------------------------------

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE summit_paragraph_fts USING fts5("
    "text, content='summit_paragraph', content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER summit_paragraph_fts_insert AFTER INSERT ON summit_paragraph BEGIN "
    "INSERT INTO summit_paragraph_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER summit_paragraph_fts_delete AFTER DELETE ON summit_paragraph BEGIN "
    "INSERT INTO summit_paragraph_fts(summit_paragraph_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER summit_paragraph_fts_update AFTER UPDATE OF text ON summit_paragraph BEGIN "
    "INSERT INTO summit_paragraph_fts(summit_paragraph_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); "
    "INSERT INTO summit_paragraph_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO summit_paragraph_fts(summit_paragraph_fts) VALUES ('rebuild')",
    "CREATE VIRTUAL TABLE summit_article_fts USING fts5("
    "title, content='summit_article', content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER summit_article_fts_insert AFTER INSERT ON summit_article BEGIN "
    "INSERT INTO summit_article_fts(rowid, title) VALUES (new.id, new.title); END",
    "CREATE TRIGGER summit_article_fts_delete AFTER DELETE ON summit_article BEGIN "
    "INSERT INTO summit_article_fts(summit_article_fts, rowid, title) "
    "VALUES ('delete', old.id, old.title); END",
    "CREATE TRIGGER summit_article_fts_update AFTER UPDATE OF title ON summit_article BEGIN "
    "INSERT INTO summit_article_fts(summit_article_fts, rowid, title) "
    "VALUES ('delete', old.id, old.title); "
    "INSERT INTO summit_article_fts(rowid, title) VALUES (new.id, new.title); END",
    "INSERT INTO summit_article_fts(summit_article_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER summit_paragraph_fts_insert",
    "DROP TRIGGER summit_paragraph_fts_delete",
    "DROP TRIGGER summit_paragraph_fts_update",
    "DROP TABLE summit_paragraph_fts",
    "DROP TRIGGER summit_article_fts_insert",
    "DROP TRIGGER summit_article_fts_delete",
    "DROP TRIGGER summit_article_fts_update",
    "DROP TABLE summit_article_fts",
]
POSTGRES_CREATE = [
    "ALTER TABLE summit_paragraph ADD COLUMN search tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED",
    "CREATE INDEX summit_paragraph_search ON summit_paragraph USING GIN (search)",
    "ALTER TABLE summit_article ADD COLUMN search tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, title)) STORED",
    "CREATE INDEX summit_article_search ON summit_article USING GIN (search)",
]
POSTGRES_DROP = [
    "ALTER TABLE summit_paragraph DROP COLUMN search",
    "ALTER TABLE summit_article DROP COLUMN search",
]


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}.get(vendor, []):
        schema_editor.execute(sql)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(sql)


# Queries ------------------------------------------------------------------------------


def matching_sql(vendor: str, table: str, query: str, candidates: int) -> tuple[str, list]:
    """SQL selecting the ids of the ``candidates`` newest rows of ``table``
    (summit_paragraph or summit_article) whose text (title) matches ``query``."""
    if vendor == "postgresql":
        # The planner's guess at how many rows match (a phrase's above all) is too
        # rough to choose between the walk and the index, so the query chooses: the
        # walks test each row (COALESCE keeps the GIN index out of them), the last
        # part asks the index alone. See the module's docstring.
        matches = f"{table}.search @@ websearch_to_tsquery('english', %s)"
        walked = f"COALESCE({table}.search, ''::tsvector) @@ websearch_to_tsquery('english', %s)"
        top = f"(SELECT max(id) FROM {table})"
        sql = (
            f"SELECT id FROM (WITH recent AS MATERIALIZED (SELECT id FROM {table} "
            f"WHERE id > {top} - %s AND {walked} ORDER BY id DESC LIMIT %s) "
            "SELECT id FROM recent "
            # A frequent word: walk on, newest first.
            f"UNION ALL (SELECT id FROM {table} WHERE id <= {top} - %s AND {walked} "
            "AND (SELECT count(*) FROM recent) >= %s ORDER BY id DESC LIMIT %s) "
            # A rare one: the GIN index lists its rows (OFFSET 0 keeps the walk out).
            f"UNION ALL (SELECT id FROM (SELECT id FROM {table} WHERE {matches} "
            "AND (SELECT count(*) FROM recent) < %s OFFSET 0) older "
            f"WHERE id <= {top} - %s ORDER BY id DESC LIMIT %s) "
            "LIMIT %s) newest",
        )[0]
        params = [RECENT_ROWS, query, candidates]
        params += [RECENT_ROWS, query, FREQUENT_HITS, candidates]
        params += [query, FREQUENT_HITS, RECENT_ROWS, candidates, candidates]
        return sql, params
    return (
        f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s ORDER BY rowid DESC LIMIT %s",
        [fts5_query(query), candidates],
    )


def has_words(query: str) -> bool:
    return bool(fts5_query(query))


def words(query: str) -> list[str]:
    """The words of ``query``, each once."""
    return list(dict.fromkeys(_WORD.findall(query)))


def fts5_hits(
    connection, query: str, candidates: int, among: list[int] | None = None
) -> list[tuple[int, float, str]]:
    """SQLite: (paragraph id, rank, snippet) of the ``candidates`` newest matches (of
    those in ``among``, when given).

    Ranked here rather than by FTS5's ``bm25()``: to weigh each word, ``bm25()`` counts
    every row that holds it, reading the whole list of a common word (tens of
    milliseconds for "said" in two million paragraphs, whatever the LIMIT). The
    candidates are ranked by BM25 with the query's words weighed alike
    (``bm25_score``): the matches FTS5 marks in each, against its length."""
    if among is not None and not among:
        return []
    # The ids as a range FTS5 reads in one pass, and as a list SQLite tests each row of
    # that range against (``+rowid``: kept from FTS5, which looks each id of a list up
    # in the word's whole index, about a millisecond each for a common word).
    within = (
        ""
        if among is None
        else f"AND rowid >= %s AND rowid <= %s AND +rowid IN ({', '.join('%s' for _ in among)}) "
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, highlight(summit_paragraph_fts, 0, %s, %s), "
            "snippet(summit_paragraph_fts, 0, %s, %s, %s, 24) FROM summit_paragraph_fts "
            f"WHERE summit_paragraph_fts MATCH %s {within}ORDER BY rowid DESC LIMIT %s",
            [MARK_START, MARK_END, MARK_START, MARK_END, _ELLIPSIS, fts5_query(query)]
            + ([min(int(pk) for pk in among), max(int(pk) for pk in among)] if among else [])
            + [int(pk) for pk in among or ()]
            + [candidates],
        )
        rows = cursor.fetchall()
    lengths = [len(_WORD.findall(marked or "")) for _, marked, _ in rows]
    average = sum(lengths) / len(lengths) if lengths else 1.0
    return [
        (pk, bm25_score((marked or "").count(MARK_START), length, average), snippet)
        for (pk, marked, snippet), length in zip(rows, lengths, strict=True)
    ]


# Okapi BM25's usual constants: how soon more matches stop counting, and how much a
# longer paragraph's matches are discounted.
BM25_K1 = 1.2
BM25_B = 0.75


def bm25_score(matches: int, length: int, average_length: float) -> float:
    """BM25's weight of ``matches`` in a text of ``length`` words (all words alike)."""
    norm = BM25_K1 * (1 - BM25_B + BM25_B * length / max(average_length, 1.0))
    return matches * (BM25_K1 + 1) / (matches + norm) if matches else 0.0


# Speakers' names, by any part ---------------------------------------------------------
#
# A name is found by any run of its letters, spaces left out ("usnational" is in "u s
# national security"): on PostgreSQL through a trigram index on that squeezed key, on
# SQLite through an FTS5 trigram table of it (kept by triggers). Three letters at least.

SPEAKER_SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE summit_speaker_trigrams USING fts5(key, content='', tokenize='trigram')",
    "CREATE TRIGGER summit_speaker_trigrams_insert AFTER INSERT ON summit_speaker BEGIN "
    "INSERT INTO summit_speaker_trigrams(rowid, key) "
    "VALUES (new.id, replace(new.name_key, ' ', '')); END",
    "CREATE TRIGGER summit_speaker_trigrams_delete AFTER DELETE ON summit_speaker BEGIN "
    "INSERT INTO summit_speaker_trigrams(summit_speaker_trigrams, rowid, key) "
    "VALUES ('delete', old.id, replace(old.name_key, ' ', '')); END",
    "CREATE TRIGGER summit_speaker_trigrams_update AFTER UPDATE OF name_key ON summit_speaker "
    "BEGIN INSERT INTO summit_speaker_trigrams(summit_speaker_trigrams, rowid, key) "
    "VALUES ('delete', old.id, replace(old.name_key, ' ', '')); "
    "INSERT INTO summit_speaker_trigrams(rowid, key) "
    "VALUES (new.id, replace(new.name_key, ' ', '')); END",
    "INSERT INTO summit_speaker_trigrams(rowid, key) "
    "SELECT id, replace(name_key, ' ', '') FROM summit_speaker",
]
SPEAKER_SQLITE_DROP = [
    "DROP TRIGGER summit_speaker_trigrams_insert",
    "DROP TRIGGER summit_speaker_trigrams_delete",
    "DROP TRIGGER summit_speaker_trigrams_update",
    "DROP TABLE summit_speaker_trigrams",
]
SPEAKER_POSTGRES_CREATE = [
    "CREATE INDEX speaker_squeezed_trigrams ON summit_speaker "
    "USING GIN ((replace(name_key, ' ', '')) gin_trgm_ops)",
]
SPEAKER_POSTGRES_DROP = ["DROP INDEX speaker_squeezed_trigrams"]
SPEAKER_MIN_LETTERS = 3


def create_speaker_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SPEAKER_SQLITE_CREATE, "postgresql": SPEAKER_POSTGRES_CREATE}
    for sql in statements.get(vendor, []):
        schema_editor.execute(sql)


def drop_speaker_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SPEAKER_SQLITE_DROP, "postgresql": SPEAKER_POSTGRES_DROP}
    for sql in statements.get(vendor, []):
        schema_editor.execute(sql)


def speakers_containing_sql(vendor: str, squeezed: str) -> tuple[str, list]:
    """SQL for the ids of the speakers whose name key, spaces left out, contains
    ``squeezed`` (itself a name key without spaces, ``SPEAKER_MIN_LETTERS`` or more),
    read through the index."""
    if vendor == "sqlite":
        phrase = '"' + squeezed.replace('"', '""') + '"'
        return "SELECT rowid FROM summit_speaker_trigrams WHERE key MATCH %s", [phrase]
    pattern = "%" + squeezed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return "SELECT id FROM summit_speaker WHERE replace(name_key, ' ', '') LIKE %s", [pattern]

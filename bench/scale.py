"""A newsroom-sized database, and how fast every reader and admin page answers in it.

    .venv/bin/python bench/scale.py generate --articles 100000 [--source FOLDER]
    .venv/bin/python bench/scale.py finish
    .venv/bin/python bench/scale.py measure [--runs 5] [--timeout 30] [--explain DIR]

``generate`` fills the database that DATABASE_URL names (SQLite by default) with copies
of really ingested articles: FOLDER (default: the 84 PolNeAR dev articles, else seeds/)
is ingested once through the real pipeline into a scratch SQLite file and kept as a
template (a JSON file beside the scratch database, reused next time); then N articles
are bulk-inserted from it, no spaCy: paragraphs, mentions, quotes and claims exactly as
ingested, each copy with its own date. People frequent in the template (named in five
or more of its articles) stay one speaker throughout, so a few speakers gather 10,000+
quotes (``--frequent`` sets how many articles make a person frequent: the share of the
quotes the busiest speakers get); the others are spread over variants ("Jane Doe 17") to
about ``--speakers`` speakers in all, with a long tail; in each article a person is one
speaker. Quotes keep their template's rule, resolution path and confidence. Then what a
newsroom leaves (``Newsroom``; ``--verified``, ``--rejected``, ``--edited``,
``--aliases``, ``--merges``, ``--deletions``, ``--speaker-deletions``): editors'
verdicts with their history rows, aliases, merges and tombstones; ``--rare-every``
articles close with a made-up word no other has, and ``--old-speakers`` people are
quoted only in the oldest articles. At the end, ``finish`` groups
every quote into quotations and recounts every counter, set-based (as ``manage.py
recount --quotations``); run it alone (``scale.py finish``) on a database whose
generation stopped before its end.

``measure`` requests every page a reader or an editor opens with Django's test client,
in-process (server time: view, queries, templates; no network), once to warm up and
then ``--runs`` times, and prints the median and the number of SQL queries of each. A
page slower than ``--timeout`` seconds is stopped and reported as "> N s".
``--explain DIR`` writes each page's SQL with its plan (``EXPLAIN QUERY PLAN`` on
SQLite, ``EXPLAIN`` on PostgreSQL) into DIR, the slowest query first.

On 2 shared cores the milliseconds are noisy: compare ratios and plans.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POLNEAR = ROOT.parent / "shared" / "eval" / "polnear-dev" / "articles"
FREQUENT = 5  # template articles a person must be named in to stay one speaker
CHUNK = 1000  # articles a transaction
# A quote's own fields, as the template keeps them and the copies are inserted: the
# attribution's rule, path and confidence as ingested.
QUOTE_FIELDS = ("end_paragraph_id", "kind", "speaker_id", "speaker_text", "cue")
QUOTE_FIELDS += ("sieve", "via", "confidence")


# Template: real ingested articles as plain data ---------------------------------------


def template_from_db() -> dict:
    """Every article in the current database, with its annotations and speakers, as
    plain data (ids are the database's; ``generate_from`` renumbers them)."""
    from summit.models import Article, Claim, EntityMention, Paragraph, Quote, Speaker

    def rows(model, *fields):
        return [dict(zip(fields, r, strict=True)) for r in model.objects.values_list(*fields)]

    annotation = ("id", "article_id", "paragraph_id", "start", "end", "text", "status")
    articles = rows(Article, "id", "title", "byline", "outlet", "kind", "source_file", "pipeline")
    return {
        "articles": articles,
        "paragraphs": rows(Paragraph, "id", "article_id", "index", "kind", "text"),
        "speakers": rows(Speaker, "id", "name", "name_key", "kind", "description"),
        "mentions": rows(EntityMention, *annotation, "label", "speaker_id"),
        "quotes": rows(Quote, *annotation, *QUOTE_FIELDS),
        "claims": rows(Claim, *annotation, "kind", "holder_id", "highlighted"),
    }


def _template(source: str) -> dict:
    """The template for ``source``, ingesting it (in a child process, into a scratch
    SQLite database) the first time."""
    cache = Path(tempfile.gettempdir()) / "summit-scale"
    cache.mkdir(exist_ok=True)
    key = hashlib.sha1(str(Path(source).resolve()).encode()).hexdigest()[:10]
    # v2: quotes carry their sieve, via and confidence (a v1 template is ingested again).
    path = cache / f"template-v2-{Path(source).name}-{key}.json"
    if not path.exists():
        print(f"ingesting {source} once for the template (spaCy)…", file=sys.stderr)
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{cache}/template-{key}.sqlite3")
        subprocess.run(
            [sys.executable, __file__, "_template", source, str(path)], env=env, check=True
        )
    return json.loads(path.read_text())


def _write_template(source: str, out: str) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("ingest", source, "--no-progress", verbosity=0)
    Path(out).write_text(json.dumps(template_from_db()))


# Generation --------------------------------------------------------------------------


class _Writer:
    """Inserts rows with explicit ids, in bulk (COPY on PostgreSQL)."""

    def __init__(self, connection):
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"

    def columns(self, model, values: dict) -> list[str]:
        return [f.column for f in model._meta.concrete_fields if f.attname in values]

    def insert(self, model, fields: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        # Columns not given take their field's default (counters, flags added later).
        extra = [
            f
            for f in model._meta.concrete_fields
            if f.column not in fields and not f.null and f.get_default() is not None
        ]
        if extra:
            defaults = tuple(f.get_db_prep_save(f.get_default(), self.connection) for f in extra)
            fields = [*fields, *(f.column for f in extra)]
            rows = [row + defaults for row in rows]
        table = model._meta.db_table
        quoted = ", ".join(self.connection.ops.quote_name(c) for c in fields)
        with self.connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(fields))
                cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", rows)

    def drop_indexes(self, models) -> list[str]:
        """Drop the secondary indexes of ``models``' tables (rebuilt once at the end is
        far cheaper than kept up to date row by row); returns how to make them again."""
        tables = [m._meta.db_table for m in models]
        with self.connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT i.indexname, i.indexdef FROM pg_indexes i "
                    "LEFT JOIN pg_constraint c ON c.conname = i.indexname "
                    "WHERE i.tablename = ANY(%s) AND c.conname IS NULL",
                    [tables],
                )
            else:
                marks = ", ".join(["%s"] * len(tables))
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                    f"AND sql IS NOT NULL AND tbl_name IN ({marks})",
                    tables,
                )
            found = cursor.fetchall()
            for name, _ in found:
                cursor.execute(f"DROP INDEX {self.connection.ops.quote_name(name)}")
        return [sql for _, sql in found]

    def create_indexes(self, statements: list[str]) -> None:
        with self.connection.cursor() as cursor:
            if self.postgres:
                # Inside a transaction (a test's), deferred foreign-key checks are still
                # pending, and PostgreSQL refuses to index a table with pending trigger
                # events: run the checks now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for sql in statements:
                cursor.execute(sql)

    def fast(self) -> None:
        """Bulk-load settings for this connection (SQLite: a big cache, no fsync)."""
        if self.connection.in_atomic_block:
            return  # inside a test's transaction: settings cannot change there
        with self.connection.cursor() as cursor:
            if self.postgres:
                cursor.execute("SET synchronous_commit = off")
                cursor.execute("SET maintenance_work_mem = '512MB'")
            else:
                cursor.execute("PRAGMA cache_size = -1000000")
                cursor.execute("PRAGMA synchronous = OFF")
                cursor.execute("PRAGMA temp_store = MEMORY")

    def next_id(self, model) -> int:
        from django.db.models import Max

        return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def reset_sequences(self, models) -> None:
        if not self.postgres:
            return
        from django.core.management.color import no_style

        with self.connection.cursor() as cursor:
            for sql in self.connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


@dataclass(frozen=True)
class Newsroom:
    """What editors did to the machine's annotations, and who is quoted when: the shares
    ``generate`` gives a database so that plans meet the data a working newsroom has
    (``generate --help`` names each option)."""

    verified: float = 0.03  # of the quotes and of the mentions: marked verified
    rejected: float = 0.01  # marked rejected
    edited: float = 0.01  # their speaker removed by an editor (quotes) or unlinked (mentions)
    aliases: float = 0.02  # of the people: given an alias (an initial and the surname)
    merges: float = 1.0  # a speaker merged into another, per 1,000 articles
    deletions: float = 2.0  # a machine annotation deleted (a tombstone), per 1,000 articles
    speaker_deletions: float = 0.5  # a speaker deleted (its names' tombstones), per 1,000
    rare_every: int = 20  # one article in this many has a word found in no other
    old_speakers: float = 0.05  # of the template's quoted people: only in the oldest articles
    old_span: float = 0.1  # the oldest share of the articles, for them


NEWSROOM = Newsroom()
_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


def rare_word(n: int) -> str:
    """A made-up word, one for each ``n`` ("zy" and four syllables): found only where it
    was put."""
    word = "zy"
    for _ in range(4):
        n, rest = divmod(n, len(_SYLLABLES))
        word += _SYLLABLES[rest]
    return word


def _speaker_plan(
    template: dict,
    copies: int,
    target: int,
    rng: random.Random,
    frequent_in: int = FREQUENT,
    old_share: float = 0.0,
):
    """How each template speaker maps to generated speakers: (frequent ids, variants,
    old ids: the people quoted only in the oldest articles)."""
    named_in = defaultdict(set)
    for kind in ("mentions", "quotes"):
        for row in template[kind]:
            if row["speaker_id"]:
                named_in[row["speaker_id"]].add(row["article_id"])
    for row in template["claims"]:
        if row["holder_id"]:
            named_in[row["holder_id"]].add(row["article_id"])
    frequent = {s for s, arts in named_in.items() if len(arts) >= frequent_in}
    rare = [s["id"] for s in template["speakers"] if s["id"] not in frequent]
    variants = max(1, min(copies, (target - len(frequent)) // max(1, len(rare))))
    # Every n-th of the quoted people, most quoted first, the most quoted one excepted
    # (the busiest person stays the busiest): the second busiest among them, so that
    # a busy speaker's quotes are all old.
    quoted = Counter(q["speaker_id"] for q in template["quotes"] if q["speaker_id"])
    ranked = sorted(quoted, key=lambda s: (-quoted[s], s))[1:]
    step = round(1 / old_share) if old_share > 0 else 0
    old = set(ranked[::step]) if step else set()
    return frequent, variants, old


def generate_from(
    template: dict,
    articles: int,
    *,
    speakers: int,
    seed: int = 1,
    frequent: int = FREQUENT,
    newsroom: Newsroom = NEWSROOM,
) -> dict:
    """Insert ``articles`` copies of the template's articles; returns what was made.
    ``frequent``: template articles a person must be named in to stay one speaker in
    every copy (the share of the quotes the busiest speakers get: 1 keeps every person
    one speaker, so each gathers all the copies of their quotes; a large number spreads
    everyone over ``speakers`` variants). In each article a person is one speaker.
    ``newsroom``: what editors did, and who is quoted only long ago (``Newsroom``)."""
    from django.db import connection, transaction

    from summit.models import Article, Claim, EntityMention, Paragraph, Quote, Speaker

    rng = random.Random(seed)
    writer = _Writer(connection)
    tarts = template["articles"]
    copies = -(-articles // len(tarts))
    frequent, variants, old = _speaker_plan(
        template, copies, speakers, rng, frequent, newsroom.old_speakers
    )
    # Articles before this one are the newer ones (the first made is today's).
    newer_than = articles - round(articles * newsroom.old_span)
    paras_of = defaultdict(list)
    for p in template["paragraphs"]:
        paras_of[p["article_id"]].append(p)
    last_body = {}
    for p in template["paragraphs"]:
        if p["kind"] == "body" and p["index"] >= last_body.get(p["article_id"], (-1,))[0]:
            last_body[p["article_id"]] = (p["index"], p["id"])
    annotations_of = {kind: defaultdict(list) for kind in ("mentions", "quotes", "claims")}
    for kind, by_article in annotations_of.items():
        for row in template[kind]:
            by_article[row["article_id"]].append(row)
    tspeakers = {s["id"]: s for s in template["speakers"]}

    now = datetime.datetime.now(datetime.UTC)
    today = now.date()
    ids = {m: writer.next_id(m) for m in (Article, Paragraph, Speaker, EntityMention, Quote, Claim)}
    first_ids = dict(ids)
    speaker_ids: dict[tuple[int, int], int] = {}
    existing_slugs = set(Speaker.objects.values_list("slug", flat=True))
    made = Counter()

    def speaker_for(tid: int | None, n: int, chosen: dict[int, int]) -> int | None:
        """The speaker template person ``tid`` is in article ``n``: one per article."""
        if tid is None:
            return None
        if tid in chosen:
            return chosen[tid]
        # Skewed: low variants are used far more often than high ones.
        variant = 0 if tid in frequent or variants == 1 else int(variants * rng.random() ** 3)
        if tid in old and n < newer_than:
            variant += variants + 1  # another of that name in the newer articles
        key = (tid, variant)
        if key not in speaker_ids:
            speaker_ids[key] = ids[Speaker]
            ids[Speaker] += 1
            new_speakers.append(key)
        chosen[tid] = speaker_ids[key]
        return chosen[tid]

    def speaker_row(key) -> tuple:
        from django.utils.text import slugify

        from summit.models import normalise_name

        s = tspeakers[key[0]]
        name = s["name"] if key[1] == 0 else f"{s['name']} {key[1]}"
        slug = base = slugify(name)[:300] or "speaker"
        n = 1
        while slug in existing_slugs:
            n += 1
            slug = f"{base}-{n}"
        existing_slugs.add(slug)
        return (speaker_ids[key], name, normalise_name(name), slug, s["kind"], s["description"])

    writer.fast()
    rebuild = writer.drop_indexes([Paragraph, EntityMention, Quote, Claim])
    span_cols = ["id", "article_id", "paragraph_id", "start", "end", "text", "status", "edited"]
    span_cols += ["created", "updated"]
    made_at = now
    for first in range(0, articles, CHUNK):
        new_speakers: list[tuple[int, int]] = []
        rows = defaultdict(list)
        for n in range(first, min(articles, first + CHUNK)):
            t = tarts[n % len(tarts)]
            aid = ids[Article]
            ids[Article] += 1
            # About 40 articles a day, the newest today; a few without a date.
            published = None if n % 97 == 0 else today - datetime.timedelta(days=n // 40)
            created = made_at - datetime.timedelta(seconds=n)
            rows[Article].append(
                (
                    aid,
                    t["title"],
                    False,
                    t["byline"],
                    t["outlet"],
                    published,
                    t["kind"],
                    f"scale://{aid}/{t['source_file']}",
                    t["source_file"],
                    f"{aid:064x}",
                    t["pipeline"],
                    "[]",
                    created,
                    created,
                )
            )
            # A word no other article has, closing its last body paragraph (after every
            # annotation's offsets): searched through the full-text index as ingested.
            rare_in = (
                last_body.get(t["id"], (0, None))[1]
                if newsroom.rare_every and aid % newsroom.rare_every == 0
                else None
            )
            pmap = {}
            for p in paras_of[t["id"]]:
                pmap[p["id"]] = pid = ids[Paragraph]
                ids[Paragraph] += 1
                text = p["text"]
                if p["id"] == rare_in:
                    text = f"{text} {rare_word(aid).capitalize()} was there too."
                rows[Paragraph].append((pid, aid, p["index"], p["kind"], text))
            chosen: dict[int, int] = {}
            for kind, model in (
                ("mentions", EntityMention),
                ("quotes", Quote),
                ("claims", Claim),
            ):
                for a in annotations_of[kind][t["id"]]:
                    rid = ids[model]
                    ids[model] += 1
                    base = (rid, aid, pmap[a["paragraph_id"]], a["start"], a["end"], a["text"])
                    base += (a["status"], False, created, created)
                    if kind == "mentions":
                        extra = (a["label"], speaker_for(a["speaker_id"], n, chosen))
                    elif kind == "quotes":
                        extra = (
                            pmap.get(a["end_paragraph_id"]),
                            a["kind"],
                            speaker_for(a["speaker_id"], n, chosen),
                            a["speaker_text"],
                            a["cue"],
                            a.get("sieve", ""),
                            _json(writer, a.get("via")),
                            a.get("confidence"),
                        )
                    else:
                        extra = (
                            a["kind"],
                            speaker_for(a["holder_id"], n, chosen),
                            a["highlighted"],
                        )
                    rows[model].append(base + extra)
        with transaction.atomic():
            writer.insert(
                Speaker,
                ["id", "name", "name_key", "slug", "kind", "description", "edited", "created"],
                [(*speaker_row(k), False, made_at) for k in new_speakers],
            )
            writer.insert(
                Article,
                [
                    "id",
                    "title",
                    "title_derived",
                    "byline",
                    "outlet",
                    "published",
                    "kind",
                    "source",
                    "source_file",
                    "content_hash",
                    "pipeline",
                    "edited_fields",
                    "created",
                    "updated",
                ],
                rows[Article],
            )
            writer.insert(Paragraph, ["id", "article_id", "index", "kind", "text"], rows[Paragraph])
            writer.insert(EntityMention, [*span_cols, "label", "speaker_id"], rows[EntityMention])
            writer.insert(
                Quote,
                [*span_cols, *QUOTE_FIELDS],
                rows[Quote],
            )
            writer.insert(Claim, [*span_cols, "kind", "holder_id", "highlighted"], rows[Claim])
        made.update({m.__name__: len(r) for m, r in rows.items()})
        made["Speaker"] += len(new_speakers)
        print(
            f"  {min(articles, first + CHUNK):>7,} articles, {made['Quote']:,} quotes, "
            f"{made['EntityMention']:,} mentions, {made['Speaker']:,} speakers",
            file=sys.stderr,
            end="\r",
        )
    print("\nindexing…", file=sys.stderr)
    writer.create_indexes(rebuild)
    writer.reset_sequences([Article, Paragraph, Speaker, EntityMention, Quote, Claim])
    print("editors at work…", file=sys.stderr)
    mergeable = [
        (sid, speaker_ids[(tid, 0)], variant)
        for (tid, variant), sid in speaker_ids.items()
        if 0 < variant <= variants and (tid, 0) in speaker_ids
    ]
    made.update(editors_at_work(newsroom, first_ids, articles, mergeable, rng, now))
    finish()
    return dict(made)


def _json(writer: _Writer, value):
    """A JSON field's value as the database column takes it."""
    if value is None:
        return None
    return json.dumps(value)


# Editors at work: what a newsroom leaves, written as the app's services write it -------


def editors_at_work(
    newsroom: Newsroom,
    first_ids: dict,
    articles: int,
    mergeable: list[tuple[int, int, int]],
    rng: random.Random,
    now: datetime.datetime,
) -> Counter:
    """Among the rows just generated (ids from ``first_ids``): shares of the quotes and
    mentions verified, rejected and edited, each with the history rows the editors'
    services leave (the machine's version, then the editor's change), rejected quotes'
    retired addresses, and aliases with theirs: set-based, a few statements each. Then,
    through the services themselves (a few queries each): speakers merged
    (``mergeable``: (a variant, the person's first speaker, its number), the least used
    first),
    annotations deleted (tombstones) and speakers deleted (their names' tombstones)."""
    from django.contrib.auth import get_user_model

    from summit.models import EntityMention, Quote, Speaker

    editor, _ = get_user_model().objects.get_or_create(
        username="scale-editor", defaults={"is_staff": True}
    )
    made: Counter = Counter()
    for model in (Quote, EntityMention):
        low = 0
        for act in ("verified", "rejected", "edited"):
            high = low + round(getattr(newsroom, act) * 10_000)
            bounds = (first_ids[model], low, high)
            low = high
            made[f"{model.__name__} {act}"] += _annotations_edit(model, bounds, act, editor.pk, now)
    made["SpeakerAlias"] += _aliases_add(newsroom.aliases, first_ids[Speaker], editor.pk, now)
    made.update(_services_at_work(newsroom, first_ids, articles, mergeable, rng, editor))
    return made


def _share_of_ids(since: int, low: int, high: int, table: str = "") -> str:
    """The rows from id ``since`` whose id falls in [low, high) of 10,000 buckets, spread
    evenly over articles and copies (7919 is prime to 10,000: a bucket takes one id in
    10,000, whatever the template's size)."""
    # '%%': each statement this goes into has parameters, and both drivers read '%%' as '%'
    bucket = f"(({table}id %% 10000) * 7919) %% 10000"
    return f"{table}id >= {int(since)} AND {bucket} >= {low} AND {bucket} < {high}"


def _annotations_edit(model, bounds: tuple[int, int, int], act: str, user_id: int, now) -> int:
    """Mark the share ``bounds`` of ``model``'s rows ``act`` (verified, rejected, edited),
    with the history rows the editors' services write."""
    from django.db import connection

    from summit.services.history import MACHINE_REASON

    qn = connection.ops.quote_name
    table = model._meta.db_table
    history = model.history.model._meta.db_table
    columns = [
        f.column
        for f in model.history.model._meta.concrete_fields
        if not f.column.startswith("history_")
    ]
    listed = ", ".join(qn(c) for c in columns)
    into = f"INSERT INTO {history} ({listed}, history_date, history_change_reason, "
    into += "history_type, history_user_id) "
    quote = model.__name__ == "Quote"
    sample = _share_of_ids(*bounds)
    change, reason = {
        "verified": ("status = 'verified'", "Marked verified"),
        "rejected": ("status = 'rejected'", "Marked rejected"),
        "edited": ("speaker_id = NULL", "Speaker removed" if quote else "Unlinked"),
    }[act]
    chosen = f"{sample} AND speaker_id IS NOT NULL" if act == "edited" else sample
    with connection.cursor() as cursor:
        # The machine's version, dated when it was made (``history_baseline``).
        cursor.execute(
            f"{into} SELECT {listed}, created, %s, '+', NULL FROM {table} WHERE {chosen}",
            [MACHINE_REASON],
        )
        if quote and act == "rejected":
            _quotes_retire(cursor, _share_of_ids(*bounds, table="q."), now)
        cursor.execute(
            f"UPDATE {table} SET {change}, edited = %s, updated = %s WHERE {chosen}",
            [True, now],
        )
        changed = cursor.rowcount
        # The editor's change (``bulk_update_with_history``).
        cursor.execute(
            f"{into} SELECT {listed}, %s, %s, '~', %s FROM {table} WHERE {sample} AND edited",
            [now, reason, user_id],
        )
    return changed


def _quotes_retire(cursor, chosen: str, now) -> None:
    """A rejected quote's address lands where it stood (``retired_fields``): ``chosen``
    tests the quotes as ``q``."""
    from summit.services.editing import CONTEXT

    greatest = "GREATEST" if cursor.db.vendor == "postgresql" else "MAX"
    before = f"{greatest}(q.start - {CONTEXT}, 0)"
    cursor.execute(
        "INSERT INTO summit_retiredquote "
        "(quote_id, article_id, paragraph_index, text, prefix, suffix, at) "
        f"SELECT q.id, q.article_id, p.{cursor.db.ops.quote_name('index')}, q.text, "
        f"substr(p.text, {before} + 1, q.start - {before}), "
        f'substr(e.text, q."end" + 1, {CONTEXT}), %s '
        "FROM summit_quote q JOIN summit_paragraph p ON p.id = q.paragraph_id "
        "JOIN summit_paragraph e ON e.id = COALESCE(q.end_paragraph_id, q.paragraph_id) "
        f"WHERE {chosen}",
        [now],
    )


def _aliases_add(share: float, first_speaker: int, user_id: int, now) -> int:
    """A share of the new people get an alias, an initial and their surname ("J. Doe"),
    as an editor adds one in the admin (a history row each)."""
    from django.db import connection

    from summit.models import Speaker, SpeakerAlias, SpeakerKind, normalise_name

    cut = round(share * 10_000)
    people = Speaker.objects.filter(pk__gte=first_speaker, kind=SpeakerKind.PERSON)
    rows = []
    for pk, name in people.values_list("pk", "name"):
        words = name.split()
        if (pk % 10000) * 7919 % 10000 >= cut or len(words) < 2 or not words[0][:1].isalpha():
            continue
        alias = f"{words[0][0]}. {' '.join(words[1:])}"
        rows.append((pk, alias, normalise_name(alias)))
    writer = _Writer(connection)
    since = writer.next_id(SpeakerAlias)
    writer.insert(SpeakerAlias, ["speaker_id", "name", "name_key"], rows)
    history = SpeakerAlias.history.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {history} (id, name, name_key, speaker_id, history_date, "
            "history_change_reason, history_type, history_user_id) "
            "SELECT id, name, name_key, speaker_id, %s, NULL, '+', %s "
            "FROM summit_speakeralias WHERE id >= %s",
            [now, user_id, since],
        )
    return len(rows)


def _services_at_work(newsroom, first_ids, articles, mergeable, rng, editor) -> Counter:
    from summit.models import EntityMention, Quote, Speaker
    from summit.services.editing import annotation_delete
    from summit.services.speakers import speaker_delete, speaker_merge

    made: Counter = Counter()

    def many(per_thousand: float) -> int:
        return max(1, round(articles * per_thousand / 1000)) if per_thousand else 0

    # Merges: a person split over numbered variants is made one again, the least used
    # variants first (an editor's merge moves each quote with a history row).
    ranked = sorted(mergeable, key=lambda pair: (-pair[2], -pair[0]))
    merging = ranked[: many(newsroom.merges)]
    for variant, into, _ in merging:
        found = {s.pk: s for s in Speaker.objects.filter(pk__in=[variant, into])}
        if len(found) == 2:
            speaker_merge(into=found[into], others=[found[variant]], by=editor)
            made["SpeakerMerge"] += 1
    # Deletions: machine quotes and mentions an editor deleted (a tombstone each).
    for model, share in ((Quote, 0.5), (EntityMention, 0.5)):
        top = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        low = first_ids[model]
        wanted = round(many(newsroom.deletions) * share)
        picks = sorted({rng.randrange(low, top + 1) for _ in range(wanted)}) if top >= low else []
        for annotation in model.objects.filter(pk__in=picks, edited=False):
            annotation_delete(annotation=annotation, by=editor)
            made[f"{model.__name__} deleted"] += 1
    # Speaker deletions: the least used variants after those merged away (the speakers
    # merged into are the people's first speakers, never deleted here).
    rest = ranked[len(merging) :][: many(newsroom.speaker_deletions)]
    for speaker in Speaker.objects.filter(pk__in=[variant for variant, _, _ in rest]):
        speaker_delete(speaker=speaker, by=editor)
        made["Speaker deleted"] += 1
    return made


def finish() -> dict[str, float]:
    """What a bulk load leaves to do, set-based (a few statements, not a query per
    quote): group every quote into quotations, recount every speaker's and article's
    counters, and update the planner's statistics. Returns each step's seconds."""
    from django.db import connection, transaction

    from summit.services.counters import counts_recompute
    from summit.services.quotations import quotations_rebuild

    took = {}
    for step, run in (
        ("grouping quotations", quotations_rebuild),
        ("recounting", counts_recompute),
    ):
        print(f"{step}…", file=sys.stderr)
        started = time.perf_counter()
        with transaction.atomic():
            run()
        took[step] = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    took["analysing"] = time.perf_counter() - started
    return took


def cmd_generate(args) -> int:
    _django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    template = _template(args.source)
    started = time.perf_counter()
    newsroom = Newsroom(
        **{f: getattr(args, f) for f in Newsroom.__dataclass_fields__}  # type: ignore[arg-type]
    )
    made = generate_from(
        template,
        args.articles,
        speakers=args.speakers,
        seed=args.seed,
        frequent=args.frequent,
        newsroom=newsroom,
    )
    seconds = time.perf_counter() - started
    print(
        f"generated in {seconds:.0f} s: "
        + ", ".join(f"{n:,} {name}" for name, n in sorted(made.items()))
    )
    return 0


def cmd_finish(args) -> int:
    _django()
    from django.db import connection

    _Writer(connection).fast()
    took = finish()
    print("finished: " + ", ".join(f"{step} {s:.0f} s" for step, s in took.items()))
    return 0


# Measuring ---------------------------------------------------------------------------


def pages(admin: bool = True) -> list[tuple[str, str, dict | None]]:
    """(name, url, form) of every page measured, in the database as it is: a GET, or a
    POST of ``form`` when it is given."""
    from summit.models import Article, Paragraph, Quote, Speaker
    from summit.views import QUOTES_PER_PAGE

    busiest, second = Speaker.objects.order_by("-quote_count", "pk")[:2]
    article = Article.objects.order_by("pk").values_list("pk", flat=True)[
        Article.objects.count() // 2
    ]
    rare = _rare_phrase(Paragraph, Article)
    last = max(1, -(-busiest.quotation_count // QUOTES_PER_PAGE))
    surname = busiest.name.split()[-1].lower()
    listed = Speaker.objects.listed().by_quotes().values_list("pk", flat=True)
    deep = listed[20_000:20_001].first() or busiest.pk  # a page no number reaches
    found: list[tuple[str, str, dict | None]] = [
        ("home", "/", None),
        ("home page 500", "/?page=500", None),
        ("an article", f"/articles/{article}/", None),
        ("busiest person", f"/people/{busiest.slug}/", None),
        ("busiest person page 100", f"/people/{busiest.slug}/?page=100", None),
        ("busiest person last page", f"/people/{busiest.slug}/?page={last}", None),
        ("busiest person's card", f"/people/{busiest.slug}/card/", None),
        ("people index", "/people/", None),
        ("people index last page", "/people/?page=last", None),
        ("people index past 20,000", f"/people/?after={deep}", None),
        ("people index before 20,000", f"/people/?before={deep}", None),
        ("people index: people", "/people/?kind=person", None),
        ("people index: organisations", "/people/?kind=organisation", None),
        ("quotes", "/quotes/", None),
        ("quotes by the busiest", f"/quotes/?speaker={busiest.slug}", None),
        ("quotes by the busiest, indirect", f"/quotes/?speaker={busiest.slug}&kind=indirect", None),
        ("quotes ?q=said", "/quotes/?q=said", None),
        ("search: common word", "/?q=said", None),
        ("search: rare phrase", f"/?q={rare.replace(' ', '+')}", None),
        ("API quotes", "/api/v1/quotes", None),
        ("API quotes ?min_confidence=0.5", "/api/v1/quotes?min_confidence=0.5", None),
        ("API busiest speaker's quotes", f"/api/v1/speakers/{busiest.slug}/quotes", None),
    ]
    old = _oldest_busy(Speaker, Quote)
    if old is not None:
        found += [
            ("busy person, all quotes old", f"/people/{old.slug}/", None),
            ("quotes by the busy old person", f"/quotes/?speaker={old.slug}", None),
            ("API busy old speaker's quotes", f"/api/v1/speakers/{old.slug}/quotes", None),
        ]
    unique = _unique_word(Paragraph)
    if unique:
        found += [
            ("search: unique word", f"/?q={unique}", None),
            ("quotes ?q=unique word", f"/quotes/?q={unique}", None),
        ]
    if admin:
        rare_word = _rare_word(Quote)
        found += [
            ("admin quotes", "/admin/summit/quote/", None),
            ("admin quotes ?q=minister", "/admin/summit/quote/?q=minister", None),
            (
                f"admin quotes ?q= rare word ({rare_word})",
                f"/admin/summit/quote/?q={rare_word}",
                None,
            ),
            ("admin quotes by text", "/admin/summit/quote/?o=1", None),
            ("admin quotes by speaker", "/admin/summit/quote/?o=2", None),
            ("admin quotes by confidence", "/admin/summit/quote/?o=-6", None),
            ("admin mentions", "/admin/summit/entitymention/", None),
            ("admin speakers", "/admin/summit/speaker/", None),
            (f"admin speakers ?q={surname}", f"/admin/summit/speaker/?q={surname}", None),
            ("admin busiest speaker", f"/admin/summit/speaker/{busiest.pk}/change/", None),
            ("admin merge form", f"/admin/summit/speaker/{busiest.pk}/merge/", None),
            (
                "admin merge preview, the two busiest",
                f"/admin/summit/speaker/{busiest.pk}/merge/",
                {"others": [str(second.pk)]},
            ),
            ("admin review queue", "/admin/summit/quote/review/", None),
            ("admin review queue page 50", "/admin/summit/quote/review/?page=50", None),
            ("admin review queue page 400", "/admin/summit/quote/review/?page=400", None),
        ]
    return found


def _oldest_busy(Speaker, Quote):
    """The most quoted of the 200 most quoted speakers (the busiest excepted) whose
    quotes are all in the older half of the quotes (generated articles are numbered
    newest first: the oldest hold the highest ids; ``generate --old-speakers``); else
    None."""
    from django.db.models import Max, Min

    ids = Quote.objects.aggregate(low=Min("pk"), top=Max("pk"))
    # the middle of the ids there are (a database's sequence need not start at 1)
    middle = ((ids["low"] or 0) + (ids["top"] or 0)) // 2
    for speaker in Speaker.objects.order_by("-quote_count", "pk")[1:201]:
        first = Quote.objects.filter(speaker=speaker).aggregate(m=Min("pk"))["m"] or 0
        if first > middle:
            return speaker
    return None


def _unique_word(Paragraph) -> str:
    """A made-up word one article has and no other (``generate --rare-every``), from
    the newest paragraphs; empty when there is none."""
    import re

    texts = Paragraph.objects.order_by("-pk").values_list("text", flat=True)[:5000]
    for text in texts:
        m = re.search(r"\b(Zy[a-z]{8})\b", text)
        if m:
            return m.group(1).lower()
    return ""


def _rare_word(Quote) -> str:
    """The longest word of the newest quotes: in one template article's quotes, so in
    one of every ~84 generated articles."""
    texts = Quote.objects.order_by("-pk").values_list("text", flat=True)[:20]
    words = [w.strip(".,;:“”\"'‘’()").lower() for t in texts for w in t.split()]
    words = [w for w in words if w.isalpha()]
    return max(words, key=len, default="nothing")


def _rare_phrase(Paragraph, Article) -> str:
    """Two words that open one template article's last body paragraph: in one of every
    ~84 articles, not in every one."""
    last = Article.objects.order_by("-pk").values_list("pk", flat=True).first()
    text = (
        Paragraph.objects.filter(article_id=last, kind="body")
        .order_by("-index")
        .values_list("text", flat=True)
        .first()
        or "nothing here"
    )
    words = [w.strip(".,;:“”\"'‘’()") for w in text.split()]
    words = [w for w in words if len(w) > 3 and w.isalpha()]
    return " ".join(words[1:3] or words[:2] or ["nothing", "here"])


class _Deadline:
    """Stops the request's SQL after ``seconds`` (SQLite progress handler, PostgreSQL
    statement_timeout)."""

    def __init__(self, connection, seconds: float):
        self.connection, self.seconds = connection, seconds

    def __enter__(self):
        self.connection.ensure_connection()
        if self.connection.vendor == "sqlite":
            end = time.perf_counter() + self.seconds
            self.connection.connection.set_progress_handler(
                lambda: int(time.perf_counter() > end), 100_000
            )
        elif self.connection.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {int(self.seconds * 1000)}")
        return self

    def __exit__(self, *exc):
        if self.connection.vendor == "sqlite":
            self.connection.connection.set_progress_handler(None, 0)
        elif self.connection.vendor == "postgresql" and self.connection.connection is not None:
            with self.connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")


def measure(
    runs: int = 5,
    timeout: float = 30.0,
    admin: bool = True,
    explain: str | None = None,
    only: str | None = None,
) -> list[dict]:
    """Every page's median server time (ms, None when over ``timeout``) and queries."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if admin:
        user, _ = get_user_model().objects.get_or_create(
            username="scale-bench", defaults={"is_staff": True, "is_superuser": True}
        )
        client.force_login(user)
    results = []
    for name, url, form in pages(admin=admin):
        if only and only not in name:
            continue
        times: list[float] = []
        queries = None
        timed_out = False
        for run in range(runs + 1):
            try:
                with _Deadline(connection, timeout), CaptureQueriesContext(connection) as ctx:
                    started = time.perf_counter()
                    response = client.get(url) if form is None else client.post(url, form)
                    elapsed = time.perf_counter() - started
            except Exception as exc:  # the deadline interrupted the SQL
                if "interrupt" not in str(exc) and "timeout" not in str(exc):
                    raise
                timed_out = True
                captured = ctx.captured_queries
                break
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            captured = ctx.captured_queries
            queries = len(captured)
            if run:
                times.append(elapsed)
            if elapsed > timeout:
                timed_out = True
                break
        ms = None if timed_out else statistics.median(times) * 1000
        results.append({"page": name, "url": url, "ms": ms, "queries": queries})
        shown = f"> {timeout:.0f} s" if ms is None else f"{ms:,.0f} ms"
        print(
            f"  {name:<30} {shown:>10}  {queries if queries is not None else '?'} queries",
            file=sys.stderr,
        )
        if explain:
            _explain(connection, name, captured, Path(explain))
    return results


def is_select(sql: str) -> bool:
    """A query that reads (a UNION of SELECTs starts with a parenthesis)."""
    return sql.lstrip(" (").upper().startswith(("SELECT", "WITH"))


def plan(connection, sql: str) -> list[str]:
    """The plan of one SELECT, as lines."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return [row[-1] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN " + sql)
        return [row[0] for row in cursor.fetchall()]


def _explain(connection, name: str, captured: list[dict], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for q in sorted(captured, key=lambda q: -float(q["time"] or 0)):
        sql = q["sql"]
        if not is_select(sql):
            continue
        try:
            lines = plan(connection, sql)
        except Exception as exc:
            lines = [f"(no plan: {exc})"]
        out.append(f"-- {q['time']} s\n{sql}\n" + "\n".join(lines) + "\n")
    slug = "".join(c if c.isalnum() else "-" for c in name.lower())
    (folder / f"{connection.vendor}-{slug}.txt").write_text("\n".join(out))


def cmd_measure(args) -> int:
    _django()
    from django.conf import settings
    from django.db import connection

    from summit.models import Article, EntityMention, Quote, Speaker

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.test.utils import setup_test_environment

    setup_test_environment()
    sizes = (
        f"{Article.objects.count():,} articles, {Quote.objects.count():,} quotes, "
        f"{EntityMention.objects.count():,} mentions, {Speaker.objects.count():,} speakers"
    )
    print(f"{connection.vendor}: {sizes}", file=sys.stderr)
    results = measure(args.runs, args.timeout, explain=args.explain, only=args.only)
    print(f"\n{connection.vendor} — {sizes}; median of {args.runs} warm runs\n")
    print("| page | ms | queries |\n| --- | ---: | ---: |")
    for r in results:
        ms = f"> {args.timeout:,.0f} s" if r["ms"] is None else f"{r['ms']:,.0f}"
        print(f"| {r['page']} `{r['url']}` | {ms} | {r['queries'] or '?'} |")
    return 0


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "summit.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="Fill the DATABASE_URL database.")
    gen.add_argument("--articles", type=int, default=100_000)
    gen.add_argument("--speakers", type=int, default=50_000, help="About this many speakers.")
    gen.add_argument(
        "--source",
        default=str(POLNEAR if POLNEAR.is_dir() else ROOT / "seeds"),
        help="Articles to ingest once as the template.",
    )
    gen.add_argument("--seed", type=int, default=1)
    gen.add_argument(
        "--frequent",
        type=int,
        default=FREQUENT,
        metavar="N",
        help="A person named in N or more template articles stays one speaker in every copy "
        "(gathers all their quotes); the others are spread over variants. 1: every person "
        f"one busy speaker; a large N: no busy speaker. Default {FREQUENT}.",
    )
    desk = gen.add_argument_group(
        "what a newsroom leaves (shares of the quotes and mentions, of the people, or counts "
        "per 1,000 articles; 0 for none)"
    )
    for name, help_ in (
        ("verified", "share of quotes and of mentions marked verified, with history rows"),
        ("rejected", "share marked rejected (a rejected quote's address retired)"),
        ("edited", "share whose speaker an editor removed (quotes) or unlinked (mentions)"),
        ("aliases", "share of the people given an alias (an initial and their surname)"),
        ("merges", "speakers merged into another (a variant into the person), per 1,000 articles"),
        ("deletions", "machine quotes and mentions deleted (tombstones), per 1,000 articles"),
        ("speaker-deletions", "speakers deleted (their names' tombstones), per 1,000 articles"),
        (
            "old-speakers",
            "share of the template's quoted people quoted only in the oldest "
            "articles (every n-th, the second busiest first)",
        ),
        ("old-span", "the oldest share of the articles, for --old-speakers"),
    ):
        field = name.replace("-", "_")
        default = getattr(NEWSROOM, field)
        desk.add_argument(
            f"--{name}", type=float, default=default, help=f"{help_} (default {default})"
        )
    desk.add_argument(
        "--rare-every",
        type=int,
        default=NEWSROOM.rare_every,
        metavar="N",
        help="one article in N closes with a made-up word no other article has "
        f"(default {NEWSROOM.rare_every}; 0: none)",
    )
    sub.add_parser(
        "finish",
        help="Group every quote into quotations and recount every counter (a generation "
        "stopped before its end, or rows loaded by other means).",
    )
    mea = sub.add_parser("measure", help="Print every page's server time and queries.")
    mea.add_argument("--runs", type=int, default=5)
    mea.add_argument("--timeout", type=float, default=30.0, help="Seconds before a page stops.")
    mea.add_argument("--explain", metavar="DIR", help="Write each page's SQL plans here.")
    mea.add_argument("--only", metavar="TEXT", help="Only the pages whose name has TEXT.")
    tpl = sub.add_parser("_template")
    tpl.add_argument("source")
    tpl.add_argument("out")
    args = parser.parse_args()
    if args.command == "generate":
        return cmd_generate(args)
    if args.command == "measure":
        return cmd_measure(args)
    if args.command == "finish":
        return cmd_finish(args)
    _django()
    _write_template(args.source, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

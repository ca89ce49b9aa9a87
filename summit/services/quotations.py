"""One quotation, many articles: quotes of one speaker in (nearly) the same words.

Wire copy carries the same quotation into dozens of outlets. Quotes whose speaker is
one and whose words are the same once normalised (case, accents and punctuation
folded), or nearly (at least ``OVERLAP`` of the longer one's distinct words shared),
form a ``QuoteGroup``. Listings show a group once, by its newest shown member (its
``lead``, the only member ``listed``), with "also in N articles".

Grouping is incremental, at ingest and at every editor's change to a quote's speaker or
status: a quote's group is found by an exact key (speaker and normalised words, unique)
or, for quotes of ``BAND_MIN_WORDS`` words or more, among the few groups that share a
MinHash band with it (locality-sensitive hashing, ``QuoteGroupBand``, indexed), then
checked by its words. Nothing reads the whole quotes table; a group's own members are
read to choose its lead. ``quotations_rebuild`` groups a whole archive at once (after an
upgrade, a restore or a bulk load).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

import numpy as np
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Min, OuterRef, Subquery

from summit.models import NEWEST_ARTICLE_ORDER, Quote, QuoteGroup, QuoteGroupBand, Status
from summit.services.inserts import rows_insert

OVERLAP = 0.9  # shared distinct words over the longer quote's
EARLIEST = 3  # other members a listing names (the permalink lists them all)
# MinHash: PERMUTATIONS hash functions, cut into BANDS bands of ROWS. Two quotes whose
# word sets have a Jaccard similarity of 0.82 (the least that OVERLAP allows) share a
# band with probability 1 - (1 - 0.82**4)**8 = 0.99; at 0.5 with 0.40, and those are
# then told apart by their words.
BANDS, ROWS = 8, 4
PERMUTATIONS = BANDS * ROWS
# Below this many distinct words, OVERLAP means the same words: the exact key finds them.
BAND_MIN_WORDS = 10
_PRIME = np.uint64((1 << 61) - 1)
_random = np.random.RandomState(20261207)  # fixed: the bands are stored
_A = _random.randint(1, 1 << 32, size=PERMUTATIONS, dtype=np.uint64)
_B = _random.randint(0, 1 << 32, size=PERMUTATIONS, dtype=np.uint64)
_WORD = re.compile(r"\w+")


def quote_words(text: str) -> list[str]:
    """The words of a quote as compared: case, accents and punctuation folded."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _WORD.findall(folded)


def overlap(a: Iterable[str], b: Iterable[str]) -> float:
    """Distinct words shared, over the distinct words of the longer quote."""
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / max(len(sa), len(sb))


def group_key(speaker_id: int, words: list[str]) -> str:
    return hashlib.sha256(f"{speaker_id}\x1f{' '.join(words)}".encode()).hexdigest()


def band_keys(speaker_id: int, words: list[str]) -> list[int]:
    """The quote's MinHash bands as signed 63-bit keys (the speaker in each); none for a
    short quote."""
    distinct = sorted(set(words))
    if len(distinct) < BAND_MIN_WORDS:
        return []
    hashes = np.array(
        [int.from_bytes(hashlib.blake2b(w.encode(), digest_size=4).digest()) for w in distinct],
        dtype=np.uint64,
    )
    with np.errstate(over="ignore"):  # wrapping is part of the hash
        signature = ((np.outer(hashes, _A) + _B) % _PRIME).min(axis=0)
    keys = []
    for band in range(BANDS):
        values = signature[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(f"{speaker_id}:{band}:".encode() + values, digest_size=8)
        keys.append(int.from_bytes(digest.digest()) >> 1)
    return keys


# Incremental ----------------------------------------------------------------------------


def quotes_regroup(quote_ids: Iterable[int]) -> None:
    """Put each of these quotes in its quotation group (or none: no speaker, rejected),
    then choose the lead of every group that changed. Cost: a few queries for the whole
    batch (these quotes, the groups that share a key or a band with them, and those
    groups' members), not a few per quote: an article's quotes are grouped at once."""
    ids = sorted(set(quote_ids))
    if not ids:
        return
    with transaction.atomic():
        quotes: list[Quote] = []
        for chunk in _chunks(ids):
            quotes.extend(
                Quote.objects.filter(pk__in=chunk).only(
                    "pk", "speaker_id", "status", "text", "group_id"
                )
            )
        _regroup(quotes)


def quotes_group(quotes: Iterable[Quote]) -> set[int]:
    """``quotes_regroup`` for quotes already in memory as stored (their id, speaker,
    status, words and group): ingest's new quotes, as ``bulk_create`` returned them,
    are not read again. Each quote's ``group_id`` and ``listed`` are set as stored.
    Returns the ids of the groups made for them (no other quote is in one)."""
    quotes = list(quotes)
    if not quotes:
        return set()
    with transaction.atomic():
        return _regroup(quotes)


def _regroup(quotes: list[Quote]) -> set[int]:
    """The body of ``quotes_regroup``, inside its transaction; the groups it made."""
    quotes = sorted(quotes, key=lambda q: q.pk)
    targets, settled, made = _groups_for(quotes)
    moved = [q for q in quotes if targets[q.pk] != q.group_id]
    touched = {g for q in moved for g in (q.group_id, targets[q.pk]) if g} - settled
    for quote in moved:
        quote.group_id = targets[quote.pk]
        # Out of a group, a quote is listed on its own; so is one leading its own.
        quote.listed = quote.group_id is None or quote.group_id in settled
    # A quote in a group made for it alone is that group's lead: one statement sets
    # them all (most of a new article's quotes), the others one value each.
    alone = [q for q in moved if q.group_id in settled]
    for chunk in _chunks(alone):
        lead_of = QuoteGroup.objects.filter(
            lead_id=OuterRef("pk"), pk__in=[q.group_id for q in chunk]
        )
        Quote.objects.filter(pk__in=[q.pk for q in chunk]).update(
            group_id=Subquery(lead_of.values("pk")[:1]), listed=True
        )
    rest = [q for q in moved if q.group_id not in settled]
    Quote.objects.bulk_update(rest, ["group", "listed"], batch_size=500)
    groups_refresh(touched)
    return made


class _Batch:
    """The groups a batch of quotes may join, read at once, and those it makes."""

    def __init__(self, wanted: list[tuple[Quote, int, list[str], str]]):
        current_ids = {q.group_id for q, _, _, _ in wanted if q.group_id}
        self.current = {
            pk: (speaker_id, key, words.split())
            for chunk in _chunks(sorted(current_ids))
            for pk, speaker_id, key, words in QuoteGroup.objects.filter(pk__in=chunk).values_list(
                "pk", "speaker_id", "key", "words"
            )
        }
        self.exact: dict[tuple[int, str], int] = {
            (speaker_id, key): pk
            for chunk in _chunks(sorted({k for _, _, _, k in wanted}))
            for pk, speaker_id, key in QuoteGroup.objects.filter(key__in=chunk).values_list(
                "pk", "speaker_id", "key"
            )
        }
        self.bands = {q.pk: band_keys(speaker, w) for q, speaker, w, _ in wanted}
        by_band: dict[int, set[int]] = {}
        for chunk in _chunks(sorted({k for keys in self.bands.values() for k in keys})):
            for key, group_id in QuoteGroupBand.objects.filter(key__in=chunk).values_list(
                "key", "group_id"
            ):
                by_band.setdefault(key, set()).add(group_id)
        self.by_band = by_band
        banded = sorted({g for groups in by_band.values() for g in groups})
        self.words: dict[int, tuple[int, list[str]]] = {
            pk: (speaker_id, words.split())
            for chunk in _chunks(banded)
            for pk, speaker_id, words in QuoteGroup.objects.filter(pk__in=chunk).values_list(
                "pk", "speaker_id", "words"
            )
        }
        # Groups this batch makes, by a stand-in id above every stored one.
        self.made: list[tuple[int, str, list[str], list[int]]] = []

    def make(self, speaker_id: int, key: str, words: list[str], bands: list[int]) -> int:
        stand_in = _NEW + len(self.made)
        self.made.append((speaker_id, key, words, bands))
        self.exact[speaker_id, key] = stand_in
        self.words[stand_in] = (speaker_id, words)
        for band in bands:
            self.by_band.setdefault(band, set()).add(stand_in)
        return stand_in

    def save(self, solo: dict[int, int]) -> tuple[dict[int, int], set[int], set[int]]:
        """Store the groups made: their stand-in ids → their real ones, the real ids
        of those stored complete (``solo``: a group made for one quote is led by it, in one
        article, and needs no refresh), and of those this batch made (none when another
        worker made one of them first: it may hold that worker's quotes too)."""
        real: dict[int, int] = {}
        if not self.made:
            return real, set(), set()
        try:
            with transaction.atomic():
                stored = [
                    QuoteGroup(
                        speaker_id=s,
                        key=k,
                        words=" ".join(w),
                        lead_id=solo.get(_NEW + index),
                        article_count=1 if _NEW + index in solo else 0,
                        earliest=[],
                    )
                    for index, (s, k, w, _) in enumerate(self.made)
                ]
                rows_insert(QuoteGroup, stored)
            rows_insert(
                QuoteGroupBand,
                [
                    QuoteGroupBand(group_id=group.pk, key=band)
                    for group, (_, _, _, bands) in zip(stored, self.made, strict=True)
                    for band in bands
                ],
            )
            for index, group in enumerate(stored):
                real[_NEW + index] = group.pk
        except IntegrityError:  # another worker made one of them a moment ago
            for index, (speaker_id, key, words, bands) in enumerate(self.made):
                real[_NEW + index] = _group_create(speaker_id, key, words, bands)
            return real, set(), set()
        return real, {real[g] for g in solo}, set(real.values())


_NEW = 1 << 62  # stand-in ids for groups a batch makes (above every stored id)
_CHUNK = 500  # ids in one IN (…): well inside SQLite's and PostgreSQL's limits


def _chunks(values: list) -> Iterable[list]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


def _groups_for(
    quotes: list[Quote],
) -> tuple[dict[int, int | None], set[int], set[int]]:
    """Each quote's group, in the order given (a quote may join a group an earlier one
    of the batch made), the same as deciding them one by one; the groups made for a
    single quote, already complete; and every group made."""
    targets: dict[int, int | None] = {}
    wanted: list[tuple[Quote, int, list[str], str]] = []
    for quote in quotes:
        words = quote_words(quote.text)
        speaker_id = quote.speaker_id
        if speaker_id is None or quote.status == Status.REJECTED or not words:
            targets[quote.pk] = None
        else:
            wanted.append((quote, speaker_id, words, group_key(speaker_id, words)))
    if not wanted:
        return targets, set(), set()
    batch = _Batch(wanted)
    for quote, speaker_id, words, key in wanted:
        targets[quote.pk] = _group_for(quote, speaker_id, words, key, batch)
    members: dict[int, list[int]] = {}
    for pk, group in targets.items():
        if group is not None and group >= _NEW:
            members.setdefault(group, []).append(pk)
    real, settled, made = batch.save({g: pks[0] for g, pks in members.items() if len(pks) == 1})
    targets = {pk: real.get(g, g) if g is not None else None for pk, g in targets.items()}
    return targets, settled, made


def _group_for(quote: Quote, speaker_id: int, words: list[str], key: str, batch: _Batch) -> int:
    group_id = quote.group_id
    current = batch.current.get(group_id) if group_id else None
    if (  # still its group's quotation? then it stays
        group_id
        and current is not None
        and current[0] == speaker_id
        and (current[1] == key or overlap(words, current[2]) >= OVERLAP)
    ):
        return group_id
    exact = batch.exact.get((speaker_id, key))
    if exact:
        return exact
    bands = batch.bands[quote.pk]
    candidates = {g for band in bands for g in batch.by_band.get(band, ())}
    scored = [
        (overlap(words, batch.words[g][1]), g)
        for g in candidates
        if g in batch.words and batch.words[g][0] == speaker_id
    ]
    best = max(scored, default=(0.0, 0), key=lambda s: (s[0], -s[1]))
    if best[0] >= OVERLAP:
        return best[1]
    return batch.make(speaker_id, key, words, bands)


def _group_create(speaker_id: int, key: str, words: list[str], bands: list[int]) -> int:
    try:
        with transaction.atomic():
            group = QuoteGroup.objects.create(speaker_id=speaker_id, key=key, words=" ".join(words))
    except IntegrityError:  # another worker made it a moment ago
        return QuoteGroup.objects.get(speaker_id=speaker_id, key=key).pk
    QuoteGroupBand.objects.bulk_create(QuoteGroupBand(group=group, key=k) for k in bands)
    return group.pk


def groups_refresh(group_ids: Iterable[int]) -> None:
    """Choose each group's lead (its newest shown member: the one listings show), count
    its articles and note its earliest other members; drop a group left empty. A few
    queries for any number of groups."""
    ids = sorted({g for g in group_ids if g})
    order = (*(_article_order(o) for o in NEWEST_ARTICLE_ORDER), "-pk")
    for chunk in _chunks(ids):
        members: dict[int, list[tuple[int, int, object]]] = {g: [] for g in chunk}
        for group_id, pk, article_id, published in (
            Quote.objects.shown()
            .filter(group_id__in=chunk)
            .order_by("group_id", *order)
            .values_list("group_id", "pk", "article_id", "article__published")
        ):
            members[group_id].append((pk, article_id, published))
        empty = [g for g, m in members.items() if not m]
        used = set(
            Quote.objects.filter(group_id__in=empty).values_list("group_id", flat=True).distinct()
        )
        QuoteGroup.objects.filter(pk__in=[g for g in empty if g not in used]).delete()
        refreshed: list[QuoteGroup] = []
        leads: list[int] = []
        for group_id, rows in members.items():
            if not rows and group_id not in used:
                continue
            lead = rows[0][0] if rows else None
            # Earliest first: the newest-first order reversed, undated articles last.
            others = sorted(reversed(rows[1:]), key=lambda m: m[2] is None)
            refreshed.append(
                QuoteGroup(
                    pk=group_id,
                    lead_id=lead,
                    article_count=len({m[1] for m in rows}),
                    earliest=[m[0] for m in others[:EARLIEST]],
                )
            )
            if lead is not None:
                leads.append(lead)
        QuoteGroup.objects.bulk_update(refreshed, ["lead", "article_count", "earliest"])
        Quote.objects.filter(group_id__in=[g.pk for g in refreshed], listed=True).exclude(
            pk__in=leads
        ).update(listed=False)
        if leads:
            Quote.objects.filter(pk__in=leads, listed=False).update(listed=True)


def _article_order(order):
    """An article ordering term (``NEWEST_ARTICLE_ORDER``), read through the quote."""
    return F(f"article__{order.expression.name}").desc(nulls_last=order.nulls_last)


# An editor's correction, for the whole quotation ---------------------------------------


def quotation_others(*, quote: Quote, group_id: int | None) -> list[Quote]:
    """The other shown tellings of the quotation ``group_id`` that ``quote`` was one of,
    which its correction would change (their articles loaded)."""
    if not group_id:
        return []
    members = (
        Quote.objects.shown()
        .filter(group_id=group_id)
        .exclude(pk=quote.pk)
        .select_related("article", "speaker", "paragraph")
        .order_by(F("article__published").asc(nulls_last=True), "article__created", "pk")
    )
    if quote.status != Status.REJECTED:  # those not already as the editor made this one
        members = members.exclude(speaker_id=quote.speaker_id, status=quote.status)
    return list(members)


def quotation_correct(*, quote: Quote, others: list[Quote], by) -> int:
    """Give ``others`` (``quotation_others``) ``quote``'s correction: rejected, or its
    speaker (and verified, if it is), each change in their history; returns how many."""
    from summit.services.editing import annotation_set_status, quote_set_speaker

    with transaction.atomic():
        if quote.status == Status.REJECTED:
            annotation_set_status(annotations=others, status=Status.REJECTED, by=by)
            return len(others)
        moving = [o for o in others if o.speaker_id != quote.speaker_id]
        if moving:
            quote_set_speaker(quotes=moving, speaker=quote.speaker, by=by)
        if quote.status == Status.VERIFIED:
            annotation_set_status(annotations=others, status=Status.VERIFIED, by=by)
    return len(others)


# A whole archive ------------------------------------------------------------------------


def quotations_rebuild() -> dict[str, int]:
    """Group every quote afresh (after an upgrade, a restore or a bulk load), the same
    way as one by one, in a few statements whatever the archive's size: the distinct
    (speaker, text) pairs are read once (a quotation copied into a thousand articles is
    one pair) and grouped in memory; then one statement gives every quote its group,
    and a ranking of every group's members (newest first) its lead, its article count
    and its earliest other members. Returns how many groups and quotes."""
    groups: list[QuoteGroup] = []
    bands: list[tuple[int, int]] = []  # (group index, key)
    pairs: list[tuple[int, str, int]] = []  # (speaker id, text, group index)
    with transaction.atomic():
        # Members let go first, in one statement: the groups can then go raw (Django would
        # read every group to do it), and no foreign key points at them even where its
        # check is immediate (PostgreSQL inside a transaction that asked for it).
        Quote.objects.exclude(group_id=None).update(group_id=None)
        for model in (QuoteGroupBand, QuoteGroup):
            model.objects.all()._raw_delete(model.objects.db)
        Quote.objects.filter(listed=False).update(listed=True)
        rows = (
            Quote.objects.shown()
            .filter(speaker__isnull=False)
            .values_list("speaker_id", "text")
            .annotate(first=Min("pk"))
            .order_by("speaker_id", "first")
            .iterator(chunk_size=5000)
        )
        speaker: int | None = None
        exact: dict[str, int] = {}  # the speaker's groups by key
        by_band: dict[int, list[int]] = {}  # and by band
        for speaker_id, text, _ in rows:
            if speaker_id != speaker:
                speaker, exact, by_band = speaker_id, {}, {}
            words = quote_words(text)
            if not words:
                continue
            key = group_key(speaker_id, words)
            index = exact.get(key)
            keys = band_keys(speaker_id, words) if index is None else []
            if index is None and keys:
                seen = {i for k in keys for i in by_band.get(k, ())}
                scored = [(overlap(words, groups[i].words.split()), -i) for i in seen]
                best = max(scored, default=(0.0, 0))
                if best[0] >= OVERLAP:
                    index = -best[1]
            if index is None:
                index = len(groups)
                groups.append(
                    QuoteGroup(speaker_id=speaker_id, key=key, words=" ".join(words), earliest=[])
                )
                exact[key] = index
                for k in keys:
                    by_band.setdefault(k, []).append(index)
                    bands.append((index, k))
            pairs.append((speaker_id, text, index))
        made = QuoteGroup.objects.bulk_create(groups, batch_size=1000)
        QuoteGroupBand.objects.bulk_create(
            (QuoteGroupBand(group_id=made[i].pk, key=k) for i, k in bands), batch_size=5000
        )
        quotes = _members_set(
            [(speaker_id, text, made[index].pk) for speaker_id, text, index in pairs]
        )
    return {"groups": len(made), "quotes": quotes}


def _members_set(pairs: list[tuple[int, str, int]]) -> int:
    """Give every shown quote the group of its (speaker, text) pair, then every group
    its lead (the only member listed), article count and earliest others, as
    ``groups_refresh`` would: set-based, through two scratch tables. Returns how many
    quotes are in a group."""
    vendor = connection.vendor
    order = ", ".join(
        [
            '"a"."published" DESC NULLS LAST',
            '"a"."created" DESC',
            '"a"."id" DESC',
            '"q"."id" DESC',
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS summit_rebuild_pair")
        cursor.execute("DROP TABLE IF EXISTS summit_rebuild_rank")
        cursor.execute(
            "CREATE TEMPORARY TABLE summit_rebuild_pair "
            "(speaker_id bigint NOT NULL, text text NOT NULL, group_id bigint NOT NULL)"
        )
        for i in range(0, len(pairs), 5000):
            cursor.executemany(
                "INSERT INTO summit_rebuild_pair (speaker_id, text, group_id) VALUES (%s, %s, %s)",
                pairs[i : i + 5000],
            )
        if vendor != "postgresql":  # PostgreSQL joins by hash (a long text outgrows a key)
            cursor.execute(
                "CREATE INDEX summit_rebuild_pair_key ON summit_rebuild_pair (speaker_id, text)"
            )
        cursor.execute("ANALYZE summit_rebuild_pair")
        cursor.execute(
            "UPDATE summit_quote SET group_id = p.group_id FROM summit_rebuild_pair p "
            "WHERE p.speaker_id = summit_quote.speaker_id AND p.text = summit_quote.text "
            "AND summit_quote.status <> %s",
            [Status.REJECTED],
        )
        quotes = cursor.rowcount
        # Every member, ranked newest first within its group (NEWEST_ARTICLE_ORDER, then
        # the quote's id): rank 1 leads.
        cursor.execute(
            "CREATE TEMPORARY TABLE summit_rebuild_rank AS "
            'SELECT "q"."id" AS quote_id, "q"."group_id" AS group_id, '
            '"q"."article_id" AS article_id, '
            f"ROW_NUMBER() OVER (PARTITION BY q.group_id ORDER BY {order}) AS rn, "
            'CASE WHEN "a"."published" IS NULL THEN 1 ELSE 0 END AS undated '
            'FROM summit_quote "q" INNER JOIN summit_article "a" ON "a"."id" = "q"."article_id" '
            'WHERE "q"."group_id" IS NOT NULL'
        )
        cursor.execute(
            "CREATE INDEX summit_rebuild_rank_group ON summit_rebuild_rank (group_id, rn)"
        )
        cursor.execute("ANALYZE summit_rebuild_rank")
        cursor.execute(
            "UPDATE summit_quote SET listed = %s WHERE id IN "
            "(SELECT quote_id FROM summit_rebuild_rank WHERE rn > 1)",
            [False],
        )
        cursor.execute(
            "UPDATE summit_quotegroup SET lead_id = (SELECT r.quote_id FROM summit_rebuild_rank r "
            "WHERE r.group_id = summit_quotegroup.id AND r.rn = 1), "
            "article_count = (SELECT COUNT(DISTINCT r.article_id) FROM summit_rebuild_rank r "
            "WHERE r.group_id = summit_quotegroup.id)"
        )
        # The earliest others: the newest-first order reversed, undated articles last.
        early = (
            "SELECT group_id, quote_id, ROW_NUMBER() OVER "
            "(PARTITION BY group_id ORDER BY undated, rn DESC) AS e "
            "FROM summit_rebuild_rank WHERE rn > 1"
        )
        if vendor == "postgresql":
            cursor.execute(
                "UPDATE summit_quotegroup SET earliest = x.ids FROM "
                "(SELECT group_id, jsonb_agg(quote_id ORDER BY e) AS ids "
                f"FROM ({early}) y WHERE e <= %s GROUP BY group_id) x "
                "WHERE summit_quotegroup.id = x.group_id",
                [EARLIEST],
            )
        else:
            cursor.execute(
                "UPDATE summit_quotegroup SET earliest = x.ids FROM "
                "(SELECT group_id, json_group_array(quote_id) AS ids FROM "
                f"(SELECT * FROM ({early}) WHERE e <= %s ORDER BY group_id, e) "
                "GROUP BY group_id) x WHERE summit_quotegroup.id = x.group_id",
                [EARLIEST],
            )
        cursor.execute("DROP TABLE summit_rebuild_pair")
        cursor.execute("DROP TABLE summit_rebuild_rank")
    return quotes

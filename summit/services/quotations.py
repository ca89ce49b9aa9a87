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
from django.db import IntegrityError, transaction
from django.db.models import F

from summit.models import NEWEST_ARTICLE_ORDER, Quote, QuoteGroup, QuoteGroupBand, Status

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
    then choose the lead of every group that changed. Cost: these quotes, the groups
    that share a band with them, and those groups' members."""
    ids = sorted(set(quote_ids))
    if not ids:
        return
    touched: set[int] = set()
    with transaction.atomic():
        quotes = Quote.objects.filter(pk__in=ids).only(
            "pk", "speaker_id", "status", "text", "group_id"
        )
        for quote in quotes:
            target = _group_for(quote)
            if target != quote.group_id:
                touched.update(g for g in (quote.group_id, target) if g)
                # Out of a group, a quote is listed on its own.
                Quote.objects.filter(pk=quote.pk).update(group_id=target, listed=target is None)
        groups_refresh(touched)


def _group_for(quote: Quote) -> int | None:
    if quote.speaker_id is None or quote.status == Status.REJECTED:
        return None
    words = quote_words(quote.text)
    if not words:
        return None
    key = group_key(quote.speaker_id, words)
    if quote.group_id:  # still the same quotation as its group's? then it stays
        current = (
            QuoteGroup.objects.filter(pk=quote.group_id)
            .values_list("speaker_id", "key", "words")
            .first()
        )
        if current is not None and current[0] == quote.speaker_id:
            same = current[1] == key or overlap(words, current[2].split()) >= OVERLAP
            if same:
                return quote.group_id
    exact = (
        QuoteGroup.objects.filter(speaker_id=quote.speaker_id, key=key)
        .values_list("pk", flat=True)
        .first()
    )
    if exact:
        return exact
    bands = band_keys(quote.speaker_id, words)
    if bands:
        candidates = QuoteGroup.objects.filter(
            speaker_id=quote.speaker_id,
            pk__in=QuoteGroupBand.objects.filter(key__in=bands).values("group_id"),
        ).values_list("pk", "words")
        scored = [(overlap(words, w.split()), pk) for pk, w in candidates]
        best = max(scored, default=(0.0, None), key=lambda s: (s[0], -s[1]))
        if best[0] >= OVERLAP:
            return best[1]
    return _group_create(quote.speaker_id, key, words, bands)


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
    its articles and note its earliest other members; drop a group left empty."""
    for group_id in sorted(set(group_ids)):
        members = list(
            Quote.objects.shown()
            .filter(group_id=group_id)
            .order_by(*(_article_order(o) for o in NEWEST_ARTICLE_ORDER), "-pk")
            .values_list("pk", "article_id", "article__published")
        )
        if not members and not Quote.objects.filter(group_id=group_id).exists():
            QuoteGroup.objects.filter(pk=group_id).delete()
            continue
        lead = members[0][0] if members else None
        # Earliest first: the newest-first order reversed, undated articles last.
        others = sorted(reversed(members[1:]), key=lambda m: m[2] is None)
        QuoteGroup.objects.filter(pk=group_id).update(
            lead_id=lead,
            article_count=len({m[1] for m in members}),
            earliest=[m[0] for m in others[:EARLIEST]],
        )
        Quote.objects.filter(group_id=group_id, listed=True).exclude(pk=lead).update(listed=False)
        if lead is not None:
            Quote.objects.filter(pk=lead, listed=False).update(listed=True)


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


def quotations_rebuild(*, chunk: int = 5000) -> dict[str, int]:
    """Group every quote afresh (after an upgrade, a restore or a bulk load): quotes
    are read once, a speaker at a time, and grouped in memory the same way as one by
    one. Returns how many groups and quotes."""
    with transaction.atomic():
        QuoteGroupBand.objects.all().delete()
        Quote.objects.exclude(group_id=None).update(group_id=None)
        Quote.objects.filter(listed=False).update(listed=True)
        QuoteGroup.objects.all().delete()
        rows = (
            Quote.objects.filter(speaker__isnull=False)
            .exclude(status=Status.REJECTED)
            .order_by("speaker_id", "pk")
            .values_list("pk", "speaker_id", "text")
            .iterator(chunk_size=chunk)
        )
        groups: list[QuoteGroup] = []
        bands: list[tuple[int, int]] = []  # (group index, key)
        members: dict[int, list[int]] = {}  # group index → quote ids
        speaker: int | None = None
        exact: dict[str, int] = {}  # the speaker's groups by key
        by_band: dict[int, list[int]] = {}  # and by band
        for pk, speaker_id, text in rows:
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
                groups.append(QuoteGroup(speaker_id=speaker_id, key=key, words=" ".join(words)))
                exact[key] = index
                for k in keys:
                    by_band.setdefault(k, []).append(index)
                    bands.append((index, k))
            members.setdefault(index, []).append(pk)
        for index, pks in members.items():
            if len(pks) == 1:  # a quotation in one place leads its own group
                groups[index].lead_id, groups[index].article_count = pks[0], 1
        made = QuoteGroup.objects.bulk_create(groups, batch_size=1000)
        QuoteGroupBand.objects.bulk_create(
            (QuoteGroupBand(group_id=made[i].pk, key=k) for i, k in bands), batch_size=5000
        )
        Quote.objects.bulk_update(
            (Quote(pk=pk, group_id=made[index].pk) for index, pks in members.items() for pk in pks),
            ["group"],
            batch_size=1000,
        )
        groups_refresh(made[i].pk for i, pks in members.items() if len(pks) > 1)
    return {"groups": len(made), "quotes": sum(len(p) for p in members.values())}

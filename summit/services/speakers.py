"""Editors' corrections to speakers: merging duplicates, splitting wrong merges.

Both run in one transaction, move annotations with a history row each (the editor as
history user), mark what they touch as edited, and leave an audit row behind
(``SpeakerMerge`` / ``SpeakerSplit``).
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, OuterRef, Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from summit.models import (
    Claim,
    EntityMention,
    NameCompact,
    NameLastWord,
    Quote,
    Speaker,
    SpeakerAlias,
    SpeakerKind,
    SpeakerMerge,
    SpeakerRedirect,
    SpeakerSplit,
    SpeakerTombstone,
    Status,
    normalise_name,
)
from summit.nlp.entities import strip_titles
from summit.nlp.gazetteer import Gazetteer
from summit.services.counters import count_subquery, counts_refresh_for
from summit.services.editing import claims_within
from summit.services.history import history_baseline

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def editor_gazetteer() -> Gazetteer:
    """What editors settled about names, for the language layer (read once a batch).

    Persons: the names and aliases of speakers an editor kept as persons, and the text
    of mentions an editor labelled or verified PERSON. Organisations likewise. Not
    persons: mentions labelled PERSON that an editor rejected, or relabelled as
    something else.
    """
    persons: list[str] = []
    organisations: list[str] = []
    not_persons: list[str] = []
    by_kind = {SpeakerKind.PERSON: persons, SpeakerKind.ORGANISATION: organisations}
    for name, alias, kind in (
        Speaker.objects.filter(edited=True).values_list("name", "aliases__name", "kind").order_by()
    ):
        by_kind[kind].extend(n for n in (name, alias) if n)
    touched = EntityMention.objects.filter(Q(edited=True) | ~Q(status=Status.MACHINE))
    for text, label, status in touched.values_list("text", "label", "status").order_by():
        if status == Status.REJECTED:
            if label == "PERSON":
                not_persons.append(text)
        elif label == "PERSON":
            persons.append(text)
        elif label in ("ORG", "NORP", "GPE", "LOC", "FAC"):
            not_persons.append(text)
            if label == "ORG":
                organisations.append(text)
    return Gazetteer.build(persons=persons, organisations=organisations, not_persons=not_persons)


class SpeakerEditError(ValueError):
    """The merge or split asked for cannot be done."""


@dataclass(frozen=True)
class SpeakerFootprint:
    """What hangs on a speaker: what a merge would move."""

    speaker: Speaker
    quotes: int
    mentions: int
    claims: int
    aliases: int


def speaker_save(*, speaker: Speaker, by: User | None, reason: str = "") -> Speaker:
    """Save an editor's change to a speaker (its fields or its aliases).

    Any editor change marks the speaker edited: ingestion then keeps its name, kind and
    description as the editor left them. A new kind relabels the marks that name the
    speaker (a person's PERSON names become ORG for an organisation, and back), so the
    article shows them in the new kind's colour.
    """
    before = Speaker.objects.filter(pk=speaker.pk).values_list("kind", flat=True).first()
    speaker.edited = True
    if by is not None:
        speaker._history_user = by
    if reason:
        speaker._change_reason = reason
    with transaction.atomic():
        speaker.save()
        if before is not None and before != speaker.kind:
            _relabel_mentions(speaker, old=before, by=by, reason=reason)
    return speaker


MENTION_LABEL = {SpeakerKind.PERSON: "PERSON", SpeakerKind.ORGANISATION: "ORG"}


def _relabel_mentions(speaker: Speaker, *, old: str, by, reason: str) -> None:
    """The speaker's mentions labelled as its old kind take its new kind's label."""
    mentions = list(speaker.mentions.filter(label=MENTION_LABEL[SpeakerKind(old)]))
    if not mentions:
        return
    history_baseline(mentions)
    now = timezone.now()
    for mention in mentions:
        mention.label = MENTION_LABEL[SpeakerKind(speaker.kind)]
        mention.edited = True
        mention.updated = now
    bulk_update_with_history(
        mentions,
        EntityMention,
        ["label", "edited", "updated"],
        default_user=by,
        default_change_reason=reason or f"{speaker.name} relabelled {speaker.get_kind_display()}",
    )


def speaker_merge_preview(*, speakers: Iterable[Speaker]) -> list[SpeakerFootprint]:
    """Per speaker, how many quotes, mentions, claims and aliases hang on it. Quotes and
    mentions from the counters kept on the speaker (``summit.services.counters``; the
    busiest has hundreds of thousands to count), plus its rejected quotes, which the
    counter leaves out but a merge moves too."""
    rejected = Quote.objects.filter(speaker=OuterRef("pk"), status=Status.REJECTED)
    rows = (
        Speaker.objects.filter(pk__in=[s.pk for s in speakers])
        .annotate(
            n_quotes=F("quote_count") + count_subquery(rejected, "speaker"),
            n_mentions=F("mention_count"),
            n_claims=count_subquery(Claim.objects.filter(holder=OuterRef("pk")), "holder"),
            n_aliases=count_subquery(
                SpeakerAlias.objects.filter(speaker=OuterRef("pk")), "speaker"
            ),
        )
        .order_by("name", "pk")
    )
    return [SpeakerFootprint(s, s.n_quotes, s.n_mentions, s.n_claims, s.n_aliases) for s in rows]


def speaker_merge(*, into: Speaker, others: Iterable[Speaker], by: User | None) -> SpeakerMerge:
    """Merge ``others`` into ``into``.

    Their quotes, mentions and claims move to ``into``; their names and aliases become
    aliases of ``into`` (unless it has them already); ``into`` takes a description if it
    has none; the others are deleted. Returns the ``SpeakerMerge`` that records it.
    """
    others = [s for s in {s.pk: s for s in others}.values() if s.pk != into.pk]
    if not others:
        raise SpeakerEditError("Choose at least one other speaker to merge.")
    other_ids = [s.pk for s in others]
    reason = f"Merged into {into.name} (#{into.pk})"

    with transaction.atomic():
        # All rows locked at once, in id order: two merges of the same speakers (even in
        # opposite directions) take turns instead of deadlocking; the second finds what
        # the first did and says so.
        locked = {
            s.pk: s
            for s in Speaker.objects.select_for_update()
            .filter(pk__in=[into.pk, *other_ids])
            .order_by("pk")
        }
        if into.pk not in locked:
            raise SpeakerEditError(
                f"{into.name} no longer exists: another editor merged them away meanwhile."
            )
        into = locked[into.pk]
        others = [locked[pk] for pk in other_ids if pk in locked]
        if len(others) != len(other_ids):
            raise SpeakerEditError(
                "A speaker to merge no longer exists: another editor merged it meanwhile."
            )

        quotes = list(Quote.objects.filter(speaker__in=others))
        mentions = list(EntityMention.objects.filter(speaker__in=others))
        claims = list(Claim.objects.filter(holder__in=others))
        # What an unmerge needs to put everything back as it was (speaker_unmerge).
        undo: dict[str, Any] = {
            "into": {"description": into.description, "edited": into.edited},
            "speakers": {
                str(o.pk): {
                    "name": o.name,
                    "slug": o.slug,
                    "kind": o.kind,
                    "description": o.description,
                    "edited": o.edited,
                    "quotes": [q.pk for q in quotes if q.speaker_id == o.pk],
                    "mentions": [m.pk for m in mentions if m.speaker_id == o.pk],
                    "claims": [c.pk for c in claims if c.holder_id == o.pk],
                    # What was the machine's as it stood: an unmerge gives it back so.
                    "unedited": [
                        *(f"q{q.pk}" for q in quotes if q.speaker_id == o.pk and not q.edited),
                        *(f"m{m.pk}" for m in mentions if m.speaker_id == o.pk and not m.edited),
                        *(f"c{c.pk}" for c in claims if c.holder_id == o.pk and not c.edited),
                    ],
                    "aliases": [],
                    "dropped_aliases": [],
                    "made_alias": None,
                }
                for o in others
            },
            "merges": list(
                SpeakerMerge.objects.filter(into__in=others).values_list("pk", "into_id")
            ),
            "redirects": list(
                SpeakerRedirect.objects.filter(speaker__in=others).values_list("pk", "speaker_id")
            ),
            "split_sources": list(
                SpeakerSplit.objects.filter(source__in=others).values_list("pk", "source_id")
            ),
            "split_new": list(
                SpeakerSplit.objects.filter(new_speaker__in=others).values_list(
                    "pk", "new_speaker_id"
                )
            ),
        }
        _move(quotes, "speaker", into, by=by, reason=reason)
        _move(mentions, "speaker", into, by=by, reason=reason)
        _move(claims, "holder", into, by=by, reason=reason)

        known = {into.name_key, *into.aliases.values_list("name_key", flat=True)}
        alias_ids: list[int] = []
        for other in others:
            record = undo["speakers"][str(other.pk)]
            for alias in list(other.aliases.all()):
                if alias.name_key in known:
                    record["dropped_aliases"].append(alias.name)
                    alias._history_user = by
                    alias.delete()
                    continue
                known.add(alias.name_key)
                alias.speaker = into
                alias._history_user = by
                alias.save()
                alias_ids.append(alias.pk)
                record["aliases"].append(alias.pk)
            if other.name_key not in known:
                known.add(other.name_key)
                alias = SpeakerAlias(speaker=into, name=other.name)
                alias._history_user = by
                alias.save()
                alias_ids.append(alias.pk)
                record["made_alias"] = alias.pk
            if not into.description and other.description:
                into.description = other.description

        # Earlier audit rows and old addresses follow the speaker they were about.
        _merges_follow(others, into)
        SpeakerRedirect.objects.filter(speaker__in=others).update(speaker=into)
        for other in others:
            SpeakerRedirect.objects.update_or_create(
                old_slug=other.slug, defaults={"speaker": into}
            )
        SpeakerSplit.objects.filter(source__in=others).update(source=into)
        SpeakerSplit.objects.filter(new_speaker__in=others).update(new_speaker=into)

        merged_names = [
            {"id": o.pk, "name": o.name, "slug": o.slug, "description": o.description}
            for o in others
        ]
        for other in others:
            other._history_user = by
            other.delete()

        into.edited = True
        into._history_user = by
        into._change_reason = ("Took in " + ", ".join(o.name for o in others))[:100]
        into.save(update_fields=["description", "edited"])  # its counts are fresh already
        return SpeakerMerge.objects.create(
            into=into,
            merged_names=merged_names,
            moved={
                "into_name": into.name,
                "quotes": len(quotes),
                "mentions": len(mentions),
                "claims": len(claims),
                "aliases": len(alias_ids),
                "ids": {
                    "quotes": [q.pk for q in quotes],
                    "mentions": [m.pk for m in mentions],
                    "claims": [c.pk for c in claims],
                    "aliases": alias_ids,
                },
                "undo": undo,
            },
            by=by,
        )


def _merges_follow(speakers: Iterable[Speaker], to: Speaker | None) -> None:
    """The merge records into ``speakers`` now say ``to`` (None: a speaker deleted), each
    still saying whom its editor merged into (``into_name``)."""
    for earlier in SpeakerMerge.objects.filter(into__in=list(speakers)).select_related("into"):
        if earlier.into is not None:
            earlier.moved.setdefault("into_name", earlier.into.name)
        earlier.into = to
        earlier.save(update_fields=["into", "moved"])


def speaker_unmerge(*, merge: SpeakerMerge, by: User | None) -> list[Speaker]:
    """Undo a merge: the merged speakers come back (same ids and addresses) with the
    quotes, mentions, claims and aliases they had, where these still hang on the
    speaker they were merged into; their redirects go. Returns the restored speakers."""
    undo = merge.moved.get("undo")
    if merge.undone_at is not None:
        raise SpeakerEditError("This merge was undone already.")
    if merge.into is None:
        raise SpeakerEditError(
            "The speaker they were merged into was deleted since, with what was theirs: "
            "there is nothing to take back."
        )
    if not undo:
        raise SpeakerEditError("This merge was recorded without what undoing it needs.")
    reason = f"Unmerged from {merge.into.name} (#{merge.into.pk})"
    with transaction.atomic():
        into = Speaker.objects.select_for_update().get(pk=merge.into_id)
        specs = undo["speakers"]
        taken = Speaker.objects.filter(
            Q(pk__in=[int(pk) for pk in specs]) | Q(slug__in=[s["slug"] for s in specs.values()])
        )
        if taken.exists():
            raise SpeakerEditError(
                f"A speaker with the id or address of {', '.join(str(t) for t in taken)} "
                "exists again; rename or merge it first."
            )
        restored = []
        for pk, spec in specs.items():
            speaker = Speaker(
                pk=int(pk),
                name=spec["name"],
                slug=spec["slug"],
                kind=spec["kind"],
                description=spec["description"],
                edited=spec["edited"],
            )
            speaker._history_user = by
            speaker._change_reason = reason
            speaker.save(force_insert=True)
            restored.append(speaker)
            unedited = set(spec.get("unedited", ()))
            for model, field, key in (
                (Quote, "speaker", "quotes"),
                (EntityMention, "speaker", "mentions"),
                (Claim, "holder", "claims"),
            ):
                objs = list(model.objects.filter(pk__in=spec[key], **{field: into}))
                mark = key[0]
                _move(
                    objs,
                    field,
                    speaker,
                    by=by,
                    reason=reason,
                    unedited={o.pk for o in objs if f"{mark}{o.pk}" in unedited},
                )
            for alias in SpeakerAlias.objects.filter(pk__in=spec["aliases"], speaker=into):
                alias.speaker = speaker
                alias._history_user = by
                alias.save()
            for name in spec["dropped_aliases"]:
                alias = SpeakerAlias(speaker=speaker, name=name)
                alias._history_user = by
                alias.save()
            if spec["made_alias"]:
                for alias in SpeakerAlias.objects.filter(pk=spec["made_alias"], speaker=into):
                    alias._history_user = by
                    alias.delete()
            SpeakerRedirect.objects.filter(old_slug=spec["slug"]).delete()
        for record, field, rows in (
            (SpeakerMerge, "into_id", undo["merges"]),
            (SpeakerRedirect, "speaker_id", undo["redirects"]),
            (SpeakerSplit, "source_id", undo["split_sources"]),
            (SpeakerSplit, "new_speaker_id", undo["split_new"]),
        ):
            for pk, owner in rows:
                record.objects.filter(pk=pk).update(**{field: owner})
        if into.description != undo["into"]["description"] and not undo["into"]["description"]:
            into.description = ""
        # Edited only by the merge: as it was before. An editor's later change stays.
        changed_since = into.history.filter(history_date__gt=merge.at).exists()
        into.edited = undo["into"]["edited"] or changed_since
        into._history_user = by
        into._change_reason = reason
        into.save(update_fields=["description", "edited"])
        merge.undone_by, merge.undone_at = by, timezone.now()
        merge.save(update_fields=["undone_by", "undone_at"])
    return restored


def speaker_made_by_pipeline(speaker: Speaker) -> bool:
    """Whether the language pipeline made ``speaker`` (an editor did not add it)."""
    first = speaker.history.order_by("history_date", "history_id").first()
    return first is None or first.history_user_id is None


def speaker_delete(
    *, speaker: Speaker, by: User | None, give_to: Speaker | None = None, reason: str = ""
) -> SpeakerFootprint:
    """Delete a speaker as an annotation is deleted: nothing falls silently.

    Its quotes, mentions and claims go to ``give_to`` if the editor chose one. Else its
    quotes and mentions are nobody's, and its claims are rejected (hidden): a claim
    held by nobody would read as the article's author's. Each moved row gets a history
    row. A speaker the pipeline made leaves a tombstone for each of its names, so that
    re-ingest does not make it again (a person found by those names is then nobody, or
    ``give_to``). Returns what it affected.
    """
    if give_to is not None and give_to.pk == speaker.pk:
        raise SpeakerEditError("Give its quotes to another speaker, not to itself.")
    word = f"{give_to.name} (#{give_to.pk})" if give_to else "nobody"
    reason = (reason or f"Its speaker {speaker.name} was deleted; now {word}")[:100]
    with transaction.atomic():
        quotes = list(Quote.objects.filter(speaker=speaker))
        mentions = list(EntityMention.objects.filter(speaker=speaker))
        claims = list(Claim.objects.filter(holder=speaker))
        footprint = SpeakerFootprint(
            speaker, len(quotes), len(mentions), len(claims), speaker.aliases.count()
        )
        if give_to is not None:
            _move(quotes, "speaker", give_to, by=by, reason=reason)
            _move(mentions, "speaker", give_to, by=by, reason=reason)
            _move(claims, "holder", give_to, by=by, reason=reason)
        else:
            _set(quotes, {"speaker": None}, by=by, reason=reason)
            _set(mentions, {"speaker": None}, by=by, reason=reason)
            _set(claims, {"holder": None, "status": Status.REJECTED}, by=by, reason=reason)
        # Its merge records follow its quotes to ``give_to`` (undoing one takes them
        # back from there), or stay, with its name, when it leaves no one.
        _merges_follow([speaker], give_to)
        if give_to is not None:
            SpeakerRedirect.objects.filter(speaker=speaker).update(speaker=give_to)
            SpeakerRedirect.objects.get_or_create(
                old_slug=speaker.slug, defaults={"speaker": give_to}
            )
        if speaker_made_by_pipeline(speaker):
            names = {speaker.name_key: speaker.name}
            for alias in speaker.aliases.all():
                if len(alias.name_key.split()) > 1:  # a full name, not a bare "Kim"
                    names.setdefault(alias.name_key, alias.name)
            SpeakerTombstone.objects.bulk_create(
                SpeakerTombstone(
                    name=name, name_key=key, speaker_id=speaker.pk, replacement=give_to, by=by
                )
                for key, name in names.items()
            )
        speaker._history_user = by
        speaker._change_reason = reason
        speaker.delete()
    return footprint


@dataclass(frozen=True)
class Duplicate:
    speaker: Speaker
    why: str


def speaker_duplicates(*, speaker: Speaker, limit: int = 10) -> list[Duplicate]:
    """Speakers that may be ``speaker`` under another name: the same name once case,
    punctuation, titles, accents, invisible characters and look-alike letters (a
    Cyrillic "а" for a Latin "a") are ignored; a one-word name that is the other's
    surname; a shared alias."""
    keys = {speaker.name_key, *(a.name_key for a in speaker.aliases.all())}
    bare = normalise_name(strip_titles(speaker.name))
    keys |= {bare} - {""}
    compact = {k.replace(" ", "") for k in keys}
    words = bare.split()
    by_key = Q(name_key__in=keys)
    by_last = None
    if len(words) == 1:
        by_last = Q(last_word=words[0])  # "Trump" and "Donald Trump"
    elif words:
        by_key |= Q(name_key=words[-1])
        # The same name with a title before it ("President Moon Jae In"): the hint
        # that one gives must be given back.
        by_last = Q(last_word=words[-1], name_key__endswith=f" {bare}")
    with_compact = Speaker.objects.annotate(compact=NameCompact("name_key"))
    # One UNION, each part on its own index: the keys, the aliases, the keys without
    # their spaces (``speaker_compact``) and the keys' last words
    # (``speaker_last_word``). As one OR over the speakers joined to their aliases,
    # SQLite walked every speaker by name and looked up each one's aliases (3.6 s at
    # 150,000 speakers); with the written forms matched by REPLACE and LIKE it still
    # read every name (0.5 s).
    parts = [
        SpeakerAlias.objects.filter(name_key__in=keys).order_by().values_list("speaker_id"),
        with_compact.filter(compact__in=compact).order_by().values_list("pk"),
    ]
    if by_last is not None:
        parts.append(
            Speaker.objects.annotate(last_word=NameLastWord("name_key"))
            .filter(by_last)
            .order_by()
            .values_list("pk")
        )
    ids = Speaker.objects.filter(by_key).order_by().values_list("pk").union(*parts)
    found = (
        with_compact.filter(pk__in=[pk for (pk,) in ids])
        .exclude(pk=speaker.pk)
        .prefetch_related("aliases")
        .order_by("name", "pk")[:limit]
    )
    out = []
    for other in found:
        other_keys = {other.name_key, *(a.name_key for a in other.aliases.all())}
        if other.compact in compact or normalise_name(strip_titles(other.name)) in keys:
            why = (
                "the same name, once case, punctuation, titles, accents and look-alike "
                "letters are ignored"
            )
        elif keys & other_keys:
            why = "a shared name or alias"
        else:
            why = "a one-word name that is the other's surname"
        out.append(Duplicate(other, why))
    return out


def speaker_split(
    *,
    speaker: Speaker,
    name: str,
    quotes: Iterable[Quote],
    mentions: Iterable[EntityMention],
    by: User | None,
    claims: Iterable[Claim] = (),
    aliases: Iterable[SpeakerAlias] = (),
    kind: SpeakerKind | str | None = None,
    description: str = "",
) -> Speaker:
    """Move the given quotes, mentions (and claims, aliases) of ``speaker`` to a new
    speaker called ``name``; returns the new speaker. A ``SpeakerSplit`` records it.

    If ``name`` is one of ``speaker``'s aliases, that alias goes: it names the new one.
    """
    name = " ".join(name.split())
    if not name:
        raise SpeakerEditError("The new speaker needs a name.")
    quotes, mentions = list(quotes), list(mentions)
    claims, aliases = list(claims), list(aliases)
    if not (quotes or mentions or claims or aliases):
        raise SpeakerEditError("Choose at least one quote, mention, claim or alias to move.")
    if any(q.speaker_id != speaker.pk for q in quotes) or any(
        m.speaker_id != speaker.pk for m in mentions
    ):
        raise SpeakerEditError(f"Only {speaker.name}'s own quotes and mentions can move.")
    if any(c.holder_id != speaker.pk for c in claims) or any(
        a.speaker_id != speaker.pk for a in aliases
    ):
        raise SpeakerEditError(f"Only {speaker.name}'s own claims and aliases can move.")

    # The claims inside a quote that moves go with it (when the old speaker held them).
    chosen = {c.pk for c in claims}
    claims += [c for c in claims_within(quotes) if c.holder_id == speaker.pk and c.pk not in chosen]

    with transaction.atomic():
        new = Speaker(
            name=name,
            kind=kind or speaker.kind,
            description=description,
            edited=True,
        )
        new._history_user = by
        new.save()
        reason = f"Split off {speaker.name} (#{speaker.pk}) to {new.name} (#{new.pk})"
        _move(quotes, "speaker", new, by=by, reason=reason)
        _move(mentions, "speaker", new, by=by, reason=reason)
        _move(claims, "holder", new, by=by, reason=reason)
        moved_alias_ids = []
        key = normalise_name(name)
        for alias in aliases:
            if alias.name_key == key:
                continue  # dropped below: it is the new speaker's name
            alias.speaker = new
            alias._history_user = by
            alias.save()
            moved_alias_ids.append(alias.pk)
        for alias in SpeakerAlias.objects.filter(Q(speaker=speaker) & Q(name_key=key)):
            alias._history_user = by
            alias.delete()

        speaker.edited = True
        speaker._history_user = by
        speaker._change_reason = reason[:100]
        speaker.save(update_fields=["edited"])  # its counts were recounted by the moves
        SpeakerSplit.objects.create(
            source=speaker,
            source_name=speaker.name,
            new_speaker=new,
            new_name=new.name,
            moved={
                "quotes": [q.pk for q in quotes],
                "mentions": [m.pk for m in mentions],
                "claims": [c.pk for c in claims],
                "aliases": moved_alias_ids,
            },
            by=by,
        )
        return new


def _move(
    objs: list,
    field: str,
    speaker: Speaker,
    *,
    by,
    reason: str,
    unedited: AbstractSet[int] = frozenset(),
) -> None:
    """Move ``objs`` to ``speaker``, marking them edited (those in ``unedited``, given
    back by an unmerge, the machine's again)."""
    _set(objs, {field: speaker}, by=by, reason=reason, unedited=unedited)


def _set(
    objs: list,
    values: dict[str, Any],
    *,
    by,
    reason: str,
    unedited: AbstractSet[int] = frozenset(),
) -> None:
    """Set ``values`` (a speaker or holder among them) on ``objs``, a history row each,
    and recount what they counted for."""
    if not objs:
        return
    history_baseline(objs)
    now = timezone.now()
    field = "speaker" if "speaker" in values else "holder"
    speakers_before = [getattr(obj, f"{field}_id") for obj in objs]
    for obj in objs:
        for name, value in values.items():
            setattr(obj, name, value)
        obj.edited = obj.pk not in unedited
        obj.updated = now
    bulk_update_with_history(
        objs,
        type(objs[0]),
        [*values, "edited", "updated"],
        default_user=by,
        default_change_reason=reason,
    )
    counts_refresh_for(objs, speakers=speakers_before)

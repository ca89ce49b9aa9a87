"""Which Speaker row a person found in one article is: identity across articles.

Same canonical name (normalised): the same speaker. A name ("Trump", "Kim", or one an
editor merged into another speaker) joins the one speaker known by that name or
alias, if exactly one is. A full name that an existing one-word speaker is an alias of
("Donald Trump" after "Trump") completes that speaker's name. Anything else is a new
speaker: namesakes ("Kim Yong Chol", "Kim San-ho") stay apart.

An article's people are resolved together: one query finds every speaker they may
be, new speakers and aliases are inserted in bulk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from summit.models import Speaker, SpeakerAlias, SpeakerTombstone, clean_name, normalise_name
from summit.nlp import types as nlp
from summit.nlp.people import more_informative
from summit.nlp.vocabulary import PERSONAL_PRONOUNS

# A name given by the pipeline that is a pronoun is no alias.


class SpeakerResolver:
    def __init__(self) -> None:
        # Keys of the people who are nobody: a speaker an editor deleted went by their
        # name (``SpeakerTombstone``). Their claims are not made (nobody would read as
        # the article's author).
        self.buried: set[str] = set()

    def resolve_all(self, people: Iterable[nlp.Person]) -> dict[str | None, Speaker]:
        """Person key → Speaker for one article's people, creating what is new. A
        person named as a deleted speaker was is that speaker's replacement, if the
        editor chose one, or nobody (left out, and their key put in ``buried``)."""
        people = list(people)
        if not people:
            return {}
        names = {normalise_name(p.name) for p in people} - {""}
        tombstones = {
            t.name_key: t
            for t in SpeakerTombstone.objects.filter(name_key__in=names).select_related(
                "replacement"
            )
        }
        alive, replaced = [], {}
        for person in people:
            tombstone = tombstones.get(normalise_name(person.name))
            if tombstone is None:
                alive.append(person)
            elif tombstone.replacement is not None:
                replaced[person.key] = tombstone.replacement
            else:
                self.buried.add(person.key)
        resolved = self._resolve(alive) if alive else {}
        resolved.update(replaced)
        return resolved

    def _resolve(self, people: list[nlp.Person]) -> dict[str | None, Speaker]:
        keys = {normalise_name(n) for p in people for n in [p.name, *p.aliases]} - {""}
        known = list(
            Speaker.objects.filter(Q(name_key__in=keys) | Q(aliases__name_key__in=keys))
            .distinct()
            .order_by("pk")
            .prefetch_related("aliases")
        )
        by_name: dict[str, list[Speaker]] = defaultdict(list)
        by_any: dict[str, list[Speaker]] = defaultdict(list)
        for speaker in known:
            by_name[speaker.name_key].append(speaker)
            for k in {speaker.name_key, *(a.name_key for a in speaker.aliases.all())}:
                by_any[k].append(speaker)

        resolved: dict[str | None, Speaker] = {}
        new: dict[tuple[str, str], Speaker] = {}
        for person in people:
            kind, key = person.kind.value, normalise_name(person.name)
            speaker = next((s for s in by_name[key] if s.kind == kind), None)
            if speaker is None and len(by_any[key]) == 1:
                speaker = by_any[key][0]
            if speaker is None and len(key.split()) > 1:
                speaker = self._completable(person, kind, by_name)
            if speaker is None:
                speaker = new.get((key, kind))
            if speaker is None:
                speaker = new[(key, kind)] = Speaker(
                    name=clean_name(person.name)[:300],
                    name_key=key,
                    kind=kind,
                    description=person.description[:500],
                )
            elif not speaker.edited and more_informative(person.description, speaker.description):
                # Kept per speaker across articles: the most informative wins, and an
                # editor's description is never replaced.
                speaker.description = person.description[:500]
                if speaker.pk:
                    speaker.save(update_fields=["description"])
            resolved[person.key] = speaker

        if new:
            self._assign_slugs(list(new.values()))
            bulk_create_with_history(list(new.values()), Speaker)
        self._add_aliases(people, resolved, fresh={id(s) for s in new.values()})
        return resolved

    def _completable(self, person: nlp.Person, kind: str, by_name) -> Speaker | None:
        one_word = {normalise_name(a) for a in person.aliases} - {""}
        candidates = [
            s
            for k in one_word
            if len(k.split()) == 1
            for s in by_name[k]
            if s.kind == kind and not s.edited
        ]
        if len(candidates) != 1:
            return None
        speaker = candidates[0]  # its one-word name stays on as an alias (_add_aliases)
        speaker.name = person.name[:300]
        speaker.save(update_fields=["name", "name_key"])
        return speaker

    @staticmethod
    def _assign_slugs(speakers: list[Speaker]) -> None:
        """Each new speaker's slug: its name's, or the first "name-N" free. The slugs
        taken are read by name first (one IN), and the "name-N" ones only for the names
        found taken (an OR of a prefix test per name cost more to compile than to run)."""
        bases = [(s, slugify(s.name)[:300] or "speaker") for s in speakers]
        names = sorted({base for _, base in bases})
        taken = set(Speaker.objects.filter(slug__in=names).values_list("slug", flat=True))
        probed: set[str] = set()
        while True:
            chosen, used, crowded = [], set(taken), set()
            for speaker, base in bases:
                slug, n = base, 1
                if slug in used and base not in probed:
                    crowded.add(base)
                while slug in used:
                    n += 1
                    slug = f"{base}-{n}"
                chosen.append((speaker, slug))
                used.add(slug)
            if not crowded:
                break
            numbered = Q()
            for base in sorted(crowded):
                numbered |= Q(slug__startswith=f"{base}-")
            taken.update(Speaker.objects.filter(numbered).values_list("slug", flat=True))
            probed |= crowded
        for speaker, slug in chosen:
            speaker.slug = slug

    @staticmethod
    def _add_aliases(
        people: list[nlp.Person], resolved: dict[str | None, Speaker], *, fresh: set[int]
    ) -> None:
        """Every name the article used for a speaker becomes one of its aliases."""
        have: dict[int, set[str]] = {}
        aliases: list[SpeakerAlias] = []
        for person in people:
            speaker = resolved[person.key]
            keys = have.get(speaker.pk)
            if keys is None:
                # Speakers found were fetched with their aliases; new ones have none.
                existing = (
                    set() if id(speaker) in fresh else {a.name_key for a in speaker.aliases.all()}
                )
                keys = have[speaker.pk] = {speaker.name_key} | existing
            for alias in [*person.aliases, person.name]:
                key = normalise_name(alias)
                if key and key not in keys and key not in PERSONAL_PRONOUNS:
                    aliases.append(
                        SpeakerAlias(speaker=speaker, name=clean_name(alias)[:300], name_key=key)
                    )
                    keys.add(key)
        if aliases:
            bulk_create_with_history(aliases, SpeakerAlias)

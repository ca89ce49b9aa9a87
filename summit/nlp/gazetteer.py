"""What editors taught the desk, applied to the entities of the next articles.

Plain data in, plain data out: the ingest service reads the editors' corrections once
per batch into a ``Gazetteer`` and the pipeline applies it to each article's repaired
entities, before people are built from them:

- a name editors marked a person (a speaker of kind person, its aliases, a mention
  labelled PERSON by hand) is a person even where the model tags it otherwise;
- a name editors marked an organisation is one;
- a name editors said is no person (a rejected PERSON mention, or one relabelled) is
  not made a person again ("Tweeted", "AWESOME").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from .work import Ent

PERSON, ORG = "PERSON", "ORG"
# Labels the model may give a name that is really a person's (or an organisation's).
_NAME_LABELS = {"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT"}


def name_key(name: str) -> str:
    """The form names are matched in: case-folded, accents and punctuation folded."""
    text = unicodedata.normalize("NFKD", name).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'")
    return " ".join(text.replace("-", " ").replace(".", " ").split())


def _bare(text: str) -> str:
    key = name_key(text)
    for tail in ("'s", "'"):
        key = key.removesuffix(tail)
    return key.removeprefix("the ").strip()


@dataclass(frozen=True)
class Gazetteer:
    """Name keys (see ``name_key``) editors settled, by what they are."""

    persons: frozenset[str] = field(default_factory=frozenset)
    organisations: frozenset[str] = field(default_factory=frozenset)
    not_persons: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def build(
        cls,
        *,
        persons: Iterable[str] = (),
        organisations: Iterable[str] = (),
        not_persons: Iterable[str] = (),
    ) -> Gazetteer:
        """From names as editors wrote them; a name said to be a person wins."""
        who = {name_key(n) for n in persons} - {""}
        orgs = {name_key(n) for n in organisations} - who - {""}
        never = {name_key(n) for n in not_persons} - who - {""}
        return cls(frozenset(who), frozenset(orgs), frozenset(never))

    def __bool__(self) -> bool:
        return bool(self.persons or self.organisations or self.not_persons)

    def no_person(self, name: str) -> bool:
        """Whether editors said ``name`` is no person."""
        return bool(self.not_persons) and _bare(name) in self.not_persons

    def apply(self, ents: list[Ent]) -> list[Ent]:
        """The entities with editors' corrections applied (in place; dropped ones gone)."""
        kept = []
        for e in ents:
            key = _bare(e.text)
            if e.label in _NAME_LABELS and key in self.persons:
                e.label = PERSON
            elif e.label in _NAME_LABELS and key in self.organisations:
                e.label = ORG
            elif e.label == PERSON and key in self.not_persons:
                continue
            kept.append(e)
        return kept

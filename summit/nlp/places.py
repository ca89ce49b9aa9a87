"""Countries, regions and nationalities, from ISO data (``pycountry``) rather than hand
lists: whether a name is a country or a region, and whether a word names a people
("Bangladeshi", "South Koreans", "Welsh").

Plain functions over case-folded names, each table built once per process.
"""

from __future__ import annotations

import functools
import re

import pycountry

# How a nationality is made from a country's name: "Bangladesh" + "i", "Korea" + "n",
# "Italy" - "y" + "ian", "Spain" - "ain" + "anish" is irregular and comes from the
# languages table instead ("Spanish").
_DEMONYM_ENDINGS = ("", "i", "n", "an", "ian", "ese", "ish", "er")
_DROP_TAILS = ("", "a", "e", "y", "ia", "o", "ain", "land")


def _fold(name: str) -> str:
    return " ".join(name.replace("’", "'").casefold().split())


def _names(record) -> set[str]:
    out = set()
    for attr in ("name", "common_name", "official_name"):
        value = getattr(record, attr, None)
        if value:
            # "Bristol, City of" and "Vale of Glamorgan, The [Bro Morgannwg …]"
            value = re.sub(r"\s*\[.*?\]", "", value).split(",")[0]
            out.add(_fold(value))
    return out


@functools.cache
def _countries() -> frozenset[str]:
    names: set[str] = set()
    for c in pycountry.countries:
        names |= _names(c)
    for c in getattr(pycountry, "historic_countries", ()):
        names |= _names(c)
    # the nations of a union that news names as countries ("Wales", "Scotland")
    for s in pycountry.subdivisions:
        if s.type in ("Nation", "Country"):
            names |= _names(s)
    return frozenset(names)


@functools.cache
def _regions() -> frozenset[str]:
    return frozenset(
        n for s in pycountry.subdivisions for n in _names(s) if " " not in n or len(n) > 6
    )


@functools.cache
def _stems() -> frozenset[str]:
    """Country names' last words, the stems nationalities are made of ("korea")."""
    words = {w for n in _countries() for w in n.split()}
    return frozenset(w for w in words if len(w) > 3)


@functools.cache
def _languages() -> frozenset[str]:
    """Major languages (those with a two-letter code): "Welsh", "Polish"."""
    return frozenset(
        _fold(lang.name)
        for lang in pycountry.languages
        if " " not in lang.name and getattr(lang, "alpha_2", None)
    )


def is_country(name: str) -> bool:
    """A country's name, or its ISO code written in capitals ("US", "U.S.")."""
    key = _fold(name).removeprefix("the ")
    code = name.replace(".", "")
    return key in _countries() or (code.isupper() and code.isalpha() and code in _codes())


@functools.cache
def _codes() -> frozenset[str]:
    return frozenset(code for c in pycountry.countries for code in (c.alpha_2, c.alpha_3)) | {"UK"}


def is_region(name: str) -> bool:
    """A country's first-level part: a state, county, province or city region."""
    return _fold(name) in _regions()


def is_nationality(name: str) -> bool:
    """Whether ``name`` names a people or its language: "Welsh", "Bangladeshi",
    "the South Koreans", "Scots", "North Korean"."""
    words = _fold(name).removeprefix("the ").split()
    if not words or len(words) > 3:
        return False
    last = words[-1]
    for word in (last, last.removesuffix("s")):
        if word in _languages() or _derived(word):
            return all(w in ("north", "south", "east", "west") for w in words[:-1])
    return False


@functools.cache
def _derived(word: str) -> bool:
    if word in _countries() or len(word) < 4:
        return False
    stems = _stems()
    for ending in _DEMONYM_ENDINGS:
        if not word.endswith(ending):
            continue
        base = word[: len(word) - len(ending)]
        tails = ("land",) if not ending else _DROP_TAILS  # "Scot": Scotland
        if any(base + tail in stems and base + tail != word for tail in tails):
            return True
    return False

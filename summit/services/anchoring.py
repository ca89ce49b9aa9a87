"""Finding an annotation's text in an article's paragraphs.

Used when paragraphs change under kept annotations (re-ingest) and when an editor
types a quote's text instead of offsets.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import Truncator


class AnchorError(ValueError):
    """The text cannot be placed unambiguously."""


class AnchorNotFound(AnchorError):
    pass


class AnchorAmbiguous(AnchorError):
    pass


@dataclass(frozen=True)
class Anchor:
    paragraph: int  # index into the list of paragraph texts
    start: int
    end: int


def _occurrences(haystack: str, needle: str) -> list[int]:
    found, at = [], haystack.find(needle)
    while at != -1:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def find_anchor(
    paragraphs: list[str],
    text: str,
    *,
    near: tuple[int, int] | None = None,
    only: int | None = None,
) -> Anchor:
    """Where ``text`` stands in ``paragraphs``.

    ``only`` restricts the search to one paragraph. With several places, ``near``
    (paragraph index, offset) picks the closest one, as when re-anchoring an annotation
    whose paragraph shifted; without it the text must occur exactly once.
    """
    if not text:
        raise AnchorNotFound("An annotation needs some text.")
    indexes = [only] if only is not None else range(len(paragraphs))
    places = [
        Anchor(i, start, start + len(text))
        for i in indexes
        if 0 <= i < len(paragraphs)
        for start in _occurrences(paragraphs[i], text)
    ]
    if not places:
        raise AnchorNotFound(f"“{Truncator(text).chars(60)}” is not in the article's text.")
    if len(places) == 1:
        return places[0]
    if near is None:
        raise AnchorAmbiguous(
            f"“{Truncator(text).chars(60)}” stands {len(places)} times in the text; "
            "say which paragraph."
        )
    paragraph, offset = near
    return min(places, key=lambda a: (abs(a.paragraph - paragraph), abs(a.start - offset)))

"""Finding an annotation's text in an article's paragraphs.

``find_anchor``: where an editor's typed text stands (it must stand once, or in the
paragraph they name). ``place``: where an annotation stands again after its article's
text changed (re-ingest), said by a ``TextQuote`` selector; the one matcher for the
machine's ids, editors' tombstones, kept edits and retired quotes' addresses.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

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


# Re-anchoring: a text-quote selector, as web annotations have ----------------------

# Characters of context kept on each side of an annotation's words.
CONTEXT = 32
# How like the old words the nearest match must be, when they are not there as they were;
# and when it stands right between the old words before and after them.
FUZZY_RATIO = 0.6
BRACKETED_RATIO = 0.25


@dataclass(frozen=True)
class TextQuote:
    """Where an annotation stands, said by its words: ``exact`` with the ``prefix``
    before and the ``suffix`` after them, and the paragraph (index) and offset it stood
    at, a hint only. It holds when paragraphs are inserted or removed and when the text
    around it changes; offsets alone do not."""

    exact: str
    prefix: str = ""
    suffix: str = ""
    paragraph: int = 0
    start: int = 0

    @classmethod
    def at(cls, text: str, start: int, end: int, paragraph: int) -> TextQuote:
        """The selector of ``text[start:end]`` (in paragraph number ``paragraph``)."""
        return cls(
            exact=text[start:end],
            prefix=text[max(0, start - CONTEXT) : start],
            suffix=text[end : end + CONTEXT],
            paragraph=paragraph,
            start=start,
        )


@dataclass(frozen=True)
class Placed:
    """Where a selector stands now. ``exact``: its very words are there; otherwise the
    nearest match, whose words differ (an editor should look at it again)."""

    paragraph: int
    start: int
    end: int
    exact: bool = True
    likeness: float = 1.0  # of the words found to the words sought, 0 to 1


def context_agreement(text: str, start: int, end: int, quote: TextQuote) -> int:
    """How many characters around ``text[start:end]`` agree with the selector's context."""
    return _agree(text[:start], text[end:], quote)


def agreement(a: TextQuote, b: TextQuote) -> int:
    """How many characters of context two selectors share (before and after)."""
    return _agree(a.prefix, a.suffix, b)


def _agree(before: str, after: str, quote: TextQuote) -> int:
    n = 0
    while n < min(len(before), len(quote.prefix)) and before[-1 - n] == quote.prefix[-1 - n]:
        n += 1
    m = 0
    while m < min(len(after), len(quote.suffix)) and after[m] == quote.suffix[m]:
        m += 1
    return n + m


def place(
    paragraphs: list[str],
    quote: TextQuote,
    *,
    fuzzy: bool = True,
    min_ratio: float = FUZZY_RATIO,
    bracketed_ratio: float | None = None,
) -> Placed | None:
    """Where ``quote`` stands in ``paragraphs``, or ``None``.

    Its exact words first: of several places, the one whose context agrees most, then
    the nearest to where it stood. Failing that (``fuzzy``), the passage most like its
    words (at least ``min_ratio`` alike, or ``bracketed_ratio`` when it stands right
    between the selector's prefix and suffix: the words between changed), found
    between its prefix and suffix. Its
    words found where none of the words around them agree (another "Kim" in another
    paragraph, the first having gone) is not a sure place either: ``exact`` is false.
    """
    if not quote.exact:
        return None
    places = [
        (i, start) for i, text in enumerate(paragraphs) for start in _occurrences(text, quote.exact)
    ]
    if places:
        scored = [
            (
                context_agreement(paragraphs[i], start, start + len(quote.exact), quote),
                -abs(i - quote.paragraph),
                -abs(start - quote.start),
                i,
                start,
            )
            for i, start in places
        ]
        agreement, _, _, i, start = max(scored)
        sure = agreement >= min(8, len(quote.prefix) + len(quote.suffix))
        return Placed(i, start, start + len(quote.exact), exact=sure)
    if not fuzzy:
        return None
    best: tuple[tuple[float, int, int], Placed] | None = None
    order = sorted(range(len(paragraphs)), key=lambda i: abs(i - quote.paragraph))
    for i in order:
        found = _nearest_passage(paragraphs[i], quote)
        if found is None:
            continue
        ratio, start, end, bracketed = found
        enough = bracketed_ratio if bracketed and bracketed_ratio is not None else min_ratio
        if ratio < min(min_ratio, enough):
            continue
        key = (ratio, -abs(i - quote.paragraph), -abs(start - quote.start))
        if best is None or key > best[0]:
            best = (key, Placed(i, start, end, exact=False, likeness=ratio))
    return best[1] if best else None


def _nearest_passage(text: str, quote: TextQuote) -> tuple[float, int, int, bool] | None:
    """The passage of ``text`` most like ``quote.exact``: (likeness, start, end, whether
    it stands right between the selector's prefix and suffix)."""
    exact = quote.exact
    starts: set[int] = set()
    ends: set[int] = set()
    for k in (16, 6):
        head, tail = quote.prefix[-k:], quote.suffix[:k]
        if head:
            starts.update(at + len(head) for at in _occurrences(text, head))
        if tail:
            ends.update(_occurrences(text, tail))
    if not quote.prefix:
        starts.add(0)
    if not quote.suffix:
        ends.add(len(text))
    anchored_starts, anchored_ends = set(starts), set(ends)
    matcher = SequenceMatcher(None, text, exact, autojunk=False)
    a, b, size = matcher.find_longest_match(0, len(text), 0, len(exact))
    if size:
        starts.add(max(0, a - b))
        ends.add(min(len(text), a - b + len(exact)))
    slack = max(12, len(exact) // 2)
    best = None
    for start in starts:
        for end in ends:
            if end <= start or abs((end - start) - len(exact)) > slack:
                continue
            ratio = SequenceMatcher(None, text[start:end], exact, autojunk=False).ratio()
            bracketed = start in anchored_starts and end in anchored_ends
            if best is None or (bracketed, ratio) > (best[3], best[0]):
                best = (ratio, start, end, bracketed)
    return best


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """How much two spans of one paragraph share: the shared part over their union."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    if shared <= 0:
        return 0.0
    return shared / (max(a[1], b[1]) - min(a[0], b[0]))

"""What the per-sieve tests ask of an analysis: the quote holding some words, and who
it is given to."""

from __future__ import annotations

from summit.nlp.types import Analysis, Quote

from ..helpers import quote_with


def said(an: Analysis, fragment: str) -> tuple[Quote, str | None]:
    """The quote containing ``fragment`` and its speaker's name (None: no person)."""
    q = quote_with(an, fragment)
    assert q is not None, [x.span.text for x in an.quotes]
    p = an.person(q.speaker)
    return q, p.name if p else None

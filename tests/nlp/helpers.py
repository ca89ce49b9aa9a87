from __future__ import annotations

from summit.nlp.types import Analysis, QuoteKind


def quotes_of(an: Analysis, kind: QuoteKind | None = None) -> list[tuple[str, str | None]]:
    """(quote text, speaker name) pairs."""
    out = []
    for q in an.quotes:
        if kind is None or q.kind == kind:
            p = an.person(q.speaker)
            out.append((q.span.text, p.name if p else None))
    return out


def speaker_of(an: Analysis, fragment: str) -> str | None:
    for q in an.quotes:
        if fragment in q.span.text:
            p = an.person(q.speaker)
            return p.name if p else None
    raise AssertionError(f"no quote containing {fragment!r}: {quotes_of(an)}")


def quote_with(an: Analysis, fragment: str):
    for q in an.quotes:
        if fragment in q.span.text:
            return q
    return None

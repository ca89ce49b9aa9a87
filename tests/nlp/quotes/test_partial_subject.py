"""Sieve ``partial_subject``: a fragment in marks is speech of the subject of the
nearest finite verb above it."""

from __future__ import annotations

from summit.nlp.types import QuoteKind

from .helpers import said


def test_the_subject_of_the_verb_above_the_fragment(analyze):
    an = analyze("Jane Roe called the plan “a disgrace to the state” on Tuesday.")
    q, who = said(an, "disgrace")
    assert (q.kind, q.sieve, who) == (QuoteKind.PARTIAL, "partial_subject", "Jane Roe")


def test_partial_quote_reported_under_a_cue(analyze):
    """'X told the agency [the withdrawal was a “…”]': the clause's subject is no source,
    so the speech verb above it gives the speaker."""
    an = analyze(
        "John Smith told the Associated Press the company's withdrawal was a "
        "“mutually agreed separation” and nothing more."
    )
    q = next(q for q in an.quotes if q.kind == QuoteKind.PARTIAL)
    who = an.person(q.speaker)
    assert "mutually agreed" in q.span.text
    assert (q.sieve, who and who.name) == ("partial_subject", "John Smith")
    # the report holding the fragment is the same speaker's indirect quote
    r, who = said(an, "the company's withdrawal")
    assert (r.kind, who) == (QuoteKind.INDIRECT, "John Smith")

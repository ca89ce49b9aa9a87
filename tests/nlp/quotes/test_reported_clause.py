"""Sieve ``reported_clause``: 'X said that …' — a cue verb with a clause complement."""

from __future__ import annotations

from summit.nlp.types import QuoteKind

from .helpers import said


def test_a_clause_after_said_that(analyze):
    an = analyze("Jane Roe said that the deal would be signed by the end of the month.")
    q, who = said(an, "the deal would be signed")
    assert (q.kind, q.sieve, who) == (QuoteKind.INDIRECT, "reported_clause", "Jane Roe")

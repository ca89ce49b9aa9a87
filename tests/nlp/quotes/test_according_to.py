"""Sieve ``according_to``: 'According to X, …' gives the clause to X."""

from __future__ import annotations

from summit.nlp.types import QuoteKind

from .helpers import said


def test_according_to_a_name(analyze):
    an = analyze("According to John Smith, the vote will be held on Friday morning.")
    q, who = said(an, "the vote will be held")
    assert (q.kind, q.sieve, who) == (QuoteKind.INDIRECT, "according_to", "John Smith")

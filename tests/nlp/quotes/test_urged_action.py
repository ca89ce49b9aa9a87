"""Sieve ``urged_action``: 'X urged Y to …' — an urge verb with object and infinitive."""

from __future__ import annotations

from summit.nlp.types import QuoteKind

from .helpers import said


def test_an_urge_verb_with_object_and_infinitive(analyze):
    an = analyze("Jane Roe urged the council to reject the harbour plan before the summer recess.")
    q, who = said(an, "reject the harbour plan")
    assert (q.kind, q.sieve, who) == (QuoteKind.INDIRECT, "urged_action", "Jane Roe")

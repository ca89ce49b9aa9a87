"""Sieve ``urged_action``: 'X urged Y to …' — an urge verb with object and infinitive."""

from __future__ import annotations

from summit.nlp.types import QuoteKind

from .helpers import said


def test_an_urge_verb_with_object_and_infinitive(analyze):
    an = analyze("Jane Roe urged the council to reject the harbour plan before the summer recess.")
    q, who = said(an, "reject the harbour plan")
    assert (q.kind, q.sieve, who) == (QuoteKind.INDIRECT, "urged_action", "Jane Roe")


def test_an_indefinite_source_named_by_the_next_speaker_who_fits_its_description(analyze):
    an = analyze(
        "A former diplomat urged the council to reopen talks with the union.",
        "“We must talk to them,” said Jane Roe, a former diplomat who now runs a charity.",
    )
    q, who = said(an, "reopen talks")
    assert (q.sieve, who) == ("urged_action", "Jane Roe")

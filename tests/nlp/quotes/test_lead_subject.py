"""Sieve ``lead_subject``: with no cue and no speaker before, the subject of the
sentence right before the quote."""

from __future__ import annotations

from .helpers import said


def test_the_subject_of_the_sentence_before(analyze):
    an = analyze(
        "Omar Haddad was scathing about the budget. "
        "“This plan will close the library for a decade and nobody has asked us.”"
    )
    q, who = said(an, "close the library")
    assert (q.sieve, who) == ("lead_subject", "Omar Haddad")

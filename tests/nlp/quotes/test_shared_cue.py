"""Sieve ``shared_cue``: '“X,” she said, “Y.”' — the second half takes the cue between."""

from __future__ import annotations

from .helpers import said


def test_the_second_half_of_a_split_quote(analyze):
    an = analyze("“We have a deal,” said Jane Roe, a senator from Ohio. “We will sign it.”")
    q, who = said(an, "We will sign")
    assert (q.sieve, who) == ("shared_cue", "Jane Roe")

"""Sieve ``intro_cue``: 'X said: “…' — a cue right before the opening mark."""

from __future__ import annotations

from .helpers import said


def test_a_cue_and_colon_before_the_quote(analyze):
    an = analyze("Senator Jane Roe said on Tuesday: “We have a deal and we will sign it.”")
    q, who = said(an, "We have a deal")
    assert (q.sieve, who) == ("intro_cue", "Jane Roe")

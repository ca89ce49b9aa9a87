"""Sieve ``credit_line``: '“…” ― Name' credits the name after the dash (tweets, epigraphs)."""

from __future__ import annotations

from .helpers import said


def test_a_dash_and_a_name_after_the_quote_credit_that_name(analyze):
    an = analyze("“The potential is awesome.” ― Donald Trump, on Twitter")
    q, who = said(an, "potential")
    assert (q.sieve, who) == ("credit_line", "Donald Trump")

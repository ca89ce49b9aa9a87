"""Sieve ``paragraph_intro``: a paragraph ending in 'X wrote:' introduces the next one."""

from __future__ import annotations

from .helpers import said


def test_a_quote_paragraph_after_a_cue_and_colon(analyze):
    an = analyze(
        "The mayor, Jane Roe, wrote to residents on Monday:",
        "“We will appeal the decision in the spring and we expect to win.”",
    )
    q, who = said(an, "appeal the decision")
    assert (q.sieve, who) == ("paragraph_intro", "Jane Roe")

"""Sieve ``colon_name``: after a colon with no cue, the last person named before it."""

from __future__ import annotations

from .helpers import said


def test_the_name_before_the_colon(analyze):
    an = analyze(
        "The city issued a statement from its mayor, Jane Roe: "
        "“We will appeal the decision in the spring.”"
    )
    q, who = said(an, "appeal the decision")
    assert (q.sieve, who) == ("colon_name", "Jane Roe")

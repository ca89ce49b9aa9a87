"""Sieve ``colon_name``: after a colon with no cue, the person or "he"/"she" the clause
before it is about, else the last person named before it."""

from __future__ import annotations

from .helpers import said


def test_the_name_before_the_colon(analyze):
    an = analyze(
        "The city issued a statement from its mayor, Jane Roe: "
        "“We will appeal the decision in the spring.”"
    )
    q, who = said(an, "appeal the decision")
    assert (q.sieve, who) == ("colon_name", "Jane Roe")


def test_the_subject_of_the_colons_clause_before_the_one_it_addresses(analyze):
    an = analyze(
        "Mayor Mark Lane delivered a blunt message to Tom Becker: “Stop attacking the "
        "people you ran against.”"
    )
    q, who = said(an, "Stop attacking")
    assert (q.sieve, who) == ("colon_name", "Mark Lane")


def test_a_pronoun_subject_of_the_colons_clause_is_resolved(analyze):
    an = analyze(
        "Jane Roe met the press on Monday.",
        "She praised the staff, but she had a warning for Tom Becker: “Nobody is safe this year.”",
    )
    _q, who = said(an, "Nobody is safe")
    assert who == "Jane Roe"

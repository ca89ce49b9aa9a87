"""Sieve ``previous_speaker``: a quote with no cue goes on with the speaker before it."""

from __future__ import annotations

from ..helpers import quote_with
from .helpers import said


def test_previous_speaker_goes_through_the_named_mention(analyze):
    an = analyze(
        "Jane Roe, a senator from Ohio, spoke to reporters on Tuesday.",
        "“We have a deal,” she said.",
        "“It is a good deal for the workers of this state.”",
    )
    q, who = said(an, "good deal")
    assert (q.sieve, who) == ("previous_speaker", "Jane Roe")
    q, who = said(an, "We have a deal")
    assert who == "Jane Roe"
    assert q.via is not None
    assert (q.via.paragraph, q.via.text) == (0, "Jane Roe")


def test_a_quote_whose_cue_names_someone_new_is_not_the_previous_speakers(analyze):
    # the cue says who speaks (the film's narrator), so the speaker before does not go on
    an = analyze(
        "“We will appeal,” said Jane Roe, the harbour board's lawyer.",
        "“The board acted within its powers at every stage,” the film's narrator says.",
    )
    assert quote_with(an, "within its powers") is None
    _q, who = said(an, "We will appeal")
    assert who == "Jane Roe"

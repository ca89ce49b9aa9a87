"""Sieve ``lead_cue``: the last cue verb before the quote in its paragraph."""

from __future__ import annotations

from .helpers import said


def test_a_cue_in_the_sentence_before_the_quote(analyze):
    an = analyze(
        "Jane Roe spoke to the council on Monday and said the vote was a mistake. "
        "“We will appeal the decision in the spring.”"
    )
    q, who = said(an, "appeal the decision")
    assert (q.sieve, who) == ("lead_cue", "Jane Roe")


def test_a_pronoun_at_the_cue_goes_to_its_person(analyze):
    an = analyze(
        "Jane Roe, the mayor, spoke on Monday. The deputy had resigned that morning. "
        "She said it plainly. “We will appeal the decision.”"
    )
    q, who = said(an, "appeal the decision")
    assert (q.sieve, who) == ("lead_cue", "Jane Roe")
    assert q.speaker_span is not None
    assert q.speaker_span.text == "She"

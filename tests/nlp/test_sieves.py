"""Each attribution sieve, by the construction it reads (summit/nlp/quotes/sieves.py).

A quote carries the name of the sieve that found its speaker (``Quote.sieve``), the
mention a pronoun went through (``Quote.via``) and that sieve's measured precision.
"""

from __future__ import annotations

from summit.nlp.quotes.confidence import SIEVE_PRECISION
from summit.nlp.types import QuoteKind

from .helpers import quote_with


def _said(an, fragment):
    q = quote_with(an, fragment)
    assert q is not None, [x.span.text for x in an.quotes]
    p = an.person(q.speaker)
    return q, p.name if p else None


def test_credit_line(analyze):
    an = analyze("“The potential is awesome.” ― Donald Trump, on Twitter")
    q, who = _said(an, "potential")
    assert (q.sieve, who) == ("credit_line", "Donald Trump")


def test_intro_cue(analyze):
    an = analyze("Senator Jane Roe said on Tuesday: “We have a deal and we will sign it.”")
    q, who = _said(an, "We have a deal")
    assert (q.sieve, who) == ("intro_cue", "Jane Roe")


def test_trailing_cue_and_shared_cue(analyze):
    an = analyze("“We have a deal,” said Jane Roe, a senator from Ohio. “We will sign it.”")
    q, who = _said(an, "We have a deal")
    assert (q.sieve, who) == ("trailing_cue", "Jane Roe")
    q, who = _said(an, "We will sign")
    assert (q.sieve, who) == ("shared_cue", "Jane Roe")


def test_previous_speaker_goes_through_the_named_mention(analyze):
    an = analyze(
        "Jane Roe, a senator from Ohio, spoke to reporters on Tuesday.",
        "“We have a deal,” she said.",
        "“It is a good deal for the workers of this state.”",
    )
    q, who = _said(an, "good deal")
    assert (q.sieve, who) == ("previous_speaker", "Jane Roe")
    q, who = _said(an, "We have a deal")
    assert who == "Jane Roe"
    assert q.via is not None
    assert (q.via.paragraph, q.via.text) == (0, "Jane Roe")


def test_partial_subject(analyze):
    an = analyze("Jane Roe called the plan “a disgrace to the state” on Tuesday.")
    q, who = _said(an, "disgrace")
    assert (q.kind, q.sieve, who) == (QuoteKind.PARTIAL, "partial_subject", "Jane Roe")


def test_reported_clause_and_according_to(analyze):
    an = analyze(
        "Jane Roe said that the deal would be signed by the end of the month.",
        "According to John Smith, the vote will be held on Friday morning.",
    )
    q, who = _said(an, "the deal would be signed")
    assert (q.kind, q.sieve, who) == (QuoteKind.INDIRECT, "reported_clause", "Jane Roe")
    q, who = _said(an, "the vote will be held")
    assert (q.sieve, who) == ("according_to", "John Smith")


def test_a_quotation_that_runs_on_is_one_quote(analyze):
    """BBC style: a quotation running on opens again without closing ('"A. "B."')."""
    an = analyze(
        '"We have a deal," said Jane Roe. "It is a good deal. "It will be signed soon. '
        '"Nobody expected it." Her rival disagreed.'
    )
    q, who = _said(an, "It is a good deal")
    assert "It will be signed soon" in q.span.text
    assert "Nobody expected it" in q.span.text
    assert who == "Jane Roe"
    assert len([x for x in an.quotes if x.kind != QuoteKind.INDIRECT]) == 2


def test_every_sieve_has_a_measured_confidence(analyze):
    an = analyze("“We have a deal,” said Jane Roe. “We will sign it.”")
    for q in an.quotes:
        assert q.confidence == SIEVE_PRECISION[q.sieve]


def test_partial_quote_reported_under_a_cue(analyze):
    """'X told the agency [the withdrawal was a “…”]': the clause's subject is no source,
    so the speech verb above it gives the speaker."""
    an = analyze(
        "John Smith told the Associated Press the company's withdrawal was a "
        "“mutually agreed separation” and nothing more."
    )
    q, who = _said(an, "mutually agreed")
    assert (q.kind, q.sieve, who) == (QuoteKind.PARTIAL, "partial_subject", "John Smith")

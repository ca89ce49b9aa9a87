"""Every sieve's attributions carry its measured precision (summit/nlp/quotes/confidence.py)."""

from __future__ import annotations

from summit.nlp.quotes.confidence import SIEVE_PRECISION


def test_every_sieve_has_a_measured_confidence(analyze):
    an = analyze("“We have a deal,” said Jane Roe. “We will sign it.”")
    assert an.quotes
    for q in an.quotes:
        assert q.confidence == SIEVE_PRECISION[q.sieve]

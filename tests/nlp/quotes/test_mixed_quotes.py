"""Quotations the reporter's own sentence runs into are partial (mixed) quotes, not a
speaker's direct speech."""

from __future__ import annotations

from summit.nlp.types import QuoteKind


def _marked(an, fragment: str):
    """The quotation in marks holding ``fragment`` (an indirect report may hold it too)."""
    return next(
        (q for q in an.quotes if fragment in q.span.text and q.kind != QuoteKind.INDIRECT), None
    )


def test_a_name_ending_in_a_speech_verbs_form_is_no_cue(analyze):
    an = analyze(
        "Jane Roe said the United States “must do far more to help the harbour towns "
        "that lost their boats this winter.”"
    )
    q = _marked(an, "harbour towns")
    assert q is None or q.kind == QuoteKind.PARTIAL


def test_a_cue_set_off_by_commas_leaves_a_lower_case_quotation_in_the_reporters_sentence(
    analyze,
):
    an = analyze(
        "Jane Roe spoke to the council on Monday. A new harbour wall, she said, “would "
        "cost the town less than the boats it loses every winter.”"
    )
    q = _marked(an, "boats it loses")
    assert q is None or q.kind == QuoteKind.PARTIAL

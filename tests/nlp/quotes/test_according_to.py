"""Sieve ``according_to``: 'According to X, …' gives the clause to X."""

from __future__ import annotations

from summit.nlp.types import QuoteKind

from .helpers import said


def test_according_to_a_name(analyze):
    an = analyze("According to John Smith, the vote will be held on Friday morning.")
    q, who = said(an, "the vote will be held")
    assert (q.kind, q.sieve, who) == (QuoteKind.INDIRECT, "according_to", "John Smith")


def test_according_to_a_record_is_an_unnamed_source(analyze):
    """'according to state records', 'according to recent polling': the record is the
    source, unnamed, given by its words (before, the report was lost for want of a
    person)."""
    for source in ("state corporate records", "recent polling", "company documents"):
        an = analyze(f"The harbour firm was registered in Ohio in 2010, according to {source}.")
        q, who = said(an, "The harbour firm was registered")
        assert (q.kind, q.sieve, who) == (QuoteKind.INDIRECT, "according_to", None)
        assert q.speaker_span is not None
        assert q.speaker_span.text == source


def test_a_cited_record_keeps_all_its_words_up_to_an_apposition(analyze):
    an = analyze(
        "Most ferry riders want lower fares, according to early results of a survey "
        "conducted by Harbor Research for the town council, a report due in May."
    )
    q, _who = said(an, "Most ferry riders want lower fares")
    assert q.speaker_span is not None
    assert q.speaker_span.text == (
        "early results of a survey conducted by Harbor Research for the town council"
    )


def test_a_record_as_a_subject_is_an_unnamed_source_too(analyze):
    """'the records said …': a record the resolver finds no one in speaks by its words
    outside "according to" as well (it was dropped for want of a person)."""
    an = analyze("The records said the harbour firm was registered in Ohio in 2010.")
    q, who = said(an, "the harbour firm was registered")
    assert (q.kind, who) == (QuoteKind.INDIRECT, None)
    assert q.speaker_span is not None
    assert q.speaker_span.text == "The records"


def test_according_to_any_cited_thing_is_an_unnamed_source(analyze):
    """'according to his online profile', 'according to the ship's log': what is
    cited speaks, unnamed, by its words, though no list of records names it."""
    for source in ("his online profile", "the ship’s log"):
        an = analyze(
            f"The harbour pilot had worked for the ferry line since 2004, according to {source}."
        )
        q, who = said(an, "The harbour pilot had worked")
        assert (q.kind, q.sieve, who) == (QuoteKind.INDIRECT, "according_to", None)
        assert q.speaker_span is not None
        assert q.speaker_span.text == source

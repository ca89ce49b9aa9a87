"""Sieve ``trailing_cue``: '“…,” said X' — a cue after the closing mark in its sentence."""

from __future__ import annotations

from .helpers import said


def test_a_cue_after_the_quote(analyze):
    an = analyze("“We have a deal,” said Jane Roe, a senator from Ohio.")
    q, who = said(an, "We have a deal")
    assert (q.sieve, who) == ("trailing_cue", "Jane Roe")


def test_a_name_after_the_cue_that_appeared_earlier(analyze):
    an = analyze(
        "Jane Roe was blunt about the harbour proposal on Monday.",
        "“This plan will close the harbour for a decade,” Roe told reporters.",
    )
    q, who = said(an, "close the harbour")
    assert (q.sieve, who) == ("trailing_cue", "Jane Roe")


def test_a_cue_reporting_its_own_clause_belongs_to_the_next_sentence(analyze):
    an = analyze(
        "“We were never beaten at home,” Tom Ayles said of his ten years as coach. "
        "“We lost only twice away.” Mary Quint said the club would name a stand after him."
    )
    q, who = said(an, "only twice away")
    assert who == "Tom Ayles"


def test_they_is_the_group_the_sentence_before_is_about(analyze):
    # "they" goes to the group that is the subject ("Residents"), not to the one the
    # sentence only mentions ("council leaders")
    an = analyze(
        "Residents of the east side say the bus plan ignores them. They sent a "
        "petition on Monday to council leaders.",
        "“Nobody asked us what we need,” they wrote.",
    )
    q, who = said(an, "Nobody asked us")
    assert who is None
    assert q.speaker_span is not None
    assert q.speaker_span.text == "they"
    assert q.via is not None
    assert q.via.text == "Residents"


def test_a_name_written_with_a_typographic_apostrophe_is_the_speaker(analyze):
    an = analyze(
        "Jane Roe opened the harbour meeting on Monday. “The wall has to be finished by "
        "spring,” O’Donnell said. “Nothing else matters.”"
    )
    q, who = said(an, "wall has to be finished")
    assert (q.sieve, who) == ("trailing_cue", "O’Donnell")  # the name as the article writes it
    q, who = said(an, "Nothing else matters")
    assert who == "O’Donnell"


def test_a_verb_of_how_words_were_said_is_a_cue(analyze):
    an = analyze(
        "The harbour board met on Monday to vote on the new ferry timetable.",
        "“Sit down and let the chair finish,” Jane Roe barked at the back row.",
        "“We will vote when everyone has spoken,” Tom Ayles surmised.",
    )
    assert said(an, "let the chair finish")[1] == "Jane Roe"
    assert said(an, "everyone has spoken")[1] == "Tom Ayles"

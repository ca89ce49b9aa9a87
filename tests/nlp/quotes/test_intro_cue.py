"""Sieve ``intro_cue``: 'X said: “…' — a cue right before the opening mark."""

from __future__ import annotations

from .helpers import said


def test_a_cue_and_colon_before_the_quote(analyze):
    an = analyze("Senator Jane Roe said on Tuesday: “We have a deal and we will sign it.”")
    q, who = said(an, "We have a deal")
    assert (q.sieve, who) == ("intro_cue", "Jane Roe")


def test_a_participle_set_off_by_a_comma_speaks_for_the_main_subject(analyze):
    # the parser hangs "saying" inside the relative clause; the builder does not speak
    an = analyze(
        "Tom Becker was defensive when asked about not paying a builder who said he was "
        "owed money after he finished a stand at one of Becker's grounds, saying, "
        "“Maybe the work was not good enough, and I was not happy with it.”"
    )
    _q, who = said(an, "not happy with it")
    assert who == "Tom Becker"


def test_an_indefinite_speaker_is_never_named_by_an_organisation(analyze):
    an = analyze(
        "“We were never paid for the harbour job,” said a local builder.",
        "Harbour Holdings said in a statement that it had paid every invoice on time.",
    )
    q, who = said(an, "never paid")
    assert who is None
    assert q.speaker_span is not None
    assert q.speaker_span.text == "a local builder"

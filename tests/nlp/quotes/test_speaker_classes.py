"""Who a quote is given to, by classes of sentences the train split showed wrong:
a cue in a clause of time or reason, a colon after a speaker's own verb, a reported
clause whose "it" names no one, and a possessor's campaign or office."""

from __future__ import annotations

from summit.nlp.types import SpeakerKind

from .helpers import said


def test_a_cue_in_a_clause_of_time_does_not_take_the_next_half(analyze):
    an = analyze(
        "“We will win this county,” Jo Ray said after Tom Becker spoke. “The voters are with us.”"
    )
    q, who = said(an, "voters are with us")
    assert who == "Jo Ray"


def test_a_cue_after_when_does_not_introduce_the_quote(analyze):
    an = analyze(
        "Tom Becker and Jo Ray met at the fair. When Tom Becker criticised the budget, "
        "Jo Ray hit back, “Nobody has read it.”"
    )
    _q, who = said(an, "Nobody has read it")
    assert who != "Tom Becker"


def test_a_colon_after_a_speakers_own_verb_beats_the_cue_before(analyze):
    an = analyze(
        "The union asked for a ban. “Do it by decree,” said Jo Ray, the union's chair. "
        "Tom Becker resisted: “A governor cannot suspend the law.”"
    )
    _q, who = said(an, "cannot suspend the law")
    assert who == "Tom Becker"


def test_it_in_the_reported_clause_speaks_for_no_one(analyze):
    an = analyze("Jane Roe said it takes time to build trust but added, “I back the plan fully.”")
    _q, who = said(an, "back the plan fully")
    assert who == "Jane Roe"


def test_a_possessors_campaign_is_theirs_not_the_paper_named_last(analyze):
    an = analyze(
        "Tom Becker told the Harbour Gazette he was not ready to back Jane Roe. "
        "Jane Roe’s campaign shrugged it off, telling reporters, “We never asked for his "
        "support.”"
    )
    q, who = said(an, "never asked for his support")
    assert who == "Jane Roe’s campaign"
    assert an.person(q.speaker).kind == SpeakerKind.ORGANISATION

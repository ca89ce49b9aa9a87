"""Who a quote is given to, by classes of sentences the train split showed wrong:
a cue in a clause of time or reason, a colon after a speaker's own verb, a reported
clause whose "it" names no one, a possessor's campaign or office, and a dateline
the parser took for the subject."""

from __future__ import annotations

from spacy.tokens import Doc

from summit.nlp.quotes.resolve import _past_dateline
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


def test_a_dateline_parsed_as_the_subject_gives_way_to_the_name_after_its_dash(pipeline):
    # the parse the model gives some datelines: the place as the subject, the
    # person as its apposition after the dash
    words = ["PORTLAND", ",", "May", "3", "—", "Jane", "Roe", "told", "delegates", "."]
    heads = [7, 0, 0, 2, 0, 6, 0, 7, 7, 7]
    deps = [
        "nsubj",
        "punct",
        "npadvmod",
        "nummod",
        "punct",
        "compound",
        "appos",
        "ROOT",
        "dobj",
        "punct",
    ]
    doc = Doc(pipeline.nlp.vocab, words=words, heads=heads, deps=deps)
    assert _past_dateline(doc[0]).text == "Roe"
    assert _past_dateline(doc[6]).text == "Roe"  # any other token is itself

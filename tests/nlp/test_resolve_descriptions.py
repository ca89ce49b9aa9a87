"""Descriptions as speakers (summit/nlp/quotes/resolve.py: ``description``, ``definite``,
``salient``, ``unnamed_before``): a described source is the earlier person the
description fits, or an unnamed source keeping its words, never a name that merely
stands inside the description."""

from __future__ import annotations

import pytest

from .helpers import quote_with


def _speaker(an, fragment):
    q = quote_with(an, fragment)
    assert q is not None, [x.span.text for x in an.quotes]
    p = an.person(q.speaker)
    return q, p.name if p else None


def test_an_unnamed_spokesman_keeps_whom_he_speaks_for(analyze):
    an = analyze(
        "Sales of the new tablet were slow in the first week.",
        "“We expected a quiet start and we are confident it will pick up,” said a "
        "spokesman for Brightwave Electronics.",
    )
    q, who = _speaker(an, "quiet start")
    assert who is None
    assert q.speaker_span is not None
    assert q.speaker_span.text == "a spokesman for Brightwave Electronics"


def test_a_pronoun_after_an_unnamed_source_stays_with_that_source(analyze):
    an = analyze(
        "Marta Ellison opened the new depot on Monday.",
        "The depot spokeswoman said about 400 lorries had arrived by noon. “We expect the "
        "same again tomorrow,” she added.",
    )
    q, who = _speaker(an, "same again tomorrow")
    assert who is None  # not Marta Ellison: the spokeswoman spoke last
    assert q.via is not None
    assert q.via.text == "The depot spokeswoman"


def test_an_age_description_is_the_person_of_that_age(analyze):
    an = analyze(
        "Veteran goalkeeper Tomas Brevik, 41, kept a clean sheet on Saturday, and his "
        "coach Ivan Lund praised the defence.",
        "“I still enjoy every single match,” the 41-year-old said.",
    )
    q, who = _speaker(an, "every single match")
    assert who == "Tomas Brevik"
    assert q.via is not None
    assert q.via.text == "Tomas Brevik"


def test_a_definite_description_is_the_person_the_story_is_about(analyze):
    an = analyze(
        "Gareth Pennick has won the national baking championship.",
        "Pennick beat eleven rivals in the final round in Leeds. “I never thought I would "
        "get this far,” the delighted baker said.",
    )
    assert _speaker(an, "get this far")[1] == "Gareth Pennick"


def test_a_place_in_the_description_must_fit_the_person(analyze):
    an = analyze(
        "Senator Ruth Calder criticised the plan on Monday.",
        "“It will not pass this year,” the Oregon governor said.",
    )
    q, who = _speaker(an, "will not pass")
    assert who is None
    assert q.speaker_span is not None
    assert q.speaker_span.text == "the Oregon governor"


def test_a_name_inside_a_prepositional_phrase_is_not_the_speaker(analyze):
    an = analyze(
        "Grace Hopper's papers went on show in Boston this week.",
        "“The archive was a revelation to me,” said the biographer of Grace Hopper.",
    )
    q = quote_with(an, "revelation")
    assert q is None or an.person(q.speaker) is None


def test_groups_are_an_unnamed_source_not_the_last_organisation(analyze):
    an = analyze(
        "The Harbour Trust closed the old pier on Friday.",
        "“Open the pier to everyone,” small groups of anglers shouted at the gates.",
    )
    q = quote_with(an, "Open the pier to everyone")
    assert q is not None
    assert an.person(q.speaker) is None


def test_he_in_a_reported_clause_is_the_reporting_speaker(analyze):
    an = analyze(
        "Mr Ferris, the council leader, announced the cuts on Monday.",
        "Brian Hollis said that after Mr Ferris announced the cuts, he was “deeply "
        "worried” about the town.",
    )
    q, who = _speaker(an, "deeply")
    assert who == "Brian Hollis"


def test_she_after_a_described_woman_who_is_never_named_stays_with_her(analyze):
    # "my mother" is the subject of the sentence: "she" is her, not a woman named before
    an = analyze(
        "Tom Becker interviewed Jane Roe for the council report in March.",
        "My mother has lived on Mill Street for forty years, and she still says, “This "
        "street was better before the cars came.”",
    )
    q, who = _speaker(an, "better before the cars")
    assert who is None
    assert q.via is not None
    assert q.via.text == "My mother"


def test_a_named_subject_beside_a_described_one_keeps_the_pronoun(analyze):
    an = analyze(
        "Jane Roe said the woman next door should be more careful. “She parks on the "
        "pavement every day,” she said.",
    )
    assert _speaker(an, "parks on the pavement")[1] == "Jane Roe"


@pytest.mark.parametrize(
    "source",
    [
        "a longtime adviser to Jane Roe",
        "a person close to the harbour board",
        "a source involved in the negotiations",
        "one official familiar with the plan",
    ],
)
def test_an_unnamed_source_keeps_the_words_that_say_who_they_are(analyze, source):
    an = analyze(
        f"Jane Roe spoke at the harbour on Monday. “The wall will cost twice what the "
        f"council says,” said {source}, who asked not to be named."
    )
    q = quote_with(an, "wall will cost")
    assert q is not None
    assert q.speaker is None
    assert q.speaker_span is not None
    assert q.speaker_span.text == source


def test_a_person_is_described_by_the_title_before_the_name_never_a_bare_title(analyze):
    an = analyze(
        "On Monday, Canadian Secretary of State Hal Brenner met President Ana Ortiz in Oslo.",
        "“We have a deal,” Brenner said. “Good,” said Ortiz.",
    )
    people = {p.name: p.description for p in an.people}
    assert people["Hal Brenner"] == "Canadian Secretary of State"
    assert people["Ana Ortiz"] == ""  # "President" alone describes nobody


def test_the_fullest_description_of_all_mentions_wins(analyze):
    an = analyze(
        "Harbour pilot Jo Calder said the tides were late.",
        "Jo Calder, the longest-serving harbour pilot at the Northgate docks, agreed.",
    )
    people = {p.name: p.description for p in an.people}
    assert people["Jo Calder"] == "longest-serving harbour pilot at the Northgate docks"

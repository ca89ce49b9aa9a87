"""Who a quote is given to when the speaker answers or goes on with a verb that is no
cue alone ("shot back", "went on", "interjected"), or is the subject before a pronoun
whose name the tagger took for an organisation."""

from __future__ import annotations

import pytest

from summit.nlp import entities
from summit.nlp import pipeline as pipeline_module
from summit.nlp.work import Ent

from .helpers import said


@pytest.mark.parametrize(
    "answer",
    [
        "“She wants to be the hero tonight,” Jane Roe shot back.",
        "“She wants to be the hero tonight,” Jane Roe fired back.",
    ],
)
def test_a_speaker_who_shoots_back_takes_the_quote(analyze, answer):
    an = analyze("Tom Becker criticised the plan at the town meeting.", answer)
    _q, who = said(an, "hero tonight")
    assert who == "Jane Roe"


def test_a_speaker_who_goes_on_keeps_the_quote(analyze):
    an = analyze(
        "Tom Becker and Jane Roe argued on the stage.",
        "“You know, it happens,” Tom Becker went on, as if he had not heard her.",
    )
    _q, who = said(an, "it happens")
    assert who == "Tom Becker"


def test_an_interjection_is_speech(analyze):
    an = analyze("Jane Roe praised the plan. “It is not true,” Tom Becker interjected.")
    _q, who = said(an, "It is not true")
    assert who == "Tom Becker"


def test_a_surname_tagged_as_an_organisation_is_still_the_subject_before_he(analyze, monkeypatch):
    # the tagger's mistake on some surnames standing alone: "Vantrell" as an organisation
    real = entities.repair

    def mislabelled(work):
        ents = real(work)
        for i, e in enumerate(ents):
            if e.text == "Vantrell":
                ents[i] = Ent(e.start, e.end, "ORG", e.text)
        return ents

    monkeypatch.setattr(pipeline_module.entities, "repair", mislabelled)
    an = analyze(
        "Tom Vantrell said Monday that the budget was wrong.",
        "Mark Lane, the mayor, has defended it for months.",
        "As for the idea that voters want Lane because he won twice, Vantrell offered his "
        "own approach.",
        "“Look, how about a competent mayor?” he said.",
    )
    _q, who = said(an, "competent mayor")
    assert who == "Tom Vantrell"

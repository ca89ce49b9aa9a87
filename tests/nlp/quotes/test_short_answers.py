"""A word or two in marks that a cue stands right beside is an answer said whole
('“Really,” she added', 'he said, “Probably.”'), a direct quote; without a cue it is a
title, a name or a scare quote."""

from __future__ import annotations

import pytest

from summit.nlp.types import QuoteKind

from ..helpers import quote_with
from .helpers import said


@pytest.mark.parametrize(
    ("paragraphs", "words", "speaker"),
    [
        # a cue and a comma before the word
        (
            ["Asked whether he would close the harbour next winter, Tom Ayles said, “Probably.”"],
            "Probably",
            "Tom Ayles",
        ),
        # the cue after the word, the quotation opening its paragraph
        (
            [
                "Mary Quint, the harbour master, was asked whether the boats would return.",
                "“Maybe,” Quint said as she left the meeting.",
            ],
            "Maybe",
            "Mary Quint",
        ),
        # a short question, its cue after it
        (
            ["Mary Quint listened to the plan for the harbour wall.", "“Why now?” she asked."],
            "Why now",
            "Mary Quint",
        ),
    ],
)
def test_a_short_answer_beside_its_cue_is_said_whole(analyze, paragraphs, words, speaker):
    q, who = said(analyze(*paragraphs), words)
    assert (q.kind, who) == (QuoteKind.DIRECT, speaker)


def test_a_short_phrase_ending_its_sentence_takes_no_cue_from_the_next(analyze):
    # the stop inside the marks ends the sentence: "Adding" starts the next one
    an = analyze(
        "Tom Ayles said the harbour report “was late.” Adding, “We will read it tonight,” "
        "he left the hall."
    )
    q = quote_with(an, "was late")
    assert q is None or q.kind != QuoteKind.DIRECT


def test_a_title_with_no_cue_beside_it_is_no_quote(analyze):
    an = analyze("Tom Ayles, the harbour master, likes the television drama “Tidewater.”")
    assert quote_with(an, "Tidewater") is None


def test_a_naming_word_at_the_end_of_the_sentence_before_names_nothing(analyze):
    # "book" ends its sentence: the quotation after it is speech, not the book's title
    an = analyze(
        "“He came to my office twice,” said Mary Quint, who wrote about it in her book. "
        "“Neither of his warnings turned out to be true.”"
    )
    q, who = said(an, "Neither of his warnings")
    assert (q.kind, who) == (QuoteKind.DIRECT, "Mary Quint")

"""Finding the words in quotation marks is character work: tested on a blank English
tokenizer, with no model, so that each case says exactly which marks make a quotation."""

import pytest
import spacy

from summit.nlp.quotes.marks import classify, find_marks
from summit.nlp.types import Document, Paragraph, ParagraphKind, QuoteKind
from summit.nlp.work import Work, document_text


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


def quoted(blank, *paragraphs: str) -> list[str]:
    """The quoted words found in ``paragraphs``, pieces over paragraphs joined by a bar."""
    document = Document(
        title="",
        paragraphs=[Paragraph(i, ParagraphKind.BODY, t) for i, t in enumerate(paragraphs)],
    )
    text = document_text(document)
    work = Work.build(document, text, blank(text))
    return [text[m.start : m.end].replace("\n\n", " | ") for m in find_marks(work)]


def classified(blank, *paragraphs: str) -> list[QuoteKind | None]:
    """The kind of each quotation found in ``paragraphs``."""
    document = Document(
        title="",
        paragraphs=[Paragraph(i, ParagraphKind.BODY, t) for i, t in enumerate(paragraphs)],
    )
    text = document_text(document)
    work = Work.build(document, text, blank(text))
    return [classify(work, m) for m in find_marks(work)]


def test_curly_marks_around_the_words(blank):
    assert quoted(blank, "“We will win,” she said. “Soon.”") == ["We will win,", "Soon."]


def test_straight_marks_open_before_a_word_and_close_after_one(blank):
    assert quoted(blank, 'He said "no deal" and left; a 6" pipe burst.') == ["no deal"]


def test_a_quotation_continued_in_the_next_paragraph_is_one(blank):
    # The first paragraph never closes: the next one opens again and goes on.
    assert quoted(blank, "“We start today.", "“And we finish tomorrow,” he said.") == [
        "We start today. | “And we finish tomorrow,"
    ]


def test_a_straight_quotation_that_runs_on_after_a_sentence_is_one(blank):
    # British style: '"A. "B."' with no closing mark between the sentences.
    assert quoted(blank, 'He said: "It was hard. "But we won."') == ['It was hard. "But we won.']


def test_a_quotation_inside_a_quotation_stays_inside(blank):
    found = quoted(blank, "“They called it “a disgrace” and walked out,” she said.")
    assert found == ["They called it “a disgrace” and walked out,"]


def test_an_opening_mark_inside_an_open_quotation_ends_the_unclosed_one(blank):
    found = quoted(blank, "“One never closed. “Two closed,” he said.")
    assert found[-1] == "Two closed,"
    assert len(found) == 2


def test_a_quotation_after_that_is_part_of_the_reporters_clause(blank):
    # 'told the paper that “…”': a mixed quotation, a fragment of the reporter's
    # sentence, not a direct quote of its own
    kinds = classified(
        blank,
        "Jane Roe told the paper that “we will rebuild the harbour before winter.”",
        "Tom Becker said: “We will rebuild the harbour before winter.”",
    )
    assert kinds == [QuoteKind.PARTIAL, QuoteKind.DIRECT]


def test_curly_marks_nest_inside_straight_ones(blank):
    assert quoted(blank, '"The sign said “closed” all week," she said.') == [
        "The sign said “closed” all week,"
    ]


def test_the_second_half_of_a_split_quotation_is_direct_in_lower_case(blank):
    kinds = classified(blank, "“We tried for years,” she told the board, “and it never worked.”")
    assert kinds == [QuoteKind.DIRECT, QuoteKind.DIRECT]


def test_a_quotation_that_is_the_subject_of_the_verb_after_it_names_a_thing(blank):
    kinds = classified(
        blank,
        "“Songs for 12 Harbours” was written by Tom Becker in 1990.",
        "“We wrote it in one night,” Becker said.",
    )
    assert kinds == [QuoteKind.PARTIAL, QuoteKind.DIRECT]


def test_a_quotation_opening_with_that_or_running_on_from_the_reporters_verb_is_partial(blank):
    kinds = classified(
        blank,
        "Most voters have come to believe “that the harbour plan failed, and that it "
        "cost too much.”",
        "She said the town had spent “years fixing roads nobody used. Nobody thanked us.”",
    )
    assert kinds == [QuoteKind.PARTIAL, QuoteKind.PARTIAL]


def test_a_lower_case_quotation_that_finishes_the_reporters_sentence_is_partial(blank):
    kinds = classified(
        blank,
        "In the last two winters, “we lost more boats than in the ten years before.”",
        "A new harbour wall, Jane Roe said, “would cost less than the boats we lose.”",
    )
    assert kinds == [QuoteKind.PARTIAL, QuoteKind.PARTIAL]


def test_a_lower_case_quotation_after_a_cue_that_opens_the_sentence_is_direct(blank):
    kinds = classified(
        blank,
        "She added, “actually, nobody on the council ever asked the fishermen what they "
        "think of it.”",
        "As the Harbour Times reported, “the council will vote on the new wall early in the "
        "spring.”",
    )
    assert kinds == [QuoteKind.DIRECT, QuoteKind.DIRECT]


def test_a_quotation_typed_with_mixed_marks_closes_where_its_words_end(blank):
    # opened curly, closed straight, opened straight again: the marks face the words
    found = quoted(blank, '“We will rebuild the pier," Ann Lowe said. "It will take a year.”')
    assert found == ["We will rebuild the pier,", "It will take a year."]


def test_a_curly_mark_facing_the_wrong_way_still_closes(blank):
    assert quoted(blank, "“Not this year,“ he said. “Maybe the next.”") == [
        "Not this year,",
        "Maybe the next.",
    ]


def test_marks_of_one_kind_inside_the_other_still_nest(blank):
    # a straight quotation that runs on into the next paragraph, holding a curly one
    found = quoted(blank, '"The council is not about “fair play” any more. It is about money.')
    assert found == ["The council is not about “fair play” any more. It is about money."]


def test_a_short_answer_with_its_cue_after_it_is_direct(blank):
    # two words said whole, then who said them; a word the reporter's sentence runs
    # into stays a fragment
    kinds = classified(
        blank,
        "“Not yet,” she said when asked about the pier.",
        "He called the plan “reckless,” and the council agreed to vote on it.",
    )
    assert kinds == [QuoteKind.DIRECT, QuoteKind.PARTIAL]


def test_the_second_half_after_a_long_apposition_is_direct(blank):
    kinds = classified(
        blank,
        "“Prices will fall,” said Jo Ray, director of research at the Harbour Institute in"
        " Westford, “but not before the winter is over.”",
    )
    assert kinds == [QuoteKind.DIRECT, QuoteKind.DIRECT]


def test_a_second_half_the_reporters_clause_runs_into_is_partial(blank):
    kinds = classified(
        blank,
        "“We have known him for years,” Lee told the paper, noting that he and his wife,"
        " Ann, “have always talked with him about the farm.”",
    )
    assert kinds == [QuoteKind.DIRECT, QuoteKind.PARTIAL]


def test_what_the_speaker_told_someone_after_a_comma_is_direct(blank):
    kinds = classified(
        blank,
        "She never named her rival, but told her supporters, “we will rebuild every house"
        " that the storm took from this town.”",
        "If the levy passes, he told reporters, “we will rebuild every house that the storm"
        " took from this town.”",
    )
    assert kinds == [QuoteKind.DIRECT, QuoteKind.PARTIAL]


def test_a_quotation_in_brackets_with_its_cue_is_direct(blank):
    kinds = classified(
        blank,
        "The vote drew anger from members (“I want my money back,” wrote one on the union’s"
        " page), and the board met again.",
        "The union ends its letters the same way (“Better days are coming for every member”).",
    )
    assert kinds == [QuoteKind.DIRECT, QuoteKind.PARTIAL]

"""Structure recognition: what a reader sees as title, byline, headings, captions, bio."""

from pathlib import Path

import pytest

from summit.nlp.structure import derive_title, normalise_text, parse_structure
from summit.nlp.types import ArticleKind, ParagraphKind

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def kinds(doc, kind):
    return [p.text for p in doc.paragraphs if p.kind == kind]


def test_headline_on_the_first_line_becomes_the_title():
    doc = parse_structure(
        "Senate Passes the Budget After Long Night\n\nThe Senate voted 51-49 "
        "on Tuesday to pass the budget, ending a long night of debate."
    )
    assert doc.title == "Senate Passes the Budget After Long Night"
    assert not doc.title_derived
    assert [p.text[:10] for p in doc.paragraphs] == ["The Senate"]


def test_hard_wrapped_lines_join_into_one_paragraph():
    doc = parse_structure(
        "Harbour Plan Approved\n\nThe council voted on Tuesday to approve the\n"
        "harbour plan after a long debate that ran\nwell into the night."
    )
    assert [p.text for p in doc.paragraphs] == [
        "The council voted on Tuesday to approve the harbour plan after a long debate "
        "that ran well into the night."
    ]


def test_long_lines_under_a_headline_are_a_paragraph_each():
    first = (
        "The council voted on Tuesday to approve the harbour plan after a long debate "
        "that ran well into the night, with twelve votes for it and three against."
    )
    second = "“We have waited a decade for this,” said Jane Roe, who chairs the committee."
    doc = parse_structure(f"Harbour Plan Approved\n\n{first}\n{second}")
    assert [p.text for p in doc.paragraphs] == [first, second]


def test_header_lines_give_title_byline_date_and_outlet():
    doc = parse_structure(
        "Title: A title\nBy: Jane Roe\nDate: 2024-05-01\nSource: The Daily\n\n"
        "Body text here. More body text."
    )
    assert (doc.title, doc.byline, doc.published, doc.outlet) == (
        "A title",
        "Jane Roe",
        "2024-05-01",
        "The Daily",
    )


def test_a_lead_with_no_headline_gives_a_readable_title_editors_can_change():
    lead = (
        "Hanoi's buildings, roadside trees and traffic circles are bedecked with flags and "
        "uniforms today as the second-ever summit gets underway in the capital."
    )
    doc = parse_structure(lead + "\n\nA second paragraph follows here, with more words.")
    assert doc.title_derived
    assert doc.title.startswith("Hanoi's buildings")
    assert doc.title.endswith("…")
    assert len(doc.title.split()) <= 14
    assert doc.paragraphs[0].text == lead


def test_seed_000_headings_and_captions():
    doc = parse_structure((SEEDS / "000_a2933de555c0d5c6.txt").read_text(), source="000.txt")
    assert kinds(doc, ParagraphKind.HEADING) == [
        "Sanctions relief?",
        "Analysts downbeat",
        "Congress pushing to end the war?",
    ]
    captions = kinds(doc, ParagraphKind.CAPTION)
    assert [c.split()[0] for c in captions] == ["Vietnamese", "Correspondents", "Portraits"]
    assert doc.kind == ArticleKind.NEWS
    assert doc.title_derived
    assert all("\u00a0" not in p.text for p in doc.paragraphs)


def test_seed_002_byline_debris_and_bio():
    doc = parse_structure((SEEDS / "002_9fe9fe33f42be314.txt").read_text(), source="002.txt")
    assert doc.byline == "John Burton"
    assert kinds(doc, ParagraphKind.BYLINE) == ["By John Burton"]
    assert kinds(doc, ParagraphKind.BIO)[0].startswith("John Burton (")
    assert not any("![]()" in p.text or p.text == "|" for p in doc.paragraphs)
    assert doc.kind == ArticleKind.OPINION
    assert doc.title == "Opinion by John Burton"


def test_an_opinion_piece_without_a_headline_is_known_by_its_author():
    text = (
        "By Ann Writer\n\nMany observers are already predicting that the talks will fail "
        "this spring.\n\nThey are wrong: the talks can work.\n\n"
        "Ann Writer is a columnist who writes about diplomacy."
    )
    doc = parse_structure(text)
    assert doc.kind == ArticleKind.OPINION
    assert doc.title_derived
    assert doc.title == "Opinion by Ann Writer", "not the view the piece argues against"
    assert "predicting" in doc.paragraphs[1].text


def test_non_breaking_and_odd_spaces_are_normalised():
    assert normalise_text("a\u00a0b\u202fc\u200bd\r\ne") == "a b cd\ne"


def test_markdown_headings_images_and_links():
    doc = parse_structure(
        "# The Title\n\n![](x.png)\n\nSee [the report](http://x) now, "
        "it says **much**.\n\n## A section\n\nMore text that goes on.",
        source="a.md",
    )
    assert doc.title == "The Title"
    assert [(p.kind, p.text) for p in doc.paragraphs] == [
        (ParagraphKind.BODY, "See the report now, it says much."),
        (ParagraphKind.HEADING, "A section"),
        (ParagraphKind.BODY, "More text that goes on."),
    ]


def test_date_is_read_from_a_file_name():
    doc = parse_structure("Headline Here\n\nText.", source="nyt_2016-09-08_obama.txt")
    assert doc.published == "2016-09-08"


@pytest.mark.parametrize("lead", ["", "   \n\n  "])
def test_empty_text_gives_no_paragraphs(lead):
    doc = parse_structure(lead, source="empty.txt")
    assert doc.paragraphs == []
    assert doc.title


def test_derive_title_cuts_at_a_word_and_never_ends_on_a_weak_word():
    title = derive_title(
        "One two three four five six seven eight nine ten eleven twelve "
        "thirteen of the fifteen sixteen seventeen eighteen nineteen twenty."
    )
    assert title.endswith("thirteen…")


def test_derive_title_keeps_a_sentence_a_little_long_whole():
    lead = "Analysts in the capital now expect the long talks to end without any deal this week."
    assert derive_title(lead) == lead.rstrip(".")


@pytest.mark.parametrize("opener", ["“", '"', "‘", "«"])
def test_derive_title_ends_at_the_first_sentence_when_the_next_opens_a_quotation(opener):
    lead = f"The ministers met at dawn. {opener}We agreed on nothing at all today, again and again."
    assert derive_title(lead) == "The ministers met at dawn"


def test_derive_title_cuts_at_a_phrase_boundary_never_on_a_hanging_word():
    clause = derive_title(
        "Streets of the old port city are lined with flags and lanterns tonight as the "
        "city prepares to welcome two leaders for a second round of talks."
    )
    # Never "… tonight…": an adverb trailing the phrase goes with the cut.
    assert clause == "Streets of the old port city are lined with flags and lanterns…"
    comma = derive_title(
        "The ministers who met on Monday in the northern city of Ashford, after weeks of "
        "quarrelling over fishing rights and tariffs, agreed a deal."
    )
    assert comma == "The ministers who met on Monday in the northern city of Ashford…"
    modal = derive_title(
        "Officials across the whole region are already quietly warning that the new "
        "treaty will certainly not survive another winter of protests."
    )
    assert modal.removesuffix("…").split()[-1] not in {"will", "not", "the", "that"}


def test_spacy_reads_a_typographic_apostrophe_inside_a_word_as_a_plain_one():
    from summit.nlp.types import Document, Paragraph, ParagraphKind
    from summit.nlp.work import document_text, spacy_text

    document = Document(
        title="",
        paragraphs=[
            Paragraph(0, ParagraphKind.BODY, "O’Donnell said it’s the ‘best’ plan."),
            Paragraph(1, ParagraphKind.BODY, "The voters’ view\u00a0differs."),
        ],
    )
    text, parsed = document_text(document), spacy_text(document)
    assert len(parsed) == len(text)  # one character for one: every offset holds
    assert parsed.startswith("O'Donnell said it's the ‘best’ plan.")
    assert "voters’ view differs" in parsed  # a plural's apostrophe ends the word

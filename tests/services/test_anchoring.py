"""Anchoring, not offsets: what editors did holds when the text moves under it.

Tombstones, kept edits, retired quotes and the machine's ids are found again by their
words and the words around them (a text-quote selector), through edits elsewhere,
inserted paragraphs and spans drawn a little differently; when the words themselves
changed, an editor's annotation is re-attached and flagged, never blocking the ingest.
"""

import pytest

from summit.models import EntityMention, Quote, RetiredQuote, Status
from summit.nlp import types as nlp
from summit.services.anchoring import TextQuote, place
from summit.services.editing import annotation_delete, annotation_set_status
from tests.services.test_ingest import ScriptedPipeline, ingest

pytestmark = pytest.mark.django_db

BELIEF = "a ceasefire would give the rebels time to regroup"
STORY = (
    "Talks Stall\n\n"
    f"Some experts believe {BELIEF}, one official said.\n\n"
    "“We will keep talking,” said Ann Lee."
)
PIPELINE = ScriptedPipeline({BELIEF: "Some Expert", "We will keep talking": "Ann Lee"})


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    ingest(path, pipeline=PIPELINE)
    return path


def rewrite(path, text, pipeline=PIPELINE):
    path.write_text(text, encoding="utf-8")
    [result] = ingest(path, pipeline=pipeline)
    assert not result.failed, result.message
    return result


# The matcher ----------------------------------------------------------------------------


def test_place_prefers_the_occurrence_whose_context_agrees():
    old = ["Kim met Moon.", "Later Kim left the room."]
    selector = TextQuote.at(old[1], 6, 9, 1)
    new = ["A new paragraph.", "Kim met Moon.", "Later Kim left the room."]
    assert place(new, selector) == place(new, selector, fuzzy=False)
    placed = place(new, selector)
    assert (placed.paragraph, placed.start, placed.exact) == (2, 6, True)


def test_place_finds_words_that_changed_between_the_same_neighbours():
    old = ["He said the deal was “a good step forward” for both."]
    selector = TextQuote.at(old[0], 22, 41, 0)
    placed = place(["He said the deal was “a good stepforward” for both."], selector)
    assert (placed.paragraph, placed.exact) == (0, False)
    assert placed.likeness > 0.9
    assert place(["Nothing of the kind stands here."], selector) is None


# Tombstones -----------------------------------------------------------------------------


def test_a_deleted_quote_stays_deleted_when_words_around_it_change(story):
    annotation_delete(annotation=Quote.objects.get(text=BELIEF), by=None)
    rewrite(story, STORY.replace("Some experts", "Some analysts"))
    assert not Quote.objects.filter(text=BELIEF).exists()
    assert Quote.objects.filter(text="We will keep talking").exists()


def test_a_deleted_quote_stays_deleted_when_a_paragraph_is_inserted(story):
    annotation_delete(annotation=Quote.objects.get(text=BELIEF), by=None)
    rewrite(story, STORY.replace("Talks Stall\n\n", "Talks Stall\n\nA new lead paragraph.\n\n"))
    assert not Quote.objects.filter(text=BELIEF).exists()
    # Its old address lands where its words now stand.
    assert RetiredQuote.objects.get().paragraph_index == 1


def test_a_deleted_quote_stays_deleted_when_the_pipeline_draws_it_shorter(story):
    annotation_delete(annotation=Quote.objects.get(text=BELIEF), by=None)
    shorter = BELIEF[:-1]
    pipeline = ScriptedPipeline({shorter: "Some Expert", "We will keep talking": "Ann Lee"})
    story.write_text(STORY, encoding="utf-8")
    [result] = ingest(story, pipeline=pipeline, force=True)
    assert not result.failed
    assert not Quote.objects.filter(text__startswith=shorter).exists()


# Kept edits -----------------------------------------------------------------------------


def test_a_verified_quote_moves_with_its_words_and_writes_no_history(story):
    quote = Quote.objects.get(text=BELIEF)
    annotation_set_status(annotations=[quote], status=Status.VERIFIED, by=None)
    rows = quote.history.count()
    rewrite(
        story,
        STORY.replace("Talks Stall\n\n", "Talks Stall\n\nA new lead.\n\n").replace(
            "Some experts", "Some analysts"
        ),
    )
    quote.refresh_from_db()
    assert (quote.paragraph.index, quote.status, quote.text) == (1, Status.VERIFIED, BELIEF)
    assert quote.paragraph.text[quote.start : quote.end] == BELIEF
    assert quote.history.count() == rows  # moving it is not an editor's change
    assert Quote.objects.filter(text=BELIEF).count() == 1


def test_a_typo_fixed_upstream_in_a_verified_quote_flags_it_for_review(story):
    typo = STORY.replace("regroup", "regruop")
    rewrite(story, typo, ScriptedPipeline({BELIEF.replace("regroup", "regruop"): "Some Expert"}))
    quote = Quote.objects.get(text__startswith="a ceasefire")
    annotation_set_status(annotations=[quote], status=Status.VERIFIED, by=None)
    result = rewrite(story, STORY)
    assert "check again" in result.message
    quote.refresh_from_db()
    assert (quote.text, quote.status, quote.edited) == (BELIEF, Status.MACHINE, True)
    assert Quote.objects.filter(text=BELIEF).count() == 1


# The machine's ids ----------------------------------------------------------------------


class NamesPipeline:
    """Marks every "Kim" of every paragraph as a person."""

    name = "names"

    def analyze_many(self, documents, *, batch_size=16, n_process=1, gazetteer=None):
        for document in documents:
            analysis = nlp.Analysis(document=document)
            for p in document.paragraphs:
                at = p.text.find("Kim")
                while at != -1:
                    span = nlp.Span(p.index, at, at + 3, "Kim")
                    analysis.mentions.append(nlp.Mention(span=span, label="PERSON"))
                    at = p.text.find("Kim", at + 1)
            yield analysis


def test_name_marks_keep_their_ids_when_a_paragraph_is_inserted(tmp_path):
    text = (
        "Kim Visits\n\nKim arrived on Monday.\n\nOfficials said Kim would stay.\n\n"
        "Kim left early, and Kim was tired."
    )
    path = tmp_path / "names.txt"
    path.write_text(text, encoding="utf-8")
    ingest(path, pipeline=NamesPipeline())

    def ids():
        return {
            (m.paragraph.text, m.start): m.pk
            for m in EntityMention.objects.select_related("paragraph")
        }

    before = ids()
    assert len(before) == 4
    path.write_text(text.replace("Kim Visits\n\n", "Kim Visits\n\nA new lead.\n\n"), "utf-8")
    ingest(path, pipeline=NamesPipeline())
    assert ids() == before

"""Sieve ``cue_model``: reported speech beyond the rule sieves' cues ("criticized X
for …", "questioned whether …"), found by the learned cue model
(summit/nlp/quotes/learned.py, trained by ``manage.py train_attribution``)."""

from __future__ import annotations

from summit.nlp.quotes import learned
from summit.nlp.quotes.confidence import SIEVE_PRECISION
from summit.nlp.types import QuoteKind
from summit.nlp.work import document_text

from ..conftest import make_doc
from .helpers import said


def _indirect(an):
    return [q for q in an.quotes if q.kind == QuoteKind.INDIRECT]


def test_the_model_is_committed_and_knows_cues_beyond_the_rules():
    model = learned.load_model()
    assert model is not None
    assert 0.5 < model.threshold < 1.0
    assert {"criticize", "question"} <= model.lemmas


def test_a_criticism_with_its_reason_is_reported_speech(analyze):
    an = analyze(
        "Jane Roe criticized the harbour board for hiding the true cost of the dredging "
        "work from the town's ratepayers."
    )
    q, who = said(an, "the harbour board for hiding")
    assert (q.kind, q.sieve, who) == (QuoteKind.INDIRECT, "cue_model", "Jane Roe")
    assert q.confidence == SIEVE_PRECISION["cue_model"]


def test_a_verb_the_model_does_not_know_reports_nothing(analyze):
    an = analyze("Jane Roe painted the harbour board's old ferry terminal a bright shade of blue.")
    assert _indirect(an) == []


def test_while_recording_every_candidate_is_seen_and_none_accepted(analyze):
    with learned.recording(["criticize"]) as seen:
        an = analyze(
            "Jane Roe criticized the harbour board for hiding the true cost of the dredging "
            "work from the town's ratepayers."
        )
    assert len(seen) == 1
    assert "lem=criticize" in seen[0]["features"]
    assert _indirect(an) == []


def test_what_an_object_is_called_is_part_of_the_candidate(analyze):
    """'called the plan a waste', 'described the plan as reckless': the model judges
    the object with what it is called, not the bare object ('the plan', too short to
    report anything)."""
    for sentence, construction in (
        ("Jane Roe called the harbour plan a reckless waste of the town's money.", "oprd"),
        ("Jane Roe described the harbour plan as a reckless waste of money.", "dobj"),
    ):
        with learned.recording(["call", "describe"]) as seen:
            analyze(sentence)
        assert len(seen) == 1
        text = document_text(make_doc(sentence))
        a, b = seen[0]["span"]
        assert text[a:b].startswith("the harbour plan")
        assert "reckless waste" in text[a:b]
        assert f"how={construction}" in seen[0]["features"]


def test_the_word_the_content_hangs_on_tells_a_report_from_an_act(analyze):
    """'made the case that …' reports, 'made a profit on …' does not: the model sees
    the content's head word beside the cue's lemma."""
    for sentence, head in (
        ("Jane Roe made the case that the ferry fares were far too high for families.", "case"),
        ("Jane Roe made a large profit of two million pounds on the old harbour ferry.", "profit"),
    ):
        with learned.recording(["make"]) as seen:
            analyze(sentence)
        assert [f"make|chead={head}" in c["features"] for c in seen] == [True], seen


def test_a_cue_inside_another_report_is_marked_nested(pipeline):
    """'said the board wants to …': what the board wants is inside Jane Roe's report;
    the same words on their own are not."""
    nested = pipeline.nlp("Jane Roe said the harbour board wants to raise the ferry fares.")
    alone = pipeline.nlp("The harbour board wants to raise the ferry fares next spring.")
    assert learned.is_nested(next(t for t in nested if t.lower_ == "wants"))
    assert not learned.is_nested(next(t for t in alone if t.lower_ == "wants"))


def test_what_someone_recognizes_is_no_quote_of_theirs(analyze):
    """The reporter's reading of a mind ('recognizes that …', 'knows that …') is not
    something the person said, however the model would score it."""
    for sentence in (
        "Jane Roe recognizes that the harbour's repair will be a long process that will "
        "take ten years or more to finish.",
        "Roe also recognizes that the ferry company is unique among local firms in "
        "wanting to end the long dispute over fares.",
    ):
        assert _indirect(analyze("Harbour news", sentence)) == []


def test_the_model_sees_how_much_of_the_sentence_follows_the_content(analyze):
    """An object that stops well short of its sentence's end ('announced the closure of
    the terminal on Monday at a meeting …') is often a fragment of what was reported;
    a content that runs to the end of its sentence is not."""
    for sentence, rest in (
        (
            "Jane Roe criticized the harbour board for hiding the true cost of the dredging "
            "work from the town's ratepayers.",
            "rest=0",
        ),
        (
            "Jane Roe announced the closure of the old ferry terminal on Monday at a crowded "
            "meeting of the harbour board in the town hall.",
            "rest=10",
        ),
    ):
        with learned.recording(["criticize", "announce"]) as seen:
            analyze(sentence)
        assert [rest in c["features"] for c in seen] == [True], seen

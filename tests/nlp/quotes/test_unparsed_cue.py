"""A cue the parser left without a subject: the words around it still name who speaks,
and the one a cue speaks to ("told the Courier") never does."""

from __future__ import annotations

import pytest

from summit.nlp.pipeline import analyze_doc
from summit.nlp.work import spacy_text

from ..conftest import make_doc
from .helpers import said


def _without_subject(pipeline, text: str, name: str, cue: str):
    """The analysis of ``text`` with the parse the parser sometimes makes of a trailing
    cue: the name hangs loose ("dep") and the cue is a conjunct of the quotation's verb."""
    document = make_doc(text)
    doc = pipeline.nlp(spacy_text(document))
    verb = next(t for t in doc if t.dep_ == "ccomp" or (t.dep_ == "ROOT" and t.text != cue))
    for t in doc:
        if t.text == name:
            t.dep_ = "dep"
        if t.text == cue:
            t.head = verb
            t.dep_ = "conj"
    root = next(t for t in doc if t.text == cue).head
    root.head = root
    root.dep_ = "ROOT"
    return analyze_doc(document, doc)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("“We fixed every boat in the yard,” Becker, 49, told The Daily Courier.", "Becker"),
        (
            "“We fixed every boat in the yard,” Ann Lowe, a spokeswoman for the Harbour "
            "Trust, told the Courier.",
            "Lowe",
        ),
    ],
)
def test_the_name_before_an_apposition_speaks_not_the_one_told(pipeline, text, name):
    an = _without_subject(pipeline, text, name, "told")
    _q, who = said(an, "every boat")
    assert who is not None
    assert who.endswith(name)

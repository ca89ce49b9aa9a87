"""The Pipeline's public surface."""

from __future__ import annotations

from summit.nlp.pipeline import DEFAULT_MODEL, Pipeline, load_pipeline
from summit.nlp.types import Document, Paragraph, ParagraphKind

from .conftest import make_doc


def test_load_pipeline_is_cached(pipeline):
    assert load_pipeline() is pipeline
    # Named or by default, one model a process (ingest names it, the rules' word list
    # asks for the default: two copies cost a second load in every worker).
    assert load_pipeline(DEFAULT_MODEL) is pipeline
    assert "summit_paragraph_breaks" in pipeline.nlp.pipe_names


def test_official_model_name_falls_back():
    p = Pipeline("en_core_web_sm")
    assert p.nlp is not None


def test_empty_and_heading_only_documents(pipeline):
    empty = Document(title="", paragraphs=[])
    an = pipeline.analyze(empty)
    assert an.quotes == []
    assert an.people == []
    headings = Document(
        title="t",
        paragraphs=[
            Paragraph(0, ParagraphKind.HEADING, "“Quoted heading,” said Tom Becker"),
            Paragraph(1, ParagraphKind.CAPTION, "Tom Becker at the port. Photo: AFP"),
        ],
    )
    an = pipeline.analyze(headings)
    assert an.quotes == []
    assert any(m.label == "PERSON" for m in an.mentions)


def test_nbsp_is_handled(pipeline):
    an = pipeline.analyze(make_doc("“We\u00a0will\u00a0win,” said\u00a0Tom\u00a0Becker."))
    q = an.quotes[0]
    assert "\u00a0" in q.span.text
    assert an.person(q.speaker).name.replace("\u00a0", " ") == "Tom Becker"


def test_analyze_many_keeps_order(pipeline):
    docs = [make_doc(f"“Number {i} is here,” said Tom Becker.", title=str(i)) for i in range(5)]
    assert [a.document.title for a in pipeline.analyze_many(docs, batch_size=2)] == [
        str(i) for i in range(5)
    ]

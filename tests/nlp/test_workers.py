"""The analysis in worker processes: spaCy and the rules run there, plain data comes
back in order, documents are pulled a few batches ahead (not all up front), and a
document a worker cannot analyse fails alone."""

from __future__ import annotations

from summit.nlp.pipeline import AnalysisFailed, Pipeline
from summit.nlp.types import Analysis, Document, Paragraph, ParagraphKind

from .conftest import make_doc


def _story(n: int):
    return make_doc(f"“We will finish the bridge {n},” said Tom Becker.", title=f"Story {n}")


def test_workers_analyse_in_order_and_pull_documents_a_few_batches_ahead():
    pulled: list[int] = []

    def documents():
        for n in range(24):
            pulled.append(n)
            yield _story(n)

    pulled_at_first = None
    analyses = []
    for analysis in Pipeline().analyze_many(documents(), batch_size=2, n_process=2):
        if pulled_at_first is None:
            pulled_at_first = len(pulled)
        analyses.append(analysis)
    assert [a.document.title for a in analyses] == [f"Story {n}" for n in range(24)]
    assert all(isinstance(a, Analysis) and a.quotes for a in analyses)
    assert analyses[5].quotes[0].span.text == "We will finish the bridge 5"
    # two batches of two a worker in flight, and the one being filled
    assert pulled_at_first is not None
    assert pulled_at_first <= 10


def test_a_document_a_worker_cannot_analyse_fails_alone_and_its_batch_goes_on():
    # not text: the analysis of this one raises in the worker
    broken = Document(title="Broken", paragraphs=[Paragraph(0, ParagraphKind.BODY, None)])
    documents = [_story(0), broken, _story(2), _story(3)]
    results = list(Pipeline().analyze_many(documents, batch_size=3, n_process=2))
    assert len(results) == 4
    assert isinstance(results[1], AnalysisFailed)
    assert results[1].kind == "TypeError"
    assert [r.document.title for r in (results[0], results[2], results[3])] == [
        "Story 0",
        "Story 2",
        "Story 3",
    ]
    assert all(r.quotes for r in (results[0], results[2], results[3]))


def test_the_pipeline_names_itself_without_loading_spacy():
    pipeline = Pipeline()
    assert pipeline.name.startswith("en_core_web_sm")
    assert pipeline._nlp is None

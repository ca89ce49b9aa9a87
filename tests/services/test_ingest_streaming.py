"""Ingest streams: files are read as the pipeline pulls them, not all before the first
is analysed; an article a worker could not analyse fails alone, the rest are stored."""

from __future__ import annotations

import pytest

from summit import sources
from summit.models import Article
from summit.nlp.pipeline import AnalysisFailed
from summit.services.ingest import Outcome, articles_ingest
from tests.services.test_ingest import PIPELINE, STORY


def _folder(tmp_path, count):
    for n in range(count):
        (tmp_path / f"{n:03d}.txt").write_text(
            STORY.replace("Budget Fight Ends", f"Budget Fight {n} Ends"), encoding="utf-8"
        )
    return str(tmp_path)


class Recording:
    """The scripted pipeline, noting how many files had been read at each analysis."""

    name = "recording"

    def __init__(self, reads):
        self.reads = reads
        self.read_at_analysis: list[int] = []

    def analyze(self, document):
        return PIPELINE.analyze(document)

    def analyze_many(self, documents, *, batch_size=16, n_process=1, gazetteer=None):
        for document in documents:
            self.read_at_analysis.append(len(self.reads))
            yield PIPELINE.analyze(document)


@pytest.mark.django_db
def test_files_are_read_as_the_pipeline_pulls_them(tmp_path, monkeypatch):
    reads: list[str] = []
    read = sources.read

    def counting(target, **kwargs):
        reads.append(target)
        return read(target, **kwargs)

    monkeypatch.setattr(sources, "read", counting)
    pipeline = Recording(reads)
    results = articles_ingest(targets=[_folder(tmp_path, 30)], pipeline=pipeline)
    assert [r.outcome for r in results] == [Outcome.INGESTED] * 30
    assert pipeline.read_at_analysis == list(range(1, 31))  # one read ahead, never all


class FailsInAWorker:
    """A pipeline whose worker sends one article back as failed, in its place."""

    name = "fails-in-a-worker"

    def analyze(self, document):
        return PIPELINE.analyze(document)

    def analyze_many(self, documents, *, batch_size=16, n_process=1, gazetteer=None):
        for document in documents:
            if "Fight 2 " in document.title:
                yield AnalysisFailed("TypeError", "sequence item 0: expected str")
            else:
                yield PIPELINE.analyze(document)


@pytest.mark.django_db
def test_an_article_a_worker_could_not_analyse_fails_alone(tmp_path):
    results = articles_ingest(targets=[_folder(tmp_path, 5)], pipeline=FailsInAWorker())
    by_name = {r.source.rsplit("/", 1)[-1]: r for r in results}
    assert by_name["002.txt"].outcome is Outcome.FAILED
    assert by_name["002.txt"].message == (
        "could not be analysed (TypeError: sequence item 0: expected str)"
    )
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        f"Budget Fight {n} Ends" for n in (0, 1, 3, 4)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("collision", ["new speaker", "deadlock"])
def test_a_write_that_collides_with_another_workers_is_tried_again(
    tmp_path, monkeypatch, collision
):
    """Two workers storing at once: one creates a speaker the other was creating too
    (a unique slug refused), or their counter updates deadlock. The loser's transaction
    is rolled back and tried again, and the article is stored."""
    from django.db import IntegrityError, OperationalError

    from summit.models import Speaker
    from summit.services import ingest as service

    class Deadlock(Exception):
        sqlstate = "40P01"

    store, calls = service._store, []

    def collides_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            Speaker.objects.create(name="Jane Roe", kind="person")  # rolled back with it
            if collision == "deadlock":
                raise OperationalError("deadlock detected") from Deadlock()
            raise IntegrityError("duplicate key value violates unique constraint")
        return store(*args, **kwargs)

    monkeypatch.setattr(service, "_store", collides_once)
    results = articles_ingest(targets=[_folder(tmp_path, 1)], pipeline=PIPELINE)
    assert [r.outcome for r in results] == [Outcome.INGESTED]
    assert len(calls) == 2
    assert Speaker.objects.filter(name="Jane Roe").count() == 1
    assert Article.objects.get().quotes.count() == 2

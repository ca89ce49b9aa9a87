"""Ingest under hostile input: one article's failure is that article's alone, said in one
line; articles longer than spaCy's limit are parsed in pieces."""

from __future__ import annotations

import logging

import pytest
from django.db import OperationalError

from summit.models import Article, Claim, EntityMention, Quote
from summit.services import ingest as ingest_service
from summit.services.ingest import Outcome, articles_ingest
from tests.services.test_ingest import PIPELINE, STORY


class BreaksOn:
    """A pipeline that fails on the article whose title holds ``word``, mid-stream."""

    name = "breaks"

    def __init__(self, word):
        self.word = word

    def analyze(self, document):
        if self.word in document.title:
            raise ValueError("[E088] Text of length 1000001 exceeds maximum of 1000000.")
        return PIPELINE.analyze(document)

    def analyze_many(self, documents, *, batch_size=16, n_process=1, gazetteer=None):
        return (self.analyze(d) for d in documents)


def _write(tmp_path, names):
    paths = []
    for name in names:
        path = tmp_path / f"{name}.txt"
        path.write_text(STORY.replace("Budget Fight Ends", f"{name} story"), encoding="utf-8")
        paths.append(str(path))
    return paths


@pytest.mark.django_db
def test_an_article_the_pipeline_fails_on_fails_alone_and_the_batch_goes_on(tmp_path, caplog):
    paths = _write(tmp_path, ["alpha", "bravo", "charlie", "delta"])
    with caplog.at_level(logging.WARNING):
        results = articles_ingest(targets=paths, pipeline=BreaksOn("bravo"))
    outcomes = {r.source.rsplit("/", 1)[-1]: r for r in results}
    assert outcomes["bravo.txt"].outcome is Outcome.FAILED
    assert "E088" in outcomes["bravo.txt"].message
    assert [outcomes[n].outcome for n in ("alpha.txt", "charlie.txt", "delta.txt")] == [
        Outcome.INGESTED
    ] * 3
    assert Article.objects.count() == 3
    assert not [r for r in caplog.records if r.exc_info], "no traceback, one line"


@pytest.mark.django_db
def test_a_locked_database_is_one_line_per_article_not_a_traceback(tmp_path, caplog, monkeypatch):
    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(ingest_service, "_store", locked)
    paths = _write(tmp_path, ["alpha", "bravo"])
    with caplog.at_level(logging.WARNING):
        results = articles_ingest(targets=paths, pipeline=PIPELINE)
    assert [r.outcome for r in results] == [Outcome.FAILED, Outcome.FAILED]
    assert all("database is locked" in r.message for r in results)
    assert not [r for r in caplog.records if r.exc_info]
    assert len([r for r in caplog.records if "database" in r.getMessage()]) == 2


@pytest.mark.django_db
def test_an_article_longer_than_spacys_limit_is_parsed_in_pieces(
    tmp_path, seed_pipeline, monkeypatch
):
    """spaCy refuses a text over ``nlp.max_length`` (E088). The limit is lowered here so
    the test stays quick; the article is cut into paragraph-aligned pieces under it."""
    from summit.nlp import bounded

    real = seed_pipeline.pipeline  # the real one, not its replay
    monkeypatch.setattr(real.nlp, "max_length", 4000)
    monkeypatch.setattr(bounded, "CHUNK_CHARS", 3000)
    paragraphs = [
        f"“We will build {i} new bridges this year,” said Mayor Ann Lee of Springfield."
        for i in range(120)
    ]
    text = "Bridges For Everyone\n\n" + "\n\n".join(paragraphs)
    assert len(text) > 2 * 4000
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")

    [result] = articles_ingest(targets=[str(path)], pipeline=real)
    assert result.outcome is Outcome.INGESTED, result.message
    article = Article.objects.get()
    assert article.paragraphs.count() == 120
    quotes = Quote.objects.filter(article=article)
    assert quotes.count() >= 100, "quotes are found in every piece"
    assert {q.speaker.name for q in quotes if q.speaker} == {"Ann Lee"}
    for model in (Quote, EntityMention, Claim):
        for annotation in model.objects.filter(article=article):
            annotation.full_clean()  # the offsets still cover the text

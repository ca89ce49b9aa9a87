"""The hostile corpus (tests/data/hostile/) ingests through the real pipeline and every
article renders: escaped, offsets true, bidi controls out of names, emoji kept whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from summit.models import BIDI_CONTROLS, Article, Claim, EntityMention, Quote, Speaker
from summit.services.ingest import Outcome, articles_ingest

CORPUS = Path(__file__).resolve().parent / "data" / "hostile"
pytestmark = pytest.mark.django_db


@pytest.fixture
def ingested(seed_pipeline):
    results = articles_ingest(targets=[str(CORPUS)], pipeline=seed_pipeline)
    return {Path(r.source).name: r for r in results}


def test_the_hostile_corpus_ingests_renders_escaped_and_keeps_text_hygiene(client, ingested):
    assert len(ingested) == len(list(CORPUS.iterdir()))
    failed = {name: r.message for name, r in ingested.items() if r.outcome is not Outcome.INGESTED}
    assert not failed
    for model in (EntityMention, Quote, Claim):
        for annotation in model.objects.all():
            annotation.full_clean()  # offsets and text agree

    for article in Article.objects.all():
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200, article.source_file
        html = response.content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "<svg onload" not in html
        assert " style=" not in html

    # Bidi controls are out of names and slugs; in the paragraphs they stay, as text
    # (the page isolates each paragraph and mark, summit.css).
    names = [s.name for s in Speaker.objects.all()] + [s.slug for s in Speaker.objects.all()]
    assert names
    assert not [n for n in names if n != n.translate(BIDI_CONTROLS)]
    bidi = Article.objects.get(source_file="bidi_names.txt")
    assert any("\u202e" in p.text for p in bidi.paragraphs.all())

    # Zero-width joiners inside emoji are kept; a stray one is dropped.
    emoji = Article.objects.get(source_file="emoji_zwj.txt")
    text = "\n".join(p.text for p in emoji.paragraphs.all())
    assert "👩\u200d👩\u200d👧" in text
    assert "🏳\ufe0f\u200d🌈" in text
    assert "joiner between" in text

"""Memory is bounded by design: a mark never carries its own copy of its paragraph's
text, so exporting or serving an article costs about its size, not its size times its
marks."""

from __future__ import annotations

import io
import tracemalloc

import pytest
from django.core.cache import caches

from summit.models import EntityMention, Paragraph
from summit.services.formats import write

pytestmark = pytest.mark.django_db

WORDS = 20_000  # one paragraph of 100,000 characters
MARKS = 300


@pytest.fixture
def long_article(make):
    article = make.article("Mann " * WORDS)
    paragraph = Paragraph.objects.get(article=article)
    EntityMention.objects.bulk_create(
        EntityMention(
            article=article,
            paragraph=paragraph,
            start=5 * i,
            end=5 * i + 4,
            text="Mann",
            label="PERSON",
        )
        for i in range(MARKS)
    )
    return article


def _peak(action) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


class _Sink(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)


@pytest.mark.parametrize("fmt", ["json", "jsonl", "spans", "w3c", "csv"])
def test_exporting_a_long_article_with_many_marks_copies_its_text_a_few_times(long_article, fmt):
    size = 5 * WORDS
    peak = _peak(lambda: write(fmt, _Sink()))
    # A copy of the paragraph per mark would be MARKS × size (30 MB here).
    assert peak < 25 * size, f"{fmt}: peak {peak:,} bytes for a {size:,}-character article"


def test_its_w3c_annotations_copy_its_text_a_few_times(long_article, client):
    client.get(url := f"/articles/{long_article.pk}/annotations.jsonld")  # first: imports
    for cache in caches.all():
        cache.clear()  # made again, not served from the page cache
    size = 5 * WORDS
    peak = _peak(lambda: client.get(url))
    assert peak < 25 * size, f"peak {peak:,} bytes for a {size:,}-character article"

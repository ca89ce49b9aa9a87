"""Property tests: random Unicode articles — quotation marks, bidi controls, astral
characters, control characters, long paragraphs — never crash ingest, keep every offset
equal to its text, and render escaped."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summit.models import Article, Claim, EntityMention, Quote
from summit.services.ingest import Outcome, articles_ingest

pytestmark = pytest.mark.django_db

_pieces = st.sampled_from(
    [
        "“",
        "”",
        '"',
        "‘",
        "’",
        "«",
        "»",
        "„",
        "'",
        " said ",
        " Ann Lee",
        " Bo Chan",
        " told reporters",
        ". ",
        ", ",
        "\u202e",
        "\u202c",
        "\u2067",
        "\u2069",
        "\u200d",
        "👩\u200d👩\u200d👧",
        "𝐀𝐧𝐧",
        "𓀀",
        "\x07",
        "<script>",
        "&amp;",
        " the council ",
        "\u00a0",
        "é",
        "ß",
        "中文",
        "العربية",
        "!!!",
        "((",
        "))",
    ]
)
_paragraph = st.lists(_pieces | st.text(max_size=12), min_size=1, max_size=60).map("".join)
_long = st.just("“We will build it,” said Ann Lee. " * 100)  # a 3,400-character paragraph
_article = st.lists(_paragraph | _long, min_size=1, max_size=6)
_names = itertools.count()


@given(paragraphs=_article)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_random_articles_never_crash_keep_offsets_and_render_escaped(
    client, seed_pipeline, paragraphs
):
    folder = Path(tempfile.mkdtemp(prefix="summit-prop-"))
    path = folder / f"random-{next(_names)}.txt"
    path.write_text("Random Article\n\n" + "\n\n".join(paragraphs), encoding="utf-8")

    [result] = articles_ingest(targets=[str(path)], force=True, pipeline=seed_pipeline.pipeline)

    if result.outcome is Outcome.FAILED:
        # Refused as input (empty, binary-looking), never a crash of the pipeline.
        assert result.message.startswith(("is empty", "looks like a binary", "is a binary"))
        return
    article = Article.objects.get(pk=result.article_id)
    for model in (EntityMention, Quote, Claim):
        for annotation in model.objects.filter(article=article):
            # The offsets cover exactly the text (a quote over several paragraphs may end
            # at an offset before its start: the end is in a later paragraph).
            assert annotation.covered_text() == annotation.text
            if getattr(annotation, "end_paragraph_id", None) in (None, annotation.paragraph_id):
                assert annotation.start <= annotation.end
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>" not in html

"""Fixtures for the language layer's tests: plain Python, no Django."""

from __future__ import annotations

from pathlib import Path

import pytest

from summit.nlp.types import ArticleKind, Document, Paragraph, ParagraphKind

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"  # ../shared beside the checkout
GOLD_SEEDS = SHARED / "gold" / "seeds.json"
POLNEAR = SHARED / "eval" / "polnear-dev"


def seeds_dir() -> Path:
    """The seed articles: the shared copy, else the project's own ``seeds/``."""
    shared = SHARED / "seeds"
    return shared if shared.is_dir() else ROOT / "seeds"


@pytest.fixture(scope="session")
def pipeline():
    from summit.nlp.pipeline import load_pipeline

    return load_pipeline()


def make_doc(
    *paragraphs: str, byline: str = "", kind: ArticleKind = ArticleKind.NEWS, title: str = "Test"
) -> Document:
    return Document(
        title=title,
        byline=byline,
        kind=kind,
        paragraphs=[Paragraph(i, ParagraphKind.BODY, t) for i, t in enumerate(paragraphs)],
    )


@pytest.fixture(scope="session")
def analyze(pipeline):
    def run(*paragraphs: str, **kw):
        return pipeline.analyze(make_doc(*paragraphs, **kw))

    return run

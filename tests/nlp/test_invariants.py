"""Every span the pipeline returns points at its own text; keys are unique and resolve."""

from __future__ import annotations

import pytest

from summit.nlp.structure import parse_structure
from summit.nlp.types import ParagraphKind, span_text

from .conftest import POLNEAR, seeds_dir


def _texts():
    out = [p for p in sorted(seeds_dir().glob("*.txt"))]
    if POLNEAR.is_dir():
        out += sorted((POLNEAR / "articles").glob("*.txt"))[::12]
    return out


@pytest.fixture(scope="module")
def analyses(pipeline):
    docs = [parse_structure(p.read_text(encoding="utf-8"), source=p.name) for p in _texts()]
    return list(pipeline.analyze_many(docs, batch_size=4))


def _check(paras, span):
    assert span.text == span_text(
        paras, span.paragraph, span.start, span.end, span.end_paragraph
    ), span
    assert 0 <= span.start <= len(paras[span.paragraph])


def test_spans_point_at_their_text(analyses):
    assert len(analyses) >= 2
    for an in analyses:
        paras = [p.text for p in an.document.paragraphs]
        for m in an.mentions:
            _check(paras, m.span)
        for q in an.quotes:
            _check(paras, q.span)
            if q.speaker_span:
                _check(paras, q.speaker_span)
            assert an.document.paragraphs[q.span.paragraph].kind == ParagraphKind.BODY
            assert not q.span.text.startswith(("“", '"')) or q.kind.value == "indirect"
        for c in an.claims:
            _check(paras, c.span)


def test_keys_unique_and_resolve(analyses):
    for an in analyses:
        keys = [p.key for p in an.people]
        assert len(keys) == len(set(keys))
        known = set(keys)
        for m in an.mentions:
            assert m.person is None or m.person in known
        for q in an.quotes:
            assert q.speaker is None or q.speaker in known
        for c in an.claims:
            assert c.holder is None or c.holder in known

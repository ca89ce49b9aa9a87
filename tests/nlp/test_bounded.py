"""spaCy at bounded cost: runs of punctuation tokenized per character, long texts in
pieces; not a character of the text changes."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from summit.nlp import bounded
from summit.nlp.bounded import (
    _PUNCT_RUN,
    LONG_SPAN,
    PUNCT_RUN,
    BoundedTokenizer,
    chunks,
    pipe_chunked,
)

_nlp = spacy.blank("en")
_bounded = BoundedTokenizer(_nlp.tokenizer)

_hostile = st.lists(
    st.sampled_from(list("“”‘’\"'«»„()[]!?.,;:-— \n\taé🙂\u202e\u200d") + ["ab", "Kim "]),
    max_size=300,
).map("".join)


@given(_hostile)
@settings(max_examples=300, deadline=None)
def test_the_text_of_the_doc_is_the_text(text):
    assert _bounded(text).text == text


@given(st.text(st.characters(codec="utf-8"), max_size=200))
@settings(max_examples=200, deadline=None)
def test_any_unicode_text_survives_tokenizing(text):
    assert _bounded(text).text == text


def test_text_without_a_long_run_is_tokenized_exactly_as_spacy_does():
    text = "“We will go,” said Kim (the mayor) -- really!!! ... https://example.org/a?b=c"
    assert [t.text for t in _bounded(text)] == [t.text for t in _nlp.tokenizer(text)]


def test_a_run_of_quotation_marks_is_one_token_a_character():
    run = "“" * 20_000
    doc = _bounded(f"He said {run} and left.")
    assert doc.text == f"He said {run} and left."
    assert len(doc) == 2 + 20_000 + 3
    assert all(len(t) == 1 for t in doc[2 : 2 + 20_000])
    short = "x" + "”" * (PUNCT_RUN - 1)  # shorter than a run: spaCy's own tokens
    assert [t.text for t in _bounded(short)] == [t.text for t in _nlp.tokenizer(short)]


class _Spy:
    """spaCy's tokenizer, noting the longest string without a space it was given (what
    its cost is quadratic in)."""

    def __init__(self, tokenizer):
        self.inner, self.vocab, self.longest = tokenizer, tokenizer.vocab, 0

    def __call__(self, text):
        self.longest = max([self.longest, *(len(s) for s in text.split())])
        return self.inner(text)


@pytest.mark.parametrize("unit", ["’s", "US$", "'s", "a.b", "(x)", "1km", "$1", "x’"])
def test_a_long_repetition_reaches_spacy_in_short_pieces(unit):
    spy = _Spy(_nlp.tokenizer)
    text = f"He said {unit * 10_000} and left."
    doc = BoundedTokenizer(spy)(text)
    assert doc.text == text
    assert spy.longest <= LONG_SPAN
    assert [t.text for t in doc[:2]] == ["He", "said"]
    assert [t.text for t in doc[-3:]] == ["and", "left", "."]


_pieces = st.sampled_from(list("as1’'$.,-()“”/%&")) | st.sampled_from(["US", "km", "’s", "n’t"])
_repeated = st.builds(
    lambda before, unit, n, after: f"{before}{unit * n}{after}",
    st.sampled_from(["", "He said ", "(", "“"]),
    st.lists(_pieces, min_size=1, max_size=4).map("".join),
    st.integers(1, 120),
    st.sampled_from(["", " today.", "”", "’s"]),
)


@given(_repeated)
@settings(max_examples=300, deadline=None)
def test_any_repeated_token_is_tokenized_truly_and_in_short_pieces(text):
    spy = _Spy(_nlp.tokenizer)
    doc = BoundedTokenizer(spy)(text)
    assert doc.text == text
    assert all(t.text and not t.text.isspace() or t.text.isspace() for t in doc)
    assert spy.longest <= LONG_SPAN
    if max(map(len, text.split()), default=0) <= LONG_SPAN and not _PUNCT_RUN.search(text):
        # Nothing long: exactly spaCy's tokens.
        assert [t.text for t in doc] == [t.text for t in _nlp.tokenizer(text)]


def test_long_texts_are_cut_at_paragraph_breaks_and_join_back():
    text = "\n\n".join(f"Paragraph {i} says something." for i in range(5000))
    pieces = chunks(text, 10_000)
    assert "".join(pieces) == text
    assert all(len(p) <= 10_000 for p in pieces)
    assert all(p.endswith("\n\n") for p in pieces[:-1])
    one_line = "word " * 10_000
    assert "".join(chunks(one_line, 7_000)) == one_line
    solid = "x" * 25_000
    assert [len(p) for p in chunks(solid, 10_000)] == [10_000, 10_000, 5_000]


class _Batches:
    """A blank pipeline that notes how many characters each batch spaCy runs holds."""

    def __init__(self):
        self.nlp = spacy.blank("en")
        self.sizes: list[int] = []

    def pipe(self, items, *, as_tuples, batch_size):
        items = list(items)
        self.sizes.append(sum(len(text) for text, _ in items))
        for text, context in items:
            yield self.nlp(text), context


def test_spacy_runs_in_batches_of_bounded_length_whatever_the_articles_length(monkeypatch):
    """spaCy's working memory follows the characters of the batch it runs: a long
    article goes through it a piece at a time, and comes back as one Doc whose text is
    the article's; short articles still go through sixteen at a time."""
    monkeypatch.setattr(bounded, "CHUNK_CHARS", 10_000)
    monkeypatch.setattr(bounded, "BATCH_CHARS", 12_000)
    sentence = "“We will build the bridge,” said Ann Lee in Springfield. "
    long = sentence * 2_000  # 114,000 characters in one paragraph
    short = [f"Short article {i}. " * 10 for i in range(20)]
    spy = _Batches()
    out = list(
        pipe_chunked(spy, [(long, "long"), *((s, i) for i, s in enumerate(short))], batch_size=16)
    )
    assert [context for _, context in out] == ["long", *range(20)]
    assert out[0][0].text == long
    assert [d.text for d, _ in out[1:]] == short
    assert max(spy.sizes) <= 12_000
    assert len(spy.sizes) >= len(long) // 12_000 + 2  # the long one alone, a piece a batch
    # Sixteen texts a batch: the long one's last piece with fifteen short ones, then five.
    assert spy.sizes[-1] == sum(map(len, short[15:]))

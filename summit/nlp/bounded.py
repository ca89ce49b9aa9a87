"""spaCy at bounded cost on hostile text: any length, any run of punctuation.

Two things make spaCy slow or refuse, and both are handled here without changing a
single character of the text (so every offset stays true):

- **Long strings without a space.** spaCy's tokenizer strips prefixes and suffixes
  from such a string one at a time, searching and copying the rest each time: a run of
  8,000 quotation marks took minutes, 10,000 repetitions of "’s" or "US$" over a minute
  (quadratic). :class:`BoundedTokenizer` tokenizes any run of ``PUNCT_RUN`` or more
  punctuation characters as one token per character (what spaCy would make of it), and
  cuts any other string longer than ``LONG_SPAN`` into pieces at most that long (at a
  change between letters and punctuation where there is one) before spaCy sees it, so
  tokenizing is linear in the text's length whatever pattern repeats. Text without
  such strings is tokenized exactly as spaCy does.
- **Length.** ``nlp(text)`` refuses text longer than ``nlp.max_length`` (error E088,
  1,000,000 characters), and while it runs spaCy holds a few kilobytes a character of
  the batch it parses (tok2vec's and the entity recogniser's working arrays: ~3.5 kB a
  character). :func:`chunks` cuts a long text into pieces of at most ``CHUNK_CHARS`` at
  paragraph breaks (else at a line, a sentence or a space, else anywhere);
  :func:`pipe_chunked` gives spaCy batches of at most ``BATCH_CHARS`` characters (a
  long article's pieces one or a few at a time) and joins each article's Docs, so an
  article of any length is parsed piece by piece into one Doc, spaCy's memory bounded
  by the batch. Ingest's bound: a 1,200,000-character article (the largest accepted)
  stays under 1.5 GB peak RSS (964 MB measured, bench/memory.py's text).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

# A run of this many punctuation or symbol characters (no letters, digits or spaces) is
# tokenized one character a token.
PUNCT_RUN = 24
_PUNCT_RUN = re.compile(rf"[^\w\s]{{{PUNCT_RUN},}}")
# spaCy strips prefixes and suffixes from a string without a space one at a time, each
# step costing the string's length: a string longer than this is cut into pieces at most
# this long first (any repeated pattern, e.g. "’s" or "US$" 10,000 times, stays linear).
# Hardly any real word is this long (1 string in 840 news articles of the training set).
LONG_SPAN = 64
_LONG_SPAN = re.compile(rf"\S{{{LONG_SPAN + 1},}}")

# Longest piece spaCy is given at once. Articles up to this length are parsed whole, as
# before; longer ones piece by piece.
CHUNK_CHARS = 100_000
# Most characters spaCy is given in one batch (of at most ``batch_size`` texts): its
# working memory follows the batch's length, whatever the article's.
BATCH_CHARS = 120_000

# Where a long text may be cut, best first: paragraph break, line, sentence end, space.
_CUTS = tuple(re.compile(pattern) for pattern in (r"\n\s*\n", r"\n", r"[.!?][\"'”’)\]]*\s", r"\s"))


class BoundedTokenizer:
    """spaCy's tokenizer in linear time: runs of punctuation one token a character, and
    long strings without a space cut into short pieces before spaCy sees them."""

    def __init__(self, tokenizer):
        self.inner = tokenizer
        self.vocab = tokenizer.vocab

    def __call__(self, text: str) -> Doc:
        cuts = _cuts(text)
        if not cuts:
            return self.inner(text)
        # spaCy tokenizes each string between spaces on its own: a space put at each cut
        # gives it short strings only, in one call; the spaces are taken out again.
        pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        spaced = " ".join(pieces)
        inserted = set()
        at = 0
        for piece in pieces[:-1]:
            at += len(piece)
            inserted.add(at)
            at += 1
        words: list[str] = []
        spaces: list[bool] = []
        for token in self.inner(spaced):
            words.append(token.text)
            spaces.append(bool(token.whitespace_) and token.idx + len(token) not in inserted)
        return Doc(self.vocab, words=words, spaces=spaces)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    # spaCy saves and loads the tokenizer with the pipeline.
    def to_bytes(self, **kwargs):
        return self.inner.to_bytes(**kwargs)

    def from_bytes(self, data, **kwargs):
        self.inner.from_bytes(data, **kwargs)
        return self

    def to_disk(self, path, **kwargs):
        self.inner.to_disk(path, **kwargs)

    def from_disk(self, path, **kwargs):
        self.inner.from_disk(path, **kwargs)
        return self


def _cuts(text: str) -> list[int]:
    """Where to cut ``text`` (offsets between two characters that are not spaces) so that
    no string spaCy is given without a space is long: around and inside every run of
    punctuation, and every ``LONG_SPAN`` characters or fewer in a long string, at a change
    between word characters and others where there is one."""
    runs = list(_PUNCT_RUN.finditer(text))
    cuts: list[int] = []
    for run in runs:
        cuts.extend(range(run.start(), run.end() + 1))
    for span in _LONG_SPAN.finditer(text):
        # The span's pieces between runs of punctuation (already one token a character).
        at = span.start()
        for run in runs[bisect.bisect_left(runs, span.start(), key=lambda r: r.start()) :]:
            if run.start() >= span.end():
                break
            cuts.extend(_piece_cuts(text, at, run.start()))
            at = run.end()
        cuts.extend(_piece_cuts(text, at, span.end()))
    return sorted(
        {c for c in cuts if 0 < c < len(text) and not (text[c - 1].isspace() or text[c].isspace())}
    )


def _piece_cuts(text: str, start: int, end: int) -> Iterator[int]:
    """Cuts in ``text[start:end]`` (no space in it) every ``LONG_SPAN`` characters or
    fewer, each at the last change between word characters and others in the second half
    of its window, else at the window's end."""
    while end - start > LONG_SPAN:
        cut = start + LONG_SPAN
        for i in range(start + LONG_SPAN - 1, start + LONG_SPAN // 2, -1):
            if _word(text[i - 1]) != _word(text[i]):
                cut = i
                break
        start = cut
        yield cut


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


def chunks(text: str, limit: int | None = None) -> list[str]:
    """``text`` cut into pieces of at most ``limit`` (``CHUNK_CHARS``) characters that
    join back into it, each cut at the best boundary the piece offers (see ``_CUTS``)."""
    limit = limit or CHUNK_CHARS
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = 0
        for pattern in _CUTS:
            ends = [m.end() for m in pattern.finditer(window, limit // 2)]
            if ends:
                cut = ends[-1]
                break
        if cut <= 0:
            cut = limit  # no boundary at all: a hard cut
        pieces.append(text[start : start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def pipe_chunked(nlp, pairs: Iterable[tuple[str, object]], *, batch_size: int):
    """``nlp.pipe(pairs, as_tuples=True)`` for texts of any length: long texts go through
    spaCy in pieces (in order, so they can be joined back) and come out as one Doc.
    spaCy is given batches of at most ``batch_size`` texts and, unless one text is
    longer, ``BATCH_CHARS`` characters."""

    def pieces():
        for text, context in pairs:
            parts = chunks(text)
            for i, part in enumerate(parts):
                yield part, (context, i, len(parts))

    pending: list[Doc] = []
    for batch in _batches(pieces(), batch_size, BATCH_CHARS):
        for doc, (context, i, total) in nlp.pipe(batch, as_tuples=True, batch_size=len(batch)):
            if total == 1:
                yield doc, context
                continue
            pending.append(doc)
            if i == total - 1:
                joined = Doc.from_docs(pending, ensure_whitespace=False)
                pending = []
                yield joined, context


def _batches(items: Iterable[tuple[str, object]], size: int, chars: int):
    """``items`` in lists of at most ``size``, and at most ``chars`` characters of text
    unless one item alone is longer; read one batch at a time."""
    batch: list[tuple[str, object]] = []
    length = 0
    for item in items:
        if batch and (len(batch) >= size or length + len(item[0]) > chars):
            yield batch
            batch, length = [], 0
        batch.append(item)
        length += len(item[0])
    if batch:
        yield batch

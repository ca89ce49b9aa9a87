"""spaCy at bounded cost on hostile text: any length, any run of punctuation.

Two things make spaCy slow or refuse, and both are handled here without changing a
single character of the text (so every offset stays true):

- **Runs of punctuation.** spaCy's tokenizer strips prefixes and suffixes from a
  whitespace-free string one at a time, copying the rest each time: a run of 8,000
  quotation marks takes minutes (quadratic). :class:`BoundedTokenizer` tokenizes any run
  of ``PUNCT_RUN`` or more punctuation characters as one token per character (what
  spaCy would make of it, in linear time) and the text between runs as spaCy does.
- **Length.** ``nlp(text)`` refuses text longer than ``nlp.max_length`` (error E088,
  1,000,000 characters). :func:`chunks` cuts a long text into pieces of at most
  ``CHUNK_CHARS`` at paragraph breaks (else at a line, a sentence or a space, else
  anywhere); :func:`pipe_chunked` runs spaCy over the pieces and joins their Docs, so an
  article of any length is parsed piece by piece in bounded memory into one Doc.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

# A run of this many punctuation or symbol characters (no letters, digits or spaces) is
# tokenized one character a token.
PUNCT_RUN = 24
_PUNCT_RUN = re.compile(rf"[^\w\s]{{{PUNCT_RUN},}}")

# Longest piece spaCy is given at once. Articles up to this length are parsed whole, as
# before; longer ones piece by piece.
CHUNK_CHARS = 200_000

# Where a long text may be cut, best first: paragraph break, line, sentence end, space.
_CUTS = tuple(re.compile(pattern) for pattern in (r"\n\s*\n", r"\n", r"[.!?][\"'”’)\]]*\s", r"\s"))


class BoundedTokenizer:
    """spaCy's tokenizer, with runs of punctuation tokenized in linear time."""

    def __init__(self, tokenizer):
        self.inner = tokenizer
        self.vocab = tokenizer.vocab

    def __call__(self, text: str) -> Doc:
        runs = list(_PUNCT_RUN.finditer(text))
        if not runs:
            return self.inner(text)
        words: list[str] = []
        spaces: list[bool] = []
        at = 0
        for run in runs:
            self._add(text[at : run.start()], words, spaces)
            words.extend(run.group())
            spaces.extend([False] * (run.end() - run.start()))
            at = run.end()
        self._add(text[at:], words, spaces)
        # A run's last character is followed by a space when the text has one there: the
        # next piece then starts with that space, which becomes this token's whitespace.
        doc_words, doc_spaces = _fold_leading_spaces(words, spaces)
        return Doc(self.vocab, words=doc_words, spaces=doc_spaces)

    def _add(self, piece: str, words: list[str], spaces: list[bool]) -> None:
        if not piece:
            return
        for token in self.inner(piece):
            words.append(token.text)
            spaces.append(bool(token.whitespace_))

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


def _fold_leading_spaces(words: list[str], spaces: list[bool]) -> tuple[list[str], list[bool]]:
    """Pieces tokenized apart may start with a single space that spaCy, had it seen the
    whole text, would have put as whitespace after the previous token: move it there."""
    out_words: list[str] = []
    out_spaces: list[bool] = []
    for word, space in zip(words, spaces, strict=True):
        if word == " " and out_words and not out_spaces[-1]:
            out_spaces[-1] = True
            continue
        out_words.append(word)
        out_spaces.append(space)
    return out_words, out_spaces


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


def pipe_chunked(nlp, pairs: Iterable[tuple[str, object]], *, batch_size: int, n_process: int):
    """``nlp.pipe(pairs, as_tuples=True)`` for texts of any length: long texts go through
    spaCy in pieces (in order, so they can be joined back) and come out as one Doc."""

    def pieces():
        for text, context in pairs:
            parts = chunks(text)
            for i, part in enumerate(parts):
                yield part, (context, i, len(parts))

    pending: list[Doc] = []
    for doc, (context, i, total) in nlp.pipe(
        pieces(), as_tuples=True, batch_size=batch_size, n_process=n_process
    ):
        if total == 1:
            yield doc, context
            continue
        pending.append(doc)
        if i == total - 1:
            joined = Doc.from_docs(pending, ensure_whitespace=False)
            pending = []
            yield joined, context

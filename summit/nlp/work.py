"""The working state of one document's analysis: the joined text, the spaCy Doc and the
mapping from character offsets in the joined text back to paragraph offsets."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.attrs import IDX
from spacy.tokens import Doc

from .types import PARAGRAPH_JOIN, Document, ParagraphKind, Span, span_text
from .vocabulary import SPACES_TO_PLAIN


def document_text(document: Document) -> str:
    """A document's paragraphs joined, odd spaces made plain: the text every offset of
    the language layer points into."""
    return PARAGRAPH_JOIN.join(p.text for p in document.paragraphs).translate(SPACES_TO_PLAIN)


# A typographic apostrophe inside a word ("O’Donnell", "it’s", "Clinton’s").
_WORD_APOSTROPHE = re.compile(r"(?<=[^\W\d_])’(?=[^\W\d_])")


def spacy_text(document: Document) -> str:
    """The text spaCy parses: ``document_text`` with a typographic apostrophe inside a
    word made plain ("O’Donnell" is "O'Donnell"), as spaCy's English models learned
    it; one character for one, so every offset holds. With the curly one "O’Donnell"
    is no name to them and "it’s" parses worse."""
    text = document_text(document)
    return _WORD_APOSTROPHE.sub("'", text) if "’" in text else text


@dataclass(slots=True)
class Ent:
    """An entity after repair, in offsets of the joined text."""

    start: int
    end: int
    label: str
    text: str
    person: str | None = None


@dataclass(slots=True)
class Work:
    document: Document
    text: str
    doc: Doc
    para_starts: list[int] = field(default_factory=list)
    para_texts: list[str] = field(default_factory=list)
    body: frozenset = frozenset()
    tok_starts: list[int] = field(default_factory=list)
    quote_mask: bytearray = field(default_factory=bytearray)  # 1 where inside quote marks
    ents: list[Ent] = field(default_factory=list)

    @classmethod
    def build(cls, document: Document, text: str, doc) -> Work:
        starts, pos = [], 0
        for p in document.paragraphs:
            starts.append(pos)
            pos += len(p.text) + len(PARAGRAPH_JOIN)
        body = frozenset(
            i for i, p in enumerate(document.paragraphs) if p.kind == ParagraphKind.BODY
        )
        return cls(
            document=document,
            text=text,
            doc=doc,
            para_starts=starts,
            para_texts=[p.text for p in document.paragraphs],
            body=body,
            tok_starts=doc.to_array(IDX).tolist() if len(doc) else [],
            quote_mask=bytearray(len(text)),
        )

    def token_indices(self, attr: int, values: set[int]) -> list[int]:
        """Indices of tokens whose ``attr`` (a spacy.attrs id) has one of ``values``
        (string hashes), found over a numpy column instead of Token objects."""
        if not len(self.doc):
            return []
        col = self.doc.to_array(attr)
        return [i for i, v in enumerate(col.tolist()) if v in values]

    def hashes(self, words) -> set[int]:
        strings = self.doc.vocab.strings
        return {strings.add(w) for w in words}

    # -- offsets ---------------------------------------------------------------------
    def para_of(self, char: int) -> int:
        return max(0, bisect_right(self.para_starts, char) - 1)

    def para_end(self, index: int) -> int:
        return self.para_starts[index] + len(self.para_texts[index])

    def span(self, start: int, end: int) -> Span:
        """A Span for [start, end) of the joined text (may run over paragraphs)."""
        p = self.para_of(start)
        q = self.para_of(max(start, end - 1))
        s = start - self.para_starts[p]
        if q == p:
            e = min(end - self.para_starts[p], len(self.para_texts[p]))
            return Span(p, s, e, self.para_texts[p][s:e])
        e = min(end - self.para_starts[q], len(self.para_texts[q]))
        return Span(p, s, e, span_text(self.para_texts, p, s, e, q), q)

    def token_at(self, char: int) -> int:
        """Index of the token covering (or starting before) ``char``."""
        return max(0, bisect_right(self.tok_starts, char) - 1)

    def tokens(self, start: int, end: int):
        """Tokens starting within [start, end)."""
        doc = self.doc
        i = bisect_right(self.tok_starts, start - 1)
        while i < len(doc) and doc[i].idx < end:
            yield doc[i]
            i += 1

    def in_quote(self, char: int) -> bool:
        return 0 <= char < len(self.quote_mask) and self.quote_mask[char] == 1

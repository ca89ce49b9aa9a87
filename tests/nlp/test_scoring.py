"""summit.nlp.scoring gives the numbers of eval/score_quotes.py."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from summit.nlp import scoring

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "eval" / "score_quotes.py"

GOLD = {
    "articles": [
        {
            "file": "a.txt",
            "quotes": [
                {"text": "“We will win this vote,”", "speaker": "Maria Lopez"},
                {"text": "“Nobody can stop us now.”", "speaker": "Maria Lopez"},
                {"text": "“It is over.”", "speaker": "the newspaper"},
                {"text": "“The harbour will reopen next spring,”", "speaker": "Mr. Becker"},
            ],
        },
        {"file": "b.txt", "quotes": [{"text": "“A short one.”", "speaker": "Ruth Okafor"}]},
    ]
}
PRED = {
    "articles": [
        {
            "file": "a.txt",
            "quotes": [
                {"text": "We will win this vote,", "speaker": "Maria Lopez", "kind": "direct"},
                {"text": "Nobody can stop us now.", "speaker": "Tom Becker", "kind": "direct"},
                {"text": "It is over.", "speaker": "", "kind": "direct"},
                {"text": "harbour will reopen", "speaker": "Tom Becker", "kind": "partial"},
                {"text": "something else entirely here", "speaker": "X", "kind": "direct"},
            ],
        },
    ]
}


def test_figures_by_hand():
    r = scoring.score(GOLD, PRED, {"direct"})
    assert (r["gold"], r["pred"], r["matched"]) == (5, 4, 3)
    assert r["speaker_scored"] == 2
    assert r["speaker_acc"] == 0.5
    r2 = scoring.score(GOLD, PRED, {"direct", "partial"})
    assert r2["matched"] == 4
    assert r2["speaker_acc"] == 2 / 3


def test_misses():
    m = scoring.misses(GOLD, PRED, {"direct"})
    assert [x["text"] for x in m["missed"]] == [
        "“The harbour will reopen next spring,”",
        "“A short one.”",
    ]
    assert [x["text"] for x in m["spurious"]] == ["something else entirely here"]
    assert m["wrong_speaker"][0]["pred"] == "Tom Becker"


@pytest.mark.skipif(not REFERENCE.exists(), reason="no reference scorer")
@pytest.mark.parametrize("kinds", [None, {"direct"}, {"direct", "partial"}])
def test_same_numbers_as_the_reference(kinds):
    spec = importlib.util.spec_from_file_location("score_quotes", REFERENCE)
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    assert scoring.score(GOLD, PRED, kinds) == ref.score(GOLD, PRED, kinds)


def test_entity_scores_compare_names_without_titles_the_or_possessives():
    from summit.nlp.scoring import entity_scores

    gold = {
        "articles": [
            {
                "file": "x.txt",
                "entities": [
                    {"name": "Ada Byrne", "label": "PERSON", "forms": ["Ada Byrne", "Byrne"]},
                    {"name": "Harbour Trust", "label": "ORG", "forms": ["Harbour Trust"]},
                    {"name": "Tory", "label": "NORP", "alt_label": "ORG", "forms": ["Tory"]},
                    {"name": "Quay", "label": "LOC", "forms": ["Quay"], "optional": True},
                ],
            }
        ]
    }
    pred = {
        "articles": [
            {
                "source_file": "x.txt",
                "mentions": [
                    {"text": "Ms Byrne's", "label": "PERSON"},
                    {"text": "the Harbour Trust", "label": "ORG"},
                    {"text": "Tory", "label": "ORG"},
                    {"text": "Wednesday", "label": "PERSON"},
                    {"text": "Harbour", "label": "ORG", "status": "rejected"},
                ],
            }
        ]
    }
    table, errors = entity_scores(gold, pred)
    assert table["PERSON"] == {"pred": 2, "gold": 1, "p": 0.5, "r": 1.0, "f1": 0.667}
    assert table["ORG"]["p"] == 1.0
    assert table["ORG"]["r"] == 1.0
    assert table["NORP"]["r"] == 1.0  # found under its alt label
    assert table["overall"]["gold"] == 3  # the optional entity is no miss
    assert errors == [
        {"file": "x.txt", "error": "spurious", "label": "PERSON", "text": "wednesday"},
    ]

"""The product's number is the number: a folder ingested, exported and scored by the
evaluation's own scorer (../shared/eval/score_quotes.py) gives what `evaluate` prints."""

import importlib.util
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from summit.management.commands.evaluate import predictions_from_export

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "eval" / "score_quotes.py"

# Two people who share a surname, one in each article, and an unnamed source.
ARTICLES = {
    "harbour.txt": (
        "Harbour Plan Approved\n\n"
        "Jane Roe, the port's director, welcomed the vote on Monday.\n\n"
        "“This is the day we waited for,” Roe said. “The cranes arrive in May.”\n\n"
        "“It will cost more than anyone admits,” said a council member who asked not "
        "to be named.\n"
    ),
    "orchard.txt": (
        "Orchard Owners Count Losses\n\n"
        "Tom Roe has grown apples in the valley for thirty years.\n\n"
        "“The frost took half the crop,” Roe told reporters on Friday.\n\n"
        "“We will plant again,” he added.\n"
    ),
}
GOLD = {
    "articles": [
        {
            "file": "harbour.txt",
            "quotes": [
                {"text": "“This is the day we waited for,”", "speaker": "Jane Roe"},
                {"text": "“The cranes arrive in May.”", "speaker": "Jane Roe"},
                {"text": "“It will cost more than anyone admits,”", "speaker": "council member"},
            ],
        },
        {
            "file": "orchard.txt",
            "quotes": [
                {"text": "“The frost took half the crop,”", "speaker": "Tom Roe"},
                {"text": "“We will plant again,”", "speaker": "Tom Roe"},
            ],
        },
    ]
}


def _reference():
    spec = importlib.util.spec_from_file_location("score_quotes", REFERENCE)
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    return ref


@pytest.mark.skipif(not REFERENCE.exists(), reason="no reference scorer (../shared/eval)")
@pytest.mark.django_db
def test_ingest_export_and_score_gives_what_evaluate_prints(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps(GOLD), encoding="utf-8")

    # as a user would: ingest the folder, export it, score the export
    call_command("ingest", "--no-progress", str(folder), stdout=io.StringIO())
    export = tmp_path / "export.json"
    call_command("export", "--format", "json", "-o", str(export), stdout=io.StringIO())
    predicted = predictions_from_export(json.loads(export.read_text(encoding="utf-8")))
    product = _reference().score(GOLD, predicted, {"direct"})

    out = io.StringIO()
    call_command("evaluate", str(gold), "--json", stdout=out, stderr=io.StringIO())
    [row] = json.loads(out.getvalue())["sets"]
    assert {k: row[k] for k in product} == product
    assert product["matched"] >= 4  # the articles are read, not an empty agreement

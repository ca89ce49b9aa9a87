"""The operators' commands: ingest, export, import, evaluate — and their exit codes."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from summit.models import Article, Quote, Speaker

STORY = "Budget Deal Reached\n\n“We have a deal,” said Senator Jane Roe on Tuesday.\n"


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_ingest_reports_each_failure_and_exits_non_zero(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(STORY, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("")
    with pytest.raises(CommandError) as failure:
        run(
            "ingest",
            "--no-progress",
            str(good),
            str(tmp_path / "empty.txt"),
            str(tmp_path / "missing.md"),
        )
    assert failure.value.returncode == 1
    message = str(failure.value)
    assert message.startswith("1 ingested, 0 updated, 0 unchanged, 2 failed")
    assert "empty.txt: is empty" in message
    assert "missing.md: no such file" in message
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_ingest_twice_is_unchanged_and_succeeds(tmp_path):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    assert run("ingest", str(tmp_path))[0].strip() == "1 ingested, 0 updated, 0 unchanged, 0 failed"
    assert run("ingest", str(tmp_path))[0].strip() == "0 ingested, 0 updated, 1 unchanged, 0 failed"


@pytest.mark.django_db
def test_export_formats_and_a_json_round_trip(seeds, tmp_path):
    exported = json.loads(run("export")[0])
    assert exported["format"] == "summit"
    assert exported["version"] == 1
    assert {a["source_file"] for a in exported["articles"]} == set(seeds)
    article = exported["articles"][0]
    for q in article["quotes"]:
        paragraphs = [p["text"] for p in article["paragraphs"]]
        if q["end_paragraph"] == q["paragraph"]:
            assert paragraphs[q["paragraph"]][q["start"] : q["end"]] == q["text"]

    lines = run("export", "--format", "jsonl")[0].splitlines()
    assert [json.loads(line)["source_file"] for line in lines] == [
        a["source_file"] for a in exported["articles"]
    ]
    spans = [json.loads(line) for line in run("export", "--format", "spans")[0].splitlines()]
    assert all(s["text"][x["start"] : x["end"]] for s in spans for x in s["spans"])
    rows = list(csv.DictReader(io.StringIO(run("export", "--format", "csv")[0])))
    assert len(rows) == Quote.objects.count()
    assert rows[0]["text"]
    w3c = json.loads(run("export", "--format", "w3c")[0])
    assert w3c["type"] == "AnnotationCollection"
    assert w3c["total"] == len(w3c["items"])

    backup = tmp_path / "backup.json"
    run("export", "-o", str(backup))
    counts = (Article.objects.count(), Quote.objects.count(), Speaker.objects.count())
    Article.objects.all().delete()
    Speaker.objects.all().delete()
    assert run("import", str(backup))[0].strip() == "2 imported, 0 already here, 0 failed"
    assert (Article.objects.count(), Quote.objects.count(), Speaker.objects.count()) == counts
    assert run("import", str(backup))[0].strip() == "0 imported, 2 already here, 0 failed"


@pytest.mark.django_db
def test_import_refuses_what_is_not_an_export(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        run("import", str(bad))
    bad.write_text('{"articles": []}')
    with pytest.raises(CommandError, match="not a Summit JSON export"):
        run("import", str(bad))


def test_evaluate_scores_a_gold_set_end_to_end(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(STORY, encoding="utf-8")
    gold = tmp_path / "gold.json"
    gold.write_text(
        json.dumps(
            {
                "articles": [
                    {
                        "file": "a.txt",
                        "quotes": [{"text": "“We have a deal,”", "speaker": "Jane Roe"}],
                    }
                ]
            }
        )
    )
    out, _ = run("evaluate", str(gold), str(gold), "--json", "--by-sieve")
    first, second = json.loads(out)["sets"]
    assert first["matched"] == 1
    assert first["attribution_f1"] == 1.0
    assert first["kinds"] == ["direct"]
    assert second == first  # one ingest, two rows
    [(sieve, counts)] = first["by_sieve"].items()
    assert sieve == "trailing_cue"
    assert counts == {"n": 1, "right": 1}

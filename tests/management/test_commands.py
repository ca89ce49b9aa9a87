"""The operators' commands: ingest, export, import, evaluate — and their exit codes."""

import csv
import io
import json
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from summit.management.commands.evaluate import GAP_SCORES, _gaps
from summit.models import Article, Quote, Speaker
from summit.nlp.types import PARAGRAPH_JOIN

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
    # spans: every one-paragraph annotation of the export, its label, at its offsets.
    spans = [json.loads(line) for line in run("export", "--format", "spans")[0].splitlines()]
    found = Counter(
        (s["meta"]["source_file"], s["text"][x["start"] : x["end"]], x["label"])
        for s in spans
        for x in s["spans"]
    )
    expected = Counter()
    for a in exported["articles"]:
        for m in a["mentions"]:
            expected[a["source_file"], m["text"], m["label"]] += 1
        for q in a["quotes"]:
            if q["end_paragraph"] == q["paragraph"]:
                expected[a["source_file"], q["text"], f"QUOTE_{q['kind'].upper()}"] += 1
        for c in a["claims"]:
            expected[a["source_file"], c["text"], f"CLAIM_{c['kind'].upper()}"] += 1
    assert found == expected
    assert any(label.startswith("QUOTE_") for _, _, label in found)

    # csv: one row a quote, with its text and speaker.
    rows = list(csv.DictReader(io.StringIO(run("export", "--format", "csv")[0])))
    assert sorted((r["source_file"], r["text"], r["speaker"]) for r in rows) == sorted(
        (a["source_file"], q["text"], (q["speaker"] or {}).get("name", ""))
        for a in exported["articles"]
        for q in a["quotes"]
    )

    # w3c: every shown annotation, its selectors pointing at its own text.
    w3c = json.loads(run("export", "--format", "w3c")[0])
    assert w3c["type"] == "AnnotationCollection"
    assert w3c["total"] == len(w3c["items"])
    texts = {
        a["source"]: PARAGRAPH_JOIN.join(p["text"] for p in a["paragraphs"])
        for a in exported["articles"]
    }
    for item in w3c["items"]:
        quote, position = item["target"]["selector"]
        text = texts[item["target"]["source"]]
        assert quote["exact"] == text[position["start"] : position["end"]] != ""
        assert text[: position["start"]].endswith(quote["prefix"])
        assert text[position["end"] :].startswith(quote["suffix"])
    kinds = Counter(item["id"].split(":")[2] for item in w3c["items"])
    shown = {
        kind: sum(x["status"] != "rejected" for a in exported["articles"] for x in a[kind + "s"])
        for kind in ("quote", "mention", "claim")
    }
    assert kinds == shown
    assert len({item["id"] for item in w3c["items"]}) == w3c["total"]

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


def test_evaluate_entities_scores_names_per_label_and_lists_errors(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(STORY, encoding="utf-8")
    gold = tmp_path / "entities.json"
    entities = [
        {"name": "Jane Roe", "label": "PERSON", "forms": ["Jane Roe", "Senator Jane Roe"]},
        {"name": "Orland County", "label": "GPE", "forms": ["Orland County"]},
    ]
    gold.write_text(json.dumps({"articles": [{"file": "a.txt", "entities": entities}]}))
    text, _ = run("evaluate", "--entities", str(gold), "--errors")
    rows = {line.split()[0]: line.split()[1:] for line in text.splitlines()[2:9]}
    assert rows["PERSON"] == ["1", "1", "1.000", "1.000", "1.000"]  # gold, pred, P, R, F1
    assert rows["GPE"][:1] == ["1"]
    assert rows["GPE"][3] == "0.000"
    assert "a.txt\tmissed\tGPE\tOrland County" in text


def test_evaluate_refuses_a_quote_gold_as_entity_gold(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(STORY, encoding="utf-8")
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"articles": [{"file": "a.txt", "quotes": []}]}))
    with pytest.raises(CommandError, match="not a gold file of entities"):
        run("evaluate", "--entities", str(gold))
    with pytest.raises(CommandError, match="at least one gold file"):
        run("evaluate")


def _gold_set(folder, articles: dict[str, str], quotes: dict[str, list[dict]]):
    """A gold set beside its articles/ folder; returns the gold file."""
    (folder / "articles").mkdir(parents=True)
    for name, text in articles.items():
        (folder / "articles" / name).write_text(text, encoding="utf-8")
    gold = folder / "gold.json"
    gold.write_text(json.dumps({"articles": [{"file": f, "quotes": q} for f, q in quotes.items()]}))
    return gold


def test_evaluate_shows_a_training_split_beside_its_dev_split_with_the_gap(tmp_path, monkeypatch):
    from summit.management.commands import evaluate

    confidence = tmp_path / "confidence.py"
    confidence.write_text(evaluate.CONFIDENCE_MODULE.read_text(encoding="utf-8"))
    monkeypatch.setattr(evaluate, "CONFIDENCE_MODULE", confidence)
    right = [{"text": "“We have a deal,”", "speaker": "Jane Roe"}]
    wrong = [{"text": "“We have a deal,”", "speaker": "Tom Becker"}]
    train = _gold_set(tmp_path / "news-train", {"a.txt": STORY}, {"a.txt": right})
    dev = _gold_set(tmp_path / "news-dev", {"a.txt": STORY}, {"a.txt": wrong})
    out, err = run("evaluate", str(train), str(dev), "--write-confidence")
    assert err.count("ingested and exported") == 1  # the same articles, ingested once
    side_by_side = out.split("train vs dev")[1].splitlines()
    assert side_by_side[1].startswith("news-train/gold.json")
    assert side_by_side[2].startswith("news-dev/gold.json")
    # the quote is found in both; its speaker is right on train only
    assert side_by_side[3].split()[-5:] == ["+0.000", "+0.000", "+0.000", "+1.000", "+1.000"]
    # the confidence readers see is measured on train; dev, which checks it, is held out
    written = confidence.read_text(encoding="utf-8")
    assert "news-train/gold.json" in written
    assert "news-dev" not in written
    assert "# 1 of 1\n" in written


def test_a_gap_is_only_between_a_training_split_and_its_dev_split():
    def row(name, kinds=("direct",)):
        return {"set": name, "kinds": list(kinds), **{k: 0.5 for k, _ in GAP_SCORES}}

    rows = [row("trainees/gold.json"), row("dev/gold.json"), row("x-train/gold.json")]
    rows += [row("x-dev/gold.json", ("direct", "partial")), row("b_train/g.json")]
    assert _gaps(rows) == []
    [gap] = _gaps([*rows, row("b_dev/g.json")])
    assert (gap["train"], gap["dev"]) == ("b_train/g.json", "b_dev/g.json")
    assert gap["attribution_f1"] == 0


def test_evaluate_refuses_no_worker_processes(tmp_path):
    gold = _gold_set(tmp_path / "s", {"a.txt": STORY}, {"a.txt": []})
    with pytest.raises(CommandError, match="--processes"):
        run("evaluate", str(gold), "--processes", "0")


def test_a_gold_file_of_attributions_with_their_cues_is_scored_as_indirect():
    from summit.management.commands.evaluate import _gold_kinds

    cued = {"articles": [{"file": "a.txt", "quotes": [{"text": "the plan failed", "cue": "said"}]}]}
    plain = {"articles": [{"file": "a.txt", "quotes": [{"text": "“We won,”"}]}]}
    assert _gold_kinds(cued) == {"indirect"}
    assert _gold_kinds(plain) == {"direct"}
    assert _gold_kinds({**cued, "kind": "direct"}) == {"direct"}  # the file's own word wins

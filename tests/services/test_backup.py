"""The JSON export is a complete backup: a round trip into an empty database gives the
same export and the same history; import checks the whole file before writing."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from summit.models import (
    AnnotationTombstone,
    Article,
    Quote,
    Speaker,
    SpeakerMerge,
    SpeakerRedirect,
    SpeakerSplit,
    SpeakerTombstone,
)
from summit.services.backup import HISTORY_MODELS, ImportInvalid, restore, validate
from summit.services.editing import annotation_delete, annotation_set_status, article_update
from summit.services.ingest import articles_ingest
from summit.services.speakers import speaker_merge, speaker_save, speaker_split
from tests.services.test_ingest import PIPELINE, STORY

pytestmark = pytest.mark.django_db


def export() -> dict:
    out = io.StringIO()
    call_command("export", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    data.pop("exported")
    return data


def history_counts() -> dict[str, int]:
    return {name: model.history.model.objects.count() for name, model in HISTORY_MODELS.items()}


def wipe() -> None:
    """An empty database (but for the users, which a restore finds by username)."""
    Article.objects.all().delete()
    Speaker.objects.all().delete()
    SpeakerMerge.objects.all().delete()
    SpeakerSplit.objects.all().delete()
    SpeakerTombstone.objects.all().delete()
    for model in HISTORY_MODELS.values():
        model.history.model.objects.all().delete()
    assert not any(history_counts().values())


@pytest.fixture
def edited(tmp_path, make):
    """An ingested article and everything an editor does to one."""
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    articles_ingest(targets=[str(path)], pipeline=PIPELINE)
    article = Article.objects.get()
    editor = make.editor("desk")
    article_update(article=article, data={"title": "An editor's title"}, by=editor)
    jane = Speaker.objects.get(name="Jane Roe")
    twin = make.speaker("Jane A. Roe", "Roe")
    speaker_merge(into=jane, others=[twin], by=editor)
    john = Speaker.objects.get(name="John Doe")
    john.description = "A senator"
    speaker_save(speaker=john, by=editor)
    annotation_set_status(
        annotations=[Quote.objects.get(speaker=jane)], status="verified", by=editor
    )
    johns = Quote.objects.filter(speaker=john)
    speaker_split(speaker=john, name="John Doe Jr", quotes=list(johns), mentions=[], by=editor)
    mention = article.entitymentions.first()
    annotation_delete(annotation=mention, by=editor)
    return path


def test_a_round_trip_into_an_empty_database_is_identical(edited, tmp_path, make):
    # A speaker the pipeline made, deleted: it must stay deleted after a restore; and a
    # merge into a speaker deleted since keeps its record.
    from summit.models import SpeakerTombstone
    from summit.services.speakers import speaker_delete

    editor = make.editor("desk")
    doe = Speaker.objects.get(name="John Doe")
    gone = make.speaker("Gone Person")
    speaker_merge(into=gone, others=[make.speaker("Gone P. Person")], by=editor)
    speaker_delete(speaker=gone, by=editor)
    speaker_delete(speaker=Speaker.objects.get(name="John Doe Jr"), by=editor, give_to=doe)
    assert SpeakerTombstone.objects.filter(name="Gone Person").exists()
    before, counts = export(), history_counts()
    assert before["speaker_tombstones"]
    assert any(m["into"] is None for m in before["merges"])
    assert before["merges"]
    assert before["splits"]
    assert any(counts.values())
    assert before["articles"][0]["edited_fields"] == ["title"]
    assert before["articles"][0]["tombstones"]
    assert any(s["redirects"] for s in before["speakers"])
    assert any(s["edited"] for s in before["speakers"])
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(before), encoding="utf-8")

    wipe()
    call_command("import", str(backup), stdout=io.StringIO())

    assert history_counts() == counts
    after = export()
    assert after == before
    assert SpeakerTombstone.objects.filter(name="Gone Person").exists()
    # The merged speaker's old address still arrives.
    redirect = SpeakerRedirect.objects.get(speaker__name="Jane Roe")
    assert redirect.old_slug


def test_after_a_restore_a_forced_reingest_keeps_the_editors_work(edited, tmp_path):
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(export()), encoding="utf-8")
    wipe()
    call_command("import", str(backup), stdout=io.StringIO())
    tombstones = AnnotationTombstone.objects.count()

    [result] = articles_ingest(targets=[str(edited)], force=True, pipeline=PIPELINE)
    assert result.outcome == "updated", result.message
    article = Article.objects.get()
    assert article.title == "An editor's title"
    assert Quote.objects.filter(status="verified").count() == 1
    assert AnnotationTombstone.objects.count() == tombstones
    assert not article.entitymentions.filter(
        text__in=AnnotationTombstone.objects.values("text"), start__in=[0]
    ).exists()


def _valid_record():
    return {
        "title": "A story",
        "source": "tests/a-story.txt",
        "paragraphs": [{"index": 0, "kind": "body", "text": "“We won,” said Ann Lee."}],
        "quotes": [{"text": "We won,", "kind": "direct", "paragraph": 0, "start": 1, "end": 8}],
        "mentions": [],
        "claims": [],
    }


def _file(*articles, **fields):
    return {"format": "summit", "version": 1, "articles": list(articles), "speakers": [], **fields}


@pytest.mark.parametrize(
    ("data", "path"),
    [
        (_file() | {"articles": {"not": "a list"}}, "$.articles"),
        (_file() | {"version": "1"}, "$.version"),
        (_file(speakers=[{"name": "Ann Lee"}]), "$.speakers[0]"),
        (_file(speakers=[{"name": "Ann", "slug": "ann/lee"}]), "$.speakers[0].slug"),
        (_file(_valid_record() | {"published": "2024-02-30"}), "$.articles[0].published"),
        (_file(_valid_record() | {"published": "yesterday"}), "$.articles[0].published"),
        (
            _file(_valid_record() | {"quotes": [{**_valid_record()["quotes"][0], "start": -1}]}),
            "$.articles[0].quotes[0].start",
        ),
        (
            _file(
                _valid_record()
                | {
                    "paragraphs": [
                        {"index": 0, "text": "“We won,” said Ann Lee."},
                        {"index": 1, "text": "More."},
                    ],
                    "quotes": [
                        {**_valid_record()["quotes"][0], "paragraph": 1, "end_paragraph": 0}
                    ],
                }
            ),
            "$.articles[0].quotes[0].end_paragraph",
        ),
        (
            _file(_valid_record() | {"quotes": [{**_valid_record()["quotes"][0], "status": "ok"}]}),
            "$.articles[0].quotes[0].status",
        ),
        (
            _file(_valid_record() | {"quotes": [{**_valid_record()["quotes"][0], "kind": "loud"}]}),
            "$.articles[0].quotes[0].kind",
        ),
        (
            _file(
                _valid_record()
                | {
                    "mentions": [
                        {"text": "Ann", "label": "HERO", "paragraph": 0, "start": 15, "end": 18}
                    ]
                }
            ),
            "$.articles[0].mentions[0].label",
        ),
        (
            _file(_valid_record() | {"quotes": [{**_valid_record()["quotes"][0], "end": 9}]}),
            "$.articles[0].quotes[0].text",
        ),
    ],
)
def test_an_invalid_record_is_reported_with_its_path_and_nothing_is_written(data, path):
    problems = validate(data)
    assert path in [p.path for p in problems], problems
    with pytest.raises(ImportInvalid):
        restore(data)
    assert not Article.objects.exists()
    assert not Speaker.objects.exists()


def test_one_bad_article_stops_the_whole_import_unless_skip_invalid(tmp_path):
    good, bad = _valid_record(), _valid_record() | {"source": "b.txt", "published": "2024-13-01"}
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(_file(good, bad)), encoding="utf-8")
    with pytest.raises(CommandError, match=r"\$\.articles\[1\]\.published"):
        call_command("import", str(path), stdout=io.StringIO())
    assert not Article.objects.exists()

    with pytest.raises(CommandError, match=r"1 imported.*\n.*\$\.articles\[1\]\.published"):
        call_command("import", str(path), "--skip-invalid", stdout=io.StringIO())
    assert list(Article.objects.values_list("source", flat=True)) == ["tests/a-story.txt"]


def test_the_schema_is_kept_in_the_repository_and_linked_from_the_readme():
    from pathlib import Path

    from summit.services.backup import SCHEMA_PATH

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "summit/schemas/export-v1.schema.json" in readme
    assert json.loads(SCHEMA_PATH.read_text())["$schema"].endswith("2020-12/schema")


def test_a_restore_keeps_when_rows_were_made_and_changed(edited):
    article = Article.objects.get()
    quote = Quote.objects.filter(article=article).first()
    Article.objects.filter(pk=article.pk).update(created="2020-01-02T03:04:05+00:00")
    Quote.objects.filter(pk=quote.pk).update(updated="2021-02-03T04:05:06+00:00")
    data = export()
    wipe()
    restore(data)
    assert Article.objects.get().created.isoformat() == "2020-01-02T03:04:05+00:00"
    assert Quote.objects.get(pk=quote.pk).updated.isoformat() == "2021-02-03T04:05:06+00:00"

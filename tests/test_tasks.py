"""Background ingestion: `ingest --queue` puts work in the database for db_worker."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from summit.models import Article
from summit.tasks import ingest_target

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)  # the worker opens and closes connections itself
def test_queued_ingest_is_run_by_a_worker(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Headline Here Today\n\n“It works,” said Jane Roe.", encoding="utf-8")
    with override_settings(TASKS=DATABASE_TASKS):
        out = io.StringIO()
        call_command("ingest", "--queue", str(story), stdout=out)
        assert out.getvalue().startswith(f"queued {story}")
        assert DBTaskResult.objects.count() == 1
        assert Article.objects.count() == 0
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert Article.objects.get().title == "Headline Here Today"


@pytest.mark.django_db
def test_a_failing_target_fails_its_task_with_the_reason(tmp_path):
    with pytest.raises(RuntimeError, match="no such file"):
        ingest_target.call(str(tmp_path / "missing.txt"))

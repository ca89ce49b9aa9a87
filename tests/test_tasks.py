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


@pytest.mark.django_db(transaction=True)  # the worker opens and closes connections itself
def test_a_task_a_killed_worker_left_running_is_listed_and_requeued(tmp_path):
    from datetime import timedelta

    from django.utils import timezone

    story = tmp_path / "story.txt"
    story.write_text("Headline Here Today\n\n“It works,” said Jane Roe.", encoding="utf-8")
    with override_settings(TASKS=DATABASE_TASKS):
        call_command("ingest", "--queue", str(story), stdout=io.StringIO())
        task = DBTaskResult.objects.get()
        task.claim("worker-killed")  # what db_worker does before running it; then kill -9
        DBTaskResult.objects.filter(pk=task.pk).update(
            started_at=timezone.now() - timedelta(minutes=30)
        )
        out = io.StringIO()
        call_command("ingest_tasks", stdout=out)
        assert "running      1" in out.getvalue()

        out = io.StringIO()
        call_command("ingest_tasks", "--stale", "--list-only", stdout=out)
        assert f"stale {task.id} {story}" in out.getvalue()
        assert "worker worker-killed" in out.getvalue()
        assert DBTaskResult.objects.get().status == "RUNNING"

        out = io.StringIO()
        call_command("ingest_tasks", "--stale", stdout=out)
        assert out.getvalue().endswith("1 stale task re-queued.\n")
        assert DBTaskResult.objects.get().status == "READY"

        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert Article.objects.get().title == "Headline Here Today"


@pytest.mark.django_db
def test_a_task_running_for_less_than_the_limit_is_not_stale(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Headline Here Today\n\n“It works,” said Jane Roe.", encoding="utf-8")
    with override_settings(TASKS=DATABASE_TASKS):
        call_command("ingest", "--queue", str(story), stdout=io.StringIO())
        DBTaskResult.objects.get().claim("worker-busy")
        out = io.StringIO()
        call_command("ingest_tasks", "--stale", stdout=out)
    assert out.getvalue() == "0 stale tasks re-queued.\n"
    assert DBTaskResult.objects.get().status == "RUNNING"


@pytest.mark.django_db(transaction=True)  # the worker opens and closes connections itself
def test_a_task_a_killed_worker_left_running_is_run_by_the_next_worker_unasked(tmp_path, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.SUMMIT_TASK_LEASE = 60
    story = tmp_path / "story.txt"
    story.write_text("Headline Here Today\n\n“It works,” said Jane Roe.", encoding="utf-8")
    with override_settings(TASKS=DATABASE_TASKS):
        call_command("ingest", "--queue", str(story), stdout=io.StringIO())
        task = DBTaskResult.objects.get()
        task.claim("worker-killed")  # claimed, then kill -9: it never beats again
        DBTaskResult.objects.filter(pk=task.pk).update(
            started_at=timezone.now() - timedelta(seconds=61)
        )
        # No operator: another worker, started or already running, takes it over.
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    task = DBTaskResult.objects.get()
    assert task.status == "SUCCESSFUL"
    assert task.worker_ids[0] == "worker-killed"
    assert len(task.worker_ids) == 2  # the dead worker's, then the one that ran it
    assert Article.objects.get().title == "Headline Here Today"


@pytest.mark.django_db
def test_a_live_workers_long_task_is_left_to_it_and_a_dead_ones_is_requeued_once(tmp_path):
    from datetime import timedelta

    from django.utils import timezone

    from summit.services.workers import tasks_recover, worker_beat

    story = tmp_path / "story.txt"
    story.write_text("Headline Here Today\n\n“It works,” said Jane Roe.", encoding="utf-8")
    with override_settings(TASKS=DATABASE_TASKS):
        for _ in range(2):
            call_command("ingest", "--queue", "--force", str(story), stdout=io.StringIO())
    slow, dead = DBTaskResult.objects.order_by("enqueued_at")
    slow.claim("worker-slow")
    dead.claim("worker-dead")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    DBTaskResult.objects.update(started_at=an_hour_ago)
    worker_beat("worker-slow")  # an hour on one article, but alive: still its own
    with override_settings(SUMMIT_TASK_LEASE=60):
        assert [t.pk for t in tasks_recover()] == [dead.pk]
        assert tasks_recover() == []  # put back once
    slow.refresh_from_db()
    dead.refresh_from_db()
    assert (slow.status, dead.status) == ("RUNNING", "READY")
    assert dead.started_at is None


@pytest.mark.django_db
def test_a_workers_beat_is_no_change_to_any_page():
    from summit.pagecache import content_version
    from summit.services.workers import worker_beat

    before = content_version()
    worker_beat("worker-alive")
    worker_beat("worker-alive")
    assert content_version() == before

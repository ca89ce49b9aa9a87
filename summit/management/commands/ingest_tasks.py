"""python manage.py ingest_tasks [--stale [--older-than MIN] [--requeue]] — the ingest queue."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

TASK_PATH = "summit.tasks.ingest_target"


class Command(BaseCommand):
    help = (
        "Show the queued ingest tasks by status. With --stale: list the tasks a worker "
        "claimed and never finished (it was killed, or its machine went away) and put "
        "them back in the queue for the other workers. Re-running one is safe: each "
        "article is stored in one transaction, and one already stored is unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale", action="store_true", help="List running tasks older than --older-than."
        )
        parser.add_argument(
            "--older-than",
            type=float,
            default=10.0,
            metavar="MINUTES",
            help="A task running this long is stale (default 10; one task is one article).",
        )
        parser.add_argument(
            "--list-only", action="store_true", help="With --stale: list them, re-queue none."
        )

    def handle(self, *args, stale, older_than, list_only, **options):
        tasks = DBTaskResult.objects.filter(task_path=TASK_PATH)
        if not stale:
            counts = dict(tasks.values_list("status").annotate(n=Count("pk")).order_by())
            for status in TaskResultStatus:
                self.stdout.write(f"{status.value.lower():<12} {counts.get(status.value, 0)}")
            return
        cutoff = timezone.now() - timedelta(minutes=older_than)
        with transaction.atomic():
            found = list(
                tasks.select_for_update(skip_locked=True)
                .filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
                .order_by("started_at")
            )
            for task in found:
                target = (task.args_kwargs.get("args") or ["?"])[0]
                worker = ", ".join(task.worker_ids) or "?"
                self.stdout.write(
                    f"stale {task.id} {target} (started {task.started_at:%Y-%m-%d %H:%M:%S}, "
                    f"worker {worker})"
                )
            if found and not list_only:
                DBTaskResult.objects.filter(pk__in=[t.pk for t in found]).update(
                    status=TaskResultStatus.READY, started_at=None, run_after=timezone.now()
                )
        verb = "listed" if list_only else "re-queued"
        self.stdout.write(f"{len(found)} stale task{'s' if len(found) != 1 else ''} {verb}.")

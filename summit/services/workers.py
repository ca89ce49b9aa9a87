"""Queue workers that watch over each other: each ``db_worker`` beats (notes that it is
alive) every few seconds, and puts back in the queue the tasks of a worker that stopped
beating (killed mid-task, its machine lost), so another worker runs them; no operator
has to.

A task is re-queued when it is ``running`` and its worker has not beaten for
``SUMMIT_TASK_LEASE`` seconds (nor started it within them). The running tasks are
locked while they are judged (``SELECT … FOR UPDATE``; on SQLite the transaction takes
the database's write lock), and each is put back only if it is still running, so when
several workers look at once exactly one re-queues it. Running a task again is safe:
an article is stored in one transaction, and one already stored is reported unchanged.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from summit.models import WorkerBeat

log = logging.getLogger(__name__)

BEATS_PER_LEASE = 4  # a live worker beats this often within one lease
FORGET_AFTER = timedelta(days=1)  # beats of workers gone this long are deleted


def worker_beat(worker_id: str) -> None:
    """Note that ``worker_id`` is alive now."""
    WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults={"beat": timezone.now()})


def tasks_recover(*, lease: float | None = None, now=None) -> list[DBTaskResult]:
    """Put back in the queue the running tasks whose worker has not beaten (and that
    did not start) within ``lease`` seconds; return them."""
    lease = settings.SUMMIT_TASK_LEASE if lease is None else lease
    now = timezone.now() if now is None else now
    cutoff = now - timedelta(seconds=lease)
    with exclusive_transaction(DBTaskResult.objects.db):
        running = list(
            DBTaskResult.objects.select_for_update(skip_locked=True)
            .filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
            .order_by("started_at")
        )
        if not running:
            return []
        alive = set(
            WorkerBeat.objects.filter(
                worker_id__in={w for t in running for w in t.worker_ids[-1:]}, beat__gte=cutoff
            ).values_list("worker_id", flat=True)
        )
        dead = [t for t in running if not alive.intersection(t.worker_ids[-1:])]
        if dead:
            DBTaskResult.objects.filter(
                pk__in=[t.pk for t in dead], status=TaskResultStatus.RUNNING
            ).update(status=TaskResultStatus.READY, started_at=None, run_after=now)
        WorkerBeat.objects.filter(beat__lt=now - FORGET_AFTER).delete()
    for task in dead:
        log.warning(
            "re-queued task %s (%s): its worker %s stopped beating",
            task.id,
            (task.args_kwargs.get("args") or ["?"])[0],
            ", ".join(task.worker_ids) or "?",
        )
    return dead


class Watch(threading.Thread):
    """Beside a worker: beats for it, and recovers the tasks of dead ones, every
    ``lease / BEATS_PER_LEASE`` seconds until stopped."""

    def __init__(self, worker_id: str, lease: float | None = None) -> None:
        super().__init__(name=f"summit-watch-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.lease = settings.SUMMIT_TASK_LEASE if lease is None else lease
        self.stopped = threading.Event()

    def once(self) -> None:
        worker_beat(self.worker_id)
        tasks_recover(lease=self.lease)

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.lease / BEATS_PER_LEASE):
                try:
                    self.once()
                except Exception:  # a locked or lost database: try again next beat
                    log.exception("worker %s could not beat", self.worker_id)
        finally:
            connections.close_all()  # this thread's own connections

    def stop(self) -> None:
        self.stopped.set()

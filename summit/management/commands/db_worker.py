"""python manage.py db_worker — django-tasks-db's queue worker, watched over by the others."""

from django_tasks_db.management.commands.db_worker import Command as QueueWorker

from summit.services.workers import Watch


class Command(QueueWorker):
    help = (
        "Run the ingest queue's worker. Beside its work it beats every few seconds, and "
        "puts back in the queue the tasks of a worker that stopped beating for "
        "SUMMIT_TASK_LEASE seconds (killed, its machine lost), for any worker to run."
    )

    def handle(self, *args, **options):
        watch = Watch(options["worker_id"])
        watch.once()  # a worker started after a crash runs the dead one's task at once
        watch.start()
        try:
            return super().handle(*args, **options)
        finally:
            watch.stop()

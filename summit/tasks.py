"""Background work: thin tasks that call a service and nothing else.

With the default settings tasks run in-process; with SUMMIT_TASKS_BACKEND=database they
are queued in the database and run by `manage.py db_worker` on any number of machines.
"""

from django_tasks import task

from summit.services.ingest import articles_ingest


@task()
def ingest_target(target: str, force: bool = False, meta: dict | None = None) -> list[dict]:
    """Ingest one article; ``meta`` (a feed's date, author, outlet) fills in what its
    page lacks."""
    results = articles_ingest(targets=[target], force=force, meta=meta)
    failed = [r for r in results if r.failed]
    if failed:
        raise RuntimeError("; ".join(f"{r.source}: {r.message}" for r in failed))
    return [
        {"source": r.source, "outcome": str(r.outcome), "article": r.article_id} for r in results
    ]

"""python manage.py feeds add URL [--outlet NAME] | list | poll [--all] [--now] [FEED...]"""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from summit import sources
from summit.models import Feed, as_id
from summit.services.feeds import feed_add, feeds_poll


class Command(BaseCommand):
    help = (
        "RSS and Atom feeds: add one, list them, or poll them. Polling queues each new "
        "article as an ingest task for the workers (`manage.py db_worker`). "
        "`feeds poll --all` polls every active feed whose interval has passed: safe to "
        "run from cron every minute on several machines at once."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Add a feed (or change its outlet or interval).")
        add.add_argument("url")
        add.add_argument("--outlet", default="", help="Given to articles that name none.")
        add.add_argument(
            "--interval", type=int, default=None, metavar="MINUTES", help="Default 15."
        )
        sub.add_parser("list", help="Every feed, with its last poll and error.")
        poll = sub.add_parser("poll", help="Poll feeds and queue their new articles.")
        poll.add_argument("feeds", nargs="*", metavar="FEED", help="Feed ids or addresses.")
        poll.add_argument("--all", action="store_true", help="Every active feed that is due.")
        poll.add_argument(
            "--now", action="store_true", help="Do not wait for the feeds' intervals."
        )

    def handle(self, *args, action, **options):
        return getattr(self, f"_{action}")(**options)

    def _add(self, *, url, outlet, interval, **options):
        if interval is not None and interval < 1:
            raise CommandError("--interval takes a number of minutes, at least 1.")
        try:
            feed, created = feed_add(url=url, outlet=outlet, interval=interval)
        except sources.SourceError as exc:
            raise CommandError(f"{exc.source}: {exc.reason}") from None
        verb = "added" if created else "already there"
        self.stdout.write(f"{verb}: feed {feed.pk} {feed.url} (every {feed.interval} min)")

    def _list(self, **options):
        now = timezone.now()
        for feed in Feed.objects.order_by("pk"):
            state = "active" if feed.active else "paused"
            polled = f"{feed.last_polled:%Y-%m-%d %H:%M}" if feed.last_polled else "never"
            due = "due" if feed.next_poll <= now else f"next {feed.next_poll:%H:%M}"
            self.stdout.write(
                f"{feed.pk:>4} {state} {feed.url} [{feed.outlet or '-'}] every "
                f"{feed.interval} min, polled {polled}, {due}: {feed.last_result or '-'}"
            )
            if feed.last_error:
                self.stdout.write(f"     error ({feed.failures} in a row): {feed.last_error}")

    def _poll(self, *, feeds, all, now, **options):
        if bool(feeds) == bool(all):
            raise CommandError("Name the feeds to poll (ids or addresses), or give --all.")
        chosen = None
        if feeds:
            ids = [i for i in map(as_id, feeds) if i]
            chosen = list(Feed.objects.filter(Q(pk__in=ids) | Q(url__in=feeds)))
            missing = set(feeds) - {str(f.pk) for f in chosen} - {f.url for f in chosen}
            if missing:
                raise CommandError(f"No such feed: {', '.join(sorted(missing))}")
        # Named feeds are polled now; --all waits for each feed's interval unless --now.
        results = feeds_poll(feeds=chosen, due_only=bool(all) and not now)
        for result in results:
            line = f"{result.feed.url}: {result.summary()}"
            (self.stderr if result.failed else self.stdout).write(line)
        failed = sum(r.failed for r in results)
        queued = sum(len(r.queued) for r in results)
        summary = f"{len(results)} polled, {queued} articles queued, {failed} failed"
        if failed:
            raise CommandError(summary, returncode=1)
        if options["verbosity"] > 0:
            self.stdout.write(summary)

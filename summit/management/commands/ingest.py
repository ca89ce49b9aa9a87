"""python manage.py ingest PATH_OR_URL... — read articles through the language pipeline."""

import sys

from django.core.management.base import BaseCommand, CommandError

from summit.services.ingest import Outcome, articles_ingest


class Command(BaseCommand):
    help = (
        "Ingest news articles (.txt, .md, .html files, folders of them, or http(s) URLs) "
        "through the language pipeline. The same text again is reported unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("targets", nargs="+", metavar="PATH_OR_URL")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Recompute the machine's annotations even where the text is unchanged "
            "(editors' corrections are kept).",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            metavar="N",
            help="spaCy worker processes (default 1).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=16,
            metavar="N",
            help="Articles per spaCy batch (default 16).",
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue each target for background workers instead "
            "(run them with `manage.py db_worker`).",
        )
        parser.add_argument(
            "--near-duplicates",
            choices=["skip", "update", "new"],
            default="skip",
            help="A file from another path whose text is nearly an ingested article's "
            "(the same file name or title, 90%% of paragraphs equal): skip it and say "
            "so (default), update that article from it (editors' work kept), or store "
            "it as a new article.",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar, even on a terminal."
        )

    def handle(
        self,
        *args,
        targets,
        force,
        processes,
        batch_size,
        queue,
        no_progress,
        near_duplicates="skip",
        **options,
    ):
        if processes < 1 or batch_size < 1:
            raise CommandError("--processes and --batch-size take a number of at least 1.")
        if queue:
            return self._enqueue(targets, force=force)

        show_progress = not no_progress and sys.stderr.isatty() and options["verbosity"] > 0
        with _Progress(enabled=show_progress) as progress:

            def on_result(result):
                progress.advance(result.source)
                if result.failed:
                    text = f"failed {result.source}: {result.message}"
                    progress.print(text, plain=self.stderr.write)
                elif options["verbosity"] > 1:
                    self.stdout.write(f"{result.outcome} {result.source}: {result.message}")

            results = articles_ingest(
                targets=list(targets),
                force=force,
                batch_size=batch_size,
                n_process=processes,
                on_result=on_result,
                on_total=progress.set_total,
                near_duplicates=near_duplicates,
            )
        counts = {outcome: sum(r.outcome is outcome for r in results) for outcome in Outcome}
        summary = (
            f"{counts[Outcome.INGESTED]} ingested, {counts[Outcome.UPDATED]} updated, "
            f"{counts[Outcome.UNCHANGED]} unchanged, {counts[Outcome.FAILED]} failed"
        )
        failures = [r for r in results if r.failed]
        if failures:
            details = "\n".join(f"  {r.source}: {r.message}" for r in failures)
            raise CommandError(f"{summary}\n{details}", returncode=1)
        if options["verbosity"] > 0:
            self.stdout.write(summary)

    def _enqueue(self, targets, *, force):
        from summit import sources
        from summit.tasks import ingest_target

        # One task an article, so that any number of workers share a folder.
        for target in sources.expand(targets):
            if isinstance(target, sources.SourceError):
                self.stderr.write(f"failed {target.source}: {target.reason}")
                continue
            result = ingest_target.enqueue(target, force=force)
            self.stdout.write(f"queued {target} ({result.id})")


class _Progress:
    """A rich progress bar on a terminal; nothing otherwise."""

    def __init__(self, *, enabled: bool):
        self.enabled = enabled
        self._bar = None
        self._task = None

    def __enter__(self):
        if self.enabled:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn("[bold]ingest"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                TextColumn("{task.description}"),
                transient=True,
            )
            self._bar.__enter__()
            self._task = self._bar.add_task("", total=None)
        return self

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.__exit__(*exc)

    def set_total(self, total: int) -> None:
        if self._bar is not None:
            self._bar.update(self._task, total=total)

    def advance(self, source: str) -> None:
        if self._bar is not None:
            name = source.rsplit("/", 1)[-1]
            self._bar.update(self._task, advance=1, description=name[:40])

    def print(self, text: str, *, plain) -> None:
        if self._bar is not None:
            # Article names and reasons are text, never rich markup ("[of sites]").
            self._bar.console.print(text, markup=False, style="red")
        else:
            plain(text)

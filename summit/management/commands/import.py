"""python manage.py import FILE — restore a Summit JSON export (the backup)."""

import json

from django.core.management.base import BaseCommand, CommandError

from summit.services.backup import SCHEMA_PATH, ImportInvalid, restore

SHOWN = 50  # problems listed at most; the count says how many there were


class Command(BaseCommand):
    help = (
        "Import a Summit JSON export (`manage.py export --format json`): articles, speakers, "
        "merges, splits and history. The whole file is checked first (against "
        f"{SCHEMA_PATH.name}); nothing is written if any record is invalid, unless "
        "--skip-invalid. Articles whose source is already here are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid records and list the invalid ones (exit status 1).",
        )

    def handle(self, *args, file, skip_invalid, **options):
        try:
            with open(file, encoding="utf-8") as fh:
                data = json.load(fh)
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror or exc}") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file} is not valid JSON: {exc}") from None
        except RecursionError:
            raise CommandError(f"{file} nests too deeply to be a Summit export") from None
        try:
            result = restore(data, skip_invalid=skip_invalid)
        except ImportInvalid as exc:
            raise CommandError(
                f"{file}: nothing imported, {len(exc.problems)} problem(s):\n"
                + _listing(exc.problems)
                + ("" if skip_invalid else "\n(--skip-invalid imports the valid records)"),
                returncode=1,
            ) from None
        summary = (
            f"{result.created} imported, {result.kept} already here, {len(result.skipped)} failed"
        )
        if result.skipped:
            raise CommandError(summary + "\n" + _listing(result.skipped), returncode=1)
        self.stdout.write(summary)


def _listing(problems) -> str:
    lines = [f"  {p}" for p in problems[:SHOWN]]
    if len(problems) > SHOWN:
        lines.append(f"  … and {len(problems) - SHOWN} more")
    return "\n".join(lines)

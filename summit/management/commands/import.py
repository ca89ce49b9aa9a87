"""python manage.py import FILE — read a Summit JSON export back in."""

import json

from django.core.management.base import BaseCommand, CommandError

from summit.services.formats import ImportFailed, article_import, read_export, speakers_import


class Command(BaseCommand):
    help = (
        "Import a Summit JSON export (`manage.py export --format json`). Articles whose "
        "source is already here are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as fh:
                data = json.load(fh)
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror or exc}") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file} is not valid JSON: {exc}") from None
        try:
            articles, speakers = read_export(data)
        except ImportFailed as exc:
            raise CommandError(f"{file}: {exc}") from None
        by_slug = speakers_import(speakers)
        created = kept = 0
        failures = []
        for record in articles:
            try:
                _, new = article_import(record, by_slug)
            except (ImportFailed, KeyError, TypeError, ValueError) as exc:
                failures.append(f"  {record.get('source', '?')}: {exc}")
                continue
            created += new
            kept += not new
        summary = f"{created} imported, {kept} already here, {len(failures)} failed"
        if failures:
            raise CommandError(summary + "\n" + "\n".join(failures), returncode=1)
        self.stdout.write(summary)

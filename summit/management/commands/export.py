"""python manage.py export [--format FORMAT] [-o FILE]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from summit.services.formats import FORMATS, write


class Command(BaseCommand):
    help = (
        "Export every article with its paragraphs, entity mentions, quotes, claims and "
        "speakers. json is the full backup (read back by `import`); see the README."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("-o", "--output", metavar="FILE", help="Write here (default: stdout).")

    def handle(self, *args, format, output, **options):
        if not output or output == "-":
            write(format, _Unterminated(self.stdout))
        else:
            path = Path(output)
            tmp = path.with_name(path.name + ".partial")
            try:
                with tmp.open("w", encoding="utf-8", newline="") as out:
                    count = write(format, out)
                tmp.replace(path)  # a reader never sees half a file
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                raise CommandError(f"cannot write {output}: {exc.strerror or exc}") from None
            self.stderr.write(f"exported {count} articles as {format} to {output}")


class _Unterminated:
    """The command's stdout, written to as a plain stream (no newline added per write)."""

    def __init__(self, wrapper):
        self._wrapper = wrapper

    def write(self, text: str) -> None:
        self._wrapper.write(text, ending="")

"""python manage.py evaluate GOLD.json — measure quote attribution end to end.

The gold set's articles are ingested, exactly as an operator would, into a scratch
SQLite database (your own database is never touched); the `json` export is scored by
the rule of ../shared/eval (quote P/R/F1, speaker accuracy, attribution F1).
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from summit.nlp.scoring import format_scores, misses, score


class Command(BaseCommand):
    help = (
        "Ingest a gold set's articles into a scratch database and score the quotes "
        "found against it."
    )

    def add_arguments(self, parser):
        parser.add_argument("gold", help='Gold file: {"articles": [{"file", "quotes"}]}')
        parser.add_argument(
            "--articles",
            metavar="DIR",
            help="Folder holding the articles (default: articles/ beside the gold file).",
        )
        parser.add_argument(
            "--kinds",
            default="",
            help="Quote kinds that take part, e.g. direct or direct,partial (default: all).",
        )
        parser.add_argument(
            "--misses",
            type=int,
            default=20,
            metavar="N",
            help="List up to N of each kind of miss (default 20; 0 for none).",
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the scores as JSON."
        )
        parser.add_argument(
            "--save-predictions",
            metavar="FILE",
            help="Also write the predictions in score_quotes.py's format.",
        )

    def handle(
        self, *args, gold, articles, kinds, misses: int, as_json: bool, save_predictions, **options
    ):
        gold_path = Path(gold)
        try:
            gold_data = _load_json(gold_path)
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {gold}: {exc}") from None
        folder = Path(articles) if articles else gold_path.parent / "articles"
        files = [a["file"] for a in gold_data.get("articles", [])]
        absent = [f for f in files if not (folder / f).is_file()]
        if not files or absent:
            raise CommandError(
                f"{folder} lacks the gold set's articles: "
                f"{', '.join(absent[:5]) or 'the gold file lists none'}"
            )

        with tempfile.TemporaryDirectory(prefix="summit-eval-") as tmp:
            predictions = self._predict(folder, files, Path(tmp))
        if save_predictions:
            Path(save_predictions).write_text(_dumps(predictions), encoding="utf-8")

        kind_set = set(kinds.split(",")) if kinds else None
        scores = score(gold_data, predictions, kind_set)
        if as_json:
            self.stdout.write(_dumps(scores))
        else:
            self.stdout.write(format_scores(scores))
        if misses:
            self._print_misses(gold_data, predictions, kind_set, misses)

    def _predict(self, folder: Path, files: list[str], tmp: Path) -> dict:
        staging = tmp / "articles"
        staging.mkdir()
        for name in files:
            (staging / name).symlink_to((folder / name).resolve())
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp / 'scratch.sqlite3'}",
            "SUMMIT_TASKS_BACKEND": "immediate",
        }
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        export = tmp / "export.json"
        for step in (
            ["migrate", "--noinput", "-v0"],
            ["ingest", "--no-progress", str(staging)],
            ["export", "--format", "json", "-o", str(export)],
        ):
            done = subprocess.run(manage + step, env=env, capture_output=True, text=True)
            if done.returncode != 0 and step[0] != "ingest":
                raise CommandError(f"{step[0]} failed:\n{done.stderr.strip()}")
            if done.returncode != 0:
                self.stderr.write(done.stderr.strip())
        return predictions_from_export(_load_json(export))

    def _print_misses(self, gold, predictions, kinds, limit):
        found = misses(gold, predictions, kinds)
        for title, rows in (
            ("gold quotes not found", found["missed"]),
            ("quotes found that gold lacks", found["spurious"]),
            ("wrong speaker", found["wrong_speaker"]),
        ):
            self.stdout.write(f"\n{title}: {len(rows)}")
            for row in rows[:limit]:
                speaker = (
                    f" gold={row['gold']!r} found={row['pred']!r}"
                    if "gold" in row
                    else f" speaker={row.get('speaker')!r}"
                )
                self.stdout.write(f"  {row['file'][:40]}:{speaker} {row['text'][:90]!r}")


def predictions_from_export(export: dict) -> dict:
    """The export's quotes in score_quotes.py's PRED shape (rejected quotes left out)."""
    return {
        "articles": [
            {
                "file": a["source_file"],
                "quotes": [
                    {
                        "text": q["text"],
                        "kind": q["kind"],
                        "speaker": (q["speaker"] or {}).get("name", ""),
                    }
                    for q in a["quotes"]
                    if q["status"] != "rejected"
                ],
            }
            for a in export["articles"]
        ]
    }


def _load_json(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)

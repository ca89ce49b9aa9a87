"""python manage.py evaluate GOLD.json [GOLD.json …] — measure quote attribution end to end.

Each gold set's articles are ingested, exactly as an operator would, into a scratch
SQLite database (your own database is never touched); the `json` export is scored by
the rule of ../shared/eval (quote P/R/F1, speaker accuracy, attribution F1), one row a
set. Sets over the same articles (a direct and an indirect gold file) share one ingest.

`--by-sieve` adds, per set, how many quotes each attribution sieve made and how many of
them are right; `--write-confidence` stores those precisions, pooled over the sets, as
the confidence each sieve gives its quotes (summit/nlp/quotes/confidence.py).

`--entities GOLD` measures names the same way: the articles of a document-level entity
gold (``{"articles": [{"file", "entities": [{"name", "label", "forms"}]}]}``, such as
bbc-dev/entities.json) are ingested and exported, and the export's mentions are scored
per label and overall (precision of the distinct names predicted per article, recall
of the gold entities); `--errors` lists the spurious and missed names per article.

A training split and its development split given together (``polnear-train/gold.json``
and ``polnear-dev/gold.json``: the same file name in folders named alike but for
``train`` and ``dev``) are also shown side by side with the gap (train − dev), the
measure of how much the rules fit the sentences they were developed on.
``--processes N`` runs each ingest's analysis in N worker processes (as ``ingest``
does), which makes the 840 articles of a training split a matter of minutes.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from summit.nlp import quotes
from summit.nlp.scoring import entity_scores, misses, score, sieve_scores

CONFIDENCE_MODULE = Path(quotes.__file__).with_name("confidence.py")


class Command(BaseCommand):
    help = (
        "Ingest gold sets' articles into a scratch database and score the quotes found "
        "against them, one row a set."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "gold", nargs="*", help='Gold files: {"articles": [{"file", "quotes"}]}'
        )
        parser.add_argument(
            "--entities",
            action="append",
            default=[],
            metavar="GOLD",
            help='An entity gold file ({"articles": [{"file", "entities"}]}): score the '
            "names found, per label and overall. May be given more than once.",
        )
        parser.add_argument(
            "--errors",
            action="store_true",
            help="With --entities: list the spurious and missed names per article.",
        )
        parser.add_argument(
            "--articles",
            metavar="DIR",
            help="Folder holding the articles (default: articles/ beside each gold file, "
            "or the seeds folder for the seeds' gold).",
        )
        parser.add_argument(
            "--kinds",
            default="",
            help="Quote kinds that take part, e.g. direct or direct,partial (default: the "
            "kinds each gold file holds, by its quotes' or its own kind field; else direct).",
        )
        parser.add_argument(
            "--by-sieve",
            action="store_true",
            help="Also print each attribution sieve's count and precision per set.",
        )
        parser.add_argument(
            "--write-confidence",
            action="store_true",
            help="Store the sieves' precisions, pooled over the sets, as their confidence "
            "(a dev split given with its training split is held out: it checks, it does not fit).",
        )
        parser.add_argument(
            "--misses",
            type=int,
            default=0,
            metavar="N",
            help="List up to N of each kind of miss per set (default 0).",
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the scores as JSON."
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            metavar="N",
            help="Analyse each set's articles in N worker processes (ingest --processes; "
            "default 1).",
        )
        parser.add_argument(
            "--save-predictions",
            metavar="DIR",
            help="Also write each set's predictions in score_quotes.py's format to DIR.",
        )

    def handle(
        self, *args, gold, articles, kinds, by_sieve: bool, misses: int, processes: int, **options
    ):
        if not gold and not options["entities"]:
            raise CommandError("name at least one gold file (quotes) or --entities GOLD")
        if processes < 1:
            raise CommandError("--processes takes a number of at least 1.")
        sets = [self._load(Path(g), articles, kinds) for g in gold]
        entity_sets = [
            self._load(Path(g), articles, "", key="entities") for g in options["entities"]
        ]
        cache: dict[tuple, dict] = {}
        with tempfile.TemporaryDirectory(prefix="summit-eval-") as tmp:
            for i, s in enumerate(sets + entity_sets):
                key = _articles_key(s["folder"], s["files"])
                if key not in cache:
                    started = time.monotonic()
                    cache[key] = self._export(
                        s["folder"], s["files"], Path(tmp) / str(i), processes
                    )
                    self.stderr.write(
                        f"{s['name']}: {len(s['files'])} articles ingested and exported "
                        f"in {time.monotonic() - started:.0f}s"
                    )
                s["export"] = cache[key]
        for s in sets:
            s["predictions"] = predictions_from_export(s["export"])
        if entity_sets:
            self._report_entities(entity_sets, options["as_json"], options["errors"])
            if not sets:
                return
        if options["save_predictions"]:
            out = Path(options["save_predictions"])
            out.mkdir(parents=True, exist_ok=True)
            for s in sets:
                (out / f"{s['name'].replace('/', '_')}").write_text(_dumps(s["predictions"]))
        rows = []
        for s in sets:
            row = {"set": s["name"], "kinds": sorted(s["kinds"]), **score(*_args(s))}
            if by_sieve or options["write_confidence"]:
                row["by_sieve"] = sieve_scores(*_args(s))
            rows.append(row)
        gaps = _gaps(rows)
        if options["as_json"]:
            self.stdout.write(_dumps({"sets": rows, "gaps": gaps}))
        else:
            self.stdout.write(_table(rows))
            if gaps:
                self.stdout.write(_gap_table(rows, gaps))
            if by_sieve:
                self.stdout.write(_sieve_table(rows))
        if options["write_confidence"]:
            # A dev split scored beside its training split checks the rules: it is held
            # out of the confidence the product shows, which is measured on the rest.
            held_out = {g["dev"] for g in gaps}
            measured = [r for r in rows if r["set"] not in held_out]
            CONFIDENCE_MODULE.write_text(_confidence_module(measured), encoding="utf-8")
            self.stderr.write(f"wrote {CONFIDENCE_MODULE}")
        if misses:
            for s in sets:
                self.stdout.write(f"\n== {s['name']}")
                self._print_misses(*_args(s), misses)

    def _report_entities(self, sets: list[dict], as_json: bool, errors: bool) -> None:
        rows = []
        for s in sets:
            table, errs = entity_scores(s["gold"], s["export"])
            rows.append({"set": s["name"], "labels": table, **({"errors": errs} if errors else {})})
        if as_json:
            self.stdout.write(_dumps({"entity_sets": rows}))
            return
        for row in rows:
            self.stdout.write(_entity_table(row))
            for e in row.get("errors", []):
                self.stdout.write(f"  {e['file']}\t{e['error']}\t{e['label']}\t{e['text']}")

    def _load(self, path: Path, articles: str | None, kinds: str, key: str = "quotes") -> dict:
        try:
            data = _load_json(path)
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from None
        folder = Path(articles) if articles else _articles_dir(path)
        files = [a["file"] for a in data.get("articles", [])]
        absent = [f for f in files if not (folder / f).is_file()]
        if not files or absent:
            raise CommandError(
                f"{folder} lacks the gold set's articles: "
                f"{', '.join(absent[:5]) or 'the gold file lists none'}"
            )
        if any(key not in a for a in data.get("articles", [])):
            raise CommandError(f"{path} is not a gold file of {key} (each article needs {key!r})")
        kind_set = (
            set() if key != "quotes" else set(kinds.split(",")) if kinds else _gold_kinds(data)
        )
        name = f"{path.parent.name}/{path.name}"
        return {"name": name, "gold": data, "folder": folder, "files": files, "kinds": kind_set}

    def _export(self, folder: Path, files: list[str], tmp: Path, processes: int = 1) -> dict:
        """The articles ingested into a scratch database, exported as json."""
        staging = tmp / "articles"
        staging.mkdir(parents=True)
        for name in files:
            # a copy, not a link: ingest reads no link to a file outside its folder
            shutil.copyfile(folder / name, staging / name)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp / 'scratch.sqlite3'}",
            "SUMMIT_TASKS_BACKEND": "immediate",
        }
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        export = tmp / "export.json"
        for step in (
            ["migrate", "--noinput", "-v0"],
            ["ingest", "--no-progress", "--processes", str(processes), str(staging)],
            ["export", "--format", "json", "-o", str(export)],
        ):
            done = subprocess.run(manage + step, env=env, capture_output=True, text=True)
            if done.returncode != 0 and step[0] != "ingest":
                raise CommandError(f"{step[0]} failed:\n{done.stderr.strip()}")
            if done.returncode != 0:
                self.stderr.write(done.stderr.strip())
        return _load_json(export)

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
                sieve = f" [{row['sieve']}]" if row.get("sieve") else ""
                self.stdout.write(f"  {row['file'][:40]}:{speaker}{sieve} {row['text'][:90]!r}")


def _articles_key(folder: Path, files: list[str]) -> tuple:
    """What a set's articles are: each file's name and content, so the sets of one
    folder (gold.json and gold-indirect.json), or the same articles in two folders, are
    ingested once."""
    return tuple(
        sorted((name, hashlib.sha256((folder / name).read_bytes()).hexdigest()) for name in files)
    )


def predictions_from_export(export: dict) -> dict:
    """The export's quotes in score_quotes.py's PRED shape (rejected quotes left out),
    each with the sieve that attributed it."""
    return {
        "articles": [
            {
                "file": a["source_file"],
                "quotes": [
                    {
                        "text": q["text"],
                        "kind": q["kind"],
                        # an unnamed source is shown by its words ("a spokesman for Acme"),
                        # through a pronoun by the description it stands for
                        "speaker": (q["speaker"] or {}).get("name")
                        or ((q.get("attribution") or {}).get("via") or {}).get("text")
                        or q.get("speaker_text", ""),
                        "speaker_text": q.get("speaker_text", ""),
                        "unnamed": not q["speaker"],
                        "sieve": (q.get("attribution") or {}).get("sieve", ""),
                    }
                    for q in a["quotes"]
                    if q["status"] != "rejected"
                ],
            }
            for a in export["articles"]
        ]
    }


def _args(s: dict) -> tuple:
    return s["gold"], s["predictions"], s["kinds"]


def _articles_dir(gold_path: Path) -> Path:
    """articles/ beside the gold file; for the seeds' gold, the seeds folder."""
    for cand in (
        gold_path.parent / "articles",
        gold_path.parent.parent / "seeds",
        Path(settings.BASE_DIR) / "seeds",
    ):
        if cand.is_dir():
            return cand
    return gold_path.parent / "articles"


def _gold_kinds(data: dict) -> set[str]:
    """The kinds a gold file holds: its quotes' ``kind``, else the file's own ``kind``,
    else indirect for an attribution given with its ``cue`` (PolNeAR's
    gold-indirect.json), else direct."""
    default = data.get("kind")
    return {
        q.get("kind") or default or ("indirect" if "cue" in q else "direct")
        for a in data.get("articles", [])
        for q in a["quotes"]
    }


def _table(rows: list[dict]) -> str:
    head = (
        f"{'set':<34} {'kinds':<24} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} "
        f"{'spk':>6} {'attrF1':>6}"
    )
    lines = [head]
    for r in rows:
        lines.append(
            f"{r['set']:<34} {','.join(r['kinds']):<24} {r['gold']:>5} {r['pred']:>5} "
            f"{r['quote_p']:>6.3f} {r['quote_r']:>6.3f} {r['quote_f1']:>6.3f} "
            f"{r['speaker_acc']:>6.3f} {r['attribution_f1']:>6.3f}"
        )
    return "\n".join(lines)


def _entity_table(row: dict) -> str:
    lines = [f"{row['set']}", f"{'label':<11} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6}"]
    for label, r in row["labels"].items():
        lines.append(
            f"{label:<11} {r['gold']:>5} {r['pred']:>5} "
            f"{r['p']:>6.3f} {r['r']:>6.3f} {r['f1']:>6.3f}"
        )
    return "\n".join(lines)


# The scores a gap is reported for, as (key, column heading).
GAP_SCORES = (
    ("quote_p", "P"),
    ("quote_r", "R"),
    ("quote_f1", "F1"),
    ("speaker_acc", "spk"),
    ("attribution_f1", "attrF1"),
)
_SPLIT = re.compile(r"(?<![^\W_])train(?![^\W_])")


def _gaps(rows: list[dict]) -> list[dict]:
    """Each training split's row with its development split's, and train − dev per
    score: sets whose names differ only in ``train`` for ``dev`` (``polnear-train/gold.json``
    and ``polnear-dev/gold.json``), scored on the same kinds."""
    by_name = {r["set"]: r for r in rows}
    gaps = []
    for r in rows:
        if not _SPLIT.search(r["set"]):
            continue
        dev = by_name.get(_SPLIT.sub("dev", r["set"]))
        if dev is None or dev["kinds"] != r["kinds"]:
            continue
        gaps.append(
            {
                "train": r["set"],
                "dev": dev["set"],
                "kinds": r["kinds"],
                **{k: round(r[k] - dev[k], 4) for k, _ in GAP_SCORES},
            }
        )
    return gaps


def _gap_table(rows: list[dict], gaps: list[dict]) -> str:
    by_name = {r["set"]: r for r in rows}
    lines = [
        "",
        f"{'train vs dev':<34} {'kinds':<24} {'gold':>5} {'pred':>5} "
        + " ".join(f"{h:>6}" for _, h in GAP_SCORES),
    ]
    for g in gaps:
        for name in (g["train"], g["dev"]):
            r = by_name[name]
            lines.append(
                f"{name:<34} {','.join(r['kinds']):<24} {r['gold']:>5} {r['pred']:>5} "
                + " ".join(f"{r[k]:>6.3f}" for k, _ in GAP_SCORES)
            )
        lines.append(
            f"{'  gap (train − dev)':<34} {'':<24} {'':>5} {'':>5} "
            + " ".join(f"{g[k]:>+6.3f}" for k, _ in GAP_SCORES)
        )
    return "\n".join(lines)


def _sieve_table(rows: list[dict]) -> str:
    lines = ["", f"{'set':<34} {'sieve':<20} {'quotes':>6} {'right':>6} {'precision':>9}"]
    for r in rows:
        for sieve, c in sorted(r["by_sieve"].items(), key=lambda kv: -kv[1]["n"]):
            lines.append(
                f"{r['set']:<34} {sieve or '-':<20} {c['n']:>6} {c['right']:>6} "
                f"{c['right'] / c['n']:>9.3f}"
            )
    return "\n".join(lines)


def _confidence_module(rows: list[dict]) -> str:
    n: Counter = Counter()
    right: Counter = Counter()
    for r in rows:
        for sieve, c in r["by_sieve"].items():
            if sieve:
                n[sieve] += c["n"]
                right[sieve] += c["right"]
    sets = "".join(f"#   {r['set']} ({','.join(r['kinds'])})\n" for r in rows)
    table = "".join(
        f'    "{s}": {right[s] / n[s]:.3f},  # {right[s]} of {n[s]}\n' for s in sorted(n)
    )
    head, _, _ = CONFIDENCE_MODULE.read_text(encoding="utf-8").partition("SIEVE_PRECISION")
    head = head.split("\n# Measured on:")[0].rstrip("\n")
    return (
        f"{head}\n\n# Measured on:\n{sets}"
        f"SIEVE_PRECISION: dict[str, float] = {{\n{table}}}\n\n"
        "# A sieve the development sets never saw fire.\nUNMEASURED = 0.5\n"
    )


def _load_json(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)

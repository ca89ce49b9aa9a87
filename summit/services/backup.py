"""The complete backup: what the JSON export carries beyond articles, and restoring it.

``manage.py export --format json`` writes, besides articles and speakers, everything an
editor did: speakers' ``edited`` flags and old addresses (redirects), merge and split
records, the speakers an editor deleted (so that ingest does not make them again),
articles' ``edited_fields``, and every history row (who, by username, and when).
``manage.py import`` checks the whole file first — against the JSON Schema in
``summit/schemas/export-v1.schema.json`` and then for what a schema cannot say (offsets
inside their paragraph, text equal to what the offsets cover, known paragraphs) — and
writes nothing unless every record is valid (``--skip-invalid``: the valid ones).

Rows keep their ids where the database has them free (a restore into an empty database
is exact: exporting it again gives the same file); elsewhere they get new ids, and
history rows follow their objects.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from summit.models import (
    AnnotationTombstone,
    Article,
    Claim,
    EntityMention,
    Paragraph,
    Quote,
    RetiredQuote,
    Speaker,
    SpeakerAlias,
    SpeakerMerge,
    SpeakerRedirect,
    SpeakerSplit,
    SpeakerTombstone,
    normalise_name,
    paragraph_fingerprint,
)
from summit.nlp.types import span_text
from summit.services.counters import counts_refresh_for

FORMAT_VERSION = 1
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "export-v1.schema.json"

# Models whose history the backup carries, by the name the file uses.
HISTORY_MODELS: dict[str, Any] = {
    "article": Article,
    "speaker": Speaker,
    "speakeralias": SpeakerAlias,
    "entitymention": EntityMention,
    "quote": Quote,
    "claim": Claim,
}
_HISTORY_META = {"history_id", "history_date", "history_change_reason", "history_type"}


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


# Export -------------------------------------------------------------------------------


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


def article_extras(article: Article) -> dict:
    """An article's editor records beyond its annotations: machine annotations an editor
    deleted (so re-ingest does not bring them back) and old quote addresses."""
    return {
        "tombstones": [
            {
                "model": t.model,
                "paragraph_hash": t.paragraph_hash,
                "start": t.start,
                "end": t.end,
                "text": t.text,
                "by": _username(t.by),
                "at": _when(t.at),
            }
            for t in article.tombstones.select_related("by").order_by("pk")
        ],
        "retired_quotes": [
            {
                "quote_id": r.quote_id,
                "paragraph_index": r.paragraph_index,
                "text": r.text,
                "at": _when(r.at),
            }
            for r in article.retired_quotes.order_by("quote_id")
        ],
    }


def merge_records() -> Iterator[dict]:
    merges = SpeakerMerge.objects.select_related("by", "into", "undone_by").order_by("pk")
    for m in merges.iterator(chunk_size=500):
        yield {
            "id": m.pk,
            "by": _username(m.by),
            "at": _when(m.at),
            "into": m.into.slug if m.into else None,
            "merged_names": m.merged_names,
            "moved": m.moved,
            "undone_by": _username(m.undone_by),
            "undone_at": _when(m.undone_at),
        }


def split_records() -> Iterator[dict]:
    splits = SpeakerSplit.objects.select_related("by", "source", "new_speaker").order_by("pk")
    for s in splits.iterator(chunk_size=500):
        yield {
            "id": s.pk,
            "by": _username(s.by),
            "at": _when(s.at),
            "source": s.source.slug if s.source else None,
            "source_name": s.source_name,
            "new_speaker": s.new_speaker.slug if s.new_speaker else None,
            "new_name": s.new_name,
            "moved": s.moved,
        }


def speaker_tombstone_records() -> Iterator[dict]:
    tombs = SpeakerTombstone.objects.select_related("by", "replacement").order_by("pk")
    for t in tombs.iterator(chunk_size=500):
        yield {
            "name": t.name,
            "name_key": t.name_key,
            "speaker_id": t.speaker_id,
            "replacement": t.replacement.slug if t.replacement else None,
            "by": _username(t.by),
            "at": _when(t.at),
        }


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def history_records(name: str) -> Iterator[dict]:
    """Every history row of one model: its own fields (foreign keys as ids), when, what
    kind of change, why, and who by username."""
    model = HISTORY_MODELS[name]
    historical = model.history.model
    fields = [f for f in historical._meta.concrete_fields if f.name not in _HISTORY_META]
    rows = historical.objects.select_related("history_user").order_by("history_id")
    for row in rows.iterator(chunk_size=1000):
        values = {}
        for f in fields:
            if f.name == "history_user":
                continue
            values[f.attname] = _plain(getattr(row, f.attname))
        yield {
            "history_id": row.history_id,
            "history_date": _when(row.history_date),
            "history_type": row.history_type,
            "history_change_reason": row.history_change_reason,
            "history_user": _username(row.history_user),
            "fields": values,
        }


def write_sections(out, json_dumps) -> None:
    """The backup's sections after ``speakers``, streamed to ``out``."""

    def array(key: str, records, last: bool = False) -> None:
        out.write(f' "{key}": [\n')
        separator = ""
        for record in records:
            out.write(separator + json_dumps(record))
            separator = ",\n"
        out.write("\n ]" + ("\n" if last else ",\n"))

    array("merges", merge_records())
    array("splits", split_records())
    array("speaker_tombstones", speaker_tombstone_records())
    out.write(' "history": {\n')
    names = list(HISTORY_MODELS)
    for i, name in enumerate(names):
        out.write(f'  "{name}": [\n')
        separator = ""
        for record in history_records(name):
            out.write(separator + json_dumps(record))
            separator = ",\n"
        out.write("\n  ]" + ("\n" if i == len(names) - 1 else ",\n"))
    out.write(" }\n")


# Validation ---------------------------------------------------------------------------


@dataclass
class Problem:
    path: str  # a JSON path into the file: $.articles[3].quotes[0].end
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _top(path: str) -> str:
    """The record a path is in: ``$.articles[3]`` for ``$.articles[3].quotes[0].end``."""
    parts = path.split(".")
    if len(parts) >= 2 and "[" in parts[1]:
        return ".".join(parts[:2])
    if len(parts) >= 3 and parts[1] == "history" and "[" in parts[2]:
        return ".".join(parts[:3])
    return path


def validate(data) -> list[Problem]:
    """Every problem in an export, each with its JSON path; empty when it is valid."""
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

    if not isinstance(data, dict) or data.get("format") != "summit":
        return [Problem("$.format", 'not a Summit JSON export (no "format": "summit")')]
    if isinstance(data.get("version"), int) and data["version"] > FORMAT_VERSION:
        return [Problem("$.version", f"made by a newer Summit (format version {data['version']})")]
    validator = Draft202012Validator(schema(), format_checker=_formats())
    problems = [
        Problem(error.json_path, _message(error))
        for error in sorted(validator.iter_errors(data), key=lambda e: _order(e.absolute_path))
    ]
    broken = {_top(p.path) for p in problems}
    for i, article in enumerate(_list(data.get("articles"))):
        path = f"$.articles[{i}]"
        if path in broken or not isinstance(article, dict):
            continue
        problems += _article_problems(path, article)
    history = _dict(data.get("history"))
    for name in HISTORY_MODELS:
        for i, row in enumerate(_list(history.get(name))):
            path = f"$.history.{name}[{i}]"
            if path not in broken and isinstance(row, dict):
                problems += _history_problems(path, name, row)
    problems += _twice(data, broken)
    problems += [
        Problem(path, "holds a NUL or a search marker (U+0000, U+0002, U+0003)")
        for path in _nul_strings(data, "$")
    ]
    return problems


_FORBIDDEN = re.compile("[\x00\x02\x03]")


def _nul_strings(node, path: str) -> Iterator[str]:
    """Where a string (or a key) holds U+0000, which PostgreSQL cannot store, or U+0002 or
    U+0003, which search uses to mark its matches."""
    stack = [(node, path)]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            if _FORBIDDEN.search(node):
                yield path
        elif isinstance(node, dict):
            for key, value in node.items():
                if _FORBIDDEN.search(key):
                    yield f"{path}.{key!r}"
                stack.append((value, f"{path}.{key}"))
        elif isinstance(node, list):
            stack.extend((value, f"{path}[{i}]") for i, value in enumerate(node))


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _order(path) -> list[tuple[int, int | str]]:
    """A sort key for a JSON path whose parts are keys and indexes."""
    return [(0, part) if isinstance(part, int) else (1, str(part)) for part in path]


def _message(error) -> str:
    if error.validator == "format":
        return f"is not a real {error.validator_value} ({error.instance!r:.60})"
    return error.message if len(error.message) <= 300 else error.message[:300] + "…"


def _when_valid(value: str) -> datetime.datetime | None:
    """``value`` as a date and time every database can store, or None."""
    from django.utils.dateparse import parse_datetime

    try:
        when = parse_datetime(value)
        if when is not None and when.tzinfo is not None:
            when.astimezone(datetime.UTC)  # a far offset may leave the calendar
    except (ValueError, OverflowError):
        return None
    return when


@cache
def _formats():
    """The formats the schema names, checked for real: a date that exists, a date and time
    with an offset under a day that stays inside the calendar."""
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())

    @checker.checks("date-time")
    def _datetime(value) -> bool:
        return not isinstance(value, str) or _when_valid(value) is not None

    @checker.checks("date", raises=ValueError)
    def _date(value) -> bool:
        return not isinstance(value, str) or bool(datetime.date.fromisoformat(value))

    return checker


# Ids the file gives rows, by the model they are of: each used once in a file.
def _ids(data) -> Iterator[tuple[str, str, Any]]:
    for i, article in enumerate(_list(data.get("articles"))):
        if not isinstance(article, dict):
            continue
        path = f"$.articles[{i}]"
        yield "article", f"{path}.id", article.get("id")
        for key in ("paragraphs", "mentions", "quotes", "claims"):
            for j, item in enumerate(_list(article.get(key))):
                if isinstance(item, dict):
                    yield key, f"{path}.{key}[{j}].id", item.get("id")
    for i, speaker in enumerate(_list(data.get("speakers"))):
        if isinstance(speaker, dict):
            yield "speaker", f"$.speakers[{i}].id", speaker.get("id")
            for j, alias in enumerate(_list(speaker.get("alias_ids"))):
                yield "alias", f"$.speakers[{i}].alias_ids[{j}]", alias
    for key in ("merges", "splits"):
        for i, record in enumerate(_list(data.get(key))):
            if isinstance(record, dict):
                yield key, f"$.{key}[{i}].id", record.get("id")
    history = _dict(data.get("history"))
    for name in HISTORY_MODELS:
        for i, row in enumerate(_list(history.get(name))):
            if isinstance(row, dict):
                yield f"history {name}", f"$.history.{name}[{i}].history_id", row.get("history_id")


def _twice(data, broken: set[str]) -> list[Problem]:
    seen: dict[tuple[str, Any], str] = {}
    problems = []
    for kind, path, value in _ids(data):
        if _top(path) in broken:
            continue
        # The schema's "integer" admits 1.0: an id must be an int to be compared (1.0
        # beside 1 would be one id twice, found only by the database's unique index).
        if isinstance(value, float):
            problems.append(Problem(path, "must be a whole number, not a decimal"))
            continue
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        first = seen.setdefault((kind, value), path)
        if first != path:
            problems.append(Problem(path, f"is used twice (also at {first})"))
    return problems


# The largest integer each kind of column holds on every database Summit runs on.
_INTEGER_RANGES = {
    "PositiveIntegerField": (0, 2**31 - 1),
    "PositiveSmallIntegerField": (0, 2**15 - 1),
    "IntegerField": (-(2**31), 2**31 - 1),
    "SmallIntegerField": (-(2**15), 2**15 - 1),
    "AutoField": (-(2**31), 2**31 - 1),
}
_BIG = (-(2**63), 2**63 - 1)


def _history_problems(path: str, name: str, row: dict) -> list[Problem]:
    """A history row's fields checked as its table would take them: type, range, length,
    choices, real dates; a field that may not be empty present."""
    historical = HISTORY_MODELS[name].history.model
    problems = []
    # The history table's own key is a 32-bit column (django-simple-history's AutoField).
    key = row.get("history_id")
    if isinstance(key, int) and (message := _field_problem(historical._meta.pk, key)):
        problems.append(Problem(f"{path}.history_id", message))
    fields = row.get("fields")
    if not isinstance(fields, dict):
        return problems
    for f in historical._meta.concrete_fields:
        if f.name in _HISTORY_META or f.name == "history_user":
            continue
        at = f"{path}.fields.{f.attname}"
        if f.attname not in fields or fields[f.attname] is None:
            if not f.null and f.attname != "id" and (f.attname in fields or not f.has_default()):
                problems.append(Problem(at, "is required"))
            continue
        if message := _field_problem(f, fields[f.attname]):
            problems.append(Problem(at, message))
    return problems


def _field_problem(f, value) -> str | None:
    from django.db import models

    target = f.target_field if f.is_relation else f
    kind = target.get_internal_type()
    if isinstance(target, models.BooleanField):
        return None if isinstance(value, bool) else "is not true or false"
    if isinstance(target, models.IntegerField):
        if not isinstance(value, int) or isinstance(value, bool):
            return "is not an integer"
        low, high = _INTEGER_RANGES.get(kind, _BIG)
        return None if low <= value <= high else f"is out of range ({low} to {high})"
    if isinstance(target, models.FloatField):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok and abs(value) < 1e300 else "is not a number"
    if isinstance(target, models.DateTimeField):
        ok = isinstance(value, str) and _when_valid(value) is not None
        return None if ok else "is not a real date and time (ISO 8601)"
    if isinstance(target, models.DateField):
        try:
            datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            return "is not a real date (YYYY-MM-DD)"
        return None
    if isinstance(target, models.CharField | models.TextField):
        if not isinstance(value, str):
            return "is not a string"
        if target.max_length and len(value) > target.max_length:
            return f"is longer than {target.max_length} characters"
        if target.choices and value not in {str(c[0]) for c in target.flatchoices}:
            return f"is not one of {', '.join(str(c[0]) for c in target.flatchoices)}"
    return None


def _article_problems(path: str, article: dict) -> list[Problem]:
    problems = []
    if article.get("published"):
        try:
            datetime.date.fromisoformat(article["published"])
        except ValueError:
            problems.append(Problem(f"{path}.published", "is not a date (YYYY-MM-DD)"))
    texts: dict[int, str] = {}
    for j, p in enumerate(article["paragraphs"]):
        if p["index"] in texts:
            problems.append(Problem(f"{path}.paragraphs[{j}].index", "is used twice"))
        texts[p["index"]] = p["text"]
    for key in ("mentions", "quotes", "claims"):
        for j, item in enumerate(article.get(key) or []):
            problems += _span_problems(f"{path}.{key}[{j}]", item, texts)
    return problems


def _span_problems(path: str, item: dict, texts: dict[int, str]) -> list[Problem]:
    # The schema's "integer" admits 1.0 (JSON Schema counts a float with no fraction as
    # one); offsets and indexes must be ints to slice and look up text.
    for name in ("paragraph", "end_paragraph", "start", "end"):
        value = item.get(name)
        if name == "end_paragraph" and value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool):
            return [Problem(f"{path}.{name}", "must be a whole number, not a decimal")]
    first = item["paragraph"]
    last = item.get("end_paragraph")
    last = first if last is None else last
    if first not in texts:
        return [Problem(f"{path}.paragraph", f"no paragraph has index {first}")]
    if last not in texts:
        return [Problem(f"{path}.end_paragraph", f"no paragraph has index {last}")]
    if last < first:
        return [Problem(f"{path}.end_paragraph", "comes before its paragraph")]
    start, end = item["start"], item["end"]
    if start > len(texts[first]):
        return [Problem(f"{path}.start", "is past the end of its paragraph")]
    if end > len(texts[last]):
        return [Problem(f"{path}.end", "is past the end of its paragraph")]
    if last == first:
        if end < start:
            return [Problem(f"{path}.end", "comes before the start")]
        covered = texts[first][start:end]
    else:
        indexes = range(first, last + 1)
        if any(i not in texts for i in indexes):
            return [Problem(f"{path}.end_paragraph", "spans a missing paragraph")]
        covered = span_text([texts[i] for i in indexes], 0, start, end, last - first)
    if covered != item["text"]:
        return [Problem(f"{path}.text", "is not the text at its offsets")]
    return []


# Restore ------------------------------------------------------------------------------


class ImportInvalid(ValueError):
    """The file has invalid records; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class Restored:
    created: int = 0
    kept: int = 0
    skipped: list[Problem] = field(default_factory=list)
    history: int = 0


def restore(data: dict, *, skip_invalid: bool = False) -> Restored:
    """Import a validated export in one transaction. Invalid records stop the import
    before anything is written, or with ``skip_invalid`` are left out and listed."""
    problems = validate(data)
    if problems and (not skip_invalid or not isinstance(data, dict) or _file_level(problems)):
        raise ImportInvalid(problems)
    bad = {_top(p.path) for p in problems}
    result = Restored(skipped=problems)

    def valid(key: str) -> list[dict]:
        return [r for i, r in enumerate(data.get(key) or []) if f"$.{key}[{i}]" not in bad]

    with transaction.atomic():
        ids = _Ids()
        _speakers(valid("speakers"), ids)
        for record in valid("articles"):
            if _article(record, ids):
                result.created += 1
            else:
                result.kept += 1
        _audit(valid("merges"), valid("splits"), ids)
        _speaker_tombstones(valid("speaker_tombstones"), ids)
        history = data.get("history") or {}
        for name in HISTORY_MODELS:
            rows = [
                r
                for i, r in enumerate(history.get(name) or [])
                if f"$.history.{name}[{i}]" not in bad
            ]
            result.history += _history(name, rows, ids)
        _reset_sequences()
    return result


def _reset_sequences() -> None:
    """Rows written with their ids leave PostgreSQL's id sequences behind: move them on,
    so that the next row made gets a free id. (SQLite needs nothing.)"""
    from django.core.management.color import no_style
    from django.db import connection

    tables = [
        Article,
        Paragraph,
        Speaker,
        SpeakerAlias,
        EntityMention,
        Quote,
        Claim,
        SpeakerMerge,
        SpeakerSplit,
        *(model.history.model for model in HISTORY_MODELS.values()),
    ]
    statements = connection.ops.sequence_reset_sql(no_style(), tables)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _file_level(problems: list[Problem]) -> bool:
    """A problem no record can be skipped for: the file's own fields."""
    return any(_top(p.path) == p.path and p.path.count("[") == 0 for p in problems)


class _Ids:
    """Old id → new id for each model (the same where the old id was free)."""

    def __init__(self):
        self.maps: dict[type, dict[int, int]] = {}
        self.users: dict[str, object] = {}

    def free(self, model: Any, old: Any) -> Any:
        """``old`` if no row of ``model`` has it, else None (the database picks one)."""
        if old is None or model.objects.filter(pk=old).exists():
            return None
        return old

    def note(self, model, old, new) -> None:
        if old is not None:
            self.maps.setdefault(model, {})[old] = new

    def get(self, model, old):
        return self.maps.get(model, {}).get(old)

    def user(self, username: str | None):
        """The user with ``username``; one made (inactive, no password) if missing, so
        that the audit trail keeps who did what."""
        if not username:
            return None
        if username not in self.users:
            User = get_user_model()
            user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
            if user is None:
                user = User(**{User.USERNAME_FIELD: username}, is_active=False)
                user.set_unusable_password()
                user.save()
            self.users[username] = user
        return self.users[username]


def _speakers(records: list[dict], ids: _Ids) -> None:
    for record in records:
        speaker = Speaker.objects.filter(slug=record["slug"]).first()
        if speaker is None:
            speaker = Speaker(
                pk=ids.free(Speaker, record.get("id")),
                slug=record["slug"],
                name=record["name"],
                kind=record.get("kind", "person"),
                description=record.get("description", ""),
                edited=record.get("edited", False),
            )
            _save_quietly(speaker)
            _stamp(Speaker, speaker.pk, record)
        ids.note(Speaker, record.get("id"), speaker.pk)
        # An alias is known by its key: two written alike ("Dan Lee", "Dаn Lee" with a
        # Cyrillic "а", "dan lee") are one name, which a speaker has once.
        have = {a.name_key: a for a in speaker.aliases.all()}
        alias_ids = record.get("alias_ids") or [None] * len(record.get("aliases", []))
        for name, old in zip(record.get("aliases", []), alias_ids, strict=False):
            alias = have.get(normalise_name(name))
            if alias is None:
                alias = SpeakerAlias(pk=ids.free(SpeakerAlias, old), speaker=speaker, name=name)
                _save_quietly(alias)
                have[alias.name_key] = alias
            ids.note(SpeakerAlias, old, alias.pk)
        for old_slug in record.get("redirects", []):
            SpeakerRedirect.objects.get_or_create(old_slug=old_slug, defaults={"speaker": speaker})


def _speaker_for(ref: dict | None, ids: _Ids) -> Speaker | None:
    if not ref:
        return None
    speaker = Speaker.objects.filter(slug=ref["slug"]).first()
    if speaker is None:
        speaker = Speaker(slug=ref["slug"], name=ref["name"], kind=ref.get("kind", "person"))
        _save_quietly(speaker)
    return speaker


def _save_quietly(obj: Any) -> None:
    """Save without a new history row: the backup brings the object's own history."""
    obj.skip_history_when_saving = True
    try:
        obj.save()
    finally:
        del obj.skip_history_when_saving


def _article(record: dict, ids: _Ids) -> bool:
    existing = Article.objects.filter(source=record["source"]).first()
    if existing is not None:
        ids.note(Article, record.get("id"), existing.pk)
        return False
    article = Article(
        pk=ids.free(Article, record.get("id")),
        title=record["title"],
        title_derived=record.get("title_derived", False),
        byline=record.get("byline", ""),
        outlet=record.get("outlet", ""),
        published=record.get("published") or None,
        kind=record.get("kind", "news"),
        source=record["source"],
        source_file=record.get("source_file", ""),
        content_hash=record.get("content_hash", ""),
        pipeline=record.get("pipeline", ""),
        edited_fields=record.get("edited_fields", []),
    )
    _save_quietly(article)
    ids.note(Article, record.get("id"), article.pk)
    rows = {}
    for p in record["paragraphs"]:
        row = Paragraph(
            pk=ids.free(Paragraph, p.get("id")),
            article=article,
            index=p["index"],
            kind=p.get("kind", "body"),
            text=p["text"],
            fingerprint=paragraph_fingerprint(p["text"], p.get("kind", "body")),
        )
        rows[p["index"]] = row
    Paragraph.objects.bulk_create(rows.values())
    for p in record["paragraphs"]:
        ids.note(Paragraph, p.get("id"), rows[p["index"]].pk)
    common = ("text", "start", "end", "status", "edited")

    def base(model, item):
        values = {k: item[k] for k in common if k in item}
        return {
            "pk": ids.free(model, item.get("id")),
            "article": article,
            "paragraph": rows[item["paragraph"]],
            **values,
        }

    made: list[tuple[Any, dict, Any]] = []
    for m in record.get("mentions", []):
        obj: Any = EntityMention(
            **base(EntityMention, m), label=m["label"], speaker=_speaker_for(m.get("speaker"), ids)
        )
        made.append((EntityMention, m, obj))
    for q in record.get("quotes", []):
        attribution = q.get("attribution") or {}
        end_paragraph = q.get("end_paragraph")
        obj = Quote(
            **base(Quote, q),
            kind=q["kind"],
            cue=q.get("cue", ""),
            speaker_text=q.get("speaker_text", ""),
            speaker=_speaker_for(q.get("speaker"), ids),
            sieve=attribution.get("sieve", "") or "",
            via=attribution.get("via"),
            confidence=attribution.get("confidence"),
            end_paragraph=(
                rows[end_paragraph] if end_paragraph not in (None, q["paragraph"]) else None
            ),
        )
        made.append((Quote, q, obj))
    for c in record.get("claims", []):
        obj = Claim(
            **base(Claim, c),
            kind=c["kind"],
            highlighted=c.get("highlighted", False),
            holder=_speaker_for(c.get("holder"), ids),
        )
        made.append((Claim, c, obj))
    for model in (EntityMention, Quote, Claim):
        objs = [obj for kind, _, obj in made if kind is model]
        model.objects.bulk_create(objs, batch_size=500)
        # When each was made and last changed, as the file says (saving sets them to now).
        stamped = [obj for kind, item, obj in made if kind is model and _stamps(obj, item)]
        model.objects.bulk_update(stamped, ["created", "updated"], batch_size=500)
    counts_refresh_for(obj for _, _, obj in made)
    for model, item, obj in made:
        ids.note(model, item.get("id"), obj.pk)
    for t in record.get("tombstones", []):
        tomb = AnnotationTombstone.objects.create(
            article=article,
            model=t["model"],
            paragraph_hash=t["paragraph_hash"],
            start=t["start"],
            end=t["end"],
            text=t["text"],
            by=ids.user(t.get("by")),
        )
        AnnotationTombstone.objects.filter(pk=tomb.pk).update(at=t["at"])  # auto_now_add
    for r in record.get("retired_quotes", []):
        if RetiredQuote.objects.filter(quote_id=r["quote_id"]).exists():
            continue
        retired = RetiredQuote.objects.create(
            quote_id=r["quote_id"],
            article=article,
            paragraph_index=r["paragraph_index"],
            text=r["text"],
        )
        RetiredQuote.objects.filter(pk=retired.pk).update(at=r["at"])
    _stamp(Article, article.pk, record)
    return True


def _stamps(obj: Any, record: dict) -> bool:
    """Set ``obj``'s created and updated from ``record`` where it has them."""
    found = False
    for name in ("created", "updated"):
        if record.get(name):
            setattr(obj, name, _when_valid(record[name]))
            found = True
    return found


def _stamp(model: Any, pk: int, record: dict) -> None:
    """A saved row's created and updated as ``record`` says (``auto_now`` ignores them on
    save, an update does not)."""
    values = {
        name: _when_valid(record[name])
        for name in ("created", "updated")
        if record.get(name) and any(f.name == name for f in model._meta.concrete_fields)
    }
    if values:
        model.objects.filter(pk=pk).update(**values)


def _audit(merges: list[dict], splits: list[dict], ids: _Ids) -> None:
    for m in merges:
        # No "into": the speaker merged into was deleted since; the record stays.
        into = Speaker.objects.filter(slug=m["into"]).first() if m["into"] else None
        if m["into"] and into is None:
            continue
        if SpeakerMerge.objects.filter(pk=m.get("id") or 0, into=into).exists():
            continue
        merge = SpeakerMerge.objects.create(
            pk=ids.free(SpeakerMerge, m.get("id")),
            by=ids.user(m.get("by")),
            into=into,
            merged_names=m["merged_names"],
            moved=m["moved"],
            undone_by=ids.user(m.get("undone_by")),
            undone_at=m.get("undone_at"),
        )
        SpeakerMerge.objects.filter(pk=merge.pk).update(at=m["at"])  # auto_now_add
    for s in splits:
        if SpeakerSplit.objects.filter(pk=s.get("id") or 0, source_name=s["source_name"]).exists():
            continue
        record = SpeakerSplit.objects.create(
            pk=ids.free(SpeakerSplit, s.get("id")),
            by=ids.user(s.get("by")),
            source=Speaker.objects.filter(slug=s.get("source") or "").first(),
            source_name=s["source_name"],
            new_speaker=Speaker.objects.filter(slug=s.get("new_speaker") or "").first(),
            new_name=s["new_name"],
            moved=s["moved"],
        )
        SpeakerSplit.objects.filter(pk=record.pk).update(at=s["at"])


def _speaker_tombstones(records: list[dict], ids: _Ids) -> None:
    for t in records:
        # The key is made again from the name: a backup from before look-alikes were
        # folded carries keys in the old form, which no name matches now.
        key = normalise_name(t["name"])
        if SpeakerTombstone.objects.filter(name_key=key, speaker_id=t["speaker_id"]).exists():
            continue
        tomb = SpeakerTombstone.objects.create(
            name=t["name"],
            name_key=key,
            speaker_id=t["speaker_id"],
            replacement=Speaker.objects.filter(slug=t.get("replacement") or "").first(),
            by=ids.user(t.get("by")),
        )
        SpeakerTombstone.objects.filter(pk=tomb.pk).update(at=t["at"])  # auto_now_add


# Foreign keys inside history rows, and the model each points at.
_HISTORY_REFS = {
    "article_id": Article,
    "paragraph_id": Paragraph,
    "end_paragraph_id": Paragraph,
    "speaker_id": Speaker,
    "holder_id": Speaker,
}


def _history(name: str, rows: list[dict], ids: _Ids) -> int:
    """Write one model's history rows; an object that no longer exists keeps its rows
    under an id no live object can take (negative)."""
    model = HISTORY_MODELS[name]
    historical = model.history.model
    if not rows:
        return 0
    known = set(historical.objects.values_list("history_id", flat=True))
    gone: dict[Any, Any] = {}
    lowest = min([0, *historical.objects.filter(id__lt=0).values_list("id", flat=True)])
    objs = []
    for row in rows:
        values = dict(row["fields"])
        old = values.get("id")
        new = ids.get(model, old)
        if new is None:
            if old not in gone:
                lowest -= 1
                gone[old] = old if not model.objects.filter(pk=old).exists() else lowest
            new = gone[old]
        values["id"] = new
        for attname, target in _HISTORY_REFS.items():
            if values.get(attname) is not None:
                values[attname] = ids.get(target, values[attname]) or values[attname]
        if row["history_id"] in known:
            continue  # already here (an import run twice)
        objs.append(
            historical(
                history_id=row["history_id"],
                history_date=row["history_date"],
                history_type=row["history_type"],
                history_change_reason=row.get("history_change_reason"),
                history_user=ids.user(row.get("history_user")),
                **{k: v for k, v in values.items() if k in _attnames(historical)},
            )
        )
    historical.objects.bulk_create(objs, batch_size=500)
    return len(objs)


@cache
def _attnames(historical) -> frozenset[str]:
    return frozenset(f.attname for f in historical._meta.concrete_fields)

"""The audit trail's starting point for what the machine made, and versions.

Ingestion writes the language pipeline's annotations in bulk without a history row
each (most are never touched, and the rows would double the cost of every ingest).
Before an editor first changes one, ``history_baseline`` records it as the machine
left it, so that the change shows who made it and can be reverted.

Versions (``version_of``, ``stale_change``): every change form and queue action carries
the version of the row it was made on, so that two editors never silently overwrite
each other.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Max

from summit.models import as_id

MACHINE_REASON = "Made by the language pipeline"


def history_baseline(objs: Iterable[models.Model]) -> int:
    """Record the stored state of each saved object that has no history yet."""
    by_model: dict[Any, list[int]] = defaultdict(list)  # model classes, with their history
    for obj in objs:
        if obj.pk is not None:
            by_model[type(obj)].append(obj.pk)
    made = 0
    for model, ids in by_model.items():
        history = model.history
        have = set(history.filter(id__in=ids).values_list("id", flat=True).distinct())
        missing = [pk for pk in ids if pk not in have]
        for stored in model.objects.filter(pk__in=missing):
            # The language pipeline made it, never the editor whose request this is.
            stored._history_user = None
            # One at a time: each keeps the date the machine made it.
            history.bulk_history_create(
                [stored],
                default_change_reason=MACHINE_REASON,
                default_date=getattr(stored, "created", None),
            )
            made += 1
    return made


# Versions: no editor's change silently overwrites another's -------------------------


def version_of(obj: models.Model) -> str:
    """The version of ``obj`` an editor sees: its newest history row's id ("0" when it
    has none yet). A form or queue action made on it carries it back; a save on an
    older version is refused (see ``stale_change``)."""
    return versions_of(type(obj), [obj.pk]).get(obj.pk, "0")


def versions_of(model: Any, ids: Iterable[int]) -> dict[int, str]:
    """``version_of`` for many rows of one model, in one query."""
    rows = (
        model.history.filter(id__in=list(ids))
        .order_by()
        .values("id")
        .annotate(newest=Max("history_id"))
        .values_list("id", "newest")
    )
    return {pk: str(newest) for pk, newest in rows}


@dataclass(frozen=True)
class StaleChange:
    """What someone changed on a row since the version an editor's form was made on."""

    who: str
    when: datetime.datetime
    reason: str
    changes: list[tuple[str, str, str]]  # field's label, value then, value now

    def __str__(self) -> str:
        what = "; ".join(f"{label}: “{then}” → “{now}”" for label, then, now in self.changes)
        why = f" ({self.reason})" if self.reason else ""
        return (
            f"{self.who} changed this at {self.when:%Y-%m-%d %H:%M}{why} after you opened "
            f"it{': ' + what if what else ''}. Nothing of yours was saved: check their "
            "change, then save again to put yours over it."
        )


def stale_change(obj: models.Model, version: str) -> StaleChange | None:
    """``None`` if ``obj`` is still at ``version``; else who changed what since."""
    now = version_of(obj)
    if not version or version == now:
        return None
    model: Any = type(obj)  # a model with simple_history's ``history``
    history = model.history.filter(id=obj.pk).order_by("history_id")
    history_id = as_id(version)
    then = history.filter(history_id=history_id).first() if history_id else None
    then = then or history.first()
    newest = history.last()
    if newest is None:
        return None
    changes = []
    if then is not None and then.pk != newest.pk:
        delta = newest.diff_against(then)
        for change in delta.changes:
            if change.field in _BOOKKEEPING:
                continue
            field = type(obj)._meta.get_field(change.field)
            changes.append(
                (
                    str(getattr(field, "verbose_name", change.field)),
                    _shown(field, change.old),
                    _shown(field, change.new),
                )
            )
    user = newest.history_user
    return StaleChange(
        who=(user.get_username() if user else "The language pipeline"),
        when=newest.history_date,
        reason=newest.history_change_reason or "",
        changes=changes,
    )


# What every editor's save changes: not worth showing as "their change".
_BOOKKEEPING = {"edited", "updated", "created"}


def _shown(field: Any, value: Any) -> str:
    """A value as an editor reads it (a speaker's name, not its id)."""
    if value in (None, ""):
        return "—"
    if getattr(field, "is_relation", False) and field.related_model is not None:
        found = field.related_model._default_manager.filter(pk=value).first()
        return str(found) if found is not None else f"#{value}"
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    return str(value)

"""The audit trail's starting point for what the machine made.

Ingestion writes the language pipeline's annotations in bulk without a history row
each (most are never touched, and the rows would double the cost of every ingest).
Before an editor first changes one, ``history_baseline`` records it as the machine
left it, so that the change shows who made it and can be reverted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import models

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

"""New rows of plain values written fast: what ingest inserts for each article."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from django.db import connections, router, transaction
from django.db.models import Model


def rows_insert(model: type[Model], objs: Sequence[Model]) -> None:
    """``model.objects.bulk_create(objs)``: the same rows, and each object given its id,
    by a statement made once per model and row count (``_insert_sql``) over the values
    as each field prepares them. Django compiles an insert value by value, which cost
    ingest more than running it (a new article's paragraphs, annotations, quotation
    groups). Values that are expressions go through bulk_create."""
    if not objs:
        return
    using = router.db_for_write(model)
    connection = connections[using]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    if not connection.features.can_return_rows_from_bulk_insert or any(
        hasattr(f, "get_placeholder") for f in fields
    ):
        model._default_manager.bulk_create(objs, batch_size=500)
        return
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]
    rows = [[f.pre_save(obj, True) for f in fields] for obj in objs]
    if any(hasattr(value, "resolve_expression") for row in rows for value in row):
        model._default_manager.bulk_create(objs, batch_size=500)
        return
    size = max(1, min(500, connection.ops.bulk_batch_size(fields, objs)))
    with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:
        for i in range(0, len(rows), size):
            batch = rows[i : i + size]
            params = [
                f.get_db_prep_save(value, connection)
                for row in batch
                for f, value in zip(fields, row, strict=True)
            ]
            cursor.execute(_insert_sql(model, using, len(batch)), params)
            for obj, (pk,) in zip(objs[i : i + size], cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = using


@functools.lru_cache(maxsize=64)
def _insert_sql(model: type[Model], using: str, n: int) -> str:
    """``INSERT INTO table (every column but the id) VALUES (…), … RETURNING id`` for
    ``n`` rows, as bulk_create writes it."""
    connection = connections[using]
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    row = f"({', '.join(['%s'] * len(fields))})"
    returning, _ = connection.ops.return_insert_columns([model._meta.pk])
    return (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES {', '.join([row] * n)} {returning}"
    )

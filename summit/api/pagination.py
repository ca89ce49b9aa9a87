"""Keyset ("cursor") pagination: a page starts after the last item of the one before.

A cursor holds the sort key of the last item a client saw, so rows written meanwhile
never shift a page, repeat an item or skip one, however deep the client has read (an
offset would do all three). Every ordering ends in the primary key, so keys are unique.

A cursor is signed (with ``SECRET_KEY``, for its list): one a client made up or changed,
or one of another list, is a 400 naming ``cursor``, whatever values it holds, on any
database. (Changing the secret key ends the cursors given out before.)
"""

from __future__ import annotations

import base64
import binascii
import datetime
from dataclasses import dataclass
from typing import Any

import pydantic
from django.core import signing
from django.db.models import DateField, Expression, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from ninja.errors import ValidationError

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
# No sort key this API uses is longer than a name: a longer cursor is not one of ours.
MAX_CURSOR_LENGTH = 2000


@dataclass(frozen=True)
class Key:
    """One column of an ordering: what it sorts by, which way, and the Python type of its
    values (to read them back from a cursor)."""

    expression: Expression | str
    type: type
    descending: bool = False


def newest_first(published: str, created: str) -> tuple[Key, ...]:
    """Newest first by publication date (undated last), then by when it was added."""
    undated = Value(datetime.date.min, output_field=DateField())
    return (
        Key(Coalesce(F(published), undated, output_field=DateField()), datetime.date, True),
        Key(F(created), datetime.datetime, True),
    )


def _bad_cursor() -> ValidationError:
    return ValidationError(
        [{"loc": ["query", "cursor"], "msg": "Not a cursor of this list.", "type": "value_error"}]
    )


class Ordering:
    def __init__(self, *keys: Key):
        self.keys = keys
        self.names = [f"cursor_key_{i}" for i in range(len(keys))]
        self._values = pydantic.TypeAdapter(tuple[tuple(key.type for key in keys)])
        # One signature per ordering: a cursor of one list is no cursor of another.
        shape = ";".join(f"{key.expression}:{key.type.__name__}:{key.descending}" for key in keys)
        self._signer = signing.Signer(salt=f"summit.api.cursor:{shape}", sep=".")

    def apply(self, queryset: QuerySet) -> QuerySet:
        annotated = queryset.annotate(
            **{
                name: F(key.expression) if isinstance(key.expression, str) else key.expression
                for name, key in zip(self.names, self.keys, strict=True)
            }
        )
        return annotated.order_by(
            *(
                F(name).desc() if key.descending else F(name).asc()
                for name, key in zip(self.names, self.keys, strict=True)
            )
        )

    def after(self, values: tuple) -> Q:
        """Rows that sort after ``values``."""
        condition = None
        for name, key, value in reversed(list(zip(self.names, self.keys, values, strict=True))):
            beyond = Q(**{f"{name}__{'lt' if key.descending else 'gt'}": value})
            condition = beyond if condition is None else beyond | (Q(**{name: value}) & condition)
        return condition

    def encode(self, item: Any) -> str:
        values = self._values.dump_json(tuple(getattr(item, name) for name in self.names))
        return self._signer.sign(base64.urlsafe_b64encode(values).decode("ascii").rstrip("="))

    def decode(self, cursor: str) -> tuple:
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise _bad_cursor()
        try:
            cursor = self._signer.unsign(cursor)
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            values = self._values.validate_json(raw)
        except (signing.BadSignature, binascii.Error, ValueError, pydantic.ValidationError):
            raise _bad_cursor() from None
        # Out of the database's range: no row can sort there, so it is not our cursor.
        for value in values:
            if isinstance(value, int) and not -(2**63) <= value < 2**63:
                raise _bad_cursor()
            if isinstance(value, str) and "\x00" in value:
                raise _bad_cursor()
        return values


def page(request, queryset: QuerySet, ordering: Ordering, limit: int, cursor: str | None) -> dict:
    """One page of ``queryset``: ``{"items", "next"}``, with ``next`` the address of the page
    after (also sent as a ``Link: <…>; rel="next"`` header by the API), or null at the end."""
    rows = ordering.apply(queryset)
    if cursor:
        rows = rows.filter(ordering.after(ordering.decode(cursor)))
    items = list(rows[: limit + 1])
    next_url = None
    if len(items) > limit:
        items = items[:limit]
        query = request.GET.copy()
        query["cursor"] = ordering.encode(items[-1])
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {"items": items, "next": next_url}

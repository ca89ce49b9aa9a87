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
from django.db.models import Expression, F, Q, QuerySet
from django.http import QueryDict
from ninja.errors import ValidationError

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
# No sort key this API uses is longer than a name: a longer cursor is not one of ours.
MAX_CURSOR_LENGTH = 2000


@dataclass(frozen=True)
class Key:
    """One column of an ordering: what it sorts by, which way, and the Python type of its
    values (to read them back from a cursor). ``nulls_last``: a descending column that
    may be NULL, its NULLs after every value (as a descending index keeps them)."""

    expression: Expression | str
    type: type
    descending: bool = False
    nulls_last: bool = False


def newest_first(published: str, created: str) -> tuple[Key, ...]:
    """Newest first by publication date (undated last), then by when it was added: the
    order of the ``article_newest`` index, so that a page walks it (a COALESCE of the
    date, which no index holds, sorted every row first)."""
    return (
        Key(F(published), datetime.date, descending=True, nulls_last=True),
        Key(F(created), datetime.datetime, True),
    )


def _bad_cursor() -> ValidationError:
    return ValidationError(
        [{"loc": ["query", "cursor"], "msg": "Not a cursor of this list.", "type": "value_error"}]
    )


class Ordering:
    def __init__(self, *keys: Key, list_name: str = ""):
        """``list_name`` tells apart lists in the same order: a cursor of one is no cursor
        of the other."""
        self.keys = keys
        self.names = [f"cursor_key_{i}" for i in range(len(keys))]
        types = tuple(key.type | None if key.nulls_last else key.type for key in keys)
        self._values = pydantic.TypeAdapter(tuple[types])  # type: ignore[valid-type]
        # One signature per ordering: a cursor of one list is no cursor of another.
        shape = ";".join(
            f"{key.expression}:{key.type.__name__}:{key.descending}:{key.nulls_last}"
            for key in keys
        )
        salt = (
            f"summit.api.cursor:{list_name}:{shape}" if list_name else f"summit.api.cursor:{shape}"
        )
        self._signer = signing.Signer(salt=salt, sep=".")

    def apply(self, queryset: QuerySet) -> QuerySet:
        annotated = queryset.annotate(
            **{
                name: F(key.expression) if isinstance(key.expression, str) else key.expression
                for name, key in zip(self.names, self.keys, strict=True)
            }
        )
        return annotated.order_by(
            *(
                F(name).desc(nulls_last=True if key.nulls_last else None)
                if key.descending
                else F(name).asc()
                for name, key in zip(self.names, self.keys, strict=True)
            )
        )

    def after(self, values: tuple) -> Q:
        """Rows that sort after ``values``."""
        condition: Q | None = None
        for name, key, value in reversed(list(zip(self.names, self.keys, values, strict=True))):
            beyond: Q | None
            if value is None:  # a NULL sorts last: only other NULLs can follow it
                beyond, same = None, Q(**{f"{name}__isnull": True})
            else:
                beyond = Q(**{f"{name}__{'lt' if key.descending else 'gt'}": value})
                if key.nulls_last:
                    beyond |= Q(**{f"{name}__isnull": True})
                same = Q(**{name: value})
            if condition is None:
                condition = beyond if beyond is not None else Q(pk__in=[])
            elif beyond is None:
                condition = same & condition
            else:
                condition = beyond | (same & condition)
        assert condition is not None
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


def page(
    request,
    queryset: QuerySet,
    ordering: Ordering,
    limit: int,
    cursor: str | None,
    *,
    path: str | None = None,
) -> dict:
    """One page of ``queryset``: ``{"items", "next"}``, with ``next`` the address of the page
    after (also sent as a ``Link: <…>; rel="next"`` header by the API), or null at the end.

    ``path``: the list's own address, when the page is shown inside another resource (an
    article's first page of quotes, say): ``next`` then points there, with this ``limit``."""
    rows = ordering.apply(queryset)
    if cursor:
        rows = rows.filter(ordering.after(ordering.decode(cursor)))
    items = list(rows[: limit + 1])
    next_url = None
    if len(items) > limit:
        items = items[:limit]
        query = request.GET.copy() if path is None else QueryDict(mutable=True)
        if path is not None:
            query["limit"] = str(limit)
        query["cursor"] = ordering.encode(items[-1])
        next_url = request.build_absolute_uri(f"{path or request.path}?{query.urlencode()}")
    return {"items": items, "next": next_url}

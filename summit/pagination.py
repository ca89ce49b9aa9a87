"""Pagination that never counts a whole table.

``Paginator`` counts every row a listing could show, which at a newsroom's size means
reading an index of a million quotes on every page. ``BoundedPaginator`` takes the
count when it is already known (a counter kept on a row), and otherwise counts at most
``limit`` rows: a listing with more says so (``count_is_capped``) and shows
``limit // per_page`` pages, each one reached by a bounded offset. ``?page=last`` is
the last of them (Django's ``Paginator`` would show the first).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_LIMIT = 10_000


class BoundedPaginator(Paginator):
    def __init__(self, object_list, per_page, *args, count=None, limit=COUNT_LIMIT, **kw):
        super().__init__(object_list, per_page, *args, **kw)
        self._known_count = count
        self.limit = limit

    @cached_property
    def count(self) -> int:
        if self._known_count is not None:
            return self._known_count
        if not self.limit or not hasattr(self.object_list, "order_by"):
            return super().count
        # Any ``limit + 1`` rows will do: no ordering, so no join or sort for it.
        return self.object_list.order_by()[: self.limit + 1].count()

    @property
    def count_is_capped(self) -> bool:
        """More rows than ``count`` match: show "10,000+"."""
        return self._known_count is None and self.count > self.limit

    @cached_property
    def num_pages(self) -> int:
        pages = super().num_pages
        if self.count_is_capped:
            return max(1, self.limit // self.per_page)
        return pages

    def validate_number(self, number):
        if number == "last":
            return self.num_pages
        return super().validate_number(number)


class MarkedPage:
    """A page read from a place in a listing's order (a keyset) rather than by number:
    past the rows a ``BoundedPaginator`` numbers, and the true last page, which a
    capped count cannot number. Its links name the first or last row shown
    (``?before=<id>``, ``?after=<id>``)."""

    number = None

    def __init__(self, rows: list, *, has_previous: bool, has_next: bool, status: str):
        self.object_list = rows
        self._previous, self._next = has_previous, has_next
        self.status = status

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def has_previous(self) -> bool:
        return self._previous

    def has_next(self) -> bool:
        return self._next

    def has_other_pages(self) -> bool:
        return self._previous or self._next

"""Counting requests for rate limits, in the database: one count per client and time
window, shared by every process and machine, never evicted by cached pages."""

from __future__ import annotations

import time

from django.db import IntegrityError, transaction
from django.db.models import F

from summit.models import RequestCount


def request_counted(key: str, period: int, *, now: float | None = None) -> tuple[int, float]:
    """Count one request of ``key`` in the current window of ``period`` seconds; return
    the window's count so far and the seconds until it ends."""
    now = time.time() if now is None else now
    window = int(now // period)
    ends = (window + 1) * period
    key = key[:200]
    rows = RequestCount.objects.filter(key=key, window=window)
    with transaction.atomic():
        if not rows.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RequestCount.objects.create(key=key, window=window, count=1, expires=ends)
            except IntegrityError:  # another process made it meanwhile
                rows.update(count=F("count") + 1)
            else:
                RequestCount.objects.filter(expires__lt=now).delete()  # windows gone by
        count = rows.values_list("count", flat=True).get()
    return count, ends - now

"""An article's annotations on the web as a W3C Web Annotation collection (JSON-LD),
built by the same code as ``manage.py export --format w3c``.

Served like the article page: from the page cache for readers who are not signed in,
and within the API's rate limit (``SUMMIT_API_RATE``). An article with more than
``PAGE_ITEMS`` annotations is paged as the Web Annotation Protocol describes: the
collection gives ``total``, ``first`` and ``last``; each ``?page=N`` is an
``AnnotationPage`` with its ``items``, ``partOf``, ``startIndex``, ``next`` and ``prev``.
So one request costs at most a page, however long the article.
"""

from __future__ import annotations

import json

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from summit.api.v1 import AddressRateThrottle
from summit.models import Article
from summit.pagecache import article_scope, cached_page
from summit.services.formats import (
    W3C_CONTEXT,
    W3C_MEDIA_TYPE,
    articles_for_export,
    w3c_annotations,
    w3c_collection,
    w3c_page_items,
    w3c_shown,
)

PAGE_ITEMS = 1000
_throttle = AddressRateThrottle()


@require_safe
def article_annotations(request, pk: int):
    if not _throttle.allow_request(request):
        response = JsonResponse({"detail": "Too many requests."}, status=429)
        response["Retry-After"] = str(int(_throttle.wait() or 0) + 1)
        return response
    page = request.GET.get("page")
    number = None
    if page is not None:
        if not (page.isascii() and page.isdigit() and len(page) <= 9):
            return JsonResponse({"detail": "Bad parameter: page (a number from 0)."}, status=400)
        number = int(page)
    return cached_page(
        request,
        "annotations",
        f"{pk}:{number}",
        lambda: _annotations(request, pk, number),
        content_type=W3C_MEDIA_TYPE,
        scopes=[article_scope(pk)],
    )


def _annotations(request, pk: int, page: int | None) -> HttpResponse:
    article = Article.objects.filter(pk=pk).only("pk", "title").first()
    if article is None:
        return JsonResponse({"detail": "No article with this id."}, status=404)
    source = request.build_absolute_uri(article.get_absolute_url())
    here = request.build_absolute_uri(request.path)
    total = sum(rows.count() for rows in w3c_shown(article))
    if page is None and total <= PAGE_ITEMS:
        whole = articles_for_export().filter(pk=pk).first()
        body = w3c_collection(w3c_annotations(whole, source), id=here, label=article.title)
    elif page is None:
        body = {
            "@context": W3C_CONTEXT,
            "id": here,
            "type": "AnnotationCollection",
            "label": article.title,
            "total": total,
            "first": f"{here}?page=0",
            "last": f"{here}?page={max(0, total - 1) // PAGE_ITEMS}",
        }
    else:
        start = page * PAGE_ITEMS
        if start >= total and page > 0:
            return JsonResponse({"detail": "No such page of annotations."}, status=404)
        body = {
            "@context": W3C_CONTEXT,
            "id": f"{here}?page={page}",
            "type": "AnnotationPage",
            "partOf": {"id": here, "total": total},
            "startIndex": start,
            **({"prev": f"{here}?page={page - 1}"} if page else {}),
            **({"next": f"{here}?page={page + 1}"} if start + PAGE_ITEMS < total else {}),
            "items": w3c_page_items(article, source, start, start + PAGE_ITEMS),
        }
    return HttpResponse(json.dumps(body, ensure_ascii=False), content_type=W3C_MEDIA_TYPE)

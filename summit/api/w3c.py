"""An article's annotations on the web as a W3C Web Annotation collection (JSON-LD),
built by the same code as ``manage.py export --format w3c``."""

from __future__ import annotations

import json

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from summit.services.formats import (
    W3C_MEDIA_TYPE,
    articles_for_export,
    w3c_annotations,
    w3c_collection,
)


@require_safe
def article_annotations(request, pk: int):
    article = articles_for_export().filter(pk=pk).first()
    if article is None:
        return JsonResponse({"detail": "No article with this id."}, status=404)
    items = w3c_annotations(article, source=request.build_absolute_uri(article.get_absolute_url()))
    collection = w3c_collection(items, id=request.build_absolute_uri(), label=article.title)
    return HttpResponse(json.dumps(collection, ensure_ascii=False), content_type=W3C_MEDIA_TYPE)

"""The site's addresses plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.urls import path

from summit.urls import urlpatterns as site_urls


def broken(request):
    raise RuntimeError("secret internals: /srv/summit/settings.py")


def forbidden(request):
    raise PermissionDenied("internal reason")


def bad(request):
    raise BadRequest("internal reason")


urlpatterns = [
    *site_urls,
    path("fail/500/", broken),
    path("fail/403/", forbidden),
    path("fail/400/", bad),
]

"""A URLconf for tests/test_links.py: the same names at other addresses."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("elsewhere/<int:pk>/", lambda request, pk: HttpResponse(), name="article")]

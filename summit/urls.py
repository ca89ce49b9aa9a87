from django.contrib import admin
from django.urls import path, re_path

from summit import views
from summit.api import w3c
from summit.api.v1 import api, no_such_address

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path(
        "articles/<int:pk>/annotations.jsonld",
        w3c.article_annotations,
        name="article-annotations",
    ),
    path("people/", views.speaker_list, name="speakers"),
    path("people/<slug:slug>/", views.speaker_detail, name="speaker"),
    path("people/<slug:slug>/card/", views.speaker_card, name="speaker-card"),
    path("quotes/", views.quote_list, name="quotes"),
    path("api/v1/", api.urls),
    re_path(r"^api/", no_such_address),
    path("quotes/<int:pk>/", views.quote_detail, name="quote"),
    path("admin/", admin.site.urls),
]

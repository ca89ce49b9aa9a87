from django.contrib import admin
from django.urls import path

from summit import views

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("people/", views.speaker_list, name="speakers"),
    path("people/<slug:slug>/", views.speaker_detail, name="speaker"),
    path("people/<slug:slug>/card/", views.speaker_card, name="speaker-card"),
    path("quotes/", views.quote_list, name="quotes"),
    path("admin/", admin.site.urls),
]

"""Reader views: thin; reads live in QuerySet methods."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from summit.models import Article, Quote, Speaker, prefetch_article_annotations


def home(request):
    articles = Article.objects.with_counts().newest_first()
    page = Paginator(articles, 25).get_page(request.GET.get("page"))
    return render(request, "summit/home.html", {"page": page})


def article_detail(request, pk):
    article = get_object_or_404(Article.objects.prefetch_related(*prefetch_article_annotations()), pk=pk)
    return render(request, "summit/article.html", {"article": article})


def speaker_list(request):
    page = Paginator(Speaker.objects.by_quotes(), 50).get_page(request.GET.get("page"))
    return render(request, "summit/speakers.html", {"page": page})


def speaker_detail(request, slug):
    speaker = get_object_or_404(Speaker, slug=slug)
    quotes = Quote.objects.shown().filter(speaker=speaker).for_listing().newest_first()
    page = Paginator(quotes, 25).get_page(request.GET.get("page"))
    return render(request, "summit/speaker.html", {"speaker": speaker, "page": page})


speaker_card = speaker_detail


def quote_list(request):
    quotes = Quote.objects.shown().for_listing().newest_first()
    page = Paginator(quotes, 50).get_page(request.GET.get("page"))
    return render(request, "summit/quotes.html", {"page": page})

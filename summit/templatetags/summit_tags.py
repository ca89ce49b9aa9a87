"""Small template helpers for the reader."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def admin_change_url(obj) -> str:
    """The admin change page of ``obj``, or "" when its model is not in the admin."""
    meta = obj._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""


@register.filter
def lead(article) -> str:
    """The first body paragraph prefetched by ``Article.objects.with_lead()``."""
    paragraphs = getattr(article, "lead_paragraphs", None) or []
    return paragraphs[0].text if paragraphs else ""


@register.filter
def quote_url(quote) -> str:
    """Where a quote stands: its article, at its paragraph's anchor (no extra query with
    ``Quote.objects.for_listing()``)."""
    return f"{quote.article.get_absolute_url()}#{quote.paragraph.anchor}"

"""Small template helpers for the reader."""

import re

from django import template
from django.template.defaultfilters import urlencode
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from summit import listing
from summit.admin_views import admin_url
from summit.links import link
from summit.nlp.types import shorten
from summit.rendering import quote_context, quote_trust, unnamed_source

register = template.Library()
register.filter("short_title", listing.short_title)


# A sentence ends at a stop (and any closing marks) followed by a space and a capital.
SENTENCE = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][”’\"')]))\s+(?=[“‘\"A-Z])")


@register.simple_tag
def admin_change_url(obj) -> str:
    """The admin change page of ``obj``, or "" when its model is not in the admin."""
    return admin_url(obj)


register.filter("quote_url", listing.quote_url)


@register.filter
def permalink(quote) -> str:
    """The quote's own page (``{% url 'quote' quote.pk %}``, a hundred times faster)."""
    return link("quote", quote.pk)


@register.filter
def in_context(quote):
    """The quote inside the sentence around it (``summit.rendering.quote_context``)."""
    return quote_context(quote)


@register.filter
def source_words(quote) -> str:
    """The words for a source the article never names ("experts"), or ""."""
    return unnamed_source(quote)


@register.filter
def trust(quote) -> str:
    """``verified``, ``named`` or ``uncertain``: how far to trust the quote's speaker."""
    return quote_trust(quote)


@register.simple_tag(takes_context=True)
def cite(context, quote) -> dict:
    """The quote's permalink (absolute) and its citation as plain text and HTML."""
    return listing.cite(quote, context.get("request"))


@register.simple_tag(takes_context=True)
def cite_link(context, quote):
    """The quote's "Cite" link (``summit.listing.cite_link``)."""
    return listing.cite_link(quote, context.get("request"))


@register.simple_tag
def trust_badge(quote, trust: str):
    """The badge "Verified" or "Speaker uncertain" for ``quote`` of ``trust`` (its ``|trust``)."""
    return listing.trust_badge(quote, trust)


@register.simple_tag
def elsewhere(quote):
    """The line "Also in N other articles: …" for a quote ``with_elsewhere`` loaded."""
    return listing.elsewhere_line(quote)


@register.simple_tag(takes_context=True)
def quote_items(context, quotes, show_speaker=True, show_article=True):
    """Each of ``quotes`` (``for_listing()``, ``with_elsewhere``) as a listing's
    ``<li>``, with an edit link where the page says ``can_edit_quotes``: rendered in
    Python (``summit.listing``), the template engine's cost a quote was most of a
    person's page."""
    page = listing.Listing(context.get("request"), can_edit=bool(context.get("can_edit_quotes")))
    return mark_safe(
        "".join(
            page.item(quote, show_speaker=show_speaker, show_article=show_article)
            for quote in quotes
        )
    )


@register.filter
def bdi(text):
    """``text`` (escaped unless already safe) as a bidi isolate, ``<bdi>``: a name,
    title or quote from an article, in right-to-left script or holding bidi controls,
    cannot reorder the words and numbers around it (the stylesheet isolates too)."""
    return format_html("<bdi>{}</bdi>", text)


SNIPPET_WORDS = 14  # words of context either side of the first match


@register.filter
def highlight(text: str, query: str):
    """``text`` escaped, cut to a snippet around the first match of ``query`` (or of any
    of its words), every match wrapped in ``<mark>``."""
    terms = [t for t in {query.strip(), *query.split()} if len(t) > 1]
    if not terms:
        return Truncator(" ".join(str(text).split())).words(SNIPPET_WORDS * 2)
    return _snippet(text, "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))


@register.filter
def highlight_words(text: str, words):
    """``text`` escaped, cut to a snippet around the first of ``words`` (whole words, any
    case: the words a search matched, see ``summit.results``), each one in ``<mark>``."""
    words = sorted({w for w in words if w}, key=len, reverse=True)
    if not words:
        return Truncator(" ".join(str(text).split())).words(SNIPPET_WORDS * 2)
    return _snippet(text, r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")


def _snippet(text, pattern: str):
    text = " ".join(str(text).split())
    pattern = re.compile(pattern, re.IGNORECASE)
    first = pattern.search(text)
    if first is None:
        return Truncator(text).words(SNIPPET_WORDS * 2)
    before = text[: first.start()].split(" ")
    start = max(0, len(before) - 1 - SNIPPET_WORDS)
    words = text.split(" ")
    snippet = " ".join(words[start : start + SNIPPET_WORDS * 2 + 1])
    lead = "… " if start > 0 else ""
    tail = " …" if start + SNIPPET_WORDS * 2 + 1 < len(words) else ""
    out, at = [], 0
    for match in pattern.finditer(snippet):
        out.append(escape(snippet[at : match.start()]))
        out.append(format_html("<mark>{}</mark>", match.group()))
        at = match.end()
    out.append(escape(snippet[at:]))
    return mark_safe(lead + "".join(str(p) for p in out) + tail)


@register.filter
def teaser(article) -> str:
    """One sentence to tease the article, from its opening paragraphs (prefetched by
    ``Article.objects.with_lead()``): the first sentence, or the second when the title
    was made from the first (an opinion piece known by its author was not)."""
    paragraphs = getattr(article, "lead_paragraphs", None) or []
    text = " ".join(" ".join(p.text for p in paragraphs).split())
    sentences = [s for s in SENTENCE.split(text) if s]
    if article.title_derived and sentences:
        words = " ".join(article.title.removesuffix("…").split())
        if sentences[0].startswith(words):
            sentences = sentences[1:]
    return Truncator(sentences[0]).words(40) if sentences else ""


# A filter's <option>s, made in one pass: a few hundred of them rendered through the
# template's loop were half of the quotes page's time.
_SELECTED = mark_safe(" selected")


@register.simple_tag
def speaker_options(speakers, chosen):
    """``<option>``s of speakers (value: slug; label: name and quote count)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{} ({})</option>',
        ((s.slug, _SELECTED if s.slug == chosen else "", s.name, s.quote_count) for s in speakers),
    )


@register.simple_tag
def named_organisation_items(organisations, search_url):
    """The people index's "Also named in the articles": a ``<li>`` for each of up to
    200 organisations (a link to a search for its name, its mentions and articles),
    made in one pass for the same reason as the options above."""
    return format_html_join(
        "",
        '<li><a href="{}?q={}"><bdi>{}</bdi></a> <span class="meta">{} mention{}{}</span></li>',
        (
            (
                search_url,
                urlencode(org["name"]),
                org["name"],
                org["mentions"],
                "" if org["mentions"] == 1 else "s",
                f" in {org['articles']} articles" if org["articles"] > 1 else "",
            )
            for org in organisations
        ),
    )


@register.simple_tag
def article_options(articles, chosen):
    """``<option>``s of articles (value: id; label: the title, cut at 60 characters)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((a.pk, _SELECTED if a.pk == chosen else "", shorten(a.title, 60)) for a in articles),
    )

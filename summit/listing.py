"""A quote as listings show it (a person's page, the quotes page), rendered in Python.

A person's page lists 25 quotes, each with its trust, its citation, its addresses and
"Also in N other articles: …" with outlets and dates. Through the template engine those
were some forty nodes, three includes and a dozen filters a quote: most of the page's
time (issue 25: 90-130 ms at 100,000 articles, of which 10-30 ms SQL), spread over the
engine's per-node cost rather than any one function. Here a ``Listing`` renders a
page's quotes: each piece one format string, each address filled into a pattern looked
up once (``summit.links.linker``), each date formatted once. The HTML is the
templates' (``tests/test_listing.py`` pins it); every text from an article or a person
is escaped (``summit.rendering.html``, ``format_html`` made cheaper).
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from django.utils import dateformat, translation
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from summit.admin_views import admin_url
from summit.links import link, linker
from summit.nlp.structure import TITLE_SLACK, derive_title
from summit.rendering import citation, html, quote_context, quote_trust, unnamed_source

EMPTY = SafeString("")


def short_title(title: str, words: int = 8) -> str:
    """A title short enough for a link in a list: whole when it is at most a few words
    over ``words``, else cut at a phrase boundary, never on a hanging word ("are",
    "the", "today"), with one clean "…" (``derive_title``'s rule)."""
    text = title.removesuffix("…")
    if len(text.split()) <= words + TITLE_SLACK:
        return title
    cut = derive_title(text, limit=words)
    return cut if cut.endswith("…") else cut + "…"  # its first sentence of several


@lru_cache(maxsize=4096)
def _time(day: datetime.date, shown: str, language: str | None) -> SafeString:
    iso, text = dateformat.format(day, "Y-m-d"), dateformat.format(day, shown)
    return html('<time datetime="{}">{}</time>', iso, text)


def time_tag(day: datetime.date, shown: str = "j M Y", language: str | None = None) -> SafeString:
    """``<time datetime="2026-03-04">4 Mar 2026</time>``: ``day`` as the ``date`` filter
    formats it with ``shown`` (in ``language``, by default the active one),
    machine-readable in ``datetime``. A page of quotes shows a few dozen distinct days:
    each is formatted once."""
    return _time(day, shown, language or translation.get_language())


def quote_url(quote) -> str:
    """Where a quote stands: its article, at its paragraph's anchor (no extra query with
    ``Quote.objects.for_listing()``)."""
    return f"{quote.article.get_absolute_url()}#{quote.paragraph.anchor}"


def cite(quote, request=None) -> dict:
    """The quote's permalink (absolute when there is a ``request``) and its citation
    as plain text and HTML."""
    path = link("quote", quote.pk)
    permalink = request.build_absolute_uri(path) if request is not None else path
    plain, html = citation(quote, permalink)
    return {"path": path, "permalink": permalink, "text": plain, "html": html}


def _cite_link(c: dict) -> SafeString:
    return html(
        '<a class="cite-link" href="{}#cite" data-cite-text="{}" data-cite-html="{}">'
        'Cite<span class="visually-hidden"> this quote</span></a>',
        c["path"],
        c["text"],
        escape(c["html"]),  # the HTML as text in the attribute, as ``force_escape``
    )


def cite_link(quote, request=None) -> SafeString:
    """The "Cite" link: to the permalink's citation, carrying the citation for the
    script that copies it."""
    return _cite_link(cite(quote, request))


def trust_badge(quote, trust: str) -> SafeString:
    """The trust badge: "Verified" or "Speaker uncertain" (with why), or nothing for
    the machine's usual word; ``trust`` is ``quote_trust(quote)``."""
    if trust == "verified":
        return SafeString('<span class="trust trust--verified">Verified</span>')
    if trust != "uncertain":
        return EMPTY
    if quote.speaker_id or quote.confidence is not None:
        why = "The rule that found the speaker is often wrong"
    else:
        why = "No source was found for this quote"
    return html('<span class="trust trust--uncertain" title="{}">Speaker uncertain</span>', why)


def elsewhere_line(quote) -> SafeString:
    """The line "Also in N other articles: …" of one quote (``Listing.elsewhere``)."""
    return Listing().elsewhere(quote)


def _plural(n: int) -> str:
    return "" if n == 1 else "s"


class Listing:
    """A page's quotes as listing items, for one request: what every quote needs (the
    address patterns, the site's origin, the language) is looked up once.
    ``can_edit``: each quote links to its admin page."""

    def __init__(self, request=None, *, can_edit: bool = False):
        self.can_edit = can_edit
        self.language = translation.get_language()
        # The origin of absolute addresses: ``request.build_absolute_uri`` of a path.
        self.origin = request.build_absolute_uri("/")[:-1] if request is not None else ""
        self.article_url = linker("article")
        self.quote_url = linker("quote")
        self.speaker_url = linker("speaker")

    def time(self, day: datetime.date) -> SafeString:
        return time_tag(day, "j M Y", self.language)

    def elsewhere(self, quote) -> SafeString:
        """The line "Also in N other articles: Outlet 4 Mar 2026; …; and M more." for a
        quote whose quotation other articles carry too (``with_elsewhere``), linking to
        its permalink's full list and to each telling; nothing for a quote told once."""
        count = getattr(quote, "elsewhere_count", 0)
        if not count:
            return EMPTY
        head = html(
            'Also in <a href="{}#elsewhere">{} other article{}</a>',
            self.quote_url(quote.pk),
            count,
            _plural(count),
        )
        if not quote.elsewhere:
            return html('<p class="quote-item__elsewhere">{}.</p>', head)
        tellings = []
        for other in quote.elsewhere:
            article = other.article
            tellings.append(
                html(
                    '<a href="{}#q{}"><bdi>{}</bdi></a>{}',
                    self.article_url(article.pk),
                    other.pk,
                    article.outlet or Truncator(article.title).words(8, truncate=" …"),
                    SafeString(" " + self.time(article.published)) if article.published else "",
                )
            )
        more = quote.elsewhere_more
        return html(
            '<p class="quote-item__elsewhere">{}: {}{}.</p>',
            head,
            SafeString("; ".join(tellings)),
            html("; and {} more", more) if more else "",
        )

    def _speaker(self, quote) -> SafeString:
        if quote.speaker_id:
            return html(
                '<a class="quote-item__speaker" href="{}"><bdi>{}</bdi></a>',
                self.speaker_url(quote.speaker.slug),
                quote.speaker.name,
            )
        words = unnamed_source(quote)
        if words:
            return html(
                '<span class="quote-item__speaker quote-item__speaker--unnamed">'
                "Unnamed source: <bdi>{}</bdi></span>",
                words,
            )
        return SafeString('<span class="quote-item__speaker">Unattributed</span>')

    def _article(self, article) -> SafeString:
        return html(
            '<a class="quote-item__article" href="{}"><bdi>{}</bdi></a>{}{}',
            self.article_url(article.pk),
            short_title(article.title, 14),
            html("<span><bdi>{}</bdi></span>", article.outlet) if article.outlet else "",
            self.time(article.published) if article.published else "",
        )

    def item(self, quote, *, show_speaker: bool = True, show_article: bool = True) -> SafeString:
        """One quote, an ``<li class="quote-item">``: the quote in its sentence; its
        speaker (``show_speaker``), trust, kind and article (``show_article``); links
        to its paragraph, its permalink, its citation and (``can_edit``) its admin
        page; then where else it was told. The quote is loaded by
        ``Quote.objects.for_listing()``, its tellings by ``with_elsewhere``."""
        trust = quote_trust(quote)
        at = f"{self.article_url(quote.article_id)}#{quote.paragraph.anchor}"
        number = quote.paragraph.index + 1
        path = self.quote_url(quote.pk)
        plain, cited = citation(quote, self.origin + path)
        meta = [
            self._speaker(quote) if show_speaker else EMPTY,
            trust_badge(quote, trust),
            html('<span class="badge badge--{}">{}</span>', quote.kind, quote.get_kind_display()),
            self._article(quote.article) if show_article else EMPTY,
            html(
                '<a class="quote-item__link" href="{}" aria-label="Read it in the article, '
                'paragraph {}">¶{}</a>',
                at,
                number,
                number,
            ),
            html('<a class="quote-item__permalink" href="{}">Permalink</a>', path),
            _cite_link({"path": path, "text": plain, "html": cited}),
        ]
        if self.can_edit and (edit := admin_url(quote)):
            meta.append(html('<a class="edit-link" href="{}">edit</a>', edit))
        return html(
            '<li class="quote-item" data-trust="{}">\n'
            '  <blockquote class="ctx quote-item__text" cite="{}"><p>{}</p></blockquote>\n'
            '  <p class="quote-item__meta">\n    {}\n  </p>\n'
            "  {}\n</li>\n",
            trust,
            at,
            quote_context(quote),
            SafeString("\n    ".join(piece for piece in meta if piece)),  # each one safe
            self.elsewhere(quote),
        )

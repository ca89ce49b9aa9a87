"""A quote in a listing (``summit.listing``): what a reader of a person's page and of the
quotes page sees of each quote, made in Python instead of the template engine."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest

from summit.models import Status

pytestmark = pytest.mark.django_db

WORDS = "The bridge will open before the first snow and the ferry will stop for good"


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def _items(html: str) -> list[str]:
    return re.findall(r'<li class="quote-item".*?</li>', html, flags=re.S)


@pytest.fixture
def told_thrice(make):
    """One quotation told by three articles; the newest has neither outlet nor date
    problems, the oldest has no outlet (it is named by its title)."""
    roe = make.speaker("Jane Roe")
    tellings = []
    for day, outlet, title in (
        (2, "", "A very long headline about a bridge that will open before the snow falls"),
        (4, "Harbour Daily", "Harbour story"),
        (6, "Upland Weekly", "Upland story"),
    ):
        article = make.article(
            f"“{WORDS},” Jane Roe said.",
            title=title,
            outlet=outlet,
            published=datetime.date(2026, 3, day),
        )
        tellings.append(make.quote(article, WORDS, roe))
    return roe, tellings


def test_each_quote_links_its_paragraph_permalink_and_citation_for_a_reader(client, told_thrice):
    roe, (first, second, third) = told_thrice
    html = client.get(roe.get_absolute_url()).content.decode()
    (item,) = _items(html)
    article = third.article.get_absolute_url()
    assert f'<blockquote class="ctx quote-item__text" cite="{article}#p1">' in item
    assert (
        f'<a class="quote-item__link" href="{article}#p1" '
        'aria-label="Read it in the article, paragraph 1">¶1</a>'
    ) in item
    assert f'<a class="quote-item__permalink" href="/quotes/{third.pk}/">Permalink</a>' in item
    assert f'<a class="cite-link" href="/quotes/{third.pk}/#cite"' in item
    assert '<span class="badge badge--direct">Direct</span>' in item
    # Where else it was told, earliest first, each linked where it stands, dated.
    assert _text(item).endswith(
        "Also in 2 other articles: A very long headline about a bridge that … 2 Mar 2026; "
        "Harbour Daily 4 Mar 2026."
    )
    assert f'href="{first.article.get_absolute_url()}#q{first.pk}"' in item
    assert '<time datetime="2026-03-04">4 Mar 2026</time>' in item


def test_the_quotes_page_names_each_quotes_speaker_article_outlet_and_day(client, told_thrice):
    roe, tellings = told_thrice
    html = client.get("/quotes/").content.decode()
    (item,) = _items(html)
    speaker = f'<a class="quote-item__speaker" href="/people/{roe.slug}/"><bdi>Jane Roe</bdi></a>'
    assert speaker in item
    assert (
        f'<a class="quote-item__article" href="/articles/{tellings[2].article_id}/">'
        "<bdi>Upland story</bdi></a><span><bdi>Upland Weekly</bdi></span>"
        '<time datetime="2026-03-06">6 Mar 2026</time>'
    ) in item


def test_what_articles_and_people_bring_is_escaped_in_every_part_of_a_quote(client, make):
    """A speaker's name, a title, an outlet and the quote's words are text, never markup:
    in the item, its "also in" line and the citation it carries."""
    roe = make.speaker("Jo <b>Roe</b>")
    for day, outlet in ((2, "<script>alert(1)</script>"), (5, 'Daily "Quote" & Co')):
        article = make.article(
            f"“{WORDS} <i>now</i>,” Jo said.",
            title="<img src=x onerror=alert(1)> story",
            outlet=outlet,
            published=datetime.date(2026, 3, day),
        )
        make.quote(article, f"{WORDS} <i>now</i>", roe)
    for url in (roe.get_absolute_url(), "/quotes/"):
        html = client.get(url).content.decode()
        (item,) = _items(html)
        for tag in ("<script>", "<b>", "<i>", "<img"):
            assert tag not in item
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in item  # the first telling's outlet
        assert "&lt;i&gt;now&lt;/i&gt;" in item
        # The citation's HTML is carried as text in an attribute: escaped twice.
        cite_html = re.search(r'data-cite-html="([^"]*)"', item).group(1)
        assert "&lt;bdi&gt;Jo &amp;lt;b&amp;gt;Roe&amp;lt;/b&amp;gt;&lt;/bdi&gt;" in cite_html
    quotes = client.get("/quotes/").content.decode()
    assert "<bdi>Jo &lt;b&gt;Roe&lt;/b&gt;</bdi>" in quotes
    assert "<bdi>Daily &quot;Quote&quot; &amp; Co</bdi>" in quotes


def test_a_quote_without_a_source_says_so_and_why_it_is_uncertain(client, make):
    article = make.article("“The tide turns at noon,” someone said. Experts “expect rain.”")
    make.quote(article, "The tide turns at noon,")
    make.quote(article, "expect rain.", speaker_text="Experts", confidence=0.9)
    html = client.get("/quotes/").content.decode()
    unattributed, experts = sorted(_items(html), key=lambda item: "tide" not in item)
    assert '<span class="quote-item__speaker">Unattributed</span>' in unattributed
    assert (
        '<span class="trust trust--uncertain" title="No source was found for this quote">'
        "Speaker uncertain</span>"
    ) in unattributed
    assert 'data-trust="uncertain"' in unattributed
    assert (
        '<span class="quote-item__speaker quote-item__speaker--unnamed">'
        "Unnamed source: <bdi>Experts</bdi></span>"
    ) in experts
    assert "trust--uncertain" not in experts


def test_a_verified_quote_says_so_and_only_editors_see_an_edit_link(client, ed_client, make):
    roe = make.speaker("Jane Roe")
    article = make.article(f"“{WORDS},” Jane Roe said.")
    quote = make.quote(article, WORDS, roe, status=Status.VERIFIED)
    edit = f'<a class="edit-link" href="/admin/summit/quote/{quote.pk}/change/">edit</a>'
    html = ed_client.get(roe.get_absolute_url()).content.decode()
    (item,) = _items(html)
    assert '<span class="trust trust--verified">Verified</span>' in item
    assert edit in item
    ed_client.logout()
    (item,) = _items(client.get(roe.get_absolute_url()).content.decode())
    assert "trust--verified" in item
    assert "edit-link" not in item

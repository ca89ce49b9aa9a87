"""The reader's pages: full and HTMX renders, pagination, filters, search, escaping,
query counts, and the edit links editors (only) see."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from summit.models import Article, Paragraph, Quote, Speaker

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


@pytest.fixture
def seeded(seeds):
    """The two seed articles, ingested through the real pipeline (``seeds``)."""
    return {
        "news": Article.objects.get(source_file__startswith="000_"),
        "opinion": Article.objects.get(source_file__startswith="002_"),
        "pinkston": Speaker.objects.get(name="Dan Pinkston"),
        "moon": Speaker.objects.get(name="Moon Jae-in"),
    }


def directives(policy: str) -> dict[str, str]:
    """A Content-Security-Policy header as directive → sources (their order is free)."""
    return dict(d.strip().split(" ", 1) for d in policy.split(";"))


def count_queries(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def is_full_page(html: str) -> bool:
    return html.lstrip().lower().startswith("<!doctype html>")


def sized_article(make, n: int) -> Article:
    """An article of ``n`` paragraphs, each with a person, a quote and a claim."""
    speakers = [make.speaker(f"Speaker {i} of {n}") for i in range(3)]
    texts = [f"“Words number {i} here,” said Person{i} about Place{i}." for i in range(n)]
    article = make.article(*texts)
    for i in range(n):
        speaker = speakers[i % 3]
        make.quote(article, f"Words number {i} here,", speaker, paragraph=i)
        make.mention(article, f"Person{i}", "PERSON", speaker, paragraph=i)
        make.mention(article, f"Place{i}", "GPE", paragraph=i)
        make.claim(article, f"about Place{i}", paragraph=i)
    return article


def editor_with(*codenames: str) -> User:
    user = User.objects.create_user("ed", password="pw", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


# Home -------------------------------------------------------------------------------------


def test_home_lists_articles_with_counts(client, seeded):
    html = client.get(reverse("home")).content.decode()
    assert is_full_page(html)
    news = seeded["news"]
    assert news.title in html
    assert seeded["opinion"].title in html
    quotes = Quote.objects.shown().filter(article=news)
    people = len(set(quotes.exclude(speaker=None).values_list("speaker", flat=True)))
    item = html.split(news.title)[-1].split('class="article-item"')[0]
    assert f"<strong>{quotes.count()}</strong> quotes" in item
    assert f"<strong>{people}</strong> people quoted" in item
    for landmark in ("<header", "<nav", '<main id="main"', "<footer", 'class="skip-link"'):
        assert landmark in html


def test_home_says_no_0_people_quoted_of_an_article_quoting_only_unnamed_sources(client, seeded):
    html = client.get(reverse("home")).content.decode()
    opinion = seeded["opinion"]
    assert Quote.objects.shown().filter(article=opinion, speaker=None).exists()
    assert not Quote.objects.shown().filter(article=opinion).exclude(speaker=None).exists()
    item = html.split(opinion.title)[-1].split('class="article-item"')[0]
    assert "people quoted" not in item
    assert "quote" in item


def test_home_is_newest_first_with_byline_outlet_and_date(client, make):
    make.article("Old text.", title="Older story", published="2019-01-02", outlet="Old Times")
    make.article(
        "New text.",
        title="Newer story",
        published="2019-02-27",
        byline="Jo Doe",
        outlet="Asia Times",
    )
    make.article("Undated text.", title="Undated story")
    html = client.get(reverse("home")).content.decode()
    assert html.index("Newer story") < html.index("Older story") < html.index("Undated story")
    assert "Asia Times" in html
    assert "Jo Doe" in html
    assert "27 February 2019" in html
    assert "New text." in html  # the lead as a teaser


def test_home_search_plain_get_renders_the_full_page(client, seeded):
    html = client.get(reverse("home"), {"q": "Pinkston"}).content.decode()
    assert is_full_page(html)
    assert seeded["news"].title in html
    assert seeded["opinion"].title not in html
    assert 'value="Pinkston"' in html


def test_home_search_with_htmx_renders_only_the_results(client, seeded):
    html = client.get(reverse("home"), {"q": "rapprochement"}, **HX).content.decode()
    assert not is_full_page(html)
    assert "<header" not in html.split("<article")[0]
    assert seeded["opinion"].title in html
    assert seeded["news"].title not in html
    assert "1 article matches “rapprochement”" in html


def test_htmx_history_restore_gets_the_full_page_and_responses_vary(client, seeded):
    restore = {**HX, "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}
    response = client.get(reverse("home"), {"q": "Pinkston"}, **restore)
    assert is_full_page(response.content.decode())
    assert "HX-Request" in response.headers["Vary"]


def test_home_search_form_is_wired_for_htmx_and_plain_get(client, seeded):
    html = client.get(reverse("home")).content.decode()
    assert 'hx-trigger="input changed delay:300ms, search"' in html
    assert 'hx-push-url="true"' in html
    assert 'hx-target="#results"' in html
    assert re.search(r'<form[^>]+method="get"[^>]+action="/"', html)


def test_home_search_finds_nothing_politely(client, seeded):
    html = client.get(reverse("home"), {"q": "zebra crossing"}).content.decode()
    results = html.split('id="results"')[1].split("</main>")[0]
    assert "Nothing matches “zebra crossing”" in results
    assert results.count('class="empty"') == 1, "one empty-state message, not two"
    assert "results__summary" not in results


def test_home_paginates(client, make):
    for i in range(25):
        make.article(f"Body {i}.", title=f"Story {i:02d}")
    first = client.get(reverse("home")).content.decode()
    second = client.get(reverse("home"), {"page": 2}).content.decode()
    assert "Page 1 of 2" in first
    assert 'rel="next" href="?page=2"' in first
    assert first.count('class="article-item"') == 20
    assert second.count('class="article-item"') == 5


def test_home_pagination_keeps_the_search(client, make):
    for i in range(25):
        make.article(f"Body about summits {i}.", title=f"Summit story {i:02d}")
    html = client.get(reverse("home"), {"q": "summits"}, **HX).content.decode()
    assert 'href="?q=summits&amp;page=2"' in html


# Article page ------------------------------------------------------------------------------


def test_article_page_marks_paragraphs_quotes_people_and_claims(client, seeded):
    news = seeded["news"]
    html = client.get(news.get_absolute_url()).content.decode()
    assert is_full_page(html)
    count = news.paragraphs.count()
    for n in (1, count):
        assert f'id="p{n}"' in html
    for quote in Quote.objects.shown().filter(article=news):
        assert html.count(f'id="q{quote.pk}"') == 1
    pinkston = seeded["pinkston"]
    card = reverse("speaker-card", args=[pinkston.slug])
    # A name with a page is a real link that opens the card in place: the target and swap
    # are set once, on the story, and inherited by every mark.
    assert f'href="{pinkston.get_absolute_url()}" hx-get="{card}"' in html
    assert html.count('hx-target="#card"') == 1
    assert '<article class="story" aria-labelledby="story-title" hx-target="#card"' in html
    assert 'class="m m-ent m-ent--person m-ent--first"' in html
    assert 'class="m m-ent m-ent--person"' in html
    assert re.search(r'class="m m-quote m-quote--direct m-quote--(machine|uncertain)"', html)
    assert '<mark class="m m-claim' in html
    assert '<div id="card"' in html  # the panel the card opens in


def test_article_page_shows_structure_as_such(client, seeded):
    news = client.get(seeded["news"].get_absolute_url()).content.decode()
    assert re.search(r'<h2 id="p\d+" class="para para--heading">.*Analysts downbeat', news)
    # Captions of photos the text does not carry are left out; their anchors stay.
    assert re.search(r'<span id="p\d+" class="para-anchor"></span>', news)
    assert "Yomiuri Shimbun" not in news
    opinion = client.get(seeded["opinion"].get_absolute_url()).content.decode()
    # The byline shows once, in the header, not again as the first paragraph.
    # and leads to the author's page.
    assert re.search(
        r'<span class="story__byline">By <a href="/people/john-burton/" rel="author">'
        r"<bdi>John Burton</bdi></a></span>",
        opinion,
    )
    assert "para--byline" not in opinion
    assert re.search(r'class="para para--bio">.*About the author', opinion)
    assert "badge--opinion" in opinion


def test_article_page_has_a_legend_for_labels_used(client, seeded):
    html = client.get(seeded["news"].get_absolute_url()).content.decode()
    legend = html.split('class="legend__names"')[1].split("</div>")[0]
    assert "m-ent--person" in legend
    assert "Person" in legend
    assert "m-ent--money" not in legend


def test_hostile_article_text_is_escaped(client, make):
    text = 'Kim said <script>alert("pwned")</script> and <img src=x onerror=alert(1)> too.'
    article = make.article(text, title="<b>Bold</b> title")
    kim = make.speaker("Kim <i>Jong</i> Un")
    make.mention(article, "Kim", "PERSON", kim)
    make.quote(article, '<script>alert("pwned")</script>', kim)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in html
    assert "Kim &lt;i&gt;Jong&lt;/i&gt; Un" in html
    search = client.get(reverse("home"), {"q": "pwned"}).content.decode()
    assert "<script>alert" not in search


def test_multi_paragraph_quote_has_a_segment_in_each_paragraph(client, make):
    article = make.article("He said: “First part.", "Middle part.", "Last part,” he said.")
    speaker = make.speaker("Long Talker")
    paragraphs = list(article.paragraphs.order_by("index"))
    quote = Quote.objects.create(
        article=article,
        paragraph=paragraphs[0],
        end_paragraph=paragraphs[2],
        start=paragraphs[0].text.index("First"),
        end=len("Last part,"),
        text="First part.\n\nMiddle part.\n\nLast part,",
        speaker=speaker,
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count(f'id="q{quote.pk}"') == 1
    body = html.split('class="story__body"')[1].split('<aside class="rail"')[0]
    assert body.count("m-quote--direct") == 3
    assert html.count('class="q-cite"') == 1
    last = html.split('id="p3"')[1].split("</p>")[0]
    assert "Last part,”</q>" in last
    assert "Long Talker" in last


def test_rejected_quotes_are_not_shown(client, make):
    article = make.article("“Wrong,” he said. “Right,” she said.")
    wrong = make.quote(article, "Wrong,", status="rejected")
    right = make.quote(article, "Right,")
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'id="q{wrong.pk}"' not in html
    assert f'id="q{right.pk}"' in html


def test_layers_from_the_query_string_without_js(client, seeded):
    url = seeded["news"].get_absolute_url()
    html = client.get(url, {"layers": "1", "show": "quotes"}).content.decode()
    reader = re.search(r'<div class="([^"]*)" id="reader"', html).group(1)
    assert "hide-entities" in reader
    assert "hide-claims" in reader
    assert "hide-quotes" not in reader
    assert 'data-layers-explicit="true"' in html
    assert re.search(r'value="quotes" data-layer="quotes"[^>]*checked', html)
    assert not re.search(r'value="entities" data-layer="entities"[^>]*checked', html)
    plain = client.get(url).content.decode()
    # By default every layer shows but the repeated names (calm text).
    assert 'class="wrap article-layout hide-repeats" id="reader"' in plain


def test_article_404(client, db):
    assert client.get(reverse("article", args=[999])).status_code == 404


def test_article_page_query_count_does_not_grow(client, make):
    small = sized_article(make, 2)
    large = sized_article(make, 40)
    assert Quote.objects.filter(article=large).count() == 40
    n_small = count_queries(client, small.get_absolute_url())
    n_large = count_queries(client, large.get_absolute_url())
    # The content version (summit.pagecache), then the article, paragraphs, mentions,
    # quotes, claims, retired quotes and the other outlets' copies; once cached, the
    # version alone.
    assert n_small == n_large == 8
    assert count_queries(client, large.get_absolute_url()) == 1


# Person card, person page, people index ------------------------------------------------------


def test_speaker_card_with_htmx_is_the_partial(client, seeded):
    pinkston = seeded["pinkston"]
    html = client.get(reverse("speaker-card", args=[pinkston.slug]), **HX).content.decode()
    assert not is_full_page(html)
    assert html.lstrip().startswith('<section class="card"')
    assert "Dan Pinkston" in html
    assert "Troy University" in html
    shown = Quote.objects.shown().filter(speaker=pinkston).count()
    assert f"<strong>{shown}</strong> quote" in html
    assert html.count('class="card__quote card__quote--') == min(shown, 3)
    assert f'href="{pinkston.get_absolute_url()}"' in html
    assert "data-card-close" in html


def test_speaker_card_without_htmx_is_a_page(client, seeded):
    pinkston = seeded["pinkston"]
    html = client.get(reverse("speaker-card", args=[pinkston.slug])).content.decode()
    assert is_full_page(html)
    assert "Dan Pinkston" in html


def test_person_page_groups_quotes_by_article_linking_to_paragraphs(client, seeded):
    pinkston = seeded["pinkston"]
    html = client.get(pinkston.get_absolute_url()).content.decode()
    assert is_full_page(html)
    assert "<h1><bdi>Dan Pinkston</bdi></h1>" in html
    for quote in Quote.objects.shown().filter(speaker=pinkston):
        assert f'href="{quote.article.get_absolute_url()}#p{quote.paragraph.index + 1}"' in html
    assert html.count('class="quote-group__title"') == 1
    assert seeded["news"].title in html


def test_person_page_lists_articles_where_only_mentioned(client, seeded):
    moon = seeded["moon"]
    html = client.get(moon.get_absolute_url()).content.decode()
    assert seeded["news"].title in html
    assert "Also mentioned in" in html
    mentioned = html.split("Also mentioned in")[1]
    assert seeded["opinion"].title in mentioned


def test_person_page_more_button_and_htmx_next_page(client, make):
    speaker = make.speaker("Prolific Speaker")
    older = make.article(*[f"“Old quote {i},” she said." for i in range(20)], title="Older")
    newer = make.article(*[f"“New quote {i},” she said." for i in range(20)], title="Newer")
    Article.objects.filter(pk=older.pk).update(published="2019-01-01")
    Article.objects.filter(pk=newer.pk).update(published="2019-02-01")
    for article, word in ((older, "Old"), (newer, "New")):
        for i in range(20):
            make.quote(article, f"{word} quote {i},", speaker, paragraph=i)
    url = speaker.get_absolute_url()
    first = client.get(url).content.decode()
    assert first.count('class="quote-item"') == 25
    assert first.index(">Newer</bdi></a>") < first.index(">Older</bdi></a>")
    assert 'class="button more" href="?page=2"' in first
    assert 'hx-get="?page=2"' in first
    assert 'hx-swap="outerHTML"' in first
    assert 'hx-target="this"' in first
    second = client.get(url, {"page": 2}, **HX).content.decode()
    assert not is_full_page(second)
    assert second.count('class="quote-item"') == 15
    assert ">Older</bdi></a>" not in second, "the article the first page ended in is not repeated"
    assert "more" not in re.findall(r'class="([^"]*)"', second)[-1]
    full_second = client.get(url, {"page": 2}).content.decode()
    assert is_full_page(full_second)
    assert "Previous quotes" in full_second
    counts = []
    for page in (1, 2):
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            client.get(url, {"page": page})
        counts.append(len(ctx))
    assert counts[1] == counts[0], "the article before a page is read with the page"


def test_people_index_sorted_by_quotes_and_filtered_by_kind(client, make):
    article = make.article("“A,” said One. “B,” said Two. “C,” said Two. Org said “D.”")
    one, two = make.speaker("One"), make.speaker("Two")
    org = make.speaker("Some Org", kind="organisation")
    make.quote(article, "A,", one)
    make.quote(article, "B,", two)
    make.quote(article, "C,", two)
    make.quote(article, "D.", org)
    html = client.get(reverse("speakers")).content.decode()
    assert html.index(">Two</bdi></a>") < html.index(">One</bdi></a>")
    people = client.get(reverse("speakers"), {"kind": "person"}).content.decode()
    assert ">Some Org</bdi></a>" not in people
    assert ">Two</bdi></a>" in people
    orgs = client.get(reverse("speakers"), {"kind": "organisation"}).content.decode()
    assert ">Some Org</bdi></a>" in orgs
    assert ">Two</bdi></a>" not in orgs
    partial = client.get(reverse("speakers"), **HX).content.decode()
    assert not is_full_page(partial)
    assert ">Two</bdi></a>" in partial


def test_people_index_paginates(client, make):
    for i in range(45):
        make.speaker(f"Person {i:02d}", quote_count=1)
    html = client.get(reverse("speakers")).content.decode()
    assert html.count('class="person-tile"') == 40
    assert "Page 1 of 2" in html
    html = client.get(reverse("speakers"), {"page": 2}).content.decode()
    assert html.count('class="person-tile"') == 5
    html = client.get(reverse("speakers"), {"page": "last"}).content.decode()
    assert "Page 2 of 2" in html
    assert html.count('class="person-tile"') == 5


def _people_walk(client, url, rel):
    """The names on each page from ``url`` on, following the pager's ``rel`` links."""
    pages, queries, htmls = [], [], []
    while url:
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(url).content.decode()
        queries.append(len(ctx))
        htmls.append(html)
        names = r'class="person-tile__name"><a href="[^"]+"><bdi>([^<]+)</bdi>'
        pages.append(re.findall(names, html))
        link = re.search(rf'rel="{rel}" href="([^"]+)"', html)
        url = reverse("speakers") + link.group(1).replace("&amp;", "&") if link else None
    return pages, queries, htmls


@pytest.fixture
def many_people(make, monkeypatch):
    """130 listed people (ties of counts, names not quoted but named in two articles),
    more than the 80 the index numbers here; and some it does not list."""
    monkeypatch.setattr("summit.views.SPEAKERS_NUMBERED", 80)
    for i in range(130):
        quotes = [9, 5, 5, 5, 2, 1, 0][i % 7]
        make.speaker(f"Person {i:03d}", quote_count=quotes, article_count=0 if quotes else 2)
    for i in range(10):
        make.speaker(f"Unlisted {i}", quote_count=0, article_count=1)
    return [s.name for s in Speaker.objects.listed().by_quotes()]


def test_people_index_pages_past_the_numbered_ones_from_a_place_in_the_order(client, many_people):
    pages, queries, htmls = _people_walk(client, reverse("speakers"), "next")
    assert [name for page in pages for name in page] == many_people
    assert [len(page) for page in pages] == [40, 40, 40, 10]
    # a page read from a place costs the same wherever the place is
    assert queries[2] == queries[3]
    assert "Page 2 of more than 2" in htmls[1]
    statuses = [re.search(r'pager__status">([^<]+)', h).group(1) for h in htmls]
    assert statuses == [
        "Page 1 of more than 2",
        "Page 2 of more than 2",
        "Quoted 2 to 0 times",  # where a page past the numbered ones stands
        "Named, not quoted",
    ]
    assert 'rel="next"' not in htmls[3]


def test_people_index_last_page_is_the_end_of_the_list_and_leads_back(client, many_people):
    """Not the first page (Django's paginator), nor the last one a capped count numbers."""
    pages, queries, htmls = _people_walk(client, reverse("speakers") + "?page=last", "prev")
    assert pages[0] == many_people[-40:]
    assert '<span class="pager__status">Last page</span>' in htmls[0]
    assert 'rel="next"' not in htmls[0]
    # back at the start: the numbered first page (which may repeat a few of the next)
    assert pages[-1] == many_people[:40]
    assert "Page 1 of more than 2" in htmls[-1]
    walked = [name for page in reversed(pages) for name in page]
    assert list(dict.fromkeys(walked)) == many_people
    assert queries[1] == queries[2]


def test_the_last_page_of_a_capped_count_is_the_last_one_reached(make):
    from summit.models import Speaker
    from summit.pagination import BoundedPaginator

    for i in range(12):
        make.speaker(f"Person {i:02d}", quote_count=1)
    paginator = BoundedPaginator(Speaker.objects.order_by("pk"), 2, limit=6)
    assert paginator.count_is_capped
    assert paginator.get_page("last").number == 3


# Quotes page -----------------------------------------------------------------------------------


def test_quotes_page_filters_and_search(client, seeded):
    pinkston, news = seeded["pinkston"], seeded["news"]
    all_quotes = Quote.objects.shown().count()
    html = client.get(reverse("quotes")).content.decode()
    assert is_full_page(html)
    assert f"{all_quotes} quotes" in html or all_quotes > 25
    only = client.get(reverse("quotes"), {"speaker": pinkston.slug}).content.decode()
    n = Quote.objects.shown().filter(speaker=pinkston).count()
    assert only.count('class="quote-item"') == n
    assert f'<option value="{pinkston.slug}" selected>' in only
    partial = client.get(reverse("quotes"), {"kind": "partial"}, **HX).content.decode()
    assert not is_full_page(partial)
    kinds = set(re.findall(r"badge--(direct|partial|indirect)", partial))
    assert kinds <= {"partial"}
    found = client.get(reverse("quotes"), {"q": "reinvent the wheel"}).content.decode()
    assert found.count('class="quote-item"') == 1
    assert "Dan Pinkston" in found
    by_article = client.get(reverse("quotes"), {"article": news.pk}).content.decode()
    assert seeded["opinion"].title not in by_article.split('id="results"')[1]
    nonsense = client.get(reverse("quotes"), {"article": "x", "kind": "zzz"})
    assert nonsense.status_code == 200


def test_quotes_page_paginates(client, make):
    article = make.article(*[f"“Quote {i},” he said." for i in range(30)])
    for i in range(30):
        make.quote(article, f"Quote {i},", paragraph=i)
    html = client.get(reverse("quotes")).content.decode()
    assert html.count('class="quote-item"') == 25
    assert "Page 1 of 2" in html
    html = client.get(reverse("quotes"), {"page": 2}).content.decode()
    assert html.count('class="quote-item"') == 5


def test_quotes_pages_follow_the_newest_articles_each_quote_once(client, make):
    import datetime

    made = []
    for day in (3, 1, 4, 2):  # stored out of order
        article = make.article(
            *[f"“Day {day} quote {i},” she said." for i in range(10)],
            published=datetime.date(2026, 5, day),
        )
        made += [
            (day, make.quote(article, f"Day {day} quote {i},", paragraph=i)) for i in range(10)
        ]
    shown = []
    for number in (1, 2):
        html = client.get(reverse("quotes"), {"page": number}).content.decode()
        shown += [int(pk) for pk in re.findall(r'href="/quotes/(\d+)/"', html)]
    newest_first = [q.pk for _, q in sorted(made, key=lambda m: (-m[0], m[1].start, m[1].pk))]
    assert shown == newest_first


# Query counts that do not grow with data -----------------------------------------------------


def _grow(make, n: int):
    speaker = make.speaker(f"Grower {n}")
    for i in range(n):
        article = make.article(f"“Said {i} by {n},” said Grower. Grower {n} again.")
        make.quote(article, f"Said {i} by {n},", speaker)
        make.mention(article, f"Grower {n}", "PERSON", speaker)
    return speaker


LISTINGS = {
    "home": lambda s: reverse("home"),
    "home search": lambda s: reverse("home") + "?q=Said",
    "people": lambda s: reverse("speakers"),
    "person": lambda s: s.get_absolute_url(),
    "person, page 2": lambda s: s.get_absolute_url() + "?page=2",
    "person card": lambda s: reverse("speaker-card", args=[s.slug]),
    "quotes": lambda s: reverse("quotes"),
    "quotes search": lambda s: reverse("quotes") + "?q=Said&kind=direct",
}


def test_listing_query_counts_do_not_grow(client, make):
    small = _grow(make, 26)
    n_small = {name: count_queries(client, url(small)) for name, url in LISTINGS.items()}
    big = _grow(make, 55)
    n_big = {name: count_queries(client, url(big)) for name, url in LISTINGS.items()}
    assert n_small == n_big
    # A search reads the full-text index twice: to rank every candidate, then to cut
    # snippets for those the page shows (on SQLite each read is FTS5's, then the rows);
    # its quotes are read once more to show each quotation once, and the earliest other
    # articles of those it shows once.
    budget = {"home search": 12}
    assert {name: n for name, n in n_big.items() if n > budget.get(name, 8)} == {}


# Edit links --------------------------------------------------------------------------------------


def test_no_edit_links_for_readers(client, seeded):
    for url in (
        seeded["news"].get_absolute_url(),
        seeded["pinkston"].get_absolute_url(),
        reverse("speaker-card", args=[seeded["pinkston"].slug]),
        reverse("quotes"),
    ):
        html = client.get(url).content.decode()
        assert "/admin/summit/" not in html
        assert "edit-link" not in html
        assert "q-edit" not in html


def test_editors_see_edit_links_to_the_admin(client, seeded):
    client.force_login(editor_with("change_quote", "change_speaker"))
    pinkston = seeded["pinkston"]
    quote = Quote.objects.shown().filter(speaker=pinkston).first()
    quote_edit = reverse("admin:summit_quote_change", args=[quote.pk])
    speaker_edit = reverse("admin:summit_speaker_change", args=[pinkston.pk])
    article = client.get(seeded["news"].get_absolute_url()).content.decode()
    assert f'class="q-edit" href="{quote_edit}?next=' in article
    person = client.get(pinkston.get_absolute_url()).content.decode()
    assert f'href="{speaker_edit}"' in person
    assert f'href="{quote_edit}"' in person
    card = client.get(reverse("speaker-card", args=[pinkston.slug]), **HX).content.decode()
    assert f'href="{speaker_edit}"' in card
    quotes = client.get(reverse("quotes"), {"speaker": pinkston.slug}).content.decode()
    assert f'href="{quote_edit}"' in quotes


def test_quote_editor_without_speaker_permission_sees_only_quote_links(client, seeded):
    client.force_login(editor_with("change_quote"))
    pinkston = seeded["pinkston"]
    person = client.get(pinkston.get_absolute_url()).content.decode()
    assert reverse("admin:summit_speaker_change", args=[pinkston.pk]) not in person
    assert "/admin/summit/quote/" in person


def test_article_query_count_for_an_editor_is_fixed_too(client, make):
    client.force_login(editor_with("change_quote"))
    small, large = sized_article(make, 2), sized_article(make, 30)
    assert count_queries(client, small.get_absolute_url()) == count_queries(
        client, large.get_absolute_url()
    )


def test_pages_send_a_strict_csp_and_use_no_inline_script_or_style(client, seeded):
    for url in (
        reverse("home"),
        seeded["news"].get_absolute_url(),
        reverse("quotes"),
        reverse("speakers"),
        seeded["pinkston"].get_absolute_url(),
    ):
        response = client.get(url)
        assert directives(response.headers["Content-Security-Policy"]) == directives(STRICT_CSP)
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
        assert " style=" not in html
        assert "<style" not in html
        assert not re.search(r"\son[a-z]+=", html), "inline event handler"
        assert "django_htmx/htmx-2.min.js" in html


def test_the_admin_goes_without_the_policy_it_cannot_meet(client, db):
    # The Django admin ships inline scripts and styles of its own.
    assert "Content-Security-Policy" not in client.get("/admin/login/").headers


def test_paragraph_anchor_matches_the_model():
    assert Paragraph(index=4).anchor == "p5"


@pytest.mark.django_db
def test_a_merged_speakers_old_address_leads_to_the_speaker_it_joined(client, make):
    from summit.services.speakers import speaker_merge

    kept, gone = make.speaker("Kim Jong Un"), make.speaker("Kim Jong-un")
    old_page = reverse("speaker", args=[gone.slug])
    old_card = reverse("speaker-card", args=[gone.slug])
    speaker_merge(into=kept, others=[gone], by=None)
    response = client.get(old_page + "?page=2")
    assert response.status_code == 301
    assert response["Location"] == reverse("speaker", args=[kept.slug]) + "?page=2"
    assert client.get(old_card)["Location"] == reverse("speaker-card", args=[kept.slug])
    assert client.get(reverse("speaker", args=["nobody-at-all"])).status_code == 404


def test_the_people_index_lists_only_names_worth_a_page(client, make):
    make.speaker("Quoted Once", quote_count=1)
    make.speaker("Named Twice", article_count=2)
    make.speaker("Confirmed By Desk", edited=True)
    make.speaker("Named Once", article_count=1, mention_count=3)
    html = client.get(reverse("speakers")).content.decode()
    for name in ("Quoted Once", "Named Twice", "Confirmed By Desk"):
        assert name in html
    assert "Named Once" not in html

"""Quote permalinks and citations, the card's provenance line, search that shows where,
and addresses without empty parameters."""

import re
from html import unescape

import pytest
from django.urls import reverse

from summit.models import Speaker

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def story(make):
    article = make.article(
        "Dan Pinkston teaches at Troy University.",
        "Talks resumed on Monday. “We will not reinvent the wheel,” he said. Nobody objected.",
        title="Talks resume",
        outlet="Asia Times",
        published="2019-02-27",
    )
    pinkston = make.speaker("Dan Pinkston")
    make.mention(article, "Dan Pinkston", "PERSON", pinkston)
    quote = make.quote(
        article, "We will not reinvent the wheel,", pinkston, speaker_text="he", paragraph=1
    )
    return article, pinkston, quote


def test_a_quote_has_a_permalink_page_with_its_sentence_and_a_citation(client, story):
    article, pinkston, quote = story
    response = client.get(reverse("quote", args=[quote.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    # The quote in its quotation marks, inside the sentence around it, not the paragraph.
    assert (
        '<mark class="ctx__quote ctx__quote--direct">“We will not reinvent the wheel,”</mark>'
        '<span class="ctx__after"> he said.</span>'
    ) in html
    assert "Talks resumed on Monday" not in html.split("ctx__before")[1].split("</span>")[0]
    assert "Nobody objected" not in html
    # Where it stands: the article, its outlet and date, the paragraph.
    assert f'href="{article.get_absolute_url()}#q{quote.pk}"' in html
    assert "Asia Times" in html
    assert "27 February 2019" in html
    # How to cite it, without JavaScript.
    cite = re.search(r'<p class="cite-block__text" id="cite-text">(.*?)</p>', html).group(1)
    assert unescape(cite) == (
        "“We will not reinvent the wheel,” — Dan Pinkston, Talks resume, Asia Times, "
        f"27 February 2019, http://testserver/quotes/{quote.pk}/"
    )
    # How the speaker was found.
    assert "Found through “he” in ¶2 → Dan Pinkston, named in ¶1." in unescape(html)


def test_the_cite_control_carries_text_and_link_and_falls_back_to_the_page(client, story):
    _, _, quote = story
    html = client.get(reverse("quotes")).content.decode()
    link = re.search(
        r'<a class="cite-link" href="([^"]+)" data-cite-text="([^"]+)" '
        r'data-cite-html="([^"]+)">',
        html,
    )
    assert link.group(1) == f"/quotes/{quote.pk}/#cite"
    assert unescape(link.group(2)).startswith("“We will not reinvent the wheel,” — Dan Pinkston")
    assert f'<a href="http://testserver/quotes/{quote.pk}/">' in unescape(link.group(3))


def test_the_card_opened_from_a_quote_says_how_its_speaker_was_found(client, story):
    _, pinkston, quote = story
    url = reverse("speaker-card", args=[pinkston.slug])
    html = unescape(client.get(url, {"quote": quote.pk}, **HX).content.decode())
    assert "Found through “he” in ¶2 → Dan Pinkston, named in ¶1." in html
    assert "Speaker uncertain" in html
    plain = unescape(client.get(url, **HX).content.decode())
    assert "Found through" not in plain


def test_quote_pages_show_the_sentence_and_the_source(client, story):
    article, pinkston, quote = story
    for url in (reverse("quotes"), pinkston.get_absolute_url()):
        html = client.get(url).content.decode()
        assert '<span class="ctx__after"> he said.</span>' in html
        assert f'href="/quotes/{quote.pk}/">Permalink</a>' in html


def test_search_shows_where_the_words_stand_with_links_to_the_paragraph(client, story):
    article, _, _ = story
    html = client.get(reverse("home"), {"q": "reinvent"}, **HX).content.decode()
    snippet = re.search(
        rf'<a class="snippet" href="{article.get_absolute_url()}#p2">(.*?)</a>', html, re.S
    )
    assert snippet, "a snippet links to the paragraph"
    assert "<mark>reinvent</mark>" in snippet.group(1)
    assert "1 article matches “reinvent”, and 1 quote." in unescape(html)
    assert f'href="/quotes/{quote_pk(html)}/"' in html


def quote_pk(html: str) -> str:
    return re.search(r'<li class="quote-hit"><a class="snippet" href="/quotes/(\d+)/"', html).group(
        1
    )


def test_search_lists_people_by_name(client, story):
    html = client.get(reverse("home"), {"q": "Pinkston"}).content.decode()
    assert re.search(
        r'<a class="chip" href="/people/dan-pinkston/"><bdi>Dan <mark>Pinkston</mark>', html
    )


@pytest.mark.parametrize(
    ("name", "params", "expected"),
    [
        ("quotes", "?q=&speaker=&article=&kind=", "/quotes/"),
        ("quotes", "?q=wheel&speaker=&article=&kind=direct", "/quotes/?q=wheel&kind=direct"),
        ("home", "?q=", "/"),
        ("speakers", "?kind=", "/people/"),
    ],
)
def test_empty_parameters_leave_the_address(client, db, name, params, expected):
    response = client.get(reverse(name) + params)
    assert response.status_code == 302
    assert response.url == expected


def test_person_page_lists_the_claims_they_hold(client, make):
    article = make.article("Ann Person said the talks will fail by March.")
    ann = make.speaker("Ann Person")
    make.claim(article, "the talks will fail by March", holder=ann)
    html = client.get(ann.get_absolute_url()).content.decode()
    assert "Claims <bdi>Ann Person</bdi> makes" in html
    assert "the talks will fail by March" in html.split("Claims <bdi>Ann Person</bdi> makes")[1]


def test_editors_can_list_the_articles_whose_title_was_derived(admin_client, make):
    make.article("Headline kept.", title="A real headline")
    make.article("A lead made into a title.", title="A lead made into a title", title_derived=True)
    html = admin_client.get("/admin/summit/article/", {"title_derived__exact": "1"}).content
    html = html.decode()
    assert "A lead made into a title" in html
    assert "A real headline" not in html


def test_the_organisations_tab_lists_every_organisation_quoted_or_named(client, make):
    article = make.article(
        "The Agency said it would wait. The Crisis Group and the Crisis Group staff met."
    )
    agency = make.speaker("The Agency", kind="organisation")
    make.quote(article, "it would wait", agency, kind="indirect")
    make.mention(article, "The Crisis Group", "ORG")
    other = make.article("The Harbour Trust and the crisis group agreed.")
    make.mention(other, "the crisis group", "ORG")
    make.mention(other, "The Harbour Trust", "ORG")  # named in one article only
    from summit.models import EntityMention

    p = article.paragraphs.get()
    at = p.text.index("the Crisis Group")
    EntityMention.objects.create(
        article=article, paragraph=p, start=at, end=at + 16, text="the Crisis Group", label="ORG"
    )
    from summit.views import NAMED_ORGANISATIONS_ARTICLES

    html = client.get("/people/", {"kind": "organisation"}).content.decode()
    assert "The Agency" in html
    named = html.split("Also named in the articles")[1]
    # the window the counts come from is said, not left for the reader to guess
    assert f"the newest {NAMED_ORGANISATIONS_ARTICLES} articles name" in named
    assert named.count("Crisis Group</bdi></a>") == 1, "one entry per name"
    assert "3 mentions" in named
    assert "Harbour Trust" not in named
    assert "Nobody here yet" not in html


def test_the_organisations_tab_answers_in_the_same_queries_however_many_are_named(client, make):
    from tests.conftest import page_queries

    def queries():
        return page_queries(client, "/people/", {"kind": "organisation"})

    def name(n):
        for _ in range(2):  # named in two articles: listed
            article = make.article(f"The Harbour Trust {n} met.")
            make.mention(article, f"The Harbour Trust {n}", "ORG")

    name(0)
    before, html = queries()
    assert '<a href="/?q=Harbour%20Trust%200"><bdi>Harbour Trust 0</bdi></a>' in html
    for n in range(1, 6):
        name(n)
    after, html = queries()
    assert "2 mentions in 2 articles" in html
    assert "Harbour Trust 5" in html
    assert after == before


def test_home_teases_each_article_with_one_sentence_not_its_derived_title(client, make):
    make.article(
        "Ministers met in the capital today to settle the dispute.",
        "The talks lasted all night. Nobody left early.",
        title="Ministers met in the capital today to settle the dispute",
        title_derived=True,
    )
    make.article("A headline story opens here. It goes on.", title="A real headline")
    html = client.get(reverse("home")).content.decode()
    assert '<p class="article-item__lead">The talks lasted all night.</p>' in html
    assert '<p class="article-item__lead">A headline story opens here.</p>' in html
    assert "The source had no headline" in html


def test_the_card_from_a_quote_does_not_list_that_quote_twice(client, make):
    article = make.article("“One,” she said. “Two,” she said.")
    ann = make.speaker("Ann Person")
    one = make.quote(article, "One,", ann, speaker_text="she")
    make.quote(article, "Two,", ann, speaker_text="she")
    url = reverse("speaker-card", args=[ann.slug])
    html = client.get(url, {"quote": one.pk}, **HX).content.decode()
    listed = re.findall(r'<blockquote class="card__quote[^>]*>(.*?)</blockquote>', html, re.S)
    assert listed == ["<bdi>“Two,”</bdi>"]
    assert "Other quotes" in html


# Search that shows where -------------------------------------------------------------------


def _articles_found(html: str) -> list[str]:
    return re.findall(
        r'<h2 class="article-item__title" id="a\d+-title"><a href="[^"]+"><bdi>(.*?)</bdi></a>',
        html,
    )


def test_search_ranks_articles_by_relevance_titles_first(client, make):
    make.article("The talks, the talks: talks all day.", title="Busy day")
    make.article("A title that says talks.", "Nothing else.", title="Talks resume")
    make.article("Officials were talking once.", title="Quiet day")  # the newest
    html = client.get(reverse("home"), {"q": "talks"}, **HX).content.decode()
    assert _articles_found(html) == ["<mark>Talks</mark> resume", "Busy day", "Quiet day"]
    assert "3 articles match “talks”." in unescape(html)


def test_search_snippets_come_from_the_index_stemmed_and_link_to_the_paragraph(client, make):
    article = make.article(
        "Opening words.", "Later, the officials were talking about peace.", title="Peace"
    )
    speaker = make.speaker("Ann Official")
    make.quote(article, "talking about peace", speaker, paragraph=1)
    html = client.get(reverse("home"), {"q": "talk"}, **HX).content.decode()
    snippet = re.search(
        rf'<a class="snippet" href="{article.get_absolute_url()}#p2">(.*?)</a>', html, re.S
    )
    assert snippet, "the snippet links to the paragraph"
    assert "<mark>talking</mark>" in snippet.group(1)
    assert "Opening words" not in html
    quote = re.search(
        r'<li class="quote-hit"><a class="snippet" href="/quotes/\d+/"><bdi>(.*?)</bdi></a>', html
    )
    assert quote.group(1) == "“<mark>talking</mark> about peace”"


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", "\x02<img src=x>\x03", "\x03"])
def test_search_snippets_carry_no_markup_from_the_article(client, make, hostile):
    make.article(f"Before {hostile} the summit {hostile} after.", title=f"Summit {hostile}")
    html = client.get(reverse("home"), {"q": "summit"}, **HX).content.decode()
    snippet = re.search(r'<a class="snippet" href="[^"]+">(.*?)</a>', html, re.S).group(1)
    assert "<mark>summit</mark>" in snippet
    assert set(re.findall(r"</?(\w+)", snippet)) <= {"span", "mark"}
    assert snippet.count("<mark>") == snippet.count("</mark>")
    assert "<script" not in html
    assert "<img" not in html


def test_search_offers_quote_facets_by_kind_and_speaker(client, story):
    html = client.get(reverse("home"), {"q": "wheel"}, **HX).content.decode()
    assert re.search(
        r'aria-label="Quotes by kind">\s*<li><a class="chip" '
        r'href="/quotes/\?q=wheel&amp;kind=direct">Direct[^<]*<span class="chip__count">1</span>',
        html,
    )
    assert re.search(
        r'aria-label="Quotes by speaker">\s*<li><a class="chip" '
        r'href="/quotes/\?q=wheel&amp;speaker=dan-pinkston"><bdi>Dan Pinkston</bdi> '
        r'<span class="chip__count">1</span>',
        html,
    )
    # Each facet leads to the quotes it counts.
    quotes = client.get(reverse("quotes"), {"q": "wheel", "speaker": "dan-pinkston"}).content
    assert "1 quote matching “wheel”." in unescape(quotes.decode())


def test_search_results_are_paginated_and_keep_the_words(client, make):
    for i in range(23):
        make.article(f"Summit number {i} met.", title=f"Story {i:02d}")
    first = client.get(reverse("home"), {"q": "summit"}, **HX).content.decode()
    second = client.get(reverse("home"), {"q": "summit", "page": 2}, **HX).content.decode()
    assert "23 articles match “summit”." in unescape(first)
    assert first.count('class="article-item"') == 20
    assert second.count('class="article-item"') == 3
    assert 'rel="next" href="?q=summit&amp;page=2"' in first
    assert not set(_articles_found(first)) & set(_articles_found(second))


def test_a_search_matching_only_people_says_so_once(client, make):
    make.speaker("Zelda Quorum", description="Mayor of a small town")
    html = unescape(client.get(reverse("home"), {"q": "Zelda"}, **HX).content.decode())
    assert "0 articles match “Zelda”." in html
    assert "Nothing matches" not in html
    assert "Mayor of a small town" in html


def test_search_lists_first_the_quotes_in_the_best_matching_paragraphs(client, make):
    best = make.article("Summit, summit, summit: “The summit is on,” she said.")
    make.quote(best, "The summit is on,", make.speaker("Ann Best"))
    newer = make.article(
        "A long paragraph on many other things, the weather, the roads and the trains, "
        "and then: “A summit may help,” he said, before turning to football and cricket."
    )
    make.quote(newer, "A summit may help,", make.speaker("Bob Newer"))
    html = client.get(reverse("home"), {"q": "summit"}, **HX).content.decode()
    quotes = re.findall(
        r'<li class="quote-hit"><a class="snippet" href="[^"]+"><bdi>(.*?)</bdi></a>', html
    )
    assert quotes == ["“The <mark>summit</mark> is on,”", "“A <mark>summit</mark> may help,”"]
    listed = client.get(reverse("quotes"), {"q": "summit"}).content.decode()
    assert listed.index("A summit may help") < listed.index("The summit is on")  # newest first


def test_a_source_the_article_never_names_is_shown_by_its_words_not_as_unattributed(client, make):
    article = make.article(
        "Experts say the plan will fail, and some warn of worse.",
        "He said it was over.",
        title="A plan",
    )
    unnamed = make.quote(
        article, "the plan will fail", kind="indirect", speaker_text="Experts", cue="say"
    )
    make.quote(article, "it was over", kind="indirect", speaker_text="He", paragraph=1)
    listing = unescape(client.get(reverse("quotes")).content.decode())
    speakers = re.findall(r'<span class="quote-item__speaker[^"]*">(.*?)</span>', listing)
    # "he", never resolved, names no one
    assert sorted(speakers) == ["Unattributed", "Unnamed source: <bdi>Experts</bdi>"]
    page = unescape(client.get(reverse("quote", args=[unnamed.pk])).content.decode())
    assert "Unnamed source: <bdi>Experts</bdi></h1>" in page
    assert "— Unnamed source (Experts), A plan" in page  # the citation
    text = unescape(client.get(article.get_absolute_url()).content.decode())
    assert 'title="Unnamed source (Experts) (indirect quote);' in text


def test_the_caption_of_a_photo_the_text_does_not_carry_is_left_out(client, make):
    article = make.article(
        "The ministers met at dawn.",
        "Ministers arrive at the palace, Monday. Photo: Agency / Pool",
        "They agreed on nothing.",
    )
    article.paragraphs.filter(index=1).update(kind="caption")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Ministers arrive" not in html
    assert ">Photo<" not in html
    assert '<span id="p2" class="para-anchor"></span>' in html, "old links still land"
    assert "They agreed on nothing." in html


def test_a_derived_title_is_cut_cleanly_and_an_opinion_piece_is_known_by_its_author(client, make):
    news = make.article(
        "Crowds filled the squares of the old capital with flags and banners today as the "
        "leaders of two countries arrived for talks on trade.",
        "The talks begin tomorrow.",
        title="Crowds filled the squares of the old capital with flags and banners…",
        title_derived=True,
    )
    home = client.get(reverse("home")).content.decode()
    assert "banners…</bdi></a>" in home
    assert '<p class="article-item__lead">The talks begin tomorrow.</p>' in home
    page = client.get(news.get_absolute_url()).content.decode()
    assert "No headline in the source" in page
    # Its first words are shown once, as the lead: the h1 names the page for screen readers.
    assert re.search(r'<h1 id="story-title" class="[^"]*visually-hidden">Crowds filled', page)
    assert re.search(r'<p id="p1" class="para para--lead">', page)
    headline = make.article("A story opens here.", title="A real headline")
    page = client.get(headline.get_absolute_url()).content.decode()
    assert '<h1 id="story-title" class="story__title">A real headline</h1>' in page
    assert "para--lead" not in page


@pytest.mark.parametrize("often_named", [False, True])
def test_an_author_is_linked_from_the_byline_and_their_page_lists_what_they_wrote(
    client, make, monkeypatch, often_named
):
    if often_named:  # found from the author paragraphs, not from their mentions
        monkeypatch.setattr("summit.models.FEW_MENTIONS", 0)
    opinion = make.article(
        "By Ann Writer",
        "The talks will fail unless both sides give ground.",
        "Ann Writer writes about diplomacy.",
        title="Opinion by Ann Writer",
        byline="Ann Writer",
        kind="opinion",
    )
    opinion.paragraphs.filter(index=0).update(kind="byline")
    opinion.paragraphs.filter(index=2).update(kind="bio")
    news = make.article("Ann Writer spoke at a dinner.", title="A dinner", kind="news")
    ann = make.speaker("Ann Writer")
    make.mention(opinion, "Ann Writer", "PERSON", ann, paragraph=0)
    make.mention(news, "Ann Writer", "PERSON", ann)
    make.claim(opinion, "The talks will fail unless both sides give ground", highlighted=True)
    someone = make.speaker("Bob Other")
    make.claim(news, "spoke at a dinner", holder=someone)

    page = client.get(opinion.get_absolute_url()).content.decode()
    assert f'By <a href="{ann.get_absolute_url()}" rel="author"><bdi>Ann Writer</bdi></a>' in page
    assert 'title="Key claim: prediction, held by Ann Writer, the author"' in unescape(page)

    person = unescape(client.get(ann.get_absolute_url()).content.decode())
    assert "Author of 1 article here." in person
    written = person.split('id="written-title"')[1].split("</section>")[0]
    assert "Opinion by Ann Writer" in written
    assert "badge--opinion" in written
    claims = person.split('id="claims-title"')[1].split("</section>")[0]
    assert "The talks will fail unless both sides give ground" in claims
    assert "spoke at a dinner" not in claims, "another article's claims are not theirs"
    mentions = person.split('id="mentions-title"')[1].split("</section>")[0]
    assert "A dinner" in mentions
    assert "Opinion by Ann Writer" not in mentions, "what they wrote is listed once"
    assert "No quotes from" not in person


def test_the_card_shows_a_speakers_best_quotes_and_says_how_they_were_chosen(client, make):
    article = make.article(
        "She said the plan was late. “Yes,” she said. “We built the bridge in two years "
        "and we will build the next one faster,” she said. “No,” she added."
    )
    ann = make.speaker("Ann Person")
    reported = make.quote(article, "the plan was late", ann, kind="indirect")
    short = make.quote(article, "Yes,", ann)
    full = make.quote(
        article, "We built the bridge in two years and we will build the next one faster,", ann
    )
    newest = make.quote(article, "No,", ann)
    Speaker.objects.filter(pk=ann.pk).update(quote_count=4)
    html = unescape(client.get(reverse("speaker-card", args=[ann.slug])).content.decode())
    assert "The best 3 of 4" in html
    assert "Chosen: verified by an editor first" in html
    shown = re.findall(r'<blockquote class="card__quote[^"]*"[^>]*><bdi>(.*?)</bdi>', html)
    assert shown == [f"“{full.text}”", f"“{short.text}”", f"“{newest.text}”"], (
        "their own words, the fullest first; the reported speech, though older, after them"
    )
    assert reported.text not in " ".join(shown)


def test_a_speaker_an_editor_set_is_shown_as_the_editors(client, story, make):
    from summit.models import Status
    from summit.services.editing import quote_set_speaker

    _, _, quote = story
    other = make.speaker("Moon Jae-in")
    editor = make.editor("ann")
    quote_set_speaker(quotes=[quote], speaker=other, by=editor)
    quote.refresh_from_db()
    assert quote.status == Status.VERIFIED  # reviewed: out of the queue
    html = unescape(client.get(reverse("quote", args=[quote.pk])).content.decode())
    assert re.search(r"Set by an editor \(ann, \d+ \w+ \d{4}\): Moon Jae-in said this\.", html)
    assert "Found through" not in html
    assert "Not checked by an editor" not in html


def test_a_quote_an_editor_added_is_the_editors(story, make):
    from summit.models import Quote, Status
    from summit.services.editing import annotation_place, annotation_save

    article, pinkston, _ = story
    quote = Quote(article=article, kind="indirect", speaker=pinkston)
    annotation_place(model_instance=quote, text="Dan Pinkston teaches")
    annotation_save(annotation=quote, by=make.editor("ann"))
    quote.refresh_from_db()
    assert (quote.status, quote.edited) == (Status.VERIFIED, True)


def test_a_name_search_finds_every_quote_the_persons_count_promises(client, make):
    article = make.article(
        "Ann Person, a historian, spoke first.",
        "“The bridge will stand,” she said. “The road will not,” she added.",
        "“Neither will,” she said later.",
    )
    ann = make.speaker("Ann Person")
    make.mention(article, "Ann Person", "PERSON", ann)
    for text, paragraph in [
        ("The bridge will stand,", 1),
        ("The road will not,", 1),
        ("Neither will,", 2),
    ]:
        make.quote(article, text, ann, speaker_text="she", paragraph=paragraph)
    Speaker.objects.filter(pk=ann.pk).update(quote_count=3)
    html = unescape(client.get(reverse("home"), {"q": "Person"}).content.decode())
    people = html.split('id="people-hits-title"')[1].split("</section>")[0]
    assert '<span class="chip__count">3 quotes</span>' in people
    facets = html.split('aria-label="Quotes by speaker"')[1].split("</ul>")[0]
    assert '<bdi>Ann Person</bdi> <span class="chip__count">3</span>' in facets
    assert "and 3 quotes" in html


@pytest.mark.parametrize(
    ("title", "link"),
    [
        ("Talks resume", "Talks resume"),
        (
            "Crowds filled the squares of the old capital with flags and banners…",
            "Crowds filled the squares of the old capital with flags and banners…",
        ),
        (
            "Crowds filled the squares of the old capital with flags, lanterns and banners "
            "of every colour…",
            "Crowds filled the squares of the old capital…",
        ),
        (
            "Ministers who met in the northern city of Ashford agree to a deal. What next?",
            "Ministers who met in the northern city…",
        ),
    ],
)
def test_a_long_title_in_a_link_is_cut_at_a_phrase_never_on_a_hanging_word(title, link):
    from summit.listing import short_title

    assert short_title(title) == link

"""The read API: what a client reads, follows and pages through; filters; errors; limits."""

from __future__ import annotations

import datetime
import html
import json
import re

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from summit import models
from summit.models import Article, Quote, SpeakerRedirect, Status

pytestmark = pytest.mark.django_db


def get(client, url, expect=200, **params):
    response = client.get(url, params)
    assert response.status_code == expect, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def walk(client, url, **params) -> list[dict]:
    """Every item of a list, following ``next`` to the end."""
    items, page = [], get(client, url, **params)
    while True:
        items += page["items"]
        if page["next"] is None:
            return items
        page = get(client, page["next"])


def words(text: str) -> str:
    """A quote's words without the quotation marks and the comma the page shows with them."""
    return html.unescape(text).strip('“”‘’"').rstrip(",;")


def person_page_quotes(client, path: str) -> list[tuple[str, str]]:
    """(where it links, the words) of every quote a person's page shows, all its pages:
    each quote stands in its sentence, its own words marked."""
    seen, todo, shown = set(), [path], []
    while todo:
        url = todo.pop(0)
        seen.add(url)
        page = client.get(url).content.decode()
        for cite, text in re.findall(
            r'<blockquote[^>]*cite="([^"]+)"[^>]*>.*?<mark class="ctx__quote[^"]*">(.*?)</mark>',
            page,
        ):
            quote = (html.unescape(cite), words(text))
            if quote not in shown:  # a link back to page 1 shows it again
                shown.append(quote)
        for link in re.findall(r'href="(\?[^"#]*\b(?:page|cursor)=[^"#]*)"', page):
            link = path + html.unescape(link)
            if link not in seen and link not in todo:
                todo.append(link)
    return shown


# Reading and following ------------------------------------------------------------------


def test_a_client_reads_an_article_follows_a_speaker_and_gets_the_person_pages_quotes(
    client, newsroom
):
    listed = get(client, "/api/v1/articles")["items"]
    article = get(client, listed[0]["api_url"])
    speaker_ref = next(q["speaker"] for q in article["quotes"] if q["speaker"])
    speaker = get(client, speaker_ref["api_url"])
    assert speaker["name"] == "Moon Jae-in"

    quotes = walk(client, speaker["quotes_url"], limit=7)

    shown = person_page_quotes(client, "/people/moon-jae-in/")
    assert len(shown) == 30  # two of the 32 are rejected
    assert [
        (
            f"{q['article']['url']}#p{q['paragraph'] + 1}".removeprefix("http://testserver"),
            words(q["text"]),
        )
        for q in quotes
    ] == shown
    assert speaker["quote_count"] == len(quotes)


def test_paging_is_stable_while_quotes_are_written(client, make, newsroom):
    moon = newsroom["moon"]
    first = get(client, "/api/v1/speakers/moon-jae-in/quotes", limit=10)
    before = set(Quote.objects.shown().filter(speaker=moon).values_list("pk", flat=True))
    # A newer article (sorts before the cursor) and an older one (after it) arrive.
    newer = make.article("“Fresh words,” Moon said.", published=datetime.date(2026, 1, 1))
    older = make.article("“Old words,” Moon said.", published=datetime.date(2001, 1, 1))
    fresh = make.quote(newer, "Fresh words,", moon)
    late = make.quote(older, "Old words,", moon)

    rest = walk(client, first["next"])
    ids = [q["id"] for q in first["items"] + rest]
    assert len(ids) == len(set(ids))  # nothing twice
    assert before <= set(ids)  # nothing skipped
    assert late.pk in ids  # written after the cursor: read on the way
    assert fresh.pk not in ids  # written before it: for a new reading


def test_an_article_has_paragraphs_and_every_shown_annotation(client, newsroom):
    article = newsroom["articles"][0]
    body = get(client, f"/api/v1/articles/{article.pk}")
    assert [p["index"] for p in body["paragraphs"]] == list(range(8))
    assert body["paragraphs"][0]["text"].startswith("“Peace number 0-0")
    assert len(body["quotes"]) == 6  # 8, less two rejected
    assert {q["status"] for q in body["quotes"]} == {"machine"}
    assert [(m["text"], m["label"], m["speaker"]["slug"]) for m in body["mentions"]] == [
        ("Kim", "PERSON", "kim-jong-un")
    ]
    quote = body["quotes"][0]
    words = body["paragraphs"][quote["paragraph"]]["text"][quote["start"] : quote["end"]]
    assert words == quote["text"]
    assert {
        (c["kind"], c["highlighted"], (c["holder"] or {}).get("slug")) for c in body["claims"]
    } == {
        ("prediction", True, "moon-jae-in"),
        ("belief", False, None),
    }
    assert body["annotations_url"] == f"http://testserver/articles/{article.pk}/annotations.jsonld"
    verified = get(client, f"/api/v1/articles/{newsroom['articles'][1].pk}")["quotes"]
    assert [q["status"] for q in verified][:2] == ["verified", "machine"]


def test_rejected_annotations_never_appear(client, newsroom):
    rejected = set(Quote.objects.filter(status=Status.REJECTED).values_list("pk", flat=True))
    assert len(rejected) == 2
    served = {q["id"] for q in walk(client, "/api/v1/quotes", limit=100)}
    served |= {q["id"] for q in walk(client, "/api/v1/speakers/moon-jae-in/quotes")}
    for article in Article.objects.all():
        served |= {q["id"] for q in get(client, f"/api/v1/articles/{article.pk}")["quotes"]}
    assert len(served) == 31
    assert not served & rejected
    assert get(client, f"/api/v1/articles/{newsroom['extra'].pk}")["mentions"] == []


def test_a_merged_speakers_address_answers_as_the_speaker_it_joined(client, newsroom):
    SpeakerRedirect.objects.create(old_slug="moon-jaein", speaker=newsroom["moon"])
    assert get(client, "/api/v1/speakers/moon-jaein")["slug"] == "moon-jae-in"
    assert len(get(client, "/api/v1/speakers/moon-jaein/quotes", limit=100)["items"]) == 30


def test_a_speaker_has_aliases_and_counts(client, newsroom):
    moon = get(client, "/api/v1/speakers/moon-jae-in")
    assert moon["aliases"] == ["Moon", "President Moon"]
    assert (moon["quote_count"], moon["mention_count"]) == (30, 0)
    assert moon["url"] == "http://testserver/people/moon-jae-in/"
    kim = get(client, "/api/v1/speakers/kim-jong-un")
    assert (kim["quote_count"], kim["mention_count"]) == (0, 4)


# Filters --------------------------------------------------------------------------------


def titles(client, **params) -> list[str]:
    return [a["title"] for a in walk(client, "/api/v1/articles", **params)]


def test_articles_newest_first_and_filtered(client, newsroom):
    undated = newsroom["articles"][2]
    everything = titles(client)
    assert everything[:2] == ["Summit report 1", "Summit report 0"]
    assert everything[-1] == undated.title or everything[-2] == undated.title
    assert titles(client, outlet="daily") == ["Summit report 1", "Summit report 3"]
    assert titles(client, kind="opinion") == ["Summit report 3"]
    assert titles(client, published_from="2024-01-01") == ["Summit report 1", "Summit report 0"]
    assert titles(client, published_from="2023-01-01", published_to="2024-12-31") == [
        "Summit report 0",
        "Summit report 3",
    ]
    assert titles(client, q="talks were") == ["UN view"]


def test_speakers_by_name_filtered_by_kind_and_search(client, newsroom):
    names = [s["name"] for s in walk(client, "/api/v1/speakers", limit=1)]
    assert names == ["Kim Jong-un", "Moon Jae-in", "United Nations"]
    assert [s["name"] for s in walk(client, "/api/v1/speakers", kind="organisation")] == [
        "United Nations"
    ]
    assert [s["slug"] for s in walk(client, "/api/v1/speakers", q="president moon")] == [
        "moon-jae-in"
    ]


def test_quotes_filtered(client, newsroom):
    def texts(**params):
        return [q["text"] for q in walk(client, "/api/v1/quotes", **params)]

    assert texts(speaker="united-nations") == ["a start"]
    assert texts(kind="partial") == ["a start"]
    assert texts(article=newsroom["articles"][3].pk)[:2] == [
        "Peace number 3-0 is near,",
        "Peace number 3-1 is near,",
    ]
    assert texts(status="verified") == ["Peace number 1-0 is near,"]
    assert texts(q="number 2-7") == ["Peace number 2-7 is near,"]
    assert texts(q="UN view") == ["a start"]
    assert len(texts()) == 31


def test_quotes_page_by_cursor_through_undated_articles_in_one_order(client, newsroom):
    """Pages of 3 cross from the dated articles into the undated one (last) and on into
    the article added later without a date: every quote once, in the order one page of
    100 gives, newest article first, each article in reading order."""
    whole = [q["id"] for q in get(client, "/api/v1/quotes", limit=100)["items"]]
    paged = [q["id"] for q in walk(client, "/api/v1/quotes", limit=3)]
    assert paged == whole
    assert len(set(paged)) == len(paged) == 31
    quotes = Quote.objects.in_bulk(whole)
    years = [quotes[pk].article.published for pk in whole]
    dated = [y for y in years if y is not None]
    assert dated == sorted(dated, reverse=True)
    assert years[len(dated) :] == [None] * (len(years) - len(dated))  # undated last


def test_a_busy_speakers_quotes_walk_the_articles_and_come_in_the_same_order(
    client, newsroom, monkeypatch
):
    url = "/api/v1/speakers/moon-jae-in/quotes"
    few = [q["id"] for q in walk(client, url, limit=7)]
    monkeypatch.setattr(models, "MANY_QUOTES", 5)  # Moon's 30 shown quotes are many now
    with CaptureQueriesContext(connection) as ctx:
        many = [q["id"] for q in walk(client, url, limit=7)]
    assert many == few
    assert len(few) == 30
    assert any('"speaker_id" + 0' in q["sql"] for q in ctx.captured_queries)


def test_a_quote_says_how_its_speaker_was_found(client, newsroom):
    article = newsroom["articles"][3]
    via = {"paragraph": 0, "start": 30, "end": 34, "text": "Moon"}
    Quote.objects.filter(article=article, paragraph__index=1).update(
        sieve="previous_speaker", via=via, confidence=0.81
    )
    Quote.objects.filter(article=article, paragraph__index=2).update(
        sieve="trailing_cue", confidence=0.97
    )
    Quote.objects.filter(article=article, paragraph__index=3).update(via="not a span")

    quotes = get(client, f"/api/v1/articles/{article.pk}")["quotes"]
    assert [q["attribution"] for q in quotes[1:4]] == [
        {"sieve": "previous_speaker", "via": via, "confidence": 0.81},
        {"sieve": "trailing_cue", "via": None, "confidence": 0.97},
        {"sieve": "", "via": None, "confidence": None},
    ]
    confident = walk(client, "/api/v1/quotes", min_confidence=0.9)
    assert [q["text"] for q in confident] == ["Peace number 3-2 is near,"]
    assert len(walk(client, "/api/v1/quotes", min_confidence=0.8)) == 2
    assert len(walk(client, "/api/v1/quotes", min_confidence=0)) == 2


@pytest.mark.parametrize("few", [5_000, 1], ids=["few reach it", "many reach it"])
def test_min_confidence_finds_the_same_quotes_however_many_reach_it(
    client, newsroom, monkeypatch, few
):
    """Whether the confident quotes are read from their index (few) or the newest
    articles are walked (many, the test kept off the index), the answer is the same."""
    monkeypatch.setattr(models, "FEW_CONFIDENT", few)
    quotes = list(Quote.objects.order_by("pk"))
    for n, quote in enumerate(quotes):
        quote.confidence = None if n % 4 == 0 else round(n / len(quotes), 3)
    Quote.objects.bulk_update(quotes, ["confidence"])
    with CaptureQueriesContext(connection) as ctx:
        confident = walk(client, "/api/v1/quotes", min_confidence=0.5)
    expected = [q.text for q in quotes if q.confidence is not None and q.confidence >= 0.5]
    assert len(expected) > 1
    assert sorted(q["text"] for q in confident) == sorted(expected)
    kept_off = any('"confidence" + 0' in q["sql"] for q in ctx.captured_queries)
    assert kept_off == (few == 1)


def test_claims_filtered(client, newsroom):
    claims = walk(client, "/api/v1/claims")
    assert len(claims) == 8
    assert claims[0]["article"]["title"] == "Summit report 1"
    assert len(walk(client, "/api/v1/claims", kind="belief")) == 4
    assert len(walk(client, "/api/v1/claims", holder="moon-jae-in")) == 4
    assert {c["highlighted"] for c in walk(client, "/api/v1/claims", highlighted="false")} == {
        False
    }


# Pages ----------------------------------------------------------------------------------


def test_a_page_links_the_next_in_the_body_and_the_link_header(client, newsroom):
    response = client.get("/api/v1/quotes", {"limit": 5, "kind": "direct"})
    body = response.json()
    assert len(body["items"]) == 5
    assert response["Link"] == f'<{body["next"]}>; rel="next"'
    assert "kind=direct" in body["next"]
    assert "limit=5" in body["next"]
    last = client.get("/api/v1/quotes", {"limit": 100})
    assert last.json()["next"] is None
    assert "Link" not in last


def test_the_page_size_has_a_maximum(client, newsroom):
    assert len(get(client, "/api/v1/quotes", limit=100)["items"]) == 31
    error = get(client, "/api/v1/quotes", expect=400, limit=101)
    assert error["errors"][0]["parameter"] == "limit"
    assert len(get(client, "/api/v1/quotes")["items"]) == 25


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/articles",
        "/api/v1/speakers",
        "/api/v1/quotes",
        "/api/v1/claims",
        "/api/v1/speakers/moon-jae-in/quotes",
    ],
)
def test_a_lists_queries_do_not_grow_with_the_page(client, newsroom, url):
    def queries(limit):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"limit": limit}).status_code == 200
        return len(ctx.captured_queries)

    assert queries(1) == queries(30)


def test_an_articles_queries_do_not_grow_with_its_annotations(client, make, newsroom):
    small = make.article("“Few,” Moon said.")
    make.quote(small, "Few,", newsroom["moon"])

    def queries(article):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/api/v1/articles/{article.pk}").status_code == 200
        return len(ctx.captured_queries)

    # 5, the other outlets' copies, and the content version
    assert queries(small) == queries(newsroom["articles"][0]) == 7


def test_an_article_is_served_from_the_page_cache_until_it_changes(client, make):
    """A long article's detail is read and serialised once, not per request (it took
    26 s for each request of a 1.2M-character one), and no change leaves it stale."""
    article = make.article("“Few,” Moon said.")
    quote = make.quote(article, "Few,")
    url = f"/api/v1/articles/{article.pk}"
    first = client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(url)
    assert again.content == first.content
    assert again["Content-Type"].startswith("application/json")
    assert len(ctx.captured_queries) == 1  # the content version only
    Quote.objects.filter(pk=quote.pk).update(status=Status.REJECTED)
    assert client.get(url).json()["quotes"] == []


# Errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params", "parameter"),
    [
        ("/api/v1/quotes", {"limit": "ten"}, "limit"),
        ("/api/v1/quotes", {"limit": 0}, "limit"),
        ("/api/v1/quotes", {"kind": "rumour"}, "kind"),
        ("/api/v1/quotes", {"status": "rejected"}, "status"),
        ("/api/v1/quotes", {"min_confidence": "1.5"}, "min_confidence"),
        ("/api/v1/quotes", {"min_confidence": "nan"}, "min_confidence"),
        ("/api/v1/quotes", {"article": "2" * 30}, "article"),
        ("/api/v1/quotes", {"speaker": "no spaces"}, "speaker"),
        ("/api/v1/quotes", {"q": "nul\x00"}, "q"),
        ("/api/v1/quotes", {"cursor": "not-a-cursor"}, "cursor"),
        ("/api/v1/quotes", {"cursor": "WzEsMiwzXQ"}, "cursor"),  # [1,2,3]
        ("/api/v1/articles", {"published_from": "2024-13-01"}, "published_from"),
        ("/api/v1/articles", {"published_to": "0"}, "published_to"),
        ("/api/v1/articles", {"kind": "satire"}, "kind"),
        ("/api/v1/speakers", {"q": "x" * 201}, "q"),
        ("/api/v1/claims", {"highlighted": "perhaps"}, "highlighted"),
        ("/api/v1/articles/abc", {}, "article_id"),
        ("/api/v1/articles/0", {}, "article_id"),
        ("/api/v1/speakers/-_-~", {}, "slug"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, db, url, params, parameter):
    error = get(client, url, expect=400, **params)
    assert [e["parameter"] for e in error["errors"]] == [parameter]
    assert parameter in error["detail"]


def test_a_cursor_from_another_list_is_refused(client, newsroom):
    next_speakers = get(client, "/api/v1/speakers", limit=1)["next"]
    cursor = next_speakers.split("cursor=")[1]
    error = get(client, "/api/v1/quotes", expect=400, cursor=cursor)
    assert error["errors"][0]["parameter"] == "cursor"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/articles/999999",
        "/api/v1/speakers/nobody",
        "/api/v1/speakers/nobody/quotes",
        "/api/v1/no-such-thing",
        "/api/v2/articles",
    ],
)
def test_unknown_things_are_a_json_404(client, db, url):
    assert "detail" in get(client, url, expect=404)


def test_the_api_is_read_only(client, newsroom):
    response = client.post("/api/v1/quotes", {})
    assert response.status_code == 405


# Settings: CORS and the rate limit ------------------------------------------------------


def test_cors_is_off_by_default(client, db):
    response = client.get("/api/v1/articles", HTTP_ORIGIN="https://newsroom.example")
    assert "Access-Control-Allow-Origin" not in response


@override_settings(CORS_ALLOWED_ORIGINS=["https://newsroom.example"])
def test_cors_allows_the_listed_origins_on_the_api_only(client, newsroom):
    allowed = client.get("/api/v1/articles", HTTP_ORIGIN="https://newsroom.example")
    assert allowed["Access-Control-Allow-Origin"] == "https://newsroom.example"
    assert "Link" in allowed["Access-Control-Expose-Headers"]
    other = client.get("/api/v1/articles", HTTP_ORIGIN="https://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in other
    page = client.get("/", HTTP_ORIGIN="https://newsroom.example")
    assert "Access-Control-Allow-Origin" not in page
    article = newsroom["extra"]
    jsonld = client.get(
        f"/articles/{article.pk}/annotations.jsonld", HTTP_ORIGIN="https://newsroom.example"
    )
    assert jsonld["Access-Control-Allow-Origin"] == "https://newsroom.example"


def test_the_rate_limit_is_off_by_default(client, db):
    for _ in range(30):
        assert client.get("/api/v1/speakers").status_code == 200


@pytest.fixture
def one_window(monkeypatch):
    """The rate limit counts per fixed window of its period: its clock stands still in the
    middle of one, so a test's requests never straddle a minute's end (CI saw one)."""
    from types import SimpleNamespace

    from summit.services import limits

    monkeypatch.setattr(limits, "time", SimpleNamespace(time=lambda: 1_800_000_030.0))


@pytest.mark.usefixtures("one_window")
@override_settings(SUMMIT_API_RATE="3/min")
def test_the_rate_limit_counts_requests_per_address(client, db):
    cache.clear()
    for _ in range(3):
        assert client.get("/api/v1/speakers").status_code == 200
    limited = client.get("/api/v1/speakers")
    assert limited.status_code == 429
    assert limited.json()["detail"]
    assert int(limited["Retry-After"]) > 0
    assert client.get("/api/v1/speakers", REMOTE_ADDR="10.0.0.2").status_code == 200
    # A forged X-Forwarded-For does not buy another address (no proxy is trusted).
    forged = client.get("/api/v1/speakers", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert forged.status_code == 429
    cache.clear()


def _made_up(*values) -> str:
    import base64

    raw = json.dumps(list(values)).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    ("url", "cursor"),
    [
        ("/api/v1/articles", _made_up("2024-05-01", "2024-05-01T10:00:00+00:00", 3)),
        ("/api/v1/articles", _made_up("9999-12-31", "9999-12-31T23:59:59-23:59", 1)),
        ("/api/v1/articles", _made_up("0001-01-01", "0001-01-01T00:00:00+23:59", 1)),
        ("/api/v1/articles", _made_up("2024-05-01", "2024-05-01T10:00:00+16:00", 1)),
        ("/api/v1/quotes", _made_up("2024-05-01", "2024-05-01T10:00:00Z", 0, 0, 2**62)),
        ("/api/v1/speakers", _made_up("Moon", 1)),
        ("/api/v1/speakers", _made_up("Moon", 1) + ".c2lnbmF0dXJl"),
    ],
)
def test_a_cursor_a_client_made_up_is_a_400(client, newsroom, url, cursor):
    error = get(client, url, expect=400, cursor=cursor)
    assert [e["parameter"] for e in error["errors"]] == ["cursor"]


@pytest.mark.usefixtures("one_window")
@override_settings(SUMMIT_API_RATE="3/min")
def test_the_rate_limit_is_shared_and_no_cached_page_evicts_it(client, newsroom):
    for _ in range(3):
        assert client.get("/api/v1/speakers").status_code == 200
    # Another process's memory (or reader pages pushing entries out): the count stays.
    for cache_ in caches.all():
        cache_.clear()
    for n in range(5):
        client.get("/quotes/", {"q": f"peace {n}"})
    assert client.get("/api/v1/speakers").status_code == 429
    # The W3C annotations count against the same limit.
    article = newsroom["articles"][0]
    assert client.get(f"/articles/{article.pk}/annotations.jsonld").status_code == 429


# A long article: its detail is paged ------------------------------------------------------


def long_article(make, paragraphs: int) -> Article:
    """An article of ``paragraphs`` paragraphs, each with a quote, two names and a claim
    (every tenth quote rejected), written in bulk."""
    lee = make.speaker("Ann Lee")
    article = make.article(
        *(
            f"“Bridge {n} will stand,” said Ann Lee in Springfield. It will."
            for n in range(paragraphs)
        )
    )
    quotes, mentions, claims = [], [], []
    for paragraph in article.paragraphs.all():
        text = paragraph.text

        def span(words, paragraph=paragraph, text=text):
            start = text.index(words)
            return {
                "article": article,
                "paragraph": paragraph,
                "start": start,
                "end": start + len(words),
                "text": words,
            }

        words = text[1 : text.index(",”") + 1]
        status = Status.REJECTED if paragraph.index % 10 == 3 else Status.MACHINE
        quotes.append(Quote(**span(words), speaker=lee, kind="direct", cue="said", status=status))
        mentions.append(models.EntityMention(**span("Ann Lee"), label="PERSON", speaker=lee))
        mentions.append(models.EntityMention(**span("Springfield"), label="GPE"))
        claims.append(models.Claim(**span("It will."), kind="prediction"))
    Quote.objects.bulk_create(quotes)
    models.EntityMention.objects.bulk_create(mentions)
    models.Claim.objects.bulk_create(claims)
    return article


def every_item(client, detail: dict, name: str) -> list[dict]:
    """One of an article's lists whole: the detail's first page, then its pages on."""
    items = list(detail[name])
    if detail[f"{name}_next"]:
        items += walk(client, detail[f"{name}_next"])
    return items


def test_a_long_articles_detail_stays_small_and_its_pages_give_every_annotation_once(client, make):
    """A 1.2M-character article's detail was one 20 MB response: now the detail holds
    the first 100 of each list, whatever the article's length, and each list pages on."""
    sizes = {}
    for length in (250, 600):
        article = long_article(make, length)
        response = client.get(f"/api/v1/articles/{article.pk}")
        assert response.status_code == 200
        sizes[length] = len(response.content)
        detail = response.json()
        assert [len(detail[name]) for name in ("paragraphs", "mentions", "quotes", "claims")] == [
            100
        ] * 4
        assert detail["paragraphs_next"].startswith(
            f"http://testserver/api/v1/articles/{article.pk}/paragraphs?"
        )
        shown = {
            "paragraphs": article.paragraphs.values_list("pk", flat=True),
            "mentions": article.entitymentions.values_list("pk", flat=True),
            "quotes": article.quotes.exclude(status=Status.REJECTED).values_list("pk", flat=True),
            "claims": article.claims.values_list("pk", flat=True),
        }
        for name, pks in shown.items():
            key = "index" if name == "paragraphs" else "id"
            ids = [item[key] for item in every_item(client, detail, name)]
            if name == "paragraphs":
                assert ids == list(range(length))
            else:
                assert len(ids) == len(set(ids)) == len(pks)  # each once
                assert set(ids) == set(pks)
        quotes = every_item(client, detail, "quotes")
        assert len(quotes) == length - length // 10
        # In reading order, each quote's offsets into its own paragraph.
        assert [q["paragraph"] for q in quotes] == sorted(q["paragraph"] for q in quotes)
        texts = {p["index"]: p["text"] for p in every_item(client, detail, "paragraphs")}
        assert all(texts[q["paragraph"]][q["start"] : q["end"]] == q["text"] for q in quotes)
    assert sizes[250] < 120_000
    # The same first pages, whatever the length (ids and slugs a digit longer, at most).
    assert sizes[600] < sizes[250] * 1.02


def test_an_articles_lists_page_at_any_size_and_send_a_link_header(client, make):
    article = long_article(make, 30)
    url = f"/api/v1/articles/{article.pk}/mentions"
    first = client.get(url, {"limit": 7})
    assert first.status_code == 200
    assert first["Link"] == f'<{first.json()["next"]}>; rel="next"'
    mentions = walk(client, url, limit=7)
    assert len(mentions) == 60
    assert [(m["paragraph"], m["start"]) for m in mentions] == sorted(
        (m["paragraph"], m["start"]) for m in mentions
    )
    assert get(client, f"/api/v1/articles/{article.pk}")["mentions"] == mentions
    last = client.get(url, {"limit": 100})
    assert last.json()["next"] is None
    assert not last.has_header("Link")


def test_an_articles_list_pages_are_cached_until_it_changes(client, make):
    article = long_article(make, 12)
    url = f"/api/v1/articles/{article.pk}/quotes"
    first = client.get(url, {"limit": 5})
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(url, {"limit": 5})
    assert again.content == first.content
    assert again["Link"] == first["Link"]  # made again for the cached page
    assert len(ctx.captured_queries) == 1  # the content version only
    Quote.objects.filter(article=article).update(status=Status.REJECTED)
    assert get(client, url, limit=5) == {"items": [], "next": None}


@pytest.mark.parametrize("name", ["paragraphs", "mentions", "quotes", "claims"])
def test_an_articles_list_of_no_article_is_a_json_404(client, db, name):
    error = get(client, f"/api/v1/articles/999999/{name}", expect=404)
    assert error["detail"] == "No article with this id."


def test_a_cursor_of_an_articles_list_a_client_made_or_moved_is_a_400(client, make):
    article = long_article(make, 12)
    base = f"/api/v1/articles/{article.pk}"
    quotes_cursor = get(client, f"{base}/quotes", limit=2)["next"].split("cursor=")[1]
    # Its own list, and the same position in another article, read on.
    assert get(client, f"{base}/quotes", cursor=quotes_cursor)["items"]
    for name, cursor in [
        ("quotes", _made_up(0, 5, 1)),
        ("quotes", _made_up(2**70, 0, 1)),
        ("paragraphs", _made_up(0, 1)),
        ("mentions", quotes_cursor),  # another list's
        ("paragraphs", quotes_cursor),
        ("claims", quotes_cursor[:-2] + "xx"),
        ("claims", "x" * 1999),
    ]:
        error = get(client, f"{base}/{name}", expect=400, cursor=cursor)
        assert [e["parameter"] for e in error["errors"]] == ["cursor"], (name, cursor)


@pytest.mark.usefixtures("one_window")
@override_settings(SUMMIT_API_RATE="3/min")
def test_an_articles_list_pages_count_against_the_rate_limit(client, make):
    article = long_article(make, 3)
    for _ in range(3):
        assert client.get(f"/api/v1/articles/{article.pk}/claims").status_code == 200
    assert client.get(f"/api/v1/articles/{article.pk}/claims").status_code == 429


def test_the_schema_documents_the_paged_detail(client, db):
    schema = get(client, "/api/v1/openapi.json")
    for name in ("paragraphs", "mentions", "quotes", "claims"):
        assert f"/api/v1/articles/{{article_id}}/{name}" in schema["paths"]
        assert f"{name}_next" in schema["components"]["schemas"]["ArticleDetail"]["required"]

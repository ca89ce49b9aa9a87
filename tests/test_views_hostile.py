"""No query string, id or slug a visitor can send makes a reader page answer 5xx."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summit.models import Quote, Speaker

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
BIG = 9223372036854775808  # one more than the largest 64-bit integer


@pytest.fixture
def article(make):
    kim = make.speaker("Kim Pope")
    article = make.article("“We will go,” said Kim Pope.")
    make.quote(article, "We will go,", kim)
    return article


@pytest.mark.parametrize(
    "url",
    [
        f"/quotes/?article={BIG}",
        f"/quotes/?article=-{BIG}",
        "/quotes/?article=-1",
        f"/quotes/?page={BIG}",
        "/quotes/?q=" + "%25_" * 30000,
        "/quotes/?q=" + "a" * 60000,
        "/?q=" + "%25" * 60000,
        "/quotes/?speaker=" + "x" * 5000,
        "/quotes/?q=%00&speaker=%00&kind=%00",
        "/?q=a%00b",
        "/people/?kind=%00&page=%00",
        f"/articles/{BIG}/",
        f"/articles/{BIG * 10**20}/",
        "/people/" + "a" * 400 + "/",
        "/people/a/?page=" + "9" * 50,
        f"/quotes/1/?quote={BIG}",
        f"/quotes/{BIG}/",
    ],
)
def test_hostile_query_strings_never_answer_5xx(client, article, url):
    for extra in ({}, HX):
        response = client.get(url, **extra)
        assert response.status_code in (200, 301, 302, 404), url


def test_search_input_is_bounded_and_still_finds(client, article):
    from summit.views import MAX_QUERY_LENGTH

    html = client.get("/quotes/", {"q": "We will" + " " * 10 + "x" * 60000}).content.decode()
    assert "x" * (MAX_QUERY_LENGTH + 1) not in html
    assert client.get("/quotes/", {"q": "We will go"}).context["page"].paginator.count == 1


def test_an_article_id_out_of_range_is_ignored_not_an_error(client, article):
    response = client.get("/quotes/", {"article": str(BIG)})
    assert response.status_code == 200
    assert response.context["article"] is None
    assert response.context["page"].paginator.count == 1


def test_a_speaker_slug_with_a_slash_is_refused_on_save(make):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Speaker.objects.create(name="Ann", slug="ann/smith")
    with pytest.raises(ValidationError):
        Speaker.objects.create(name="Ann", slug="ann smith")


_text = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["", "0", "-1", str(BIG), "1e9", "%", "_", "\\", "'", "NaN", "direct", "person", "2"]
)
_params = st.dictionaries(
    st.sampled_from(["q", "page", "article", "speaker", "kind", "layers", "show"]),
    _text,
    max_size=5,
)


@given(
    path=st.sampled_from(["home", "speakers", "quotes", "article", "speaker", "card", "quote"]),
    params=_params,
    htmx=st.booleans(),
)
@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_reader_url_answers_5xx_for_any_parameters(client, article, path, params, htmx):
    slug = Speaker.objects.get().slug
    url = {
        "home": reverse("home"),
        "speakers": reverse("speakers"),
        "quotes": reverse("quotes"),
        "article": reverse("article", args=[article.pk]),
        "speaker": reverse("speaker", args=[slug]),
        "card": reverse("speaker-card", args=[slug]),
        "quote": reverse("quote", args=[Quote.objects.get().pk]),
    }[path]
    response = client.get(url, params, **(HX if htmx else {}))
    assert response.status_code < 500

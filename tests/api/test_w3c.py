import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from summit.models import Paragraph, Status
from summit.nlp.types import PARAGRAPH_JOIN

pytestmark = pytest.mark.django_db

MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def _collection(client, article):
    response = client.get(f"/articles/{article.pk}/annotations.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == MEDIA_TYPE
    return json.loads(response.content)


def _article_text(article) -> str:
    paragraphs = Paragraph.objects.filter(article=article).order_by("index")
    return PARAGRAPH_JOIN.join(p.text for p in paragraphs)


def test_every_selector_of_seed_000_points_at_its_text(client, seeds):
    article = next(a for name, a in seeds.items() if name.startswith("000_"))
    collection = _collection(client, article)
    text = _article_text(article)

    assert collection["type"] == "AnnotationCollection"
    assert collection["total"] == len(collection["items"]) > 0
    kinds = {item["id"].split(":")[2] for item in collection["items"]}
    assert kinds == {"quote", "mention", "claim"}
    stored = {
        f"urn:summit:{kind}:{a.pk}": a.text
        for kind, model in (("quote", "quotes"), ("mention", "entitymentions"), ("claim", "claims"))
        for a in getattr(article, model).all()
    }
    for item in collection["items"]:
        target = item["target"]
        assert target["source"] == f"http://testserver/articles/{article.pk}/"
        quote, position = target["selector"]
        assert quote["type"] == "TextQuoteSelector"
        assert position["type"] == "TextPositionSelector"
        start, end = position["start"], position["end"]
        assert quote["exact"] == text[start:end] == stored[item["id"]]
        assert text[:start].endswith(quote["prefix"])
        assert text[end:].startswith(quote["suffix"])
        assert len(quote["prefix"]) == min(32, start)
        assert len(quote["suffix"]) == min(32, len(text) - end)


def test_a_quote_over_two_paragraphs_is_one_span_of_the_article_text(client, make):
    ending = "until the very end of this long and difficult season."
    article = make.article("Opening words.", "“We will go on,” she said. “And on", ending + "”")
    last = article.paragraphs.get(index=2)
    quote = make.quote(article, "And on", paragraph=1)
    quote.end_paragraph, quote.end, quote.text = last, len(ending), f"And on\n\n{ending}"
    quote.full_clean()
    quote.save()

    (item,) = _collection(client, article)["items"]
    exact = item["target"]["selector"][0]["exact"]
    assert exact == f"And on\n\n{ending}"
    start = item["target"]["selector"][1]["start"]
    assert _article_text(article)[start : start + len(exact)] == exact


def test_rejected_annotations_are_left_out(client, make):
    article = make.article("Kim said the talks would fail. Moon disagreed.")
    kim = make.speaker("Kim Jong-un")
    make.quote(article, "the talks would fail", kim, kind="indirect")
    make.mention(article, "Moon", status=Status.REJECTED)
    make.claim(article, "the talks would fail", kim, status=Status.REJECTED)

    items = _collection(client, article)["items"]
    assert [item["id"].split(":")[2] for item in items] == ["quote"]
    assert {"type": "TextualBody", "purpose": "identifying", "value": "Kim Jong-un"} in items[0][
        "body"
    ]


def test_the_article_page_links_its_annotations(client, make):
    article = make.article("A paragraph.")
    page = client.get(article.get_absolute_url()).content.decode()
    assert (
        f'<link rel="alternate" type="application/ld+json" '
        f'href="/articles/{article.pk}/annotations.jsonld"' in page
    )


@pytest.mark.parametrize("pk", ["999999", "9" * 30])
def test_an_unknown_article_is_a_json_404(client, pk):
    response = client.get(f"/articles/{pk}/annotations.jsonld")
    assert response.status_code == 404
    assert response.json() == {"detail": "No article with this id."}


def test_the_export_is_the_same_collection(client, make, capsys):
    article = make.article("Kim said the talks would fail.")
    make.quote(article, "the talks would fail", make.speaker("Kim Jong-un"), kind="indirect")
    call_command("export", "--format", "w3c")
    exported = json.loads(capsys.readouterr().out)
    served = _collection(client, article)
    for item in exported["items"]:
        item["target"]["source"] = served["items"][0]["target"]["source"]
    assert exported["items"] == served["items"]


def test_the_annotations_are_cached_like_the_article_page(client, make):
    article = make.article("“We will go on,” she said.")
    make.quote(article, "We will go on,")
    url = f"/articles/{article.pk}/annotations.jsonld"
    first = client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(url)
    assert again.content == first.content
    assert again["Content-Type"] == MEDIA_TYPE
    assert len(ctx.captured_queries) == 1  # the content version only


def test_a_long_articles_annotations_come_in_pages(client, make, monkeypatch):
    from summit.api import w3c

    monkeypatch.setattr(w3c, "PAGE_ITEMS", 4)
    article = make.article(*(f"“Word {i},” said Ann Lee." for i in range(5)))
    for i in range(5):
        make.quote(article, f"Word {i},", paragraph=i)
        make.mention(article, "Ann Lee", paragraph=i)
    url = f"/articles/{article.pk}/annotations.jsonld"
    collection = _collection(client, article)
    assert "items" not in collection
    assert collection["total"] == 10
    assert collection["first"].endswith(f"{url}?page=0")
    assert collection["last"].endswith(f"{url}?page=2")
    items, next_page = [], collection["first"]
    while next_page:
        page = client.get(next_page.removeprefix("http://testserver")).json()
        assert page["type"] == "AnnotationPage"
        assert page["startIndex"] == len(items)
        items += page["items"]
        next_page = page.get("next")
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)) == 10
    text = _article_text(article)
    for item in items:
        quote, position = item["target"]["selector"]
        assert quote["exact"] == text[position["start"] : position["end"]]
    assert client.get(f"{url}?page=3").status_code == 404
    assert client.get(f"{url}?page=x").status_code == 400

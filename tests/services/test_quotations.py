"""One quotation, many articles: the same words from one speaker are one quotation."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from summit.models import Quote, QuoteGroup, Speaker, Status
from summit.services.quotations import overlap, quotations_rebuild, quote_words

WORDS = (
    "We will finish the river crossing before the winter floods arrive, and every family "
    "on both banks will be able to walk to school and to work."
)


def _telling(make, speaker, text, *, outlet, day, title=None):
    article = make.article(
        f"“{text},” {speaker.name} said on Monday.",
        title=title or f"{outlet} story",
        outlet=outlet,
        published=datetime.date(2026, 3, day),
    )
    return make.quote(article, text, speaker)


@pytest.fixture
def wire(make):
    """One quotation carried by three outlets (in slightly different spellings), and
    another quote of the same speaker."""
    roe = make.speaker("Jane Roe")
    first = _telling(make, roe, WORDS, outlet="Valley Courier", day=2)
    second = _telling(make, roe, WORDS.upper().replace(",", ""), outlet="Harbour Daily", day=4)
    third = _telling(make, roe, WORDS.replace("We will", "We’ll"), outlet="Upland Weekly", day=6)
    other = _telling(make, roe, "The budget is not negotiable", outlet="Valley Courier", day=5)
    return roe, [first, second, third], other


@pytest.mark.django_db
def test_the_same_words_from_one_speaker_in_three_articles_are_one_quotation(wire):
    roe, (first, second, third), other = wire
    groups = {q.pk: Quote.objects.get(pk=q.pk).group_id for q in (first, second, third)}
    assert len(set(groups.values())) == 1
    group = QuoteGroup.objects.get(pk=groups[first.pk])
    # Shown once, by its newest telling; the others earliest first.
    assert group.lead_id == third.pk
    assert group.article_count == 3
    assert group.earliest == [first.pk, second.pk]
    listed = set(Quote.objects.filter(speaker=roe, listed=True).values_list("pk", flat=True))
    assert listed == {third.pk, other.pk}
    roe.refresh_from_db()
    assert (roe.quote_count, roe.quotation_count) == (4, 2)
    assert Quote.objects.get(pk=other.pk).group_id != group.pk


@pytest.mark.django_db
def test_nearly_the_same_words_join_and_other_words_or_another_speaker_do_not(make, wire):
    roe, tellings, _ = wire
    group = Quote.objects.get(pk=tellings[0].pk).group_id
    words = WORDS.split()
    near = " ".join(words[:-1] + ["shop"])  # one word in 26 changed
    far = " ".join(words[: len(words) // 2]) + " and nothing else at all will change"
    assert overlap(quote_words(near), quote_words(WORDS)) >= 0.9
    assert overlap(quote_words(far), quote_words(WORDS)) < 0.9
    doe = make.speaker("John Doe")
    joined = _telling(make, roe, near, outlet="Coast Times", day=1)
    apart = _telling(make, roe, far, outlet="Coast Times", day=1)
    someone_else = _telling(make, doe, WORDS, outlet="Coast Times", day=1)
    assert Quote.objects.get(pk=joined.pk).group_id == group
    assert Quote.objects.get(pk=apart.pk).group_id != group
    assert Quote.objects.get(pk=someone_else.pk).group_id != group
    assert QuoteGroup.objects.get(pk=group).article_count == 4


@pytest.mark.django_db
def test_a_rejected_or_reattributed_telling_leaves_and_the_quotation_chooses_again(make, wire):
    from summit.services.editing import annotation_set_status, quote_set_speaker

    roe, (first, second, third), _ = wire
    group = Quote.objects.get(pk=first.pk).group_id
    annotation_set_status(annotations=[Quote.objects.get(pk=third.pk)], status="rejected", by=None)
    g = QuoteGroup.objects.get(pk=group)
    assert (g.lead_id, g.article_count, g.earliest) == (second.pk, 2, [first.pk])
    assert Quote.objects.get(pk=second.pk).listed
    doe = make.speaker("John Doe")
    quote_set_speaker(quotes=[Quote.objects.get(pk=second.pk)], speaker=doe, by=None)
    moved = Quote.objects.get(pk=second.pk)
    assert moved.group_id != group
    assert moved.listed
    g.refresh_from_db()
    assert (g.lead_id, g.article_count) == (first.pk, 1)
    roe.refresh_from_db()
    assert roe.quotation_count == 2


@pytest.mark.django_db
def test_ingest_groups_the_same_quotation_across_articles(tmp_path, seed_pipeline):
    from summit.services.ingest import articles_ingest

    for n, (outlet, day) in enumerate([("Valley Courier", 2), ("Harbour Daily", 4)]):
        (tmp_path / f"story{n}.txt").write_text(
            f"Bridge to open before winter\n\nSource: {outlet}\nDate: 2026-03-0{day}\n\n"
            f"The county approved the crossing on Monday.\n\n“{WORDS},” said Jane Roe, "
            "the county's mayor.",
            encoding="utf-8",
        )
    results = articles_ingest(targets=[str(tmp_path)], pipeline=seed_pipeline)
    assert not [r for r in results if r.failed]
    quotes = list(Quote.objects.filter(speaker__name="Jane Roe"))
    assert len(quotes) == 2
    assert quotes[0].group_id == quotes[1].group_id is not None
    assert QuoteGroup.objects.get().article_count == 2
    assert Speaker.objects.get(name="Jane Roe").quotation_count == 1
    # Ingested again unchanged or forced: still one quotation.
    articles_ingest(targets=[str(tmp_path)], pipeline=seed_pipeline, force=True)
    assert QuoteGroup.objects.count() == 1
    assert QuoteGroup.objects.get().article_count == 2


@pytest.mark.django_db
def test_rebuilding_every_quotation_finds_the_same_groups(wire):
    roe, tellings, other = wire
    before = {q.pk: q.group_id for q in Quote.objects.all()}
    made = quotations_rebuild()
    assert made == {"groups": 2, "quotes": 4}
    after = {q.pk: q.group_id for q in Quote.objects.all()}
    assert len({after[q.pk] for q in tellings}) == 1
    assert after[other.pk] != after[tellings[0].pk]
    assert len(set(before.values())) == len(set(after.values()))
    group = QuoteGroup.objects.get(pk=after[tellings[0].pk])
    assert (group.lead_id, group.article_count) == (tellings[2].pk, 3)


@pytest.mark.django_db
def test_rebuilding_gives_every_group_the_lead_count_and_earliest_that_ingest_gave(make, wire):
    roe, (first, second, third), other = wire
    # An undated copy, a copy told twice in one article, a rejected copy, a quote with
    # no speaker: the rebuild, set-based, must decide each as quote by quote.
    undated = make.article(f"“{WORDS},” Jane Roe said.", outlet="Night Wire")
    make.quote(undated, WORDS, roe)
    twice = make.article(
        f"“{WORDS},” Jane Roe said.", f"Again: “{WORDS},” she said.", outlet="Coast Times"
    )
    make.quote(twice, WORDS, roe, paragraph=0)
    make.quote(twice, WORDS, roe, paragraph=1)
    make.quote(twice, WORDS, roe, paragraph=0, status=Status.REJECTED)
    make.quote(twice, WORDS, None, paragraph=1)

    def state():
        groups = {
            g.pk: (g.speaker_id, g.lead_id, g.article_count, g.earliest)
            for g in QuoteGroup.objects.all()
        }
        quotes = Quote.objects.order_by("pk").values_list("pk", "group_id", "listed")
        return sorted(groups.values()), [(pk, groups.get(g), listed) for pk, g, listed in quotes]

    before = state()
    assert quotations_rebuild() == {"groups": 2, "quotes": 7}
    assert state() == before


# What readers see ----------------------------------------------------------------------


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.django_db
def test_a_speaker_quoted_often_in_few_quotations_has_them_read_by_speaker(
    client, wire, monkeypatch
):
    """Copies make many quotes of few quotations: the page reads the speaker's quotations
    (``quote_listed_by_speaker``), not every article walked for a page of them."""
    roe, (first, second, third), other = wire
    monkeypatch.setattr("summit.models.MANY_QUOTES", 2)  # 4 quotes, 2 quotations
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(roe.get_absolute_url()).content.decode()
    assert html.count("quote-item__elsewhere") == 1
    assert f'href="/quotes/{third.pk}/"' in html
    assert f'href="/quotes/{other.pk}/"' in html
    page_query = [q["sql"] for q in ctx.captured_queries if '"summit_quote"."listed"' in q["sql"]]
    assert page_query
    assert not [sql for sql in page_query if "EXISTS" in sql]


@pytest.mark.django_db
def test_the_person_page_shows_a_quotation_once_with_where_else_it_appeared(client, wire):
    roe, (first, second, third), other = wire
    html = client.get(roe.get_absolute_url()).content.decode()
    assert html.count("quote-item__elsewhere") == 1
    text = _text(html)
    assert (
        text.count("WE WILL FINISH") + text.count("We’ll finish") + text.count("We will finish")
        == 1
    )
    assert (
        "Also in 2 other articles : Valley Courier 2 Mar 2026 ; Harbour Daily 4 Mar 2026 ." in text
    )
    assert f'href="/articles/{first.article_id}/#q{first.pk}"' in html
    assert f'href="/quotes/{third.pk}/#elsewhere"' in html


@pytest.mark.django_db
def test_the_quotes_page_and_search_show_a_quotation_once(client, wire):
    roe, (first, second, third), other = wire
    text = _text(client.get("/quotes/").content.decode())
    assert "2 quotes." in text
    assert "Also in 2 other articles" in text
    found = _text(client.get("/quotes/", {"q": "river crossing"}).content.decode())
    assert "1 quote matching" in found
    assert "Also in 2 other articles" in found
    home = client.get("/", {"q": "river crossing"}).content.decode()
    assert "and 1 quote" in _text(home)
    # One article's quotes: all of them, each with its quotation's other articles.
    one = _text(client.get("/quotes/", {"article": first.article_id}).content.decode())
    assert "2 quotes." not in one
    assert "Also in 2 other articles : Harbour Daily 4 Mar 2026 ; and 1 more." in one


@pytest.mark.django_db
def test_the_permalink_lists_every_other_article_earliest_first(client, wire):
    roe, (first, second, third), other = wire
    text = _text(client.get(f"/quotes/{third.pk}/").content.decode())
    assert "Also in 2 other articles" in text
    assert text.index("Valley Courier , 2 March 2026") < text.index("Harbour Daily , 4 March 2026")
    assert "(in these words:" in text  # the other spellings are shown as they stand
    lonely = _text(client.get(f"/quotes/{other.pk}/").content.decode())
    assert "Also in" not in lonely


@pytest.mark.django_db
def test_listing_pages_read_the_quotations_in_a_fixed_number_of_queries(client, make, wire):
    roe = wire[0]

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = {u: queries(u) for u in (roe.get_absolute_url(), "/quotes/", "/?q=river")}
    for day in range(7, 12):
        _telling(make, roe, WORDS, outlet=f"Paper {day}", day=day)
        _telling(make, roe, f"Another promise number {day} for the town", outlet="X", day=day)
    after = {u: queries(u) for u in before}
    assert after == before


@pytest.mark.django_db
def test_the_api_gives_each_quote_its_quotation_and_the_quotation_its_articles(client, wire):
    roe, (first, second, third), other = wire
    item = client.get(f"/api/v1/quotes?speaker={roe.slug}").json()["items"][0]
    assert item["quotation"]["article_count"] == 3
    quotation = client.get(item["quotation"]["api_url"]).json()
    assert quotation["speaker"]["slug"] == roe.slug
    assert [q["id"] for q in quotation["quotes"]] == [first.pk, second.pk, third.pk]
    assert [q["article"]["published"] for q in quotation["quotes"]] == [
        "2026-03-02",
        "2026-03-04",
        "2026-03-06",
    ]
    assert client.get("/api/v1/quotations/999999").status_code == 404


# The correction desk --------------------------------------------------------------------


@pytest.mark.django_db
def test_an_editors_correction_to_one_telling_is_offered_for_the_rest(make, wire, admin_client):
    roe, (first, second, third), _ = wire
    doe = make.speaker("John Doe")
    change = f"/admin/summit/quote/{second.pk}/change/"
    form = admin_client.get(change).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"speaker": doe.pk, "status": Status.MACHINE, "reason": "wrong person"})
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    response = admin_client.post(change, data, follow=True)
    page = response.content.decode()
    assert "The same quotation stands in 2 other articles" in page, page[:3000]
    offer = re.search(r'href="([^"]*/quotation/\?group=\d+)"', page).group(1)
    confirm = admin_client.get(offer.replace("&amp;", "&"))
    assert "Correct all 2" in confirm.content.decode()
    group = re.search(r"group=(\d+)", offer).group(1)
    admin_client.post(offer.split("?")[0], {"group": group, "apply": "1"})
    speakers = set(
        Quote.objects.filter(pk__in=[first.pk, second.pk, third.pk]).values_list(
            "speaker_id", flat=True
        )
    )
    assert speakers == {doe.pk}
    # Now one quotation of John Doe's, and Jane Roe keeps only her other quote.
    assert len({Quote.objects.get(pk=q.pk).group_id for q in (first, second, third)}) == 1
    assert Speaker.objects.get(pk=roe.pk).quotation_count == 1
    assert first.history.first().history_user is not None  # each change in the history

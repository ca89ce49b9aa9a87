"""The article page is served whole from the cache to readers who are not signed in, and
never after the content changed, whichever way it changed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from summit.models import Article, Quote, Speaker
from summit.pagecache import content_version
from tests.services.test_ingest import ScriptedPipeline

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(make):
    kim = make.speaker("Kim Pope")
    article = make.article("“We will go,” said Kim Pope.", "Bo Chan agreed.")
    quote = make.quote(article, "We will go,", kim)
    make.mention(article, "Kim Pope", speaker_obj=kim)
    return article, quote, kim


def _page(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_reader_gets_the_page_from_the_cache_with_one_query(client, story):
    article, quote, _ = story
    first = _page(client, article)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(article.get_absolute_url())
    assert again.content.decode() == first
    assert len(queries) == 1, [q["sql"] for q in queries]  # the content version
    # Headers are the middleware's, made for each response.
    assert "Content-Security-Policy" in again.headers
    assert again.headers["X-Frame-Options"] == "DENY"


def test_each_site_name_has_its_own_page(client, story, settings):
    settings.ALLOWED_HOSTS = ["news.example", "www.news.example"]
    article, _, _ = story
    url = article.get_absolute_url()
    client.get(url, HTTP_HOST="news.example")
    with CaptureQueriesContext(connection) as queries:
        client.get(url, HTTP_HOST="www.news.example")
    assert len(queries) > 1, "rendered for this host, not the other's page"


def test_the_layers_chosen_are_cached_apart(client, story):
    article, _, _ = story
    everything = _page(client, article)
    quotes_only = client.get(article.get_absolute_url(), {"layers": "1", "show": "quotes"})
    assert "hide-entities" in quotes_only.content.decode()
    assert "hide-entities" not in everything
    assert _page(client, article) == everything


def _rename(quote, kim):
    from summit.services.speakers import speaker_save

    kim.name = "Kim Popeová"
    speaker_save(speaker=kim, by=None)
    return "Kim Popeová"


def _reject(quote, kim):
    from summit.services.editing import annotation_set_status

    annotation_set_status(annotations=[quote], status="rejected", by=None)
    return f'No longer: <q id="q{quote.pk}"'


def _bulk_update(quote, kim):
    Speaker.objects.filter(pk=kim.pk).update(name="Kim Bulk")
    return "Kim Bulk"


def _raw_sql(quote, kim):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE summit_article SET title = %s", ["A title set by hand"])
    return "A title set by hand"


def _merge(quote, kim):
    from summit.services.speakers import speaker_merge

    into = Speaker.objects.create(name="Kimberly Pope")
    speaker_merge(into=into, others=[kim], by=None)
    return "Kimberly Pope"


def _title(quote, kim):
    from summit.services.editing import article_update

    article_update(article=quote.article, data={"title": "An editor’s title"}, by=None)
    return "An editor’s title"


@pytest.mark.parametrize(
    "change", [_rename, _reject, _bulk_update, _raw_sql, _merge, _title], ids=lambda f: f.__name__
)
def test_any_change_shows_at_once(client, story, change):
    article, quote, kim = story
    before = _page(client, article)
    assert _page(client, article) == before  # cached
    expected = change(quote, kim)
    after = _page(client, article)
    assert after != before
    if expected.startswith("No longer: "):
        assert expected.removeprefix("No longer: ").strip() not in after
    else:
        assert expected in after


def test_an_editor_deleting_a_quote_in_the_admin_is_seen_by_readers_at_once(client, story, make):
    article, quote, _ = story
    reader = client
    assert f'<q id="q{quote.pk}"' in _page(reader, article)
    from django.test import Client

    desk = Client()
    desk.force_login(make.editor("ed"))
    response = desk.post(f"/admin/summit/quote/{quote.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Quote.objects.filter(pk=quote.pk).exists()
    assert f'<q id="q{quote.pk}"' not in _page(reader, article)


def test_editors_and_readers_never_get_each_others_page(client, story, make):
    article, quote, _ = story
    reader_page = _page(client, article)
    assert "q-edit" not in reader_page
    from django.test import Client

    desk = Client()
    desk.force_login(make.editor("ed"))
    editor_page = _page(desk, article)
    assert "q-edit" in editor_page
    assert "Editors’ admin" in editor_page
    assert _page(client, article) == reader_page  # the editor's page was not stored
    assert "q-edit" in _page(desk, article)  # nor the reader's served to the editor


def test_a_rolled_back_write_leaves_the_version_as_it_was(story):
    from django.db import transaction

    before = content_version()
    seen = []

    def write_then_fail():
        with transaction.atomic():
            Article.objects.update(title="Never")
            seen.append(content_version())  # the writer sees its own change
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert seen != [before]
    assert content_version() == before


def test_migrating_counts_as_a_change(story):
    from django.core.management import call_command

    before = content_version()
    call_command("migrate", "summit", verbosity=0)
    assert content_version() != before


def _get(client, url, **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("page", ["person", "quotes"])
def test_the_person_and_quotes_pages_come_from_the_cache_and_change_at_once(client, story, page):
    _, quote, kim = story
    url = kim.get_absolute_url() if page == "person" else "/quotes/"
    first = _get(client, url)
    with CaptureQueriesContext(connection) as queries:
        assert _get(client, url) == first
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert "Kim Popeová" not in first
    _rename(quote, kim)
    kim.refresh_from_db()
    assert "Kim Popeová" in _get(client, kim.get_absolute_url() if page == "person" else url)


def test_each_address_and_the_fragment_are_cached_apart(client, story, make):
    article, _, kim = story
    other = make.speaker("Bo Chan")
    make.quote(make.article("“Not today,” said Bo Chan."), "Not today,", other)
    everyone = _get(client, "/quotes/")
    only_kim = _get(client, "/quotes/", data={"speaker": kim.slug})
    assert "Not today" in everyone
    assert "Not today" not in only_kim
    fragment = _get(client, "/quotes/", HTTP_HX_REQUEST="true")
    assert "<html" in everyone
    assert "<html" not in fragment
    assert _get(client, "/quotes/") == everyone


def test_a_merged_persons_old_address_still_redirects(client, story):
    from summit.services.speakers import speaker_merge

    _, _, kim = story
    old = kim.get_absolute_url()
    _get(client, old)
    into = Speaker.objects.create(name="Kimberly Pope")
    speaker_merge(into=into, others=[kim], by=None)
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"].startswith(into.get_absolute_url())


@pytest.mark.django_db(transaction=True)
def test_a_write_that_trims_old_changes_succeeds_outside_a_transaction(make):
    # Every KEEP_CHANGES-th change trims the oldest; in autocommit (a management command,
    # a worker) that happens while the write that set it off is still in progress.
    from summit.models import ContentChange
    from summit.pagecache import KEEP_CHANGES

    last = ContentChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ContentChange.objects.bulk_create(
        ContentChange() for _ in range(KEEP_CHANGES - 1 - last % KEEP_CHANGES)
    )
    speaker = make.speaker("Trim Test")  # this write's change is a multiple of KEEP_CHANGES
    assert speaker.pk
    assert ContentChange.objects.count() <= KEEP_CHANGES + 1


def test_ingesting_an_article_is_one_change_and_shows_at_once(client, story, seed_pipeline):
    from summit.models import ContentChange
    from summit.services.ingest import articles_ingest
    from tests.conftest import SEEDS_DIR

    home = client.get("/").content.decode()
    # the newest row's id, not the count: PostgreSQL's sequences go on after a rollback
    before = ContentChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    results = articles_ingest(targets=[str(SEEDS_DIR)], pipeline=seed_pipeline)
    assert [r.outcome for r in results] == ["ingested"] * len(results)
    # One change an article (one row for each of the pages it touches), however many
    # statements wrote it (dozens each), and none of every page.
    added = ContentChange.objects.filter(pk__gt=before)
    assert added.filter(scope="site").count() == 0
    assert added.filter(scope="listings").count() == len(results)
    assert client.get("/").content.decode() != home


# A newsroom ingests all day: a new article changes its own page, the pages of the people
# it names and the lists, and leaves every other page in the cache.

NEWS = ScriptedPipeline(
    {
        "The harbour wall will hold": "Kim Pope",
        "The ferry runs again": "Bo Chan",
        "Tolls go down in June": "Bo Chan",
    }
)


def _ingest(tmp_path, name: str, *paragraphs: str, outlet: str = "", pipeline=NEWS):
    from summit.services.ingest import articles_ingest

    path = tmp_path / name
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")
    meta = {"outlet": outlet} if outlet else None
    [result] = articles_ingest(targets=[str(path)], pipeline=pipeline, meta=meta)
    assert result.outcome in ("ingested", "updated"), result.message
    return Article.objects.get(pk=result.article_id)


def _from_cache(client, url: str) -> bool:
    """Whether ``url`` came from the cache: one query (the versions), no page rendered."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries) == 1


@pytest.fixture
def newsroom(tmp_path):
    harbour = _ingest(
        tmp_path,
        "harbour.txt",
        "Harbour repairs begin",
        "“The harbour wall will hold this winter,” said Kim Pope on Monday.",
    )
    ferry = _ingest(
        tmp_path, "ferry.txt", "Ferry back", "“The ferry runs again from Friday,” said Bo Chan."
    )
    kim = Speaker.objects.get(name="Kim Pope")
    bo = Speaker.objects.get(name="Bo Chan")
    return tmp_path, harbour, ferry, kim, bo


def test_a_new_article_leaves_other_articles_and_people_cached(client, newsroom):
    tmp_path, harbour, ferry, kim, bo = newsroom
    urls = [
        harbour.get_absolute_url(),
        kim.get_absolute_url(),
        f"/api/v1/articles/{harbour.pk}",
        f"/articles/{harbour.pk}/annotations.jsonld",
    ]
    pages = [_get(client, url) for url in urls]
    bo_page = _get(client, bo.get_absolute_url())
    quotes = _get(client, "/quotes/")
    assert all(_from_cache(client, url) for url in urls)

    tolls = _ingest(tmp_path, "tolls.txt", "Tolls", "“Tolls go down in June,” said Bo Chan.")

    # Another article's page (HTML, API, annotations) and a person the new article does
    # not name: still from the cache, unchanged.
    assert [_from_cache(client, url) for url in urls] == [True] * len(urls)
    assert [_get(client, url) for url in urls] == pages
    # What the new article changed shows at once: its people's pages and the lists.
    assert not _from_cache(client, bo.get_absolute_url())
    assert "Tolls go down in June" in _get(client, bo.get_absolute_url()) != bo_page
    assert "Tolls go down in June" in _get(client, "/quotes/") != quotes
    assert "Tolls go down in June" in _get(client, tolls.get_absolute_url())


def test_editing_a_quote_shows_at_once_on_its_article_and_its_speakers_page(client, newsroom):
    from summit.services.editing import annotation_set_status

    _, harbour, _, kim, _ = newsroom
    quote = harbour.quotes.get()
    mark, listed = f'<q id="q{quote.pk}"', f'href="{reverse("quote", args=[quote.pk])}"'
    assert mark in _get(client, harbour.get_absolute_url())
    assert listed in _get(client, kim.get_absolute_url())
    assert _from_cache(client, harbour.get_absolute_url())
    assert _from_cache(client, kim.get_absolute_url())

    annotation_set_status(annotations=[quote], status="rejected", by=None)

    assert mark not in _get(client, harbour.get_absolute_url())
    assert listed not in _get(client, kim.get_absolute_url())


def test_re_ingesting_an_article_shows_at_once_on_every_page_that_showed_it(client, newsroom):
    tmp_path, harbour, _, kim, _ = newsroom
    assert "this winter" in _get(client, kim.get_absolute_url())
    assert "this winter" in _get(client, harbour.get_absolute_url())
    _ingest(
        tmp_path,
        "harbour.txt",
        "Harbour repairs begin",
        "“The harbour wall will hold next winter,” said Kim Pope on Monday.",
    )
    assert "next winter" in _get(client, kim.get_absolute_url())
    assert "next winter" in _get(client, harbour.get_absolute_url())


def test_another_outlets_copy_shows_at_once_on_the_first_articles_page(client, newsroom):
    tmp_path, _, _, _, _ = newsroom
    text = [
        "Harbour fees to rise",
        "The harbour board agreed on Tuesday to raise mooring fees for the first time in "
        "a decade, citing the cost of dredging the channel.",
        "Boat owners will pay about a tenth more from the spring, the board said in a "
        "statement after a meeting that ran late into the evening.",
        "The fees have not changed since the last dredge, and the channel has silted up "
        "faster than expected since the storms of the winter before.",
    ]
    first = _ingest(tmp_path, "fees.txt", *text, outlet="Coast Wire")
    assert "Also published by" not in _get(client, first.get_absolute_url())
    edited = [p.replace("about a tenth", "roughly a tenth") for p in text[1:]]
    copy = _ingest(
        tmp_path, "gazette.txt", "Mooring to cost more", *edited, outlet="Harbour Gazette"
    )
    assert copy.copy_of == first
    assert "Harbour Gazette" in _get(client, first.get_absolute_url())


def test_a_write_beyond_a_new_articles_pages_is_a_change_of_every_page(story):
    from django.db import transaction

    from summit.models import ContentChange
    from summit.pagecache import LISTINGS, scoped_change

    _, _, kim = story
    before = ContentChange.objects.order_by("-pk").first().pk
    with transaction.atomic(), scoped_change() as change:
        Speaker.objects.filter(pk=kim.pk).update(quote_count=3)  # a counter: in scope
        change.changed(LISTINGS)
    assert list(ContentChange.objects.filter(pk__gt=before).values_list("scope", flat=True)) == [
        LISTINGS
    ]
    before = ContentChange.objects.order_by("-pk").first().pk
    with transaction.atomic(), scoped_change() as change:
        Speaker.objects.filter(pk=kim.pk).update(name="Kim Renamed", quote_count=3)
        change.changed(LISTINGS)
    assert list(ContentChange.objects.filter(pk__gt=before).values_list("scope", flat=True)) == [
        "site"
    ]


def test_a_description_a_new_article_fills_in_shows_at_once_on_that_persons_page(client, story):
    from django.db import transaction

    from summit.models import ContentChange
    from summit.pagecache import LISTINGS, scoped_change

    article, _, kim = story
    bo = Speaker.objects.create(name="Bo Chan")
    pages = [article.get_absolute_url(), bo.get_absolute_url()]
    for url in [*pages, kim.get_absolute_url()]:
        _get(client, url)
    before = ContentChange.objects.order_by("-pk").first().pk
    with transaction.atomic(), scoped_change() as change:
        kim.description = "harbour master of Pellworth"  # as ingest's resolver does
        kim.save(update_fields=["description"])
        change.changed(LISTINGS)
    scopes = ContentChange.objects.filter(pk__gt=before).values_list("scope", flat=True)
    assert sorted(scopes) == [LISTINGS, f"speaker:{kim.slug}"]
    assert "harbour master of Pellworth" in _get(client, kim.get_absolute_url())
    assert all(_from_cache(client, url) for url in pages)


def test_trimming_old_changes_keeps_each_scopes_newest(story):
    from summit.models import ContentChange
    from summit.pagecache import KEEP_CHANGES, content_changed, content_version

    content_changed(scopes=["article:777"])
    version = content_version("article:777")
    last = ContentChange.objects.order_by("-pk").values_list("pk", flat=True).first()
    ContentChange.objects.bulk_create(
        ContentChange() for _ in range(2 * KEEP_CHANGES - last % KEEP_CHANGES - 1)
    )
    content_changed()  # trims
    assert ContentChange.objects.count() <= KEEP_CHANGES + 2
    assert content_version("article:777").split(";")[1] == version.split(";")[1]


def test_one_change_notes_again_when_a_savepoint_took_its_row_back(story):
    from django.db import transaction

    from summit.pagecache import one_change

    before = content_version()
    with transaction.atomic(), one_change():
        try:
            with transaction.atomic():
                Article.objects.update(title="Gone again")  # noted here…
                raise RuntimeError
        except RuntimeError:
            pass  # … and that row rolled back with the savepoint
        assert content_version() == before
        Speaker.objects.update(description="Still written")
        noted = content_version()
        Speaker.objects.update(description="Written twice")
        assert content_version() == noted  # the block's change is noted once
    assert noted != before
    assert content_version() == noted


def test_a_quotation_a_new_article_repeats_shows_at_once_where_it_was_first_quoted(
    client, newsroom
):
    tmp_path, harbour, ferry, _, _ = newsroom
    urls = [harbour.get_absolute_url(), ferry.get_absolute_url()]
    for url in urls:
        _get(client, url)
    assert [_from_cache(client, url) for url in urls] == [True, True]

    wall = _ingest(
        tmp_path, "wall.txt", "Wall to stand", "“The harbour wall will hold,” Kim Pope told them."
    )

    # The first article's quotation gained a telling: its page is made again at once,
    # while an article the new one does not touch stays in the cache.
    assert wall.quotes.get().group_id == harbour.quotes.get().group_id
    assert [_from_cache(client, url) for url in urls] == [False, True]
    first = reverse("quote", args=[harbour.quotes.get().pk])
    assert "Also in 1 other article" in _get(client, first)

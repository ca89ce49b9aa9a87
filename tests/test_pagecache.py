"""The article page is served whole from the cache to readers who are not signed in, and
never after the content changed, whichever way it changed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from summit.models import Article, Quote, Speaker
from summit.pagecache import content_version

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
    before = ContentChange.objects.count()
    results = articles_ingest(targets=[str(SEEDS_DIR)], pipeline=seed_pipeline)
    assert [r.outcome for r in results] == ["ingested"] * len(results)
    # One row an article, however many statements wrote it (dozens each).
    assert ContentChange.objects.count() - before == len(results)
    assert client.get("/").content.decode() != home


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

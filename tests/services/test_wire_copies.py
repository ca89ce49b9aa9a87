"""Same story, many outlets: another outlet's copy of an article already ingested (wire
copy) is stored, readable and linked to the first, and listed once."""

import pytest
from django.urls import reverse

from summit.models import Article, Speaker
from summit.services.counters import counts_recompute
from summit.services.ingest import Outcome, articles_ingest
from tests.services.test_ingest import ScriptedPipeline

PIPELINE = ScriptedPipeline({"We will rebuild the harbour wall": "Mara Ellison"})

WIRE = [
    "The harbour town of Pellworth voted on Monday to rebuild its sea wall after the "
    "winter storms tore a hole in the old stone defences.",
    "“We will rebuild the harbour wall before the next storm season,” said Mara Ellison, "
    "who chairs the town council's flood committee.",
    "The council expects the work to cost about four million pounds, most of it paid "
    "for by a regional resilience fund set up last year.",
    "Fishing crews have moored their boats further up the estuary since the breach, "
    "and several harbour shops have closed until the repairs are finished.",
    "Engineers will survey the seabed next month before the first new blocks are laid "
    "along the northern stretch of the wall.",
]


def write(tmp_path, name, title, paragraphs):
    path = tmp_path / name
    path.write_text(title + "\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    return path


def ingest(path, outlet, published="", **options):
    meta = {"outlet": outlet, **({"published": published} if published else {})}
    return articles_ingest(targets=[str(path)], pipeline=PIPELINE, meta=meta, **options)


@pytest.fixture
def wire(tmp_path):
    """The wire story as the agency ran it, and a newspaper's copy: its own headline, a
    word changed, the last paragraph cut, typography of its own."""
    first = write(tmp_path, "agency.txt", "Pellworth to rebuild sea wall", WIRE)
    edited = [p.replace("about four million", "roughly four million") for p in WIRE[:-1]]
    edited[1] = edited[1].replace("“", '"').replace("”", '"')
    copy = write(tmp_path, "gazette.txt", "Town votes for new harbour defences", edited)
    [one] = ingest(first, "Coast Wire", "2026-03-02")
    [two] = ingest(copy, "Pellworth Gazette", "2026-03-03")
    return Article.objects.get(pk=one.article_id), Article.objects.get(pk=two.article_id), two


@pytest.mark.django_db
def test_another_outlets_copy_is_stored_and_linked_to_the_first(wire):
    first, copy, result = wire
    assert result.outcome is Outcome.INGESTED
    assert "linked to it as a copy" in result.message
    assert first.copy_of is None
    assert copy.copy_of == first
    assert copy.paragraphs.count() == 4  # its own text, the last paragraph cut
    assert [a.pk for a in first.also_published()] == [copy.pk]
    assert [a.pk for a in copy.also_published()] == [first.pk]


@pytest.mark.django_db
def test_the_home_page_lists_the_story_once_and_each_copy_stays_readable(client, wire):
    first, copy, _ = wire
    home = client.get(reverse("home")).content.decode()
    assert home.count(first.get_absolute_url() + '"') >= 1
    assert copy.get_absolute_url() + '"' not in home

    page = client.get(copy.get_absolute_url()).content.decode()
    assert "Town votes for new harbour defences" in page
    assert "Also published by" in page
    assert f'<a href="{first.get_absolute_url()}"><bdi>Coast Wire</bdi></a>' in page
    assert '<time datetime="2026-03-02">2 Mar 2026</time>' in page
    original = client.get(first.get_absolute_url()).content.decode()
    assert f'<a href="{copy.get_absolute_url()}"><bdi>Pellworth Gazette</bdi></a>' in original


@pytest.mark.django_db
def test_a_copy_whose_page_repeats_its_own_headline_and_dateline_is_found(tmp_path):
    """A web page's headline and dateline come through as paragraphs of its own: the
    paragraphs of the story decide."""
    title = "Pellworth to rebuild sea wall"
    first = write(tmp_path, "a.html.txt", title, [title, "PELLWORTH (Coast Wire)", *WIRE])
    other = "Town votes for new harbour defences"
    copy = write(tmp_path, "b.html.txt", other, [other, "By Gazette staff", *WIRE[:4]])
    [one] = ingest(first, "Coast Wire")
    [two] = ingest(copy, "Pellworth Gazette")
    assert Article.objects.get(pk=two.article_id).copy_of_id == one.article_id


@pytest.mark.django_db
def test_a_third_outlets_copy_joins_the_first_not_the_second(wire, tmp_path):
    first, copy, _ = wire
    third = write(tmp_path, "herald.txt", "Sea wall plan approved", WIRE[:4])
    [result] = ingest(third, "Estuary Herald")
    article = Article.objects.get(pk=result.article_id)
    assert article.copy_of == first
    assert [a.outlet for a in first.also_published()] == ["Pellworth Gazette", "Estuary Herald"]
    assert {a.pk for a in article.also_published()} == {first.pk, copy.pk}


@pytest.mark.django_db
def test_a_copy_with_the_same_headline_from_another_outlet_is_not_skipped(tmp_path):
    """--near-duplicates decides about the same outlet's text at another address (a
    version of one article); another outlet's is a copy, stored and linked."""
    first = write(tmp_path, "a.txt", "Pellworth to rebuild sea wall", WIRE)
    (tmp_path / "b").mkdir()
    again = write(tmp_path / "b", "a.txt", "Pellworth to rebuild sea wall", WIRE)
    again.write_text(again.read_text("utf-8").replace("Monday", "Tuesday"), "utf-8")
    ingest(first, "Coast Wire")

    [same_outlet] = ingest(again, "Coast Wire")
    assert same_outlet.outcome is Outcome.UNCHANGED
    assert "nearly the same text" in same_outlet.message

    [other_outlet] = ingest(again, "Pellworth Gazette")
    assert other_outlet.outcome is Outcome.INGESTED
    assert Article.objects.get(pk=other_outlet.article_id).copy_of.outlet == "Coast Wire"


@pytest.mark.django_db
def test_near_duplicates_new_stores_another_article_linked_as_a_copy(tmp_path):
    first = write(tmp_path, "a.txt", "Pellworth to rebuild sea wall", WIRE)
    (tmp_path / "b").mkdir()
    again = write(tmp_path / "b", "a.txt", "Pellworth to rebuild sea wall", WIRE[:4])
    [one] = ingest(first, "Coast Wire")
    [two] = ingest(again, "Coast Wire", near_duplicates="new")
    assert two.outcome is Outcome.INGESTED
    assert Article.objects.get(pk=two.article_id).copy_of_id == one.article_id


@pytest.mark.django_db
def test_articles_that_share_a_paragraph_or_two_are_not_copies(tmp_path):
    boilerplate = (
        "Readers can send tips to the newsroom by email or by post to the address printed "
        "on the back page of every edition."
    )
    first = write(tmp_path, "a.txt", "Sea wall", [*WIRE[:3], boilerplate])
    other = write(
        tmp_path,
        "b.txt",
        "Ferry timetable",
        [
            "The ferry between Pellworth and the islands will sail twice a day from June, "
            "the operator said on Friday.",
            WIRE[3],
            "Tickets for the summer season go on sale at the harbour office next week, "
            "with discounts for island residents.",
            boilerplate,
        ],
    )
    ingest(first, "Coast Wire")
    [result] = ingest(other, "Coast Wire")
    assert Article.objects.get(pk=result.article_id).copy_of is None


@pytest.mark.django_db
def test_finding_the_original_reads_a_bounded_number_of_rows(
    tmp_path, django_assert_max_num_queries
):
    """A paragraph every article of an outlet carries (a footer) costs a bounded lookup,
    not a pass over the articles that carry it."""
    from summit.nlp.structure import parse_structure
    from summit.services.ingest import wire_original

    footer = (
        "This story was produced by the coastal desk with support from readers like you, "
        "who keep local reporting free for everyone."
    )
    for n in range(40):
        text = f"Story {n}\n\nA paragraph of its own for story number {n} here today.\n\n{footer}"
        (tmp_path / f"s{n}.txt").write_text(text, "utf-8")
    articles_ingest(targets=[str(tmp_path)], pipeline=PIPELINE, meta={"outlet": "Coast Wire"})
    document = parse_structure("New story\n\n" + "\n\n".join([*WIRE, footer]), source="n.txt")
    with django_assert_max_num_queries(20):
        assert wire_original(document) is None


@pytest.mark.django_db
def test_an_articles_fingerprints_are_looked_up_in_one_statement_each_bounded(tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from summit.models import Paragraph
    from summit.services.ingest import _first_articles

    footer = "A footer every story of this outlet carries, long enough to be fingerprinted."
    for n in range(30):
        text = f"Story {n}\n\nA paragraph of its own for story number {n} here today.\n\n{footer}"
        (tmp_path / f"s{n}.txt").write_text(text, "utf-8")
    articles_ingest(targets=[str(tmp_path)], pipeline=PIPELINE, meta={"outlet": "Coast Wire"})
    prints = list(
        Paragraph.objects.filter(fingerprint__isnull=False)
        .order_by("article_id", "index")
        .values_list("fingerprint", flat=True)
        .distinct()[:4]
    )
    with CaptureQueriesContext(connection) as queries:
        found = _first_articles([*prints, "no-such-print"], 20)
    assert len(queries) == 1
    for fingerprint in prints:  # what one bounded query each finds
        one = Paragraph.objects.filter(fingerprint=fingerprint).order_by("article_id")
        assert found[fingerprint] == set(one.values_list("article_id", flat=True)[:20])
    assert max(len(articles) for articles in found.values()) == 20  # the footer's, bounded
    assert found["no-such-print"] == set()


@pytest.mark.django_db
def test_a_person_named_in_one_story_carried_twice_counts_one_article(wire):
    counts_recompute()
    mara = Speaker.objects.get(name="Mara Ellison")
    assert mara.mentions.values("article").distinct().count() == 2
    assert mara.article_count == 1


@pytest.mark.django_db
def test_the_api_says_which_article_a_copy_is_of_and_where_else_it_was_published(client, wire):
    first, copy, _ = wire
    body = client.get(reverse("api-1:article", args=[copy.pk])).json()
    assert body["copy_of"] == first.pk
    [other] = body["also_published"]
    assert (other["id"], other["outlet"], other["published"]) == (
        first.pk,
        "Coast Wire",
        "2026-03-02",
    )
    assert other["url"].endswith(first.get_absolute_url())
    listed = client.get(reverse("api-1:articles")).json()
    assert {a["id"]: a["copy_of"] for a in listed["items"]} == {first.pk: None, copy.pk: first.pk}


@pytest.mark.django_db
def test_search_finds_the_story_once(wire):
    from summit.results import find

    first, _, _ = wire
    found = find("Pellworth")
    assert [a.pk for a in found.page.object_list] == [first.pk]


@pytest.mark.django_db
def test_an_article_updated_into_a_copy_is_linked_and_its_names_counted_once(tmp_path):
    first = write(tmp_path, "a.txt", "Pellworth to rebuild sea wall", WIRE)
    other = write(
        tmp_path, "b.txt", "Harbour news", ["We will rebuild the harbour wall, she said."]
    )
    ingest(first, "Coast Wire")
    [before] = ingest(other, "Pellworth Gazette")
    assert Speaker.objects.get(name="Mara Ellison").article_count == 2
    other.write_text("Harbour news\n\n" + "\n\n".join(WIRE[:4]), "utf-8")
    [after] = ingest(other, "Pellworth Gazette")
    assert after.outcome is Outcome.UPDATED
    copy = Article.objects.get(pk=before.article_id)
    assert copy.copy_of.outlet == "Coast Wire"
    assert Speaker.objects.get(name="Mara Ellison").article_count == 1


@pytest.mark.django_db
def test_a_storys_other_outlets_are_read_by_its_copies_not_by_walking_every_article(make):
    """Most articles are no copy: "also published by" reads the story's few rows through
    the copies' index, even where the statistics say nearly every article has an empty
    ``copy_of`` (at 100,000 articles SQLite walked them all newest first: 90-260 ms)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench import scale

    story = make.article("The story as first told.", outlet="Coast Wire")
    for n in range(40):
        make.article(f"Another story number {n}.")
    copy = make.article("The story, told again.", outlet="Pellworth Gazette", copy_of=story)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with CaptureQueriesContext(connection) as ctx:
        assert [a.pk for a in story.also_published()] == [copy.pk]
    (sql,) = [q["sql"] for q in ctx.captured_queries]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # few rows: ask for an index
    plan = "\n".join(scale.plan(connection, sql))
    assert "article_copies" in plan, plan

"""Full-text search (summit/search.py and ``Paragraph.objects.search``): stemmed matches
ranked best first, snippets that mark the matched words and cannot carry markup from
an article, on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import pytest

from summit import search
from summit.models import Paragraph

S, E = search.MARK_START, search.MARK_END


def test_a_snippet_is_escaped_and_its_matches_are_marks():
    html = search.snippet_html(f"<b>Talks</b> & {S}talking{E} <script>x</script>")
    assert (
        html == "&lt;b&gt;Talks&lt;/b&gt; &amp; <mark>talking</mark> &lt;script&gt;x&lt;/script&gt;"
    )


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        (f"a{E} {S}word{E} b{S}", "a <mark>word</mark> b"),  # strays around a match
        (f"{S}a {S}word{E}", "a <mark>word</mark>"),  # a start inside the text
        (f"{S}{S}{E}{E}", "<mark></mark>"),
        (f"{E}{S}", ""),
    ],
)
def test_marker_characters_in_the_text_never_make_broken_markup(snippet, expected):
    assert search.snippet_html(snippet) == expected


def test_the_marked_words_are_the_words_as_the_text_has_them():
    snippet = f"{S}Talking{E} of talks, {S}talks{E} and {S}Talking{E} again"
    assert search.marked_words(snippet) == ["Talking", "talks"]
    assert search.marked_words(None) == []


@pytest.fixture
def talks(make):
    return {
        "many": make.article(
            "Talks, talks and more talks: the talks went on quietly.", title="Many mentions"
        ),
        "once": make.article(
            "The weather was fine.",
            "Officials were talking quietly, <b>in private</b>.",
            title="Once",
        ),
        "none": make.article("Nothing to see here.", title="Unrelated"),
    }


def test_bm25_counts_more_matches_for_less_and_discounts_long_paragraphs():
    once, twice, thrice = (search.bm25_score(n, 20, 20.0) for n in (1, 2, 3))
    assert 0 < once < twice < thrice < search.BM25_K1 + 1  # more matches, each worth less
    assert twice - once > thrice - twice
    assert search.bm25_score(1, 10, 20.0) > search.bm25_score(1, 60, 20.0)
    assert search.bm25_score(0, 10, 20.0) == 0.0


def test_a_paragraph_dense_with_the_word_ranks_above_a_long_one_that_names_it_once(db, make):
    long = make.article(("Nothing of note happened. " * 30) + "Then the talks began.")
    short = make.article("The talks went on.")
    make.article("Filler.")
    found = [p.article for p in Paragraph.objects.search("talks")]
    assert found == [short, long]


def test_paragraph_search_finds_stemmed_words_best_first(db, talks):
    found = list(Paragraph.objects.search("talks"))
    assert [p.article for p in found] == [talks["many"], talks["once"]]
    assert found[0].search_rank > found[1].search_rank
    once = found[1]
    assert once.get_absolute_url() == f"{talks['once'].get_absolute_url()}#p2"
    assert "<mark>talking</mark>" in once.snippet_html
    # The article's markup is text: escaped (SQLite), or left out (PostgreSQL's headline).
    assert "private" in once.snippet_html
    assert "<b>" not in once.snippet_html
    assert search.marked_words(once.search_snippet) == ["talking"]


def test_paragraph_search_takes_phrases_and_needs_every_word(db, talks):
    assert [p.article for p in Paragraph.objects.search('"talking quietly"')] == [talks["once"]]
    assert list(Paragraph.objects.search("talks weather")) == []
    assert list(Paragraph.objects.search("  ")) == []
    assert list(Paragraph.objects.search("*")) == []


def test_snippets_for_chosen_paragraphs_are_those_paragraphs_only(db, make):
    """``among``: the paragraphs a page shows, however many others between them match."""
    articles = [make.article(f"The talks went on, day {n}.") for n in range(6)]
    paragraphs = [a.paragraphs.get() for a in articles]
    chosen = [paragraphs[1].pk, paragraphs[4].pk]
    found = Paragraph.objects.search("talks", among=chosen)
    assert sorted(p.pk for p in found) == sorted(chosen)
    assert all(search.marked_words(p.search_snippet) == ["talks"] for p in found)


def test_people_search_reads_names_through_the_trigram_index(db, make):
    """A name is found by any part of it, as written with its spaces ("n pink" is in
    "Dan Pinkston", "npink" is not), and the names are read from the index."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench import scale
    from summit.models import Speaker

    dan = make.speaker("Dan Pinkston")
    for n in range(30):
        make.speaker(f"Someone Else {n}")
    assert list(Speaker.objects.search("n pink")) == [dan]
    assert list(Speaker.objects.search("Pinkston")) == [dan]
    assert list(Speaker.objects.search("npink")) == []
    with CaptureQueriesContext(connection) as ctx:
        list(Speaker.objects.search("pinkston"))
    [sql] = [q["sql"] for q in ctx.captured_queries]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        assert not any(
            "Seq Scan on summit_speaker " in line for line in scale.plan(connection, sql)
        )
    else:
        lines = scale.plan(connection, sql)
        assert any("summit_speaker_trigrams" in line for line in lines), lines
        # Not a walk over every name (by the table or its name index); the aliases, a
        # few, are still read whole.
        assert not any(
            line.startswith("SCAN")
            and ("summit_speaker_name_key" in line or " summit_speaker " in f"{line} ")
            for line in lines
        ), lines

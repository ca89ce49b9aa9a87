"""Ingestion: new, unchanged, changed; editors' work kept; nothing half-written."""

import threading

import pytest
from django.db import connection

from summit import sources
from summit.models import Article, Claim, EntityMention, Quote, RetiredQuote, Speaker
from summit.nlp import types as nlp
from summit.nlp.pipeline import LanguagePipeline
from summit.services.ingest import (
    Outcome,
    article_reanalyse,
    article_store,
    articles_ingest,
    get_pipeline,
)
from summit.services.resolution import SpeakerResolver


class ScriptedPipeline:
    """A stand-in for the language pipeline that finds the quotes it is told about.

    The service under test maps analyses onto rows; what the language layer finds is
    tested in tests/nlp. ``quotes`` maps quote text to the speaker's name.
    """

    name = "scripted"

    def __init__(self, quotes: dict[str, str], fail_on: str | None = None):
        self.quotes = quotes
        self.fail_on = fail_on

    def analyze(self, document):
        people: dict[str, nlp.Person] = {}
        analysis = nlp.Analysis(document=document)
        for p in document.paragraphs:
            for text, name in self.quotes.items():
                start = p.text.find(text)
                if start == -1:
                    continue
                person = people.setdefault(
                    name, nlp.Person(key=f"s{len(people)}", name=name, aliases=[name.split()[-1]])
                )
                span = nlp.Span(p.index, start, start + len(text), text)
                analysis.quotes.append(
                    nlp.Quote(span=span, kind=nlp.QuoteKind.DIRECT, speaker=person.key, cue="said")
                )
                analysis.mentions.append(nlp.Mention(span=span, label="PERSON", person=person.key))
                analysis.claims.append(
                    nlp.Claim(
                        span=span, kind=nlp.ClaimKind.BELIEF, holder=person.key, highlighted=True
                    )
                )
        analysis.people = list(people.values())
        if self.fail_on and self.fail_on in document.title:
            # A broken record half-way through: the article's rows must all roll back.
            analysis.quotes.append(
                nlp.Quote(span=nlp.Span(99, 0, 1, "x"), kind=nlp.QuoteKind.DIRECT, speaker=None)
            )
        return analysis

    def analyze_many(self, documents, *, batch_size=16, n_process=1, gazetteer=None):
        return (self.analyze(d) for d in documents)


STORY = (
    "Budget Fight Ends\n\n"
    "The Senate passed the budget on Tuesday. “We did it,” Jane Roe said.\n\n"
    "“It is a good day,” said John Doe."
)
PIPELINE = ScriptedPipeline({"We did it": "Jane Roe", "It is a good day": "John Doe"})


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def ingest(*targets, force=False, pipeline=PIPELINE):
    return articles_ingest(targets=[str(t) for t in targets], force=force, pipeline=pipeline)


@pytest.mark.django_db
def test_a_new_article_is_stored_with_its_annotations(story):
    [result] = ingest(story)
    assert result.outcome is Outcome.INGESTED
    article = Article.objects.get()
    assert article.title == "Budget Fight Ends"
    assert article.source_file == "story.txt"
    assert [p.index for p in article.paragraphs.all()] == [0, 1]
    assert sorted(Quote.objects.values_list("text", "speaker__name")) == [
        ("It is a good day", "John Doe"),
        ("We did it", "Jane Roe"),
    ]
    for model in (Quote, EntityMention, Claim):
        for annotation in model.objects.all():
            annotation.full_clean()  # offsets and text agree


@pytest.mark.django_db
def test_the_same_text_again_is_unchanged_and_writes_nothing(story, django_assert_max_num_queries):
    ingest(story)
    before = Article.objects.get().updated
    with django_assert_max_num_queries(2):
        [result] = ingest(story)
    assert result.outcome is Outcome.UNCHANGED
    assert Article.objects.get().updated == before


@pytest.mark.django_db
def test_a_duplicate_under_another_name_is_reported_not_stored(story, tmp_path):
    twin = tmp_path / "copy.txt"
    twin.write_text(STORY, encoding="utf-8")
    results = ingest(story, twin)
    assert [r.outcome for r in results] == [Outcome.UNCHANGED, Outcome.INGESTED] or [
        r.outcome for r in results
    ] == [Outcome.INGESTED, Outcome.UNCHANGED]
    assert "same text as" in next(r.message for r in results if r.outcome is Outcome.UNCHANGED)
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_changed_text_keeps_verified_rejected_and_edited_work(story):
    ingest(story)
    verified = Quote.objects.get(text="We did it")
    verified.status = "verified"
    verified.save()
    rejected = Quote.objects.get(text="It is a good day")
    rejected.status = "rejected"
    rejected.save()
    article = Article.objects.get()
    article.title = "An editor's title"
    article.edited_fields = ["title"]
    article.save()

    # A new paragraph comes first (the headline is the title): everything shifts by one.
    story.write_text(
        STORY.replace("\n\nThe Senate", "\n\nA new first paragraph.\n\nThe Senate"),
        encoding="utf-8",
    )
    [result] = ingest(story)
    assert result.outcome is Outcome.UPDATED

    article.refresh_from_db()
    assert article.title == "An editor's title"
    verified.refresh_from_db()
    assert verified.status == "verified"
    assert verified.paragraph.index == 1
    verified.full_clean()
    rejected.refresh_from_db()
    assert rejected.status == "rejected"
    assert rejected.paragraph.index == 2
    # The machine finds both quotes again, but an editor has decided on them: no copies.
    assert Quote.objects.count() == 2
    assert Quote.objects.shown().count() == 1


@pytest.mark.django_db
def test_force_recomputes_machine_work_and_keeps_an_edited_speaker(story):
    ingest(story)
    quote = Quote.objects.get(text="We did it")
    quote.speaker = Speaker.objects.create(name="Someone Else")
    quote.edited = True
    quote.save()
    [result] = ingest(story, force=True)
    assert result.outcome is Outcome.UPDATED
    quote.refresh_from_db()
    assert quote.speaker.name == "Someone Else"
    assert Quote.objects.filter(text="We did it").count() == 1


@pytest.mark.django_db
def test_an_editor_annotation_whose_words_changed_is_flagged_never_blocking(story, tmp_path):
    ingest(story)
    verified = Quote.objects.get(text="We did it")
    Quote.objects.filter(pk=verified.pk).update(status="verified")
    other = tmp_path / "other.txt"
    other.write_text("Other News\n\n“Fine words,” said Ann Lee.", encoding="utf-8")
    story.write_text(STORY.replace("We did it", "We tried"), encoding="utf-8")
    pipeline = ScriptedPipeline({"Fine words": "Ann Lee", "It is a good day": "John Doe"})
    results = {r.source.rsplit("/", 1)[-1]: r for r in ingest(story, other, pipeline=pipeline)}
    assert results["story.txt"].outcome is Outcome.UPDATED
    assert "re-attached where the words changed" in results["story.txt"].message
    assert results["other.txt"].outcome is Outcome.INGESTED
    # The editor's quote holds the new words, back in the review queue, and says why.
    verified.refresh_from_db()
    assert verified.text == "We tried"
    assert verified.paragraph.text[verified.start : verified.end] == "We tried"
    assert (verified.status, verified.edited) == ("machine", True)
    assert verified.history.latest().history_change_reason.startswith("Its words changed")
    assert Quote.objects.filter(article=verified.article).count() == 2


@pytest.mark.django_db
def test_an_editor_annotation_whose_words_are_gone_goes_with_them(story):
    ingest(story)
    verified = Quote.objects.get(text="We did it")
    Quote.objects.filter(pk=verified.pk).update(status="verified")
    story.write_text(STORY.replace(" “We did it,” Jane Roe said.", ""), encoding="utf-8")
    [result] = ingest(story)
    assert result.outcome is Outcome.UPDATED
    assert "deleted with its words" in result.message
    assert not Quote.objects.filter(pk=verified.pk).exists()
    assert RetiredQuote.objects.get(quote_id=verified.pk).paragraph_index == 0


@pytest.mark.django_db
def test_a_failure_half_way_through_an_article_leaves_nothing_behind(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Good Story\n\n“Fine,” said Ann Lee.", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text("Broken Story\n\n“Fine too,” said Ann Lee.", encoding="utf-8")
    pipeline = ScriptedPipeline({"Fine": "Ann Lee"}, fail_on="Broken")
    results = ingest(good, bad, pipeline=pipeline)
    assert [r.outcome for r in results] == [Outcome.INGESTED, Outcome.FAILED]
    assert list(Article.objects.values_list("source_file", flat=True)) == ["good.txt"]
    assert Quote.objects.count() == 1


@pytest.mark.django_db
def test_bad_inputs_fail_one_by_one_and_the_rest_goes_on(story, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9".encode("latin-1"))
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 10)
    (tmp_path / "nothing").mkdir()
    results = ingest(
        tmp_path / "empty.txt",
        tmp_path / "latin1.txt",
        tmp_path / "binary.txt",
        tmp_path / "nothing",
        tmp_path / "missing.txt",
        "http://127.0.0.1:9/x",
        story,
    )
    outcomes = [r.outcome for r in results]
    assert outcomes.count(Outcome.FAILED) == 6
    assert outcomes[-1] is Outcome.INGESTED
    assert all(r.message for r in results)
    assert Article.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_ingests_of_the_same_file_at_once_give_one_article(story):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        "file:memorydb"
    ):
        pytest.skip("an in-memory SQLite database is not shared between threads")
    raw = sources.read(str(story), max_bytes=10**6)
    analysis = PIPELINE.analyze(
        __import__("summit.services.ingest", fromlist=["x"]).document_from_raw(raw)
    )
    barrier = threading.Barrier(2)
    results = []

    def run():
        barrier.wait()
        try:
            results.append(article_store(raw=raw, analysis=analysis))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.outcome for r in results) == sorted([Outcome.INGESTED, Outcome.UNCHANGED])
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_speakers_are_shared_across_articles_without_merging_namesakes():
    def resolve(name, *aliases):
        person = nlp.Person(key="k", name=name, aliases=list(aliases))
        return SpeakerResolver().resolve_all([person])["k"]

    trump = resolve("Trump")
    full = resolve("Donald Trump", "Trump")
    assert full.pk == trump.pk
    assert full.name == "Donald Trump"
    assert Speaker.objects.get(pk=trump.pk).alias_names() == ["Trump"]
    kim = resolve("Kim Jong Un", "Kim")
    chol, san = resolve("Kim Yong Chol"), resolve("Kim San-ho")
    assert len({kim.pk, chol.pk, san.pk}) == 3
    assert resolve("Kim").pk == kim.pk
    moon = resolve("Moon Jae-in", "President Moon")
    assert resolve("Moon Jae-in").pk == moon.pk
    assert set(moon.alias_names()) == {"President Moon"}
    assert resolve("Moon Jae In").slug == moon.slug  # one speaker, however it is written


@pytest.mark.django_db
def test_new_speakers_get_the_first_free_address_of_their_name():
    Speaker.objects.create(name="Jo Dane", kind="organisation")  # jo-dane
    Speaker.objects.create(name="Jo Dane", kind="organisation", slug="jo-dane-2")
    Speaker.objects.create(name="Someone Else", slug="jo-dane-3-2")
    people = [
        nlp.Person(key="a", name="Jo Dane"),  # a person: not the organisation
        nlp.Person(key="b", name="Jo Dane 3"),  # whose name is another's numbered address
        nlp.Person(key="c", name="Ann Vale"),  # nothing of that name yet
        nlp.Person(key="d", name="Ann Vale", kind=nlp.SpeakerKind.ORGANISATION),
    ]
    resolved = SpeakerResolver().resolve_all(people)
    assert {k: s.slug for k, s in resolved.items()} == {
        "a": "jo-dane-3",
        "b": "jo-dane-3-3",
        "c": "ann-vale",
        "d": "ann-vale-2",
    }


@pytest.mark.django_db
def test_an_articles_people_are_resolved_in_a_few_queries(django_assert_max_num_queries):
    Speaker.objects.create(name="Ann Lee")
    people = [
        nlp.Person(key=f"p{i}", name=f"Person Number{i}", aliases=[f"Number{i}"]) for i in range(20)
    ] + [nlp.Person(key="ann", name="Ann Lee", aliases=["Lee"])]
    with django_assert_max_num_queries(12):
        resolved = SpeakerResolver().resolve_all(people)
    assert resolved["ann"].name == "Ann Lee"
    assert len({s.pk for s in resolved.values()}) == 21
    assert Speaker.objects.get(name="Person Number3").alias_names() == ["Number3"]


@pytest.mark.django_db
def test_a_merge_by_an_editor_survives_a_forced_reingest(story):
    ingest(story)
    jane, john = Speaker.objects.get(name="Jane Roe"), Speaker.objects.get(name="John Doe")
    # What the admin's merge does: quotes move, the merged name becomes an alias.
    Quote.objects.filter(speaker=john).update(speaker=jane)
    jane.aliases.create(name="John Doe")
    john.delete()
    ingest(story, force=True)
    assert not Speaker.objects.filter(name="John Doe").exists()
    assert set(Quote.objects.values_list("speaker__name", flat=True)) == {"Jane Roe"}


# Re-analysing and the pipeline contract ----------------------------------------------


@pytest.mark.django_db
def test_reanalyse_recomputes_the_machine_work_and_keeps_the_editors(story):
    ingest(story)
    article = Article.objects.get()
    Quote.objects.filter(text="We did it").update(status="verified")
    result = article_reanalyse(
        article=article, pipeline=ScriptedPipeline({"It is a good day": "Ann Lee"})
    )
    assert (result.outcome, result.article_id) == (Outcome.UPDATED, article.pk)
    assert sorted(Quote.objects.values_list("text", "speaker__name", "status")) == [
        ("It is a good day", "Ann Lee", "machine"),
        ("We did it", "Jane Roe", "verified"),
    ]
    article.refresh_from_db()
    assert article.pipeline == "scripted"


@pytest.mark.django_db
def test_reanalyse_reports_a_failure_as_failed_and_writes_nothing(story):
    ingest(story)
    article = Article.objects.get()
    before = sorted(Quote.objects.values_list("text", "speaker__name"))
    broken = ScriptedPipeline({"It is a good day": "Ann Lee"}, fail_on="Budget")
    result = article_reanalyse(article=article, pipeline=broken)
    assert (result.outcome, result.article_id) == (Outcome.FAILED, article.pk)
    assert result.message
    assert sorted(Quote.objects.values_list("text", "speaker__name")) == before


@pytest.mark.django_db
def test_an_article_records_the_spacy_pipeline_and_version_that_analysed_it(seeds, settings):
    from spacy.util import get_package_version

    model = settings.SUMMIT_SPACY_MODEL
    assert {a.pipeline for a in seeds.values()} == {f"{model}-{get_package_version(model)}"}


def test_the_real_pipeline_and_the_stand_ins_meet_the_contract(seed_pipeline):
    for pipeline in (get_pipeline(), PIPELINE, seed_pipeline):
        assert isinstance(pipeline, LanguagePipeline), pipeline
        assert pipeline.name


@pytest.mark.django_db
def test_a_near_copy_from_another_folder_is_not_stored_twice(story, tmp_path):
    ingest(story)
    quote = Quote.objects.get(text="We did it")
    Quote.objects.filter(pk=quote.pk).update(status="verified")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    copy = elsewhere / "story.txt"
    copy.write_text(STORY.replace("on Tuesday", "on Wednesday"), "utf-8")

    [skipped] = ingest(copy)
    assert skipped.outcome is Outcome.UNCHANGED
    assert "nearly the same text as" in skipped.message
    assert "--near-duplicates=update" in skipped.message
    assert Article.objects.count() == 1

    [updated] = articles_ingest(targets=[str(copy)], pipeline=PIPELINE, near_duplicates="update")
    assert updated.outcome is Outcome.UPDATED
    article = Article.objects.get()
    assert "on Wednesday" in article.paragraphs.get(index=0).text
    quote.refresh_from_db()
    assert quote.status == "verified"  # the desk's work holds

    [new] = articles_ingest(targets=[str(copy)], pipeline=PIPELINE, near_duplicates="new")
    assert new.outcome is Outcome.UNCHANGED  # the very same text now: same as the first


@pytest.mark.django_db
def test_a_near_copy_can_be_stored_as_another_article(story, tmp_path):
    ingest(story)
    copy = tmp_path / "copy" / "story.txt"
    copy.parent.mkdir()
    copy.write_text(STORY.replace("on Tuesday", "on Wednesday"), "utf-8")
    [new] = articles_ingest(targets=[str(copy)], pipeline=PIPELINE, near_duplicates="new")
    assert new.outcome is Outcome.INGESTED
    assert Article.objects.count() == 2


@pytest.mark.django_db
def test_a_speakers_description_is_the_most_informative_across_articles_an_editors_kept():
    def resolve(description):
        person = nlp.Person(key="k", name="Dana Whitlow", description=description)
        return SpeakerResolver().resolve_all([person])["k"]

    assert resolve("Minister").description == "Minister"
    assert resolve("Harbour Minister").description == "Harbour Minister"
    assert resolve("President").description == "Harbour Minister"  # a bare title tells less
    speaker = resolve("former Harbour Minister of the Northern Isles")
    assert speaker.description == "former Harbour Minister of the Northern Isles"
    speaker.description, speaker.edited = "harbour campaigner", True
    speaker.save()
    assert resolve("the longest-serving Harbour Minister").description == "harbour campaigner"


@pytest.mark.django_db
def test_a_new_articles_rows_are_written_as_given_each_with_its_id(make):
    """Ingest writes a new article's annotations by its own prepared statement: every
    value lands as given (a dict as JSON, a float, a second paragraph, no speaker), in
    more statements than one when there are more rows than one statement takes, and
    each object comes back with the id of its row."""
    from summit.services.inserts import rows_insert

    kim = make.speaker("Kim Pope")
    article = make.article("“We will go,” said Kim Pope.", "She left.")
    first, second = article.paragraphs.order_by("index")
    quotes = [
        Quote(
            article=article,
            paragraph=first,
            start=i,
            end=i + 5,
            text=f"words {i}",
            kind="partial" if i % 2 else "direct",
            end_paragraph=second if i == 3 else None,
            speaker=kim if i % 3 else None,
            speaker_text="Kim Pope",
            cue="said",
            sieve="cue",
            via={"paragraph": 0, "start": 1, "end": 2, "text": "Kim"} if i == 4 else None,
            confidence=0.25 + i / 1000,
        )
        for i in range(300)  # over a thousand values: several statements on SQLite
    ]

    rows_insert(Quote, quotes)

    assert len({q.pk for q in quotes}) == 300
    assert not any(q._state.adding for q in quotes)
    stored = {q.pk: q for q in Quote.objects.filter(article=article)}
    assert len(stored) == 300
    for q in quotes:
        row = stored[q.pk]
        assert (row.start, row.text, row.kind, row.speaker_id, row.confidence) == (
            q.start,
            f"words {q.start}",
            "partial" if q.start % 2 else "direct",
            kim.pk if q.start % 3 else None,
            0.25 + q.start / 1000,
        )
        assert row.end_paragraph_id == (second.pk if q.start == 3 else None)
        assert row.via == (
            {"paragraph": 0, "start": 1, "end": 2, "text": "Kim"} if q.start == 4 else None
        )
        assert row.status == "machine"
        assert row.listed
        assert row.created is not None

"""The desk's corrections hold: deletes stick, revert reverts, claims follow quotes."""

import re

import pytest
from django.contrib.auth.models import User

from summit.models import (
    AnnotationTombstone,
    Claim,
    EntityMention,
    Quote,
    Speaker,
    SpeakerRedirect,
    Status,
)
from summit.services.editing import (
    annotation_delete,
    annotation_place,
    annotation_revert,
    annotation_save,
    quote_set_speaker,
)
from summit.services.speakers import (
    SpeakerEditError,
    speaker_duplicates,
    speaker_merge,
    speaker_split,
    speaker_unmerge,
)
from tests.services.test_ingest import PIPELINE, ingest

pytestmark = pytest.mark.django_db

STORY = "Budget Fight Ends\n\n“We did it,” Jane Roe said.\n\n“It is a good day,” said John Doe."


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    ingest(path, pipeline=PIPELINE)
    return path


@pytest.fixture
def editor():
    return User.objects.create(username="alice")


def test_a_deleted_machine_quote_stays_deleted_after_reingest(story, editor):
    quote = Quote.objects.get(text="We did it")
    mention = EntityMention.objects.get(text="It is a good day")
    assert annotation_delete(annotation=quote, by=editor) is True
    assert annotation_delete(annotation=mention, by=editor) is True
    assert AnnotationTombstone.objects.count() == 2
    ingest(story, pipeline=PIPELINE, force=True)
    assert not Quote.objects.filter(text="We did it").exists()
    assert not EntityMention.objects.filter(text="It is a good day").exists()
    assert Quote.objects.filter(text="It is a good day").exists()  # the rest comes back
    assert Claim.objects.filter(text="We did it").exists()  # a tombstone is per kind


def test_an_editor_made_annotation_deletes_without_a_tombstone(story, editor):
    quote = Quote(article=Quote.objects.first().article, kind="direct")
    annotation_place(model_instance=quote, text="Jane Roe said")
    annotation_save(annotation=quote, by=editor)
    assert annotation_delete(annotation=quote, by=editor) is False
    assert not AnnotationTombstone.objects.exists()


def test_revert_to_the_machine_version_is_the_machines_again(story, editor):
    quote = Quote.objects.get(text="It is a good day")
    doe = quote.speaker
    roe = Speaker.objects.get(name="Jane Roe")
    quote.speaker = roe
    annotation_save(annotation=quote, by=editor, reason="Roe said it")
    quote.refresh_from_db()
    assert quote.edited
    baseline = quote.history.earliest()
    assert baseline.history_user is None  # the pipeline's, not alice's
    assert quote.history.latest().history_change_reason == "Roe said it"

    annotation_revert(annotation=quote, version=baseline, by=editor)
    quote.refresh_from_db()
    assert (quote.speaker, quote.edited, quote.status) == (doe, False, Status.MACHINE)
    assert quote.history.latest().history_user == editor
    assert quote.history.latest().history_change_reason == "Reverted to the machine's version"

    # The machine may update it again: a forced re-ingest does, keeping its id.
    ingest(story, pipeline=PIPELINE, force=True)
    assert Quote.objects.get(text="It is a good day").pk == quote.pk


def test_claims_follow_a_reassigned_quote(story, editor):
    quote = Quote.objects.get(text="We did it")
    claim = Claim.objects.get(text="We did it")
    roe = quote.speaker
    assert claim.holder == roe
    doe = Speaker.objects.get(name="John Doe")
    quote_set_speaker(quotes=[quote], speaker=doe, by=editor)
    claim.refresh_from_db()
    assert claim.holder == doe
    assert claim.history.latest().history_user == editor

    # The form path too.
    quote.refresh_from_db()
    quote.speaker = roe
    annotation_save(annotation=quote, by=editor)
    claim.refresh_from_db()
    assert claim.holder == roe

    # And a split: the quote's claims go with it to the new speaker.
    new = speaker_split(speaker=roe, name="Jane Q. Roe", quotes=[quote], mentions=[], by=editor)
    claim.refresh_from_db()
    assert claim.holder == new


def test_a_claim_held_by_someone_else_stays(story, editor):
    quote = Quote.objects.get(text="We did it")
    claim = Claim.objects.get(text="We did it")
    other = Speaker.objects.create(name="Someone Else")
    claim.holder = other
    claim.save()
    quote_set_speaker(quotes=[quote], speaker=Speaker.objects.get(name="John Doe"), by=editor)
    claim.refresh_from_db()
    assert claim.holder == other


def test_unmerge_restores_who_had_what(editor, make):
    article = make.article("“Yes,” Kim said. Kim Jong-un thinks the talks will work.")
    kim = make.speaker("Kim Jong Un", "Chairman Kim")
    dup = make.speaker("Kim Jong-un", "Kim", "Chairman Kim")
    quote = make.quote(article, "“Yes,”", dup)
    mention = make.mention(article, "Kim Jong-un", speaker_obj=dup)
    claim = make.claim(article, "the talks will work", holder=dup)
    other_quote = make.quote(article, "Kim said", kim, kind="indirect")
    dup_id, dup_slug = dup.pk, dup.slug

    merge = speaker_merge(into=kim, others=[dup], by=editor)
    assert not Speaker.objects.filter(pk=dup_id).exists()
    assert SpeakerRedirect.objects.filter(old_slug=dup_slug).exists()

    [back] = speaker_unmerge(merge=merge, by=editor)
    assert (back.pk, back.slug, back.name) == (dup_id, dup_slug, "Kim Jong-un")
    for obj, field in ((quote, "speaker"), (mention, "speaker"), (claim, "holder")):
        obj.refresh_from_db()
        assert getattr(obj, field) == back
    other_quote.refresh_from_db()
    assert other_quote.speaker == kim
    assert sorted(back.alias_names()) == ["Chairman Kim", "Kim"]
    kim.refresh_from_db()
    assert kim.alias_names() == ["Chairman Kim"]
    assert not SpeakerRedirect.objects.filter(old_slug=dup_slug).exists()
    merge.refresh_from_db()
    assert merge.undone_by == editor
    with pytest.raises(SpeakerEditError):
        speaker_unmerge(merge=merge, by=editor)


def test_duplicate_hints_ignore_punctuation_titles_and_accents(make):
    us = make.speaker("U.S. national security professionals")
    make.speaker("US national security professionals")
    make.speaker("Moon Jae-in")
    moon = make.speaker("President Moon Jae In")
    trump = make.speaker("Donald Trump")
    make.speaker("Trump")
    nguyen = make.speaker("Nguyễn Văn An", "Anh Chi")
    make.speaker("Anh Chi Nguyen", "Anh Chi")
    names = {
        s.name: {d.speaker.name for d in speaker_duplicates(speaker=s)}
        for s in (us, moon, trump, nguyen)
    }
    assert names["U.S. national security professionals"] == {"US national security professionals"}
    assert names["President Moon Jae In"] == {"Moon Jae-in"}
    assert names["Donald Trump"] == {"Trump"}
    assert names["Nguyễn Văn An"] == {"Anh Chi Nguyen"}


def test_clearing_a_quotes_speaker_leaves_its_claims_with_their_holder(story, editor):
    """Nobody said it now: its claim is not handed to the article's author (NULL)."""
    quote = Quote.objects.get(text="We did it")
    claim = Claim.objects.get(text="We did it")
    roe = quote.speaker
    quote_set_speaker(quotes=[quote], speaker=None, by=editor)
    claim.refresh_from_db()
    assert claim.holder == roe

    # The change form's path (annotation_save) too: it used to crash with a 500.
    quote = Quote.objects.get(text="It is a good day")
    doe = quote.speaker
    quote.speaker = None
    annotation_save(annotation=quote, by=editor)
    quote.refresh_from_db()
    assert quote.speaker is None
    assert quote.edited
    assert Claim.objects.get(text="It is a good day").holder == doe


def test_revert_takes_back_the_claims_that_followed_the_quote(story, editor):
    quote = Quote.objects.get(text="We did it")
    claim = Claim.objects.get(text="We did it")
    roe = quote.speaker
    doe = Speaker.objects.get(name="John Doe")
    quote_set_speaker(quotes=[quote], speaker=doe, by=editor)
    claim.refresh_from_db()
    assert (claim.holder, claim.edited) == (doe, True)

    quote.refresh_from_db()
    annotation_revert(annotation=quote, version=quote.history.earliest(), by=editor)
    claim.refresh_from_db()
    assert (claim.holder, claim.edited, claim.status) == (roe, False, Status.MACHINE)
    assert claim.history.latest().history_user == editor

    # The machine's again: a re-ingest may update it; nothing stands in its way.
    [result] = ingest(story, pipeline=PIPELINE, force=True)
    assert not result.failed
    assert Claim.objects.get(text="We did it").pk == claim.pk


def test_revert_leaves_a_claim_an_editor_changed_after_it_followed(story, editor):
    quote = Quote.objects.get(text="We did it")
    claim = Claim.objects.get(text="We did it")
    doe = Speaker.objects.get(name="John Doe")
    quote_set_speaker(quotes=[quote], speaker=doe, by=editor)
    claim.refresh_from_db()
    claim.highlighted = False
    annotation_save(annotation=claim, by=editor, reason="Not worth a highlight")
    quote.refresh_from_db()
    annotation_revert(annotation=quote, version=quote.history.earliest(), by=editor)
    claim.refresh_from_db()
    assert (claim.holder, claim.highlighted, claim.edited) == (doe, False, True)


def test_unmerge_restores_edited_flags_and_the_speakers_own(editor, make):
    article = make.article("“Yes,” Kim said. Kim Jong-un thinks the talks will work.")
    kim = make.speaker("Kim Jong Un")
    dup = make.speaker("Kim Jong-un")
    quote = make.quote(article, "“Yes,”", dup)
    claim = make.claim(article, "the talks will work", holder=dup)
    merge = speaker_merge(into=kim, others=[dup], by=editor)
    quote.refresh_from_db()
    assert quote.edited
    speaker_unmerge(merge=merge, by=editor)
    for obj in (quote, claim):
        obj.refresh_from_db()
        assert obj.edited is False
    kim.refresh_from_db()
    assert kim.edited is False  # nobody had changed it but the merge


def test_a_merge_record_keeps_whom_the_editor_merged_into(editor, make):
    a, b, c = make.speaker("A Person"), make.speaker("B Person"), make.speaker("C Person")
    first = speaker_merge(into=b, others=[a], by=editor)
    speaker_merge(into=c, others=[b], by=editor)
    first.refresh_from_db()
    assert str(first).startswith("A Person → B Person")


def _live_counts():
    from django.db.models import Count, Q

    from summit.models import Article

    shown = ~Q(quotes__status=Status.REJECTED)
    speakers = Speaker.objects.annotate(
        q=Count("quotes", filter=shown, distinct=True), m=Count("mentions", distinct=True)
    ).values_list("pk", "q", "m", "quote_count", "mention_count")
    articles = Article.objects.annotate(
        q=Count("quotes", filter=shown, distinct=True),
        s=Count("quotes__speaker", filter=shown, distinct=True),
    ).values_list("pk", "q", "s", "quote_count", "speaker_count")
    return [(row[0], row[1:3], row[3:]) for row in (*speakers, *articles)]


def assert_counts_true():
    for pk, live, kept in _live_counts():
        assert live == kept, (pk, live, kept)


def test_counts_stay_true_after_merge_split_unmerge_and_revert(story, editor):
    roe = Speaker.objects.get(name="Jane Roe")
    doe = Speaker.objects.get(name="John Doe")
    merge = speaker_merge(into=roe, others=[doe], by=editor)
    assert_counts_true()
    roe.refresh_from_db()
    assert roe.quote_count == 2
    speaker_unmerge(merge=merge, by=editor)
    assert_counts_true()
    roe_quote = Quote.objects.get(text="We did it")
    new = speaker_split(speaker=roe, name="J. Roe", quotes=[roe_quote], mentions=[], by=editor)
    assert_counts_true()
    assert Speaker.objects.get(pk=new.pk).quote_count == 1
    roe_quote.refresh_from_db()
    annotation_revert(annotation=roe_quote, version=roe_quote.history.earliest(), by=editor)
    assert_counts_true()


def test_deleting_a_pipeline_speaker_leaves_nothing_to_the_author_and_stays_deleted(story, editor):
    from summit.models import SpeakerTombstone
    from summit.services.speakers import speaker_delete

    roe = Speaker.objects.get(name="Jane Roe")
    quote = Quote.objects.get(text="We did it")
    claim = Claim.objects.get(text="We did it")
    footprint = speaker_delete(speaker=roe, by=editor)
    assert (footprint.quotes, footprint.claims) == (1, 1)
    quote.refresh_from_db()
    claim.refresh_from_db()
    assert quote.speaker is None
    assert quote.history.latest().history_user == editor
    assert (claim.holder, claim.status) == (None, Status.REJECTED)  # not the author's
    assert SpeakerTombstone.objects.filter(name="Jane Roe").exists()
    assert_counts_true()

    [result] = ingest(story, pipeline=PIPELINE, force=True)
    assert not result.failed
    assert not Speaker.objects.filter(name="Jane Roe").exists()
    assert Quote.objects.get(text="We did it").speaker is None
    shown = Claim.objects.exclude(status=Status.REJECTED)
    assert not shown.filter(holder__isnull=True).exists()  # no claim fell to the author
    assert_counts_true()


def test_deleting_a_speaker_can_give_its_quotes_to_another(story, editor):
    from summit.services.speakers import speaker_delete

    roe = Speaker.objects.get(name="Jane Roe")
    doe = Speaker.objects.get(name="John Doe")
    speaker_delete(speaker=roe, by=editor, give_to=doe)
    assert Quote.objects.get(text="We did it").speaker == doe
    assert Claim.objects.get(text="We did it").holder == doe
    assert_counts_true()
    ingest(story, pipeline=PIPELINE, force=True)
    assert not Speaker.objects.filter(name="Jane Roe").exists()
    assert Quote.objects.get(text="We did it").speaker == doe


def test_deleting_a_speaker_keeps_the_merges_into_it_in_the_audit_trail(story, editor, make):
    from summit.models import SpeakerMerge
    from summit.services.speakers import speaker_delete

    roe = Speaker.objects.get(name="Jane Roe")
    twin = make.speaker("Jane A. Roe")
    merge = speaker_merge(into=roe, others=[twin], by=editor)
    speaker_delete(speaker=roe, by=editor)
    merge = SpeakerMerge.objects.get(pk=merge.pk)  # was deleted with its speaker
    assert merge.into is None
    assert str(merge) == "Jane A. Roe → Jane Roe (deleted since)"
    with pytest.raises(SpeakerEditError, match="was deleted since"):
        speaker_unmerge(merge=merge, by=editor)


def test_deleting_a_speaker_for_another_hands_its_merges_and_addresses_on(story, editor, make):
    from summit.models import SpeakerMerge
    from summit.services.speakers import speaker_delete

    roe = Speaker.objects.get(name="Jane Roe")
    doe = Speaker.objects.get(name="John Doe")
    twin = make.speaker("Jane A. Roe")
    twin_quote = make.quote(Quote.objects.first().article, "We did it", twin)
    merge = speaker_merge(into=roe, others=[twin], by=editor)
    roe_slug = roe.slug
    speaker_delete(speaker=roe, by=editor, give_to=doe)
    merge = SpeakerMerge.objects.get(pk=merge.pk)
    assert merge.into == doe
    assert {r.old_slug: r.speaker for r in SpeakerRedirect.objects.all()} == {
        twin.slug: doe,
        roe_slug: doe,
    }
    # Undone, the merge takes the twin's quote back from where it went.
    [back] = speaker_unmerge(merge=merge, by=editor)
    assert Quote.objects.get(pk=twin_quote.pk).speaker == back
    assert_counts_true()


def _speakers_read_whole(sql: str) -> bool:
    """Whether this SELECT's plan reads the whole speakers table (PostgreSQL is asked
    for an index: on a few rows it would rather scan)."""
    from django.db import connection

    from bench import scale

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        return any("Seq Scan on summit_speaker " in line for line in scale.plan(connection, sql))
    aliases = {a: t for t, a in re.findall(r'"(summit_\w+)" (U\d+|T\d+)', sql)}
    scans = [re.match(r"SCAN (\w+)", line) for line in scale.plan(connection, sql)]
    return any(m and aliases.get(m[1], m[1]) == "summit_speaker" for m in scans)


def test_duplicate_hints_read_the_names_through_indexes(make):
    """The written forms (the same name without its spaces, a name ending in another)
    are looked up by index, not matched against every speaker's name."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(30):
        make.speaker(f"Someone Else {n}")
    names = ("Donald Trump", "Trump", "Moon Jae-in", "President Moon Jae In", "US officials")
    for speaker in [make.speaker(name) for name in names]:
        with CaptureQueriesContext(connection) as ctx:
            hints = speaker_duplicates(speaker=speaker)
        assert hints or speaker.name == "US officials"
        # Its aliases, the union of the ids, the speakers found, their aliases.
        assert len(ctx.captured_queries) == (4 if hints else 3), speaker.name
        for query in ctx.captured_queries:
            assert not _speakers_read_whole(query["sql"]), (speaker.name, query["sql"])


def test_duplicate_hints_go_both_ways(make):
    pairs = [
        (make.speaker("Moon Jae-in"), make.speaker("President Moon Jae In")),
        (make.speaker("Donald Trump"), make.speaker("Trump")),
        (
            make.speaker("US national security professionals"),
            make.speaker("U.S. national security professionals"),
        ),
    ]
    for a, b in pairs:
        assert b in [d.speaker for d in speaker_duplicates(speaker=a)], (a, b)
        assert a in [d.speaker for d in speaker_duplicates(speaker=b)], (b, a)


def test_a_quote_in_a_message_keeps_its_own_quotation_marks(story):
    assert str(Quote.objects.get(text="We did it")) == "“We did it”"
    marked = Quote(text="“We did it,”")
    assert str(marked) == "“We did it,”"

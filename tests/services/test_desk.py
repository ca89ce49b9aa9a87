"""The desk's corrections hold: deletes stick, revert reverts, claims follow quotes."""

import pytest
from django.contrib.auth.models import User

from summit.models import AnnotationTombstone, Claim, EntityMention, Quote, Speaker, Status
from summit.services.editing import (
    annotation_delete,
    annotation_place,
    annotation_revert,
    annotation_save,
    quote_set_speaker,
)
from summit.services.speakers import speaker_split
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

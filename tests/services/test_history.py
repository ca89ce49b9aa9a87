"""What the machine made has no history row until an editor first changes it; then
the change is recorded with who made it and can be reverted to the machine's version."""

import pytest
from django.contrib.auth.models import User

from summit.models import Quote, Speaker
from summit.services.editing import annotation_set_status, quote_set_speaker
from summit.services.speakers import speaker_merge
from tests.services.test_ingest import PIPELINE, ingest


@pytest.fixture
def machine_quote(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(
        "Budget Fight Ends\n\n“We did it,” Jane Roe said.\n\n“It is a good day,” said John Doe.",
        encoding="utf-8",
    )
    ingest(story, pipeline=PIPELINE)
    quote = Quote.objects.get(text="We did it")
    assert quote.history.count() == 0
    return quote


@pytest.mark.django_db
def test_a_first_correction_can_be_reverted_to_what_the_machine_made(machine_quote):
    editor = User.objects.create(username="ed")
    other = Speaker.objects.create(name="Someone Else")
    quote_set_speaker(quotes=[machine_quote], speaker=other, by=editor)
    newest, baseline = machine_quote.history.order_by("-history_id")
    assert (newest.history_user, newest.speaker_id, newest.edited) == (editor, other.pk, True)
    assert (baseline.history_user, baseline.speaker.name, baseline.edited) == (
        None,
        "Jane Roe",
        False,
    )
    baseline.instance.save()  # what the admin's "revert" does
    machine_quote.refresh_from_db()
    assert machine_quote.speaker.name == "Jane Roe"


@pytest.mark.django_db
def test_bulk_corrections_and_merges_record_a_baseline_once(machine_quote):
    annotation_set_status(annotations=[machine_quote], status="verified", by=None)
    annotation_set_status(annotations=[machine_quote], status="rejected", by=None)
    assert machine_quote.history.count() == 3
    doe = Speaker.objects.get(name="John Doe")
    quote = Quote.objects.get(text="It is a good day")
    speaker_merge(into=Speaker.objects.get(name="Jane Roe"), others=[doe], by=None)
    assert quote.history.count() == 2


@pytest.mark.django_db
def test_re_ingest_updates_machine_work_in_place_without_filling_the_history(machine_quote):
    ingest(machine_quote.article.source, force=True, pipeline=PIPELINE)
    assert Quote.objects.count() == 2
    assert Quote.objects.filter(pk=machine_quote.pk).exists()  # the same quote, same id
    assert Quote.history.count() == 0

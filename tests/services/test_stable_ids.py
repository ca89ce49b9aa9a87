"""Re-ingest keeps the id of every machine annotation that comes out again."""

import pytest
from django.core.management import call_command

from summit.models import Claim, EntityMention, Quote, RetiredQuote
from tests.conftest import SEEDS_DIR
from tests.services.test_ingest import ScriptedPipeline, ingest

pytestmark = pytest.mark.django_db


def _ids():
    return {
        model.__name__: {
            (a.article_id, a.paragraph.index, a.start, a.end, a.text): a.pk
            for a in model.objects.select_related("paragraph")
        }
        for model in (Quote, EntityMention, Claim)
    }


def test_forced_reingest_of_the_seeds_changes_no_id(seeds):
    before = _ids()
    assert all(before.values())
    call_command("ingest", str(SEEDS_DIR), "--force", "--no-progress", verbosity=0)
    after = _ids()
    for name, rows in before.items():
        assert after[name] == rows, name
    assert not RetiredQuote.objects.exists()


STORY = (
    "Budget Fight Ends\n\n"
    "The Senate passed the budget on Tuesday. “We did it,” Jane Roe said.\n\n"
    "“It is a good day,” said John Doe."
)
PIPELINE = ScriptedPipeline({"We did it": "Jane Roe", "It is a good day": "John Doe"})


def test_changed_text_keeps_ids_of_what_comes_out_again(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    ingest(path, pipeline=PIPELINE)
    kept = Quote.objects.get(text="It is a good day")
    gone = Quote.objects.get(text="We did it")
    claim = Claim.objects.get(text="It is a good day")

    # A paragraph goes in before, one quote goes: the other keeps its id, though it moved.
    path.write_text(
        "Budget Fight Ends\n\nA new first paragraph.\n\n"
        "The Senate passed the budget on Tuesday.\n\n“It is a good day,” said John Doe.",
        encoding="utf-8",
    )
    ingest(path, pipeline=PIPELINE)
    moved = Quote.objects.get(text="It is a good day")
    assert moved.pk == kept.pk
    assert moved.paragraph.index == 2
    assert Claim.objects.get(text="It is a good day").pk == claim.pk
    assert not Quote.objects.filter(pk=gone.pk).exists()
    retired = RetiredQuote.objects.get(quote_id=gone.pk)
    assert retired.paragraph_index == 0


def test_a_newer_pipeline_drawing_a_span_wider_keeps_the_id(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    ingest(path, pipeline=PIPELINE)
    old = Quote.objects.get(text="It is a good day")
    wider = ScriptedPipeline({"We did it": "Jane Roe", "It is a good day,": "John Doe"})
    ingest(path, pipeline=wider, force=True)
    new = Quote.objects.get(text="It is a good day,")
    assert new.pk == old.pk
    assert (new.start, new.end) == (old.start, old.end + 1)


def test_a_vanished_quote_link_lands_on_its_article_and_paragraph(client, tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    ingest(path, pipeline=PIPELINE)
    quote = Quote.objects.get(text="We did it")
    alive = Quote.objects.get(text="It is a good day")
    response = client.get(f"/quotes/{alive.pk}/")
    assert response.status_code == 200  # a quote still shown has its own page
    assert "It is a good day" in response.content.decode()

    ingest(path, pipeline=ScriptedPipeline({"It is a good day": "John Doe"}), force=True)
    response = client.get(f"/quotes/{quote.pk}/")
    assert response.status_code == 302
    assert response.url == f"/articles/{quote.article_id}/#q{quote.pk}"
    page = client.get(response.url).content.decode()
    assert f'id="q{quote.pk}"' in page  # the old anchor still lands, on its paragraph
    assert "no longer" in page
    assert client.get("/quotes/999999/").status_code == 404

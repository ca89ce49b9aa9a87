"""The desk teaches the next ingest: an article ingested after an editor's correction."""

import pytest
from django.contrib.auth.models import User

from summit.models import EntityMention, Quote, Speaker, Status
from summit.nlp import types as nlp
from summit.services.editing import annotation_save, annotation_set_status
from summit.services.ingest import articles_ingest, get_pipeline
from summit.services.speakers import editor_gazetteer

pytestmark = pytest.mark.django_db

FIRST = (
    "“We will win this,” said Maria Gonzalez, a senator from Ohio. "
    "Kirby told reporters the deal was close."
)
LATER = (
    "Maria Gonzalez visited Ohio on Monday. “It went well,” said Maria Gonzalez. "
    "Kirby announced new prices."
)


def _ingest(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(f"Talks\n\n{text}", encoding="utf-8")
    [result] = articles_ingest(targets=[str(path)], pipeline=get_pipeline())
    assert not result.failed, result
    return result.article_id


def test_corrections_act_on_an_article_ingested_after_them(tmp_path, django_assert_max_num_queries):
    first = _ingest(tmp_path, "first.txt", FIRST)
    editor = User.objects.create(username="alice")
    gonzalez = EntityMention.objects.get(article_id=first, text="Maria Gonzalez")
    kirby = EntityMention.objects.get(article_id=first, text="Kirby")
    assert (gonzalez.label, kirby.label) == ("PERSON", "PERSON")
    annotation_set_status(annotations=[gonzalez], status=Status.REJECTED, by=editor)
    kirby.label = "ORG"
    annotation_save(annotation=kirby, by=editor)

    # Without the corrections the model would find both persons again (so this can fail).
    document = nlp.Document(
        title="Talks", paragraphs=[nlp.Paragraph(0, nlp.ParagraphKind.BODY, LATER)]
    )
    plain = get_pipeline().analyze(document)
    assert {"Maria Gonzalez", "Kirby"} <= {
        m.span.text for m in plain.mentions if m.label == "PERSON"
    }

    with django_assert_max_num_queries(3):
        taught = editor_gazetteer()
    assert taught.no_person("Maria Gonzalez")

    later = _ingest(tmp_path, "later.txt", LATER)
    persons = EntityMention.objects.filter(article_id=later, label="PERSON")
    assert not persons.filter(text__in=["Maria Gonzalez", "Kirby"]).exists()
    assert EntityMention.objects.get(article_id=later, text="Kirby").label == "ORG"
    assert not Quote.objects.filter(article_id=later, speaker__name="Maria Gonzalez").exists()


def test_an_alias_an_editor_added_resolves_in_a_new_article(tmp_path):
    _ingest(tmp_path, "first.txt", FIRST)
    senator = Speaker.objects.get(name="Maria Gonzalez")
    senator.aliases.create(name="Mary Gonzalez")
    senator.edited = True
    senator.save()
    later = _ingest(tmp_path, "later.txt", "“We are ready,” said Mary Gonzalez on Friday.")
    quote = Quote.objects.get(article_id=later)
    assert quote.speaker == senator

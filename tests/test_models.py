"""Models: offsets and text always agree; names match however they are written."""

import pytest
from django.core.exceptions import ValidationError

from summit import models
from summit.models import Quote, Speaker, normalise_name
from summit.nlp import lexicon
from summit.nlp import types as nlp


@pytest.mark.django_db
def test_offsets_that_disagree_with_the_text_are_refused(make):
    article = make.article("Jane Roe said: “We have a deal.”")
    quote = make.quote(article, "We have a deal.")
    quote.full_clean()
    quote.start += 1
    with pytest.raises(ValidationError, match="disagree"):
        quote.full_clean()
    quote.start, quote.end = 10, 5
    with pytest.raises(ValidationError, match="before the start"):
        quote.full_clean()


@pytest.mark.django_db
def test_a_quote_over_several_paragraphs_covers_each_piece(make):
    article = make.article("“First part of it.", "“Second part.", "“Last part,” she said.")
    paragraphs = list(article.paragraphs.order_by("index"))
    quote = Quote(
        article=article,
        paragraph=paragraphs[0],
        start=1,
        end_paragraph=paragraphs[2],
        end=11,
        text="First part of it.\n\n“Second part.\n\n“Last part,",
        kind="direct",
    )
    quote.full_clean()
    assert quote.end_paragraph_index == 2
    quote.text = "First part of it.\n\n“Second part."
    with pytest.raises(ValidationError):
        quote.full_clean()


@pytest.mark.django_db
def test_a_quote_may_end_in_a_later_paragraph_before_its_start_offset(make):
    article = make.article("He put it plainly: “We are", "“here now,” she said.")
    first, second = article.paragraphs.order_by("index")
    quote = Quote(
        article=article,
        paragraph=first,
        start=20,
        end_paragraph=second,
        end=9,
        text="We are\n\n“here now",
        kind="direct",
    )
    quote.full_clean()  # 20 > 9, but the end is in the next paragraph


@pytest.mark.django_db
def test_an_annotation_cannot_point_into_another_article(make):
    one, two = make.article("Text one here."), make.article("Text two here.")
    quote = make.quote(one, "one")
    quote.article = two
    with pytest.raises(ValidationError, match="another article"):
        quote.full_clean()


@pytest.mark.django_db
def test_speaker_slugs_are_unique_and_names_match_loosely():
    a = Speaker.objects.create(name="Kim San-ho")
    b = Speaker.objects.create(name="Kim San Ho")
    assert (a.slug, b.slug) == ("kim-san-ho", "kim-san-ho-2")
    assert normalise_name("Kim San-ho") == normalise_name("kim  san ho") == "kim san ho"
    assert normalise_name("Nguyễn") == "nguyen"
    assert set(Speaker.objects.matching("KIM SAN-HO")) == {a, b}


@pytest.mark.parametrize(
    ("choices", "vocabulary"),
    [
        (models.ArticleKind, nlp.ArticleKind),
        (models.ParagraphKind, nlp.ParagraphKind),
        (models.SpeakerKind, nlp.SpeakerKind),
        (models.QuoteKind, nlp.QuoteKind),
        (models.ClaimKind, nlp.ClaimKind),
    ],
    ids=lambda v: v.__name__,
)
def test_model_choices_are_the_language_layers_vocabulary(choices, vocabulary):
    """What the pipeline returns is what the database may hold, name for name."""
    assert {c.name: c.value for c in choices} == {v.name: v.value for v in vocabulary}


def test_every_name_label_the_pipeline_keeps_is_a_mention_label():
    assert set(lexicon.NAME_LABELS) <= set(models.EntityLabel.values)


@pytest.mark.parametrize("few", [1_000, 0], ids=["read from the mentions", "walked"])
def test_the_articles_that_name_a_speaker_without_quoting_them(db, make, monkeypatch, few):
    """Read from the speaker's mentions (few) or tested along the newest articles (a
    speaker named often), the same articles, newest first, with their mention counts."""
    from summit.models import Article, EntityMention

    monkeypatch.setattr(models, "FEW_MENTIONS", few)
    kim = make.speaker("Kim Lee")
    named = []
    for n in range(4):
        article = make.article(f"Kim Lee spoke. Kim Lee left at {n}.")
        make.mention(article, "Kim Lee", "PERSON", kim)
        if n % 2:  # named twice
            EntityMention.objects.create(
                article=article,
                paragraph=article.paragraphs.get(),
                start=15,
                end=22,
                text="Kim Lee",
                label="PERSON",
                speaker=kim,
            )
        named.append(article)
    quoted = make.article("Kim Lee said it would rain.")
    make.mention(quoted, "Kim Lee", "PERSON", kim)
    make.quote(quoted, "it would rain", kim, kind="indirect")
    make.article("Nobody is named here.")
    kim.refresh_from_db()
    found = list(Article.objects.mentioning_only(kim).newest_first())
    assert [a.pk for a in found] == [a.pk for a in reversed(named)]
    assert [a.mention_count for a in found] == [2, 1, 2, 1]

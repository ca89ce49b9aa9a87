import pytest

from summit.models import Article, Claim, EntityMention, Quote, Status
from summit.services.anchoring import AnchorAmbiguous, AnchorNotFound
from summit.services.editing import (
    annotation_place,
    annotation_save,
    annotation_set_status,
    article_update,
    claim_set_highlighted,
    mention_set_speaker,
    quote_set_speaker,
)

pytestmark = pytest.mark.django_db

P1 = "“We will talk,” Moon said. He added that talks matter."
P2 = "Kim said nothing. “We will talk,” Kim said later."
P3 = "“Peace is near,” he said.\u00a0Analysts doubt it."


@pytest.fixture
def article(make):
    return make.article(P1, P2, P3)


def test_place_finds_offsets_of_unique_text(article):
    quote = Quote(article=article)
    annotation_place(model_instance=quote, text="Analysts doubt it.")
    p3 = article.paragraphs.get(index=2)
    assert quote.paragraph == p3
    assert p3.text[quote.start : quote.end] == "Analysts doubt it."
    assert quote.text == "Analysts doubt it."
    assert quote.end_paragraph is None


def test_place_not_found(article):
    quote = Quote(article=article)
    with pytest.raises(AnchorNotFound, match="not in the article"):
        annotation_place(model_instance=quote, text="Nobody said this.")
    assert quote.paragraph_id is None


def test_place_ambiguous_without_paragraph_then_paragraph_picks(article):
    quote = Quote(article=article)
    with pytest.raises(AnchorAmbiguous, match="2 times"):
        annotation_place(model_instance=quote, text="“We will talk,”")
    p2 = article.paragraphs.get(index=1)
    annotation_place(model_instance=quote, text="“We will talk,”", paragraph=p2)
    assert quote.paragraph == p2
    assert (quote.start, quote.end) == (18, 33)


def test_place_words_standing_twice_in_a_paragraph_where_the_editor_selected_them(article):
    p2 = article.paragraphs.get(index=1)
    second = P2.index("Kim said later")
    mention = EntityMention(article=article, label="PERSON")
    annotation_place(model_instance=mention, text="Kim", paragraph=p2, offset=second)
    assert (mention.start, mention.end) == (second, second + 3)
    annotation_place(model_instance=mention, text="Kim", paragraph=p2, offset=1)
    assert (mention.start, mention.end) == (0, 3)


def test_place_in_paragraph_that_lacks_the_text_says_so(article):
    quote = Quote(article=article)
    p1 = article.paragraphs.get(index=0)
    with pytest.raises(AnchorNotFound, match="not in paragraph 1"):
        annotation_place(model_instance=quote, text="Analysts doubt it.", paragraph=p1)


def test_place_rejects_paragraph_of_another_article(article, make):
    other = make.article("Analysts doubt it.")
    with pytest.raises(AnchorNotFound, match="another article"):
        annotation_place(
            model_instance=Quote(article=article),
            text="Analysts doubt it.",
            paragraph=other.paragraphs.get(),
        )


def test_place_quote_across_paragraphs(make):
    art = make.article("He said: “First part.", "Second part,” he added.", "Other.")
    quote = Quote(article=art, speaker_text="he")
    annotation_place(model_instance=quote, text="“First part.\n\nSecond part,”")
    assert quote.paragraph.index == 0
    assert quote.end_paragraph.index == 1
    assert quote.start == 9
    assert quote.end == len("Second part,”")
    quote.kind = "direct"
    quote.full_clean()  # the model's own check agrees with the offsets
    with pytest.raises(AnchorNotFound, match="Only a quote"):
        annotation_place(model_instance=EntityMention(article=art), text="First part.\n\nSecond")


def test_annotation_save_marks_edited_and_records_the_editor(article, make):
    user = make.editor()
    mention = EntityMention(article=article, label="PERSON")
    annotation_place(model_instance=mention, text="Moon")
    annotation_save(annotation=mention, by=user)
    mention.refresh_from_db()
    assert mention.edited is True
    record = mention.history.latest()
    assert record.history_type == "+"
    assert record.history_user == user


def test_set_status_records_history_per_row(article, make):
    user = make.editor()
    q1 = make.quote(article, "Peace is near")
    q2 = make.quote(article, "Analysts doubt it.")
    n = annotation_set_status(
        annotations=Quote.objects.filter(pk__in=[q1.pk, q2.pk]), status="verified", by=user
    )
    assert n == 2
    for q in (q1, q2):
        q.refresh_from_db()
        assert q.status == Status.VERIFIED
        assert q.edited
        latest = q.history.latest()
        assert latest.history_user == user
        assert latest.status == "verified"
        assert latest.history_change_reason == "Marked verified"
    assert annotation_set_status(annotations=[], status=Status.REJECTED, by=user) == 0
    with pytest.raises(ValueError, match="bogus"):
        annotation_set_status(annotations=[q1], status="bogus", by=user)


def test_quote_set_speaker(article, make):
    user = make.editor()
    moon, kim = make.speaker("Moon Jae-in"), make.speaker("Kim Jong Un")
    q = make.quote(article, "“We will talk,”", moon, paragraph=1)
    assert quote_set_speaker(quotes=[q], speaker=kim, by=user) == 1
    q.refresh_from_db()
    assert q.speaker == kim
    assert q.edited
    assert q.history.latest().history_user == user
    assert list(q.history.order_by("history_date").values_list("speaker_id", flat=True)) == [
        moon.pk,
        kim.pk,
    ]
    quote_set_speaker(quotes=Quote.objects.filter(pk=q.pk), speaker=None, by=user)
    q.refresh_from_db()
    assert q.speaker is None


def test_mention_and_claim_setters(article, make):
    moon = make.speaker("Moon Jae-in")
    m = make.mention(article, "Moon")
    c = make.claim(article, "talks matter", highlighted=False)
    mention_set_speaker(mentions=[m], speaker=moon, by=None)
    claim_set_highlighted(claims=Claim.objects.all(), highlighted=True, by=None)
    m.refresh_from_db()
    c.refresh_from_db()
    assert m.speaker == moon
    assert m.edited
    assert c.highlighted
    assert c.edited


def test_article_update_records_edited_fields(article, make):
    user = make.editor()
    article.title_derived = True
    article.save()
    article_update(article=article, data={"title": "Summit hopes", "outlet": "Asia Times"}, by=user)
    article_update(article=article, data={"title": "Summit hopes fade"}, by=user)
    article.refresh_from_db()
    assert article.title == "Summit hopes fade"
    assert article.outlet == "Asia Times"
    assert article.edited_fields == ["title", "outlet"]
    assert article.title_derived is False
    assert article.history.latest().history_user == user
    with pytest.raises(ValueError, match="source"):
        article_update(article=article, data={"source": "x"}, by=user)
    assert Article.objects.get().source != "x"

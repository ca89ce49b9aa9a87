"""What the article page draws around quotes, names and claims, as a reader sees it."""

import re
from html import unescape

import pytest

from summit.rendering import names_speaker
from tests.factories import speaker as make_speaker

pytestmark = pytest.mark.django_db


def _tag(html: str, quote) -> str:
    """A quote's opening tag."""
    return re.search(rf'<q id="q{quote.pk}"[^>]*>', html).group(0)


def _after(html: str, quote) -> str:
    """The markup from a quote's opening tag to the end of its paragraph."""
    return html.split(f'id="q{quote.pk}"')[1].split("</p>")[0]


@pytest.mark.parametrize(
    ("words", "named"),
    [
        ("Choi", True),
        ("Dan Pinkston", True),
        ("Pinkston", True),
        ("he", False),
        ("They", False),
        ("a former North Korean", False),
        ("North Korean", False),
        ("", False),
    ],
)
def test_whether_the_sentence_names_the_speaker(words, named):
    speaker = make_speaker("Choi Jin-wook") if words == "Choi" else make_speaker("Dan Pinkston")
    assert names_speaker(words, speaker) is named


def test_speaker_chip_only_where_the_sentence_does_not_name_them(client, make):
    article = make.article("“We will win,” Dan Pinkston said. “We may lose,” he added.")
    pinkston = make.speaker("Dan Pinkston")
    named = make.quote(article, "We will win,", pinkston, speaker_text="Dan Pinkston")
    pronoun = make.quote(article, "We may lose,", pinkston, speaker_text="he", cue="added")
    html = client.get(article.get_absolute_url()).content.decode()

    first = _after(html, named).split(f'id="q{pronoun.pk}"')[0]
    assert "q-cite" not in first, "the sentence names him: no chip repeating it"
    assert "m-quote--machine" in _tag(html, named)
    second = _after(html, pronoun)
    assert re.search(
        r'<span class="q-after"><a class="q-cite" [^>]*><bdi>Dan Pinkston</bdi></a></span>', second
    )
    # The chip sits right after the closing mark: no space before the punctuation.
    assert re.search(r"”</q><span class=\"q-after\">.*?</span> he added\.", second)
    assert "m-quote--uncertain" in _tag(html, pronoun)


def test_verified_and_uncertain_quotes_are_drawn_differently(client, make):
    article = make.article("“Yes,” he said. “No,” he said.")
    someone = make.speaker("Ann Person")
    verified = make.quote(article, "Yes,", someone, speaker_text="he", status="verified")
    doubtful = make.quote(article, "No,", someone, speaker_text="he")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "m-quote--verified" in _tag(html, verified)
    assert "m-quote--uncertain" in _tag(html, doubtful)
    assert 'aria-label="Verified by an editor"' in _after(html, verified).split("No,")[0]
    assert "Verified by an editor" not in _after(html, doubtful)


def test_a_claim_opening_a_quote_takes_in_the_quotation_mark(client, make):
    article = make.article("“The talks will fail,” she said.")
    make.quote(article, "The talks will fail,", make.speaker("Ann Person"), speaker_text="she")
    make.claim(article, "The talks will fail")
    html = client.get(article.get_absolute_url()).content.decode()
    assert re.search(r'<mark class="m m-claim[^"]*"[^>]*>“The talks', html)


def test_only_the_first_mention_of_a_name_is_marked_first(client, make):
    article = make.article("Hanoi is busy. Hanoi is hot. Paris is not.")
    make.mention(article, "Hanoi", "GPE")
    p = article.paragraphs.get()
    from summit.models import EntityMention

    EntityMention.objects.create(
        article=article, paragraph=p, start=15, end=20, text="Hanoi", label="GPE"
    )
    make.mention(article, "Paris", "GPE")
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count("m-ent--first") == 2  # Hanoi once, Paris once
    assert re.search(r'name="show" value="repeats"[^>]*checked', html)


def test_the_rules_measured_confidence_decides_what_is_uncertain(client, make):
    article = make.article("“Yes,” Ann Person said. “No,” she said.")
    ann = make.speaker("Ann Person")
    named_weak = make.quote(
        article, "Yes,", ann, speaker_text="Ann Person", sieve="reported_clause", confidence=0.4
    )
    pronoun_strong = make.quote(
        article,
        "No,",
        ann,
        speaker_text="she",
        sieve="trailing_cue",
        confidence=0.86,
        via={"paragraph": 0, "start": 7, "end": 17, "text": "Ann Person"},
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "m-quote--uncertain" in _tag(html, named_weak)
    assert "m-quote--machine" in _tag(html, pronoun_strong)
    card = client.get(
        f"{ann.get_absolute_url()}card/", {"quote": pronoun_strong.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert (
        "Found through “she” in ¶1 → Ann Person, named as “Ann Person” in ¶1. "
        "Rule: the words after the quote, right 86 times in 100 on the test sets."
    ) in unescape(card)

"""Text hygiene: bidi controls out of names and slugs, rendered isolated in paragraphs;
zero-width joiners kept inside emoji and dropped elsewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from summit.models import Speaker, SpeakerAlias, normalise_name
from summit.nlp.structure import normalise_text

SPOOF = "Ann \u202eeciloP\u202c Smith"


@pytest.mark.django_db
def test_bidi_controls_are_removed_from_speaker_names_aliases_and_slugs():
    speaker = Speaker.objects.create(name=SPOOF)
    assert speaker.name == "Ann eciloP Smith"
    assert speaker.slug == "ann-ecilop-smith"
    alias = SpeakerAlias.objects.create(speaker=speaker, name="\u2067Smith\u2069")
    assert alias.name == "Smith"
    assert normalise_name(SPOOF) == normalise_name("Ann eciloP Smith")


@pytest.mark.django_db
def test_ingested_names_lose_their_bidi_controls(make):
    from summit.nlp import types as nlp
    from summit.services.resolution import SpeakerResolver

    person = nlp.Person(key="p0", name=SPOOF, aliases=["\u202eSmith"])
    speaker = SpeakerResolver().resolve_all([person])["p0"]
    speaker.refresh_from_db()
    assert speaker.name == "Ann eciloP Smith"
    assert [a.name for a in speaker.aliases.all()] in ([], ["Smith"])


def test_zero_width_joiners_inside_emoji_are_kept_and_stray_ones_dropped():
    family, flag, coder = "👩\u200d👩\u200d👧", "🏳\ufe0f\u200d🌈", "👨\u200d💻"
    text = normalise_text(f"A {family} and a {flag}, a {coder}; a stray\u200djoiner.")
    assert family in text
    assert flag in text
    assert coder in text
    assert "strayjoiner" in text


def test_paragraphs_and_marks_are_bidi_isolates_in_the_stylesheet():
    css = (Path(__file__).resolve().parent.parent / "static" / "summit" / "summit.css").read_text()
    rule = re.search(r"([^{}]*)\{\s*unicode-bidi:\s*isolate;\s*\}", css)
    assert rule
    selectors = {s.strip() for s in rule.group(1).split("*/")[-1].split(",")}
    assert {".para", ".m", ".q-cite"} <= selectors


@pytest.mark.django_db
def test_names_titles_and_quotes_from_articles_are_bidi_isolated_in_the_markup(client, make):
    """A right-to-left name or title stands in a ``<bdi>`` wherever it runs on with other
    words, so it cannot carry the numbers and punctuation beside it along."""
    from django.urls import reverse

    name, title = "\u05d3\u05e0\u05d4 \u05db\u05d4\u05df", "\u202eA title kept as written"
    dana = make.speaker(name)
    article = make.article("\u201cWe go,\u201d she said.", title=title)
    quote = make.quote(article, "We go,", dana, speaker_text="she")
    isolated = f"<bdi>{name}</bdi>"

    page = client.get(article.get_absolute_url()).content.decode()
    assert page.count(isolated) == 2  # the chip after the quote, the "Quoted here" list
    person = client.get(dana.get_absolute_url()).content.decode()
    assert f"<h1>{isolated}</h1>" in person
    assert f"What {isolated} said" in person
    assert f"<bdi>{title}</bdi>" in person
    quotes = client.get(reverse("quotes")).content.decode()
    assert isolated in quotes
    assert f"<bdi>{title}</bdi>" in quotes
    card = client.get(reverse("speaker-card", args=[dana.slug])).content.decode()
    assert f"quotes by {isolated}" in card or f"{isolated}’s page" in card
    permalink = client.get(reverse("quote", args=[quote.pk])).content.decode()
    assert f">{isolated}</a>" in permalink


def test_control_characters_cannot_fake_a_search_highlight():
    """Search marks its matches with U+0002 and U+0003: an article's text never holds
    them (nor any other control character but newline)."""
    text = normalise_text("The \x02council\x03 met.\x85 Then\x1b[31m it voted.\n\nNext.")
    assert text == "The council met. Then[31m it voted.\n\nNext."

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

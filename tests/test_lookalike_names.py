"""Look-alike names: a name written with letters of another script that look the same
("Dаn Lee" with a Cyrillic "а"), invisible characters or compatibility forms is matched
as the name it looks like (NFKC and Unicode's confusable skeletons, UTS #39), for finding
a speaker and for the duplicate hints; it is shown as it was written."""

from __future__ import annotations

import importlib

import pytest

from summit.models import Speaker, SpeakerAlias, SpeakerTombstone, normalise_name
from summit.nlp import types as nlp
from summit.services.resolution import SpeakerResolver
from summit.services.speakers import speaker_duplicates

CYRILLIC_A, CYRILLIC_I, CYRILLIC_O, GREEK_O = "\u0430", "\u0456", "\u043e", "\u03bf"


@pytest.mark.parametrize(
    "written",
    [
        f"D{CYRILLIC_A}n Pinkston",
        f"Dan P{CYRILLIC_I}nkst{CYRILLIC_O}n",
        f"Dan Pinkst{GREEK_O}n",
        "Dan Pin\u200bkston",  # a zero-width space
        "Dan Pink\u00adston",  # a soft hyphen
        "D\u2060an\u00a0Pinkston",  # a word joiner, a no-break space
        "\uff24\uff41\uff4e Pinkston",  # fullwidth letters
        "Dan Pinkston\ufe0f",  # a variation selector
    ],
)
def test_a_lookalike_of_a_name_has_its_key(written):
    assert normalise_name(written) == normalise_name("Dan Pinkston")


@pytest.mark.parametrize("other", ["Don Pinkston", "Dan Pinkstone", "Dan Lee", "Ann Pinkston"])
def test_names_that_differ_to_the_eye_keep_apart(other):
    assert normalise_name(other) != normalise_name("Dan Pinkston")


@pytest.mark.django_db
def test_a_lookalike_name_in_a_later_article_is_the_speaker_it_looks_like():
    """The Cyrillic "а" in "Dаn Lee" does not make a second person beside "Dan Lee"."""
    resolver = SpeakerResolver()
    dan = resolver.resolve_all([nlp.Person(key="p0", name="Dan Lee")])["p0"]
    for written in (f"D{CYRILLIC_A}n Lee", "Dan L\u200bee", "\uff24an Lee"):
        again = resolver.resolve_all([nlp.Person(key="p1", name=written)])["p1"]
        assert again.pk == dan.pk, written
    assert Speaker.objects.count() == 1
    dan.refresh_from_db()
    assert dan.name == "Dan Lee"
    assert not dan.aliases.exists(), "a look-alike is the same name, not an alias"


@pytest.mark.django_db
def test_a_name_is_shown_as_written_never_as_its_key():
    written = f"D{CYRILLIC_A}n Lee"
    speaker = Speaker.objects.create(name=written)
    assert speaker.name == written
    assert speaker.name_key == "dan lee"


@pytest.mark.django_db
def test_lookalike_speakers_are_hinted_as_duplicates_both_ways(make):
    """Speakers made before (or imported from a backup) under look-alike names are each
    other's merge candidates."""
    latin = make.speaker("Dan Pinkston")
    cyrillic = make.speaker(f"D{CYRILLIC_A}n P{CYRILLIC_I}nkston")
    hidden = make.speaker("Dan Pink\u200bston")
    assert {d.speaker for d in speaker_duplicates(speaker=latin)} == {cyrillic, hidden}
    hints = speaker_duplicates(speaker=cyrillic)
    assert {d.speaker for d in hints} == {latin, hidden}
    assert all("look-alike" in d.why for d in hints)


@pytest.mark.django_db
def test_searching_for_a_name_finds_it_written_with_lookalikes(make):
    cyrillic = make.speaker(f"D{CYRILLIC_A}n P{CYRILLIC_I}nkston")
    assert list(Speaker.objects.search("Pinkston")) == [cyrillic]
    assert list(Speaker.objects.matching("Dan Pinkston")) == [cyrillic]


@pytest.mark.django_db
def test_the_migration_folds_the_keys_stored_before(make):
    from django.apps import apps

    dan = make.speaker("Dan Lee")
    SpeakerTombstone.objects.create(name=f"Ann W{CYRILLIC_O}", name_key="-", speaker_id=99)
    # The keys as they were stored: accents folded and no more, so each alias its own.
    SpeakerAlias.objects.bulk_create(
        SpeakerAlias(speaker=dan, name=name, name_key=f"old {n}")
        for n, name in enumerate([f"D{CYRILLIC_A}n Lee", "Dan L\u200bee", "Dannie"])
    )
    migration = importlib.import_module("summit.migrations.0025_name_keys_fold_lookalikes")
    migration.fold_keys(apps, None)
    assert sorted(dan.aliases.values_list("name_key", flat=True)) == ["dan lee", "dannie"]
    assert SpeakerTombstone.objects.get().name_key == "ann wo"


@pytest.mark.django_db
def test_a_backup_with_an_alias_written_twice_alike_imports_it_once():
    """Aliases "Dan Lee" and "Dаn Lee" (or "dan lee") of one speaker in a backup are one
    name: imported once (the second broke the import on the database's constraint)."""
    from summit.services.backup import restore
    from tests.services.test_backup import _file

    aliases = ["Dan Lee", f"D{CYRILLIC_A}n Lee", "dan lee", "Dannie"]
    speaker = {"name": "Daniel Lee", "slug": "daniel-lee", "aliases": aliases}
    restore(_file(speakers=[speaker]))
    assert Speaker.objects.get().alias_names() == ["Dan Lee", "Dannie"]


@pytest.mark.django_db
def test_a_deleted_speakers_name_from_an_older_backup_is_keyed_as_names_are_now():
    """A backup carries its speaker tombstones' keys as they were made: the key is made
    again from the name, so a look-alike of the deleted speaker stays buried."""
    from summit.services.backup import restore
    from tests.services.test_backup import _file

    tomb = {
        "name": "Kim Lee",
        "name_key": "kim lee",
        "speaker_id": 7,
        "at": "2024-05-01T10:00:00+00:00",
    }
    restore(_file(speaker_tombstones=[tomb]))
    assert SpeakerTombstone.objects.get().name_key == normalise_name("Kim L\u0435e")

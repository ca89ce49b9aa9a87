"""Entity repair's person phases (summit/nlp/entities.py: ``_titled_persons``,
``_junk_person``): who is a person before quotes are attributed."""

from __future__ import annotations

from .helpers import quote_with


def _names(an) -> set[str]:
    return {p.name for p in an.people}


def test_a_name_after_the_is_no_person(analyze):
    an = analyze(
        "Leon Abara scored twice as the Rovers went top of the Championship table on Saturday.",
        "“I am happy with my form,” he said.",
    )
    assert "Championship" not in _names(an)
    q = quote_with(an, "happy with my form")
    assert q is not None
    assert an.person(q.speaker).name == "Leon Abara"


def test_a_platform_is_no_person(analyze):
    an = analyze("Dana Whitlow posted the photo on Instagram before the show.")
    assert not any("Instagram" in n for n in _names(an))


def test_a_plural_family_is_no_person(analyze):
    an = analyze(
        "Oliver Pembury and his wife hosted a dinner.",
        "The Pemburys later thanked their guests.",
    )
    assert "Pemburys" not in _names(an)


def test_a_name_after_an_honorific_is_a_person(analyze):
    an = analyze(
        "The chief executive of the shipping line, Mr Danvers, said in a statement that "
        "he would step down. “I will leave when the board asks me to,” he said.",
    )
    q = quote_with(an, "leave when the board")
    assert q is not None
    p = an.person(q.speaker)
    assert p is not None
    assert p.name == "Danvers"


def test_the_first_word_of_an_organisation_is_its_short_name(analyze):
    from summit.nlp.types import SpeakerKind

    an = analyze(
        "Brennix Logistics, of Leeds, runs the largest depot in the county.",
        "Brennix said the depot would stay open. “Our staff are committed to the site "
        "and to the town,” it said in a statement.",
    )
    q = quote_with(an, "Our staff are committed")
    assert q is not None
    p = an.person(q.speaker)
    assert p is not None
    assert p.kind == SpeakerKind.ORGANISATION

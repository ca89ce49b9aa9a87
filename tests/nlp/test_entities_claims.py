"""Entity repair, people and claims on hand-written text."""

from __future__ import annotations

from summit.nlp.types import ArticleKind, ClaimKind

from .helpers import quote_with


def test_possessive_is_split_off_an_organisation(analyze):
    an = analyze(
        "Daniel Walsh is a fellow at the Harbor Institute. The Harbor Institute’s "
        "Walsh believes that the port will recover."
    )
    assert any(
        m.label == "ORG" and m.span.text.endswith("Harbor Institute")
        for m in an.mentions
        if m.span.start >= 50
    )
    assert not any("’s Walsh" in m.span.text for m in an.mentions)
    walsh = [m for m in an.mentions if m.span.text == "Walsh"]
    assert walsh
    assert walsh[0].label == "PERSON"
    q = quote_with(an, "the port will recover")
    assert q is not None
    assert an.person(q.speaker).name == "Daniel Walsh"


def test_hyphenated_given_name_is_assembled(analyze):
    an = analyze(
        "South Korean President Moon Jae-in met the delegation. Moon said that the talks went well."
    )
    names = {p.name for p in an.people}
    assert "Moon Jae-in" in names
    moon = next(p for p in an.people if p.name == "Moon Jae-in")
    assert "Moon" in moon.aliases


def test_false_persons_are_dropped(analyze):
    an = analyze(
        "“We will know fairly soon – Very Interesting!” Becker wrote, adding that "
        "the result was AWESOME for the town of Lake Placid City."
    )
    names = {p.name for p in an.people}
    assert "Very Interesting" not in names
    assert "AWESOME" not in names
    assert not any(n.endswith("City") for n in names)


def test_one_label_per_name(analyze):
    an = analyze("Donald Trump arrived late.", "Trump met the press. Trump spoke briefly.")
    trumps = [m for m in an.mentions if m.span.text == "Trump"]
    assert len(trumps) == 2
    for m in trumps:
        assert m.label == "PERSON"
        assert an.person(m.person).name == "Donald Trump"


def test_opinion_author_holds_unattributed_forecast(analyze):
    an = analyze(
        "The harbour plan has been criticised from every side.",
        "The most likely outcome of the vote will be a compromise that satisfies nobody.",
        "The council must publish its numbers before the vote.",
        byline="Jane Roe",
        kind=ArticleKind.OPINION,
    )
    forecast = next(c for c in an.claims if "most likely outcome" in c.span.text)
    assert forecast.holder is None
    assert forecast.kind == ClaimKind.PREDICTION
    assert forecast.highlighted
    rec = next(c for c in an.claims if "must publish" in c.span.text)
    assert rec.kind == ClaimKind.RECOMMENDATION


def test_belief_claim_of_a_speaker(analyze):
    an = analyze("Kenji Sato believes that the port will never recover its old traffic.")
    c = next(c for c in an.claims if "port will never recover" in c.span.text)
    assert an.person(c.holder).name == "Kenji Sato"
    assert sum(c.highlighted for c in an.claims) >= 1


def test_a_conditional_should_is_no_recommendation(analyze):
    an = analyze(
        "The harbour board met on Monday to discuss the dredging contract for the port.",
        "The board kept its reserve fund intact, a safeguard if the contract should fail.",
        byline="Jane Roe",
        kind=ArticleKind.OPINION,
    )
    assert not [
        c
        for c in an.claims
        if "if the contract should fail" in c.span.text and c.kind == ClaimKind.RECOMMENDATION
    ]


def test_a_view_the_author_reports_of_others_is_not_the_authors(analyze):
    an = analyze(
        "The harbour plan has been criticised from every side this spring.",
        "The regional shipping lobby is already predicting the plan will be a disaster.",
        "The city council recognizes that the dredging will take a decade or more to finish.",
        "The most likely outcome of the vote will be a compromise that satisfies nobody.",
        byline="Jane Roe",
        kind=ArticleKind.OPINION,
    )
    for words in ("plan will be a disaster", "dredging will take a decade"):
        assert not [c for c in an.claims if words in c.span.text and c.holder is None], words
    forecast = next(c for c in an.claims if "most likely outcome" in c.span.text)
    assert forecast.holder is None


def test_an_op_eds_thesis_is_highlighted(analyze):
    an = analyze(
        "The most likely outcome of the vote will be a compromise that satisfies nobody.",
        "The port will probably lose two of its biggest shipping lines by the end of 2027.",
        "Freight rates will likely rise by 12 percent as the Northern Route opens next year.",
        "The Dutch and Danish ports will be the winners of the Baltic shipping trade by 2030.",
        "Insurers are expected to raise premiums for the Eastern Harbour within three years.",
        "It is time for the council to stop dithering and fund the new harbour wall.",
        byline="Jane Roe",
        kind=ArticleKind.OPINION,
    )
    thesis = next(c for c in an.claims if "It is time for the council" in c.span.text)
    assert thesis.kind == ClaimKind.RECOMMENDATION
    assert thesis.highlighted


def test_an_unnamed_sources_view_is_not_the_authors(analyze):
    an = analyze(
        "Harbour experts have doubts about the plan.",
        "They argue the new wall will fail within a decade because the sea is rising fast.",
        byline="Jane Roe",
        kind=ArticleKind.OPINION,
    )
    assert not [c for c in an.claims if "wall will fail" in c.span.text and c.holder is None]

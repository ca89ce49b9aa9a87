"""Editors' corrections applied to entities: plain data, no Django."""

from summit.nlp.gazetteer import Gazetteer, name_key
from summit.nlp.work import Ent


def ents(*pairs):
    return [
        Ent(start=i, end=i + 1, label=label, text=text) for i, (text, label) in enumerate(pairs)
    ]


def test_names_editors_settled_win_over_the_model():
    g = Gazetteer.build(
        persons=["Pinkston"], organisations=["Acme Corp"], not_persons=["Tweeted", "AWESOME"]
    )
    out = g.apply(
        ents(
            ("Pinkston’s", "ORG"),
            ("Acme Corp", "PERSON"),
            ("Tweeted", "PERSON"),
            ("AWESOME", "PERSON"),
            ("Ohio", "GPE"),
        )
    )
    assert [(e.text, e.label) for e in out] == [
        ("Pinkston’s", "PERSON"),
        ("Acme Corp", "ORG"),
        ("Ohio", "GPE"),
    ]
    assert g.no_person("tweeted")
    assert not g.no_person("Pinkston")


def test_a_name_said_to_be_a_person_wins_over_a_rejection():
    g = Gazetteer.build(persons=["Kim"], not_persons=["Kim"])
    assert not g.no_person("Kim")
    assert not Gazetteer()


def test_name_keys_fold_case_accents_and_punctuation():
    assert name_key("Nguyễn Thị  Anh-Chi") == "nguyen thi anh chi"
    assert name_key("U.S.") == "u s"

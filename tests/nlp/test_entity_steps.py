"""Entity repair's named steps (summit/nlp/entities.py ``STEPS``): what a reader sees
marked as a name, and as which kind, in invented sentences."""

from __future__ import annotations

import pytest

from summit.nlp import places


def _labels(an) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for m in an.mentions:
        out.setdefault(m.span.text, set()).add(m.label)
    return out


def test_a_bracket_the_model_swallowed_cuts_the_name(analyze):
    an = analyze(
        "The Northern Ports Authority (NPA) said on Monday that tolls would rise, and "
        "the Global Grain Council (GGC said it would object."
    )
    names = _labels(an)
    assert not any("(" in n for n in names)
    assert names.get("the Global Grain Council") == {"ORG"}


def test_a_place_joined_by_in_is_its_own_name(analyze):
    an = analyze("Shoppers queued outside Brookmere in Essex before dawn on Saturday.")
    names = _labels(an)
    assert "Brookmere in Essex" not in names
    assert names.get("Essex") == {"GPE"}


def test_a_hyphenated_pair_of_names_is_two_names(analyze):
    an = analyze(
        "Ana Ortiz met Viktor Lanz in Oslo. Ortiz said the Ortiz-Lanz talks went well, "
        "and Lanz agreed."
    )
    names = _labels(an)
    assert "Ortiz-Lanz" not in names
    assert names.get("Lanz") == {"PERSON"}


def test_shouted_words_and_abbreviations_are_no_names(analyze):
    an = analyze(
        "The new tablet is TERRIFIC, the reviewer wrote at 9am GMT.",
        "It ships with 8GB of RAM and a USB port, and costs less with VAT.",
        "Its Digital Rights Management locks the songs.",
    )
    names = _labels(an)
    for word in ("TERRIFIC", "GMT", "RAM", "USB", "VAT", "Digital Rights Management"):
        assert word not in names


def test_the_name_like_piece_of_an_office_is_no_organisation(analyze):
    an = analyze(
        "Hal Brenner, the National Security Adviser, met the Secretary of State on Friday."
    )
    names = _labels(an)
    assert "National Security" not in names
    assert "State" not in names


def test_a_title_named_by_the_noun_before_it_is_a_work_not_a_person(analyze):
    an = analyze(
        "Critics praised the biopic Marlowe and the comedy Tinder Street this year.",
        "Marlowe was shot in Prague.",
    )
    names = _labels(an)
    assert "PERSON" not in names.get("Marlowe", {"PERSON"})
    assert "PERSON" not in names.get("Tinder Street", set())


def test_a_named_person_stays_a_person_beside_a_work_noun(analyze):
    an = analyze(
        "Director Jo Calder said her film would open in May.",
        "Calder said the film took three years.",
    )
    assert _labels(an).get("Jo Calder") == {"PERSON"}


def test_peoples_are_norp_and_countries_places(analyze):
    an = analyze(
        "The Bangladeshi community in the town and the South Koreans at the fair "
        "welcomed visitors from Portugal."
    )
    names = _labels(an)
    assert names.get("the South Koreans", {"NORP"}) == {"NORP"}
    assert names.get("Bangladeshi", {"NORP"}) == {"NORP"}
    assert names.get("Portugal") == {"GPE"}


def test_a_description_of_people_is_no_organisation(analyze):
    an = analyze("At least a dozen US Lawmakers will back the motion, Ana Ortiz said.")
    names = _labels(an)
    assert "US Lawmakers" not in names


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Welsh", True),
        ("Bangladeshi", True),
        ("the South Koreans", True),
        ("Scots", True),
        ("Kenyan", True),
        ("Paris", False),
        ("Brian", False),
        ("Jordan", False),
    ],
)
def test_nationalities_come_from_iso_data(word, expected):
    assert places.is_nationality(word) is expected


def test_countries_by_name_or_code():
    assert places.is_country("Viet Nam")
    assert places.is_country("U.S.")
    assert not places.is_country("us")
    assert places.is_region("Kent")


def test_a_place_the_model_missed_after_a_preposition_is_marked(analyze):
    an = analyze("The final was played in Cardiff on a wet Saturday in March.")
    assert _labels(an).get("Cardiff") == {"GPE"}


def test_roman_numerals_and_lowercased_abbreviations_are_no_names(analyze):
    an = analyze(
        "Rhys Evans was named in the starting XV on Friday.",
        "The laptop has 4GB of Ram and a fast drive.",
    )
    names = _labels(an)
    assert "XV" not in names
    assert "Ram" not in names


def test_an_organisation_cut_by_the_model_is_made_whole(analyze):
    an = analyze(
        "The Sail and Oar Workers Union (SOWU) called a strike, and Liberal Democrat "
        "councillors backed it."
    )
    names = _labels(an)
    assert "Oar Workers Union" not in names
    assert "Liberal" not in names


def test_a_first_name_and_a_surname_tagged_an_organisation_is_a_person(analyze):
    an = analyze("Producers have an idea for Maud Penhale to read the letters on stage.")
    assert _labels(an).get("Maud Penhale", {"PERSON"}) == {"PERSON"}


def test_an_organisations_name_named_again_is_marked_again_whole(analyze):
    an = analyze(
        "“It will take years,” said the Harbour Institute’s Rhys Evans.",
        "Evans has worked at Portmouth’s Harbour Institute of Marine Studies since 1990.",
    )
    assert _labels(an).get("Harbour Institute of Marine Studies") == {"ORG"}


def test_an_abbreviated_place_keeps_its_dots(analyze):
    an = analyze("Ana Ortiz flew to the U.S. on Monday and met officials in Washington.")
    names = _labels(an)
    assert "U.S" not in names
    assert names.get("U.S.") == {"GPE"}


def test_a_word_without_a_capital_is_no_name(analyze):
    an = analyze(
        "The remake adds spit and polish to the old game, said Dara Quinlan of Harbour "
        "Games. The democrats in the county met on the state budget."
    )
    names = _labels(an)
    for word in ("polish", "democrats", "state"):
        assert word not in names


def test_a_common_noun_capitalised_to_open_a_sentence_is_no_name(analyze):
    an = analyze(
        "Brightwave sells radios with speech controls to schools.",
        '"Speech is a natural way to control a radio," said Lena Moss of Brightwave. '
        "Wireless costs extra, and wireless speakers are sold separately.",
    )
    names = _labels(an)
    assert "Speech" not in names
    assert "Wireless" not in names


def test_a_person_name_holding_an_acronym_is_an_organisation(analyze):
    an = analyze("Price told RTE Sport Munster that he was fit.")
    names = _labels(an)
    assert names.get("RTE Sport Munster") == {"ORG"}


def test_a_name_listed_with_organisations_is_one(analyze):
    an = analyze(
        "Technology firms Sony, Philips, Brakstad and Samsung are working on a common "
        "format for discs."
    )
    names = _labels(an)
    assert names.get("Brakstad") == {"ORG"}


def test_a_role_before_a_person_is_no_part_of_an_organisation(analyze):
    an = analyze(
        "It moved staff to Ohio. Spokesman Derek Holt says the senator has “never wavered.”",
    )
    names = _labels(an)
    assert names.get("Derek Holt") == {"PERSON"}
    assert not any("Spokesman" in n for n in names)


def test_a_name_listed_with_people_is_a_person(analyze):
    an = analyze(
        "The punk pioneer follows Brannock, David Bowie and Nick Cave in curating the festival."
    )
    assert _labels(an).get("Brannock") == {"PERSON"}


def test_followers_named_for_a_person_are_a_group(analyze):
    an = analyze("The Thatcherites met in the hall, and the Blairites stayed away.")
    names = _labels(an)
    assert names.get("Thatcherites") == {"NORP"}
    assert names.get("Blairites") == {"NORP"}


def test_initials_before_a_person_are_the_organisation_and_its_person(analyze):
    an = analyze("The German chief of chemicals group BASX Klaus Werner is to retire.")
    names = _labels(an)
    assert names.get("BASX") == {"ORG"}
    assert names.get("Klaus Werner") == {"PERSON"}


def _step(pipeline, step, text: str, model: list[tuple[str, str]]) -> dict[str, str]:
    """Run one repair step over ``text`` as the model would have left it: ``model``
    lists (span, label) pairs, the model's mistakes included."""
    from summit.nlp.work import Ent, Work, document_text

    from .conftest import make_doc

    document = make_doc(text)
    joined = document_text(document)
    work = Work.build(document, joined, pipeline.nlp(joined))
    ents: list[Ent] = []
    for span, label in model:  # a span listed twice is its next occurrence
        after = max((e.end for e in ents if e.text == span), default=0)
        start = joined.index(span, after)
        ents.append(Ent(start, start + len(span), label, span))
    return {e.text: e.label for e in step(work, ents)}


def test_a_given_name_the_model_cut_off_joins_its_person(pipeline):
    from summit.nlp.entities import persons_extended

    out = _step(
        pipeline,
        persons_extended,
        "Critics slated comedian Sacha Baron Ruiz for his jokes.",
        [("Sacha", "ORG"), ("Ruiz", "PERSON")],
    )
    assert out == {"Sacha Baron Ruiz": "PERSON"}


def test_a_month_or_a_title_before_a_person_is_no_given_name(pipeline):
    from summit.nlp.entities import persons_extended

    out = _step(
        pipeline,
        persons_extended,
        "Vice President Lena Moss met Anna Ruiz in March. March Ruiz was there too.",
        [("Lena Moss", "PERSON"), ("Ruiz", "PERSON")],
    )
    assert out == {"Lena Moss": "PERSON", "Ruiz": "PERSON"}


def test_a_first_name_and_surname_taken_for_a_place_is_a_person(pipeline):
    from summit.nlp.entities import persons_by_first_name

    out = _step(
        pipeline,
        persons_by_first_name,
        '"Gethin Pryce is starting for them," the coach said. They play in Cardiff.',
        [("Gethin Pryce", "GPE"), ("Cardiff", "GPE")],
    )
    assert out == {"Gethin Pryce": "PERSON", "Cardiff": "GPE"}


def test_a_makers_model_before_a_product_noun_is_a_product(pipeline):
    from summit.nlp.entities import name_works

    out = _step(
        pipeline,
        name_works,
        "You get a fast Zenor Tallis processor, and Zenor Labs said sales rose.",
        [("Zenor Tallis", "ORG"), ("Zenor Labs", "ORG")],
    )
    assert out == {"Zenor Tallis": "PRODUCT", "Zenor Labs": "ORG"}


def test_a_name_with_a_particle_is_one_name_whatever_the_parse(pipeline):
    from summit.nlp.entities import persons_extended

    out = _step(
        pipeline,
        persons_extended,
        "He destroyed Namibia's Os du Breda in the scrum last autumn.",
        [("Namibia", "GPE"), ("Breda", "PERSON")],
    )
    assert out == {"Namibia": "GPE", "Os du Breda": "PERSON"}


def test_initials_before_a_surname_are_a_persons(pipeline):
    from summit.nlp.entities import persons_by_form

    out = _step(
        pipeline,
        persons_by_form,
        "The historian AJP Tallow wrote it, and Tallow said so.",
        [("AJP Tallow", "PERSON"), ("Tallow", "PERSON")],
    )
    assert out == {"AJP Tallow": "PERSON", "Tallow": "PERSON"}


def test_initials_spelt_out_as_a_concept_or_a_law_are_no_organisation(pipeline):
    from summit.nlp.entities import acronyms_by_expansion

    out = _step(
        pipeline,
        acronyms_by_expansion,
        "They gave up on ZVTD [Zonal, Verified Total Disarmament of all arms] and the "
        "HCPA (Home Care Protection Act) stalled, the WCFO (World Council of Fish "
        "Organisations) said.",
        [("ZVTD", "ORG"), ("HCPA", "ORG"), ("WCFO", "ORG")],
    )
    assert out == {"HCPA": "LAW", "WCFO": "ORG"}


def test_initials_along_which_troops_stand_are_a_place(pipeline):
    from summit.nlp.entities import acronyms_by_expansion

    out = _step(
        pipeline,
        acronyms_by_expansion,
        "Guard posts along the ZMZ were dismantled, the NKRA said.",
        [("ZMZ", "ORG"), ("NKRA", "ORG")],
    )
    assert out == {"ZMZ": "LOC", "NKRA": "ORG"}


def test_a_kind_noun_before_a_name_makes_it_an_organisation(pipeline):
    from summit.nlp.entities import names_by_kind_noun

    out = _step(
        pipeline,
        names_by_kind_noun,
        "The film goes to the company Tarn Willow, and satellite broadcaster Skylark "
        "will show it, the Harbour Post newspaper said.",
        [("Tarn Willow", "PERSON"), ("Harbour Post", "GPE")],
    )
    assert out == {"Tarn Willow": "ORG", "Skylark": "ORG", "Harbour Post": "ORG"}


def test_names_before_a_field_are_natural_places(pipeline):
    from summit.nlp.entities import names_by_kind_noun

    out = _step(
        pipeline,
        names_by_kind_noun,
        "The firm raised output at its Arrowmere and Tallis fields. The Arrowmere "
        "field holds most of the oil.",
        [("Arrowmere", "GPE"), ("Tallis", "ORG"), ("Arrowmere", "GPE")],
    )
    assert out == {"Arrowmere": "LOC", "Tallis": "LOC"}


def test_a_constituency_and_a_ward_are_political_places(pipeline):
    from summit.nlp.entities import names_by_kind_noun

    out = _step(
        pipeline,
        names_by_kind_noun,
        "She won the Commons constituency of Ashby Vale and Brook. He took a seat in "
        "St Olave's and Wren Green ward.",
        [("Ashby Vale and Brook", "ORG"), ("St Olave", "LOC"), ("Wren Green", "ORG")],
    )
    assert out == {"Ashby Vale and Brook": "GPE", "St Olave's and Wren Green": "GPE"}


def test_a_place_a_player_plays_for_is_a_team(pipeline):
    from summit.nlp.entities import names_by_kind_noun

    out = _step(
        pipeline,
        names_by_kind_noun,
        "The Harbourton fly-half kicked well. He played at Harbourton for years, and "
        "once scored for Tallbridge against Wexham.",
        [("Harbourton", "GPE"), ("Harbourton", "GPE"), ("Tallbridge", "GPE")],
    )
    assert out == {"Harbourton": "ORG", "Tallbridge": "ORG"}


def test_a_place_named_for_its_magazine_stays_a_place_elsewhere(pipeline):
    from summit.nlp.entities import names_by_kind_noun

    out = _step(
        pipeline,
        names_by_kind_noun,
        "He wrote in Kent magazine last week. Kent voted on Thursday.",
        [("Kent", "GPE"), ("Kent", "GPE")],
    )
    assert sorted(out.items()) == [("Kent", "GPE")]


def test_intercapped_products_the_model_missed_are_products(pipeline):
    from summit.nlp.entities import name_works

    out = _step(
        pipeline,
        name_works,
        "The laptop comes with iWrite, iSketch and DrawDeck for drawing.",
        [("DrawDeck", "ORG")],
    )
    assert out == {"iWrite": "PRODUCT", "iSketch": "PRODUCT", "DrawDeck": "PRODUCT"}


def test_names_after_formats_such_as_and_the_star_of_are_titles(pipeline):
    from summit.nlp.entities import name_works

    out = _step(
        pipeline,
        name_works,
        "The rival formats, such as Tapemax and Discola, confused buyers. The star of "
        "Low Harbour and Wendle said the stage was better.",
        [("Tapemax", "GPE"), ("Discola", "ORG"), ("Wendle", "PERSON")],
    )
    assert out == {"Tapemax": "PRODUCT", "Discola": "PRODUCT", "Wendle": "WORK_OF_ART"}


def test_a_title_keeps_its_label_whatever_its_case(pipeline):
    from summit.nlp.entities import one_label_per_name

    out = _step(
        pipeline,
        one_label_per_name,
        "The Ember mini is small. Critics liked the Ember mini. The Ember Mini sells well.",
        [("Ember mini", "PRODUCT"), ("Ember mini", "PRODUCT"), ("Ember Mini", "PERSON")],
    )
    assert out == {"Ember mini": "PRODUCT", "Ember Mini": "PRODUCT"}


def test_the_short_name_of_a_newspaper_is_no_person(analyze):
    an = analyze(
        "Mr Dunmore won damages from the Daily Clarion on Thursday. The Clarion was "
        "sued after it printed the claims."
    )
    names = _labels(an)
    assert "PERSON" not in names.get("Clarion", set())


def test_a_firm_a_role_is_held_at_is_an_organisation(pipeline):
    from summit.nlp.entities import names_by_kind_noun

    out = _step(
        pipeline,
        names_by_kind_noun,
        "Zentrix and Quorvo are building it, said Al Moss, vice president of sales for "
        "Quorvo, and Jo Park of Tellium, a division of Zentrix.",
        [
            ("Zentrix", "PRODUCT"),
            ("Quorvo", "PERSON"),
            ("Al Moss", "PERSON"),
            ("Quorvo", "PERSON"),
            ("Zentrix", "PRODUCT"),
        ],
    )
    assert out == {"Zentrix": "ORG", "Quorvo": "ORG", "Al Moss": "PERSON"}


def test_a_name_before_a_titled_person_is_his_side(pipeline):
    from summit.nlp.entities import names_by_kind_noun

    out = _step(
        pipeline,
        names_by_kind_noun,
        "Green Left Sir Tom Ashby chairs the committee; Green Left leaders agreed.",
        [("Green Left", "PERSON"), ("Tom Ashby", "PERSON"), ("Green Left", "PERSON")],
    )
    assert out == {"Green Left": "NORP", "Tom Ashby": "PERSON"}


def test_a_stadium_the_model_took_for_an_event_is_a_place(analyze):
    an = analyze("The Harbourside Stadium is one of the best stadiums in the world, he said.")
    assert "EVENT" not in _labels(an).get("The Harbourside Stadium", set())


def test_a_league_and_an_award_taken_for_places_are_names_of_events(pipeline):
    from summit.nlp.entities import name_works

    out = _step(
        pipeline,
        name_works,
        "Her film is up for the festival's Silver Heron awards on Friday.",
        [("Silver Heron", "LOC")],
    )
    assert out == {"Silver Heron": "EVENT"}


def test_a_league_taken_for_a_place_is_an_event(analyze):
    an = analyze("Bristol were relegated from the Harbour Premiership in the summer.")
    labels = _labels(an).get("the Harbour Premiership", set()) | _labels(an).get(
        "Harbour Premiership", set()
    )
    assert labels == {"EVENT"}


def test_a_place_before_a_long_position_name_is_a_team(pipeline):
    from summit.nlp.entities import names_by_kind_noun

    out = _step(
        pipeline,
        names_by_kind_noun,
        "The Harbourton tight-head is in form. He is happy at Harbourton.",
        [("Harbourton", "GPE")],
    )
    assert out == {"Harbourton": "ORG"}


def test_a_technology_called_a_name_is_a_product(pipeline):
    from summit.nlp.entities import name_works

    out = _step(
        pipeline,
        name_works,
        "The maker has built a technology called Zephyr Radio. Zephyr Radio will launch in May.",
        [("Zephyr Radio", "ORG"), ("Zephyr Radio", "ORG")],
    )
    assert out == {"Zephyr Radio": "PRODUCT"}


@pytest.mark.parametrize(
    ("credit", "agency", "photographer"),
    [
        ("Photo AFP/Tavish Oberaiyan", "AFP", "Tavish Oberaiyan"),  # a name no list knows
        ("Photo AFP/Ravi Deshmukh", "AFP", "Ravi Deshmukh"),  # the model: one ORG
        ("Photo: Jana Novak/Reuters", "Reuters", "Jana Novak"),  # the model: one PERSON
        ("Picture by Dirk Haas / Getty Images", "Getty Images", "Dirk Haas"),
    ],
)
def test_a_photo_credit_names_an_agency_and_a_photographer(analyze, credit, agency, photographer):
    an = analyze(
        "Delegates met in the port city on Monday to discuss the fishing quota.",
        f"Fishermen wave flags at the harbour in Tallbridge, March 3, 2020. {credit}",
        "The minister said the talks would go on.",
    )
    names = _labels(an)
    assert names.get(agency) == {"ORG"}
    assert names.get(photographer) == {"PERSON"}
    assert not any(n.startswith(("Photo", "Picture")) for n in names)


def test_a_credit_to_an_agency_and_a_paper_names_no_photographer(analyze):
    an = analyze(
        "Crowds gather in the square in Tallbridge on Monday. Photo: AFP / Harbour Shimbun"
    )
    names = _labels(an)
    assert names.get("Harbour Shimbun") == {"ORG"}
    assert "PERSON" not in {label for labels in names.values() for label in labels}

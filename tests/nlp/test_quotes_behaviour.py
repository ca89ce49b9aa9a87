"""Hand-written sentences, one hard case each (none copied from the seeds)."""

from __future__ import annotations

from summit.nlp.types import QuoteKind, SpeakerKind

from .helpers import quote_with, quotes_of, speaker_of


def test_quote_split_around_the_cue(analyze):
    an = analyze(
        "Maria Lopez, a city councillor, spoke on Tuesday.",
        "“We will win this vote,” she said, “and nobody can stop us now.”",
    )
    assert speaker_of(an, "We will win") == "Maria Lopez"
    assert speaker_of(an, "nobody can stop") == "Maria Lopez"
    q = quote_with(an, "We will win")
    assert q.kind == QuoteKind.DIRECT
    assert not q.span.text.startswith("“")


def test_inverted_cue_and_straight_marks(analyze):
    an = analyze('"The harbour will reopen next spring," said Tom Becker, the port manager.')
    assert speaker_of(an, "harbour will reopen") == "Tom Becker"
    becker = next(p for p in an.people if p.name == "Tom Becker")
    assert becker.description == "port manager"


def test_cue_before_with_colon(analyze):
    an = analyze("Tom Becker said on Monday: “We are done with the old plan.”")
    assert speaker_of(an, "We are done") == "Tom Becker"


def test_quote_over_several_paragraphs(analyze):
    an = analyze(
        "Angela Park, the union's president, told members: “The first part of the "
        "deal is about wages and hours.",
        "“The second part is about pensions, and it is the hardest one.”",
    )
    q = quote_with(an, "first part")
    assert q is not None
    assert q.span.end_paragraph == 1
    assert "hardest one" in q.span.text
    assert an.person(q.speaker).name == "Angela Park"


def test_floating_quote_continues_the_last_speaker(analyze):
    an = analyze(
        "“We need more buses,” said Ruth Okafor, a commuter from the east side.",
        "“The trains are always full and always late.”",
    )
    assert speaker_of(an, "trains are always full") == "Ruth Okafor"


def test_pronoun_agrees_in_gender(analyze):
    an = analyze(
        "Tom Becker met Maria Lopez at the town hall on Friday.",
        "“It was a productive meeting for everyone involved,” she said.",
    )
    assert speaker_of(an, "productive meeting") == "Maria Lopez"


def test_pronoun_prefers_the_nearest_subject(analyze):
    an = analyze(
        "Ruth Okafor opened the session. Later Tom Becker took the floor and "
        "criticised the budget.",
        "“This budget ignores the harbour entirely,” he said.",
    )
    assert speaker_of(an, "ignores the harbour") == "Tom Becker"


def test_pronoun_prefers_the_sentences_subject_to_a_relative_clauses(analyze):
    # "Tom Becker …, who …" is the subject of a clause about him; the paragraph is
    # about Sam Ruiz, who then speaks
    an = analyze(
        "Sam Ruiz spoke for an hour in the square. He thanked Tom Becker, who is close "
        "in the count. “Give them one minute, come on,” he urged the hall."
    )
    assert speaker_of(an, "Give them one minute") == "Sam Ruiz"


def test_partial_quote_with_speaker(analyze):
    an = analyze(
        "Becker expects the council to approve “a modest budget increase,” adding "
        "that the vote should come before the summer recess."
    )
    q = quote_with(an, "modest budget increase")
    assert q is not None
    assert q.kind == QuoteKind.PARTIAL
    assert an.person(q.speaker).name == "Becker"
    ind = quote_with(an, "the vote should come before the summer recess")
    assert ind is not None
    assert ind.kind == QuoteKind.INDIRECT
    assert an.person(ind.speaker).name == "Becker"


def test_scare_quotes_and_titles_are_not_speech(analyze):
    an = analyze(
        "The agreement rests on the principle of “shared responsibility for the harbour” "
        "rather than on any detail of how it will be paid for.",
        "Critics have compared it to the film “Dark Harbor Nights” more than once.",
    )
    assert quotes_of(an, QuoteKind.DIRECT) == []
    assert quotes_of(an, QuoteKind.PARTIAL) == []


def test_nickname_in_marks_is_an_alias_not_a_quote(analyze):
    an = analyze(
        "Criticism came from Li Wenjun, a blogger who goes by the online name "
        "“Little Fox.” Many bloggers, including Li, are watched, he told reporters."
    )
    assert not any("Little Fox" in t for t, _ in quotes_of(an))
    names = [p.name for p in an.people]
    assert "Little Fox" not in names
    li = next(p for p in an.people if p.name == "Li Wenjun")
    assert "Little Fox" in li.aliases
    ind = quote_with(an, "are watched")
    assert ind is not None
    assert an.person(ind.speaker).name == "Li Wenjun"


def test_organisation_speaker_by_description(analyze):
    an = analyze(
        "The Daily Courier covered the vote on Friday.",
        "“The council has failed the city,” the newspaper wrote in an editorial.",
    )
    q = quote_with(an, "council has failed")
    p = an.person(q.speaker)
    assert p is not None
    assert p.kind == SpeakerKind.ORGANISATION
    assert "Daily Courier" in p.name


def test_named_organisation_speaker(analyze):
    an = analyze("“The budget is not balanced and will not be,” the Daily Courier reported.")
    p = an.person(quote_with(an, "budget is not balanced").speaker)
    assert p is not None
    assert p.kind == SpeakerKind.ORGANISATION


def test_description_before_the_name(analyze):
    an = analyze(
        "A retired fisherman urged the mayor to protect the old pier.",
        "“Without the pier this town has nothing left,” said Carl Diaz, who has "
        "fished here for forty years.",
    )
    assert speaker_of(an, "Without the pier") == "Carl Diaz"
    ind = quote_with(an, "the mayor to protect the old pier")
    assert ind is not None
    assert an.person(ind.speaker).name == "Carl Diaz"


def test_credit_line(analyze):
    an = analyze("“A harbour is only as strong as the town around it.” ― Ruth Okafor")
    assert speaker_of(an, "only as strong") == "Ruth Okafor"


def test_tweet(analyze):
    an = analyze(
        "Governor Tom Becker celebrated the result online. “Great day for the "
        "harbour and for every family in this town!” he tweeted."
    )
    assert speaker_of(an, "Great day") == "Tom Becker"


def test_title_is_stripped_and_kept_as_alias(analyze):
    an = analyze(
        "President Ana Torres visited the port on Monday.",
        "Later, President Torres said that the port would reopen in the spring.",
    )
    torres = next(p for p in an.people if p.name == "Ana Torres")
    assert "President Torres" in torres.aliases
    ind = quote_with(an, "the port would reopen")
    assert ind is not None
    assert ind.speaker == torres.key
    assert ind.kind == QuoteKind.INDIRECT


def test_indirect_according_to(analyze):
    an = analyze("The harbour will close for two weeks in March, according to Tom Becker.")
    q = quote_with(an, "harbour will close")
    assert q is not None
    assert q.kind == QuoteKind.INDIRECT
    assert an.person(q.speaker).name == "Tom Becker"


def test_indirect_before_the_cue(analyze):
    an = analyze(
        "Ruth Okafor runs the bakery on Main Street.",
        "Sales have fallen by half since the bridge closed, she told the Courier.",
    )
    q = quote_with(an, "Sales have fallen")
    assert q is not None
    assert q.kind == QuoteKind.INDIRECT
    assert an.person(q.speaker).name == "Ruth Okafor"


def test_namesakes_are_not_merged(analyze):
    an = analyze(
        "Chairman Park Sung-ho leads the committee. Park has held the post since 2015.",
        "The vote was delayed. Park Min-jae, a farmer from the valley, was unhappy. "
        "“We waited all year for this,” Park said.",
        "Farmers in the valley have asked for help for years.",
        "The committee will meet again in May, and Park is expected to attend.",
    )
    assert speaker_of(an, "We waited all year") == "Park Min-jae"
    names = {p.name for p in an.people}
    assert {"Park Sung-ho", "Park Min-jae"} <= names
    last = [m for m in an.mentions if m.span.paragraph == 3 and m.span.text == "Park"]
    assert last
    assert an.person(last[0].person).name == "Park Sung-ho"


def test_a_surname_is_the_namesake_met_already_not_one_named_more_often_later(analyze):
    an = analyze(
        "Senator Jane Roe pressed Tom Becker on taxes at the debate on Monday.",
        "The two argued for an hour about the budget and the schools.",
        "Roe suggested that Becker's plan was weak - “Read the numbers,” she said - and "
        "charged that it would cut the schools.",
        "Becker was asked about Sam Roe, her husband, and his business.",
        "“Sam Roe is not running,” Becker said of Sam Roe. “His business is his own, and "
        "Sam Roe has answered every question.”",
    )
    assert speaker_of(an, "Read the numbers") == "Jane Roe"


def test_speaker_in_the_previous_sentence(analyze):
    an = analyze(
        "Ruth Okafor was blunt about the proposal. “This plan is a disaster for the "
        "whole town and everyone knows it.”"
    )
    assert speaker_of(an, "disaster for the whole town") == "Ruth Okafor"


def test_statement_and_has_said_that(analyze):
    an = analyze(
        "“We regret the delay and will repay every customer,” the Harbor Transit "
        "Authority said in a statement.",
        "Tom Becker has said that the ferry will not run on Sundays.",
    )
    p = an.person(quote_with(an, "regret the delay").speaker)
    assert p is not None
    assert p.kind == SpeakerKind.ORGANISATION
    q = quote_with(an, "the ferry will not run on Sundays")
    assert q.kind == QuoteKind.INDIRECT
    assert an.person(q.speaker).name == "Tom Becker"


def test_quote_spans_exclude_marks_and_keep_text(analyze):
    an = analyze('He said "yes." Then Tom Becker said: "We are ready for the storm season."')
    q = quote_with(an, "ready for the storm")
    assert q.span.text == "We are ready for the storm season."


def test_known_as_a_phrase_is_no_alias(analyze):
    an = analyze("Tom Becker backed what is known as “the harbour doctrine” in the town.")
    becker = next(p for p in an.people if p.name == "Tom Becker")
    assert becker.aliases == []


def test_cue_of_the_next_quote_is_not_taken(analyze):
    an = analyze(
        "Ruth Okafor said the plan would fail. “It is not what the town needs. It "
        "never was,” she said. “We need a real harbour.” Port spokesman Tom Becker "
        "added, “The plan is fully funded and will go ahead this year.”"
    )
    assert speaker_of(an, "We need a real harbour") == "Ruth Okafor"
    assert speaker_of(an, "fully funded") == "Tom Becker"


def test_they_is_never_one_person(analyze):
    """A plural pronoun is a group: its words stay, and no single person is given it."""
    an = analyze(
        "The plan was opposed by Ruth Okafor and Tom Becker, who run the two "
        "largest shops on Main Street.",
        "“The town deserves better than this,” they wrote in a letter to the council.",
        "Local residents met on Monday. They said that the council had ignored them.",
    )
    assert speaker_of(an, "deserves better") is None
    assert quote_with(an, "deserves better").speaker_span.text == "they"
    q = quote_with(an, "the council had ignored")
    assert q.speaker is None
    assert q.via.text == "Local residents"


def test_later_cue_in_between_beats_the_previous_quote(analyze):
    an = analyze(
        "“Who pays for the new pier?” a narrator in the Okafor campaign ad asks. The "
        "ad ends with footage of Tom Becker saying at a rally last week, “That is how "
        "business works,” when Ruth Okafor criticised him."
    )
    assert speaker_of(an, "how business works") == "Tom Becker"


def test_people_named_inside_what_is_said_are_not_its_speakers(analyze):
    an = analyze(
        "There is a reluctance to acknowledge that Ann Lee and Bob Ray are trying "
        "to break the long stalemate over the budget."
    )
    assert quote_with(an, "trying to break") is None


def test_a_pronoun_after_a_bare_cue_still_names_the_speaker(analyze):
    an = analyze(
        "Governor Tom Hart has said little about the seat.",
        "He will not name a favourite, other than saying he wants someone with local roots.",
    )
    assert speaker_of(an, "wants someone with local roots") == "Tom Hart"


def test_the_sentence_comma_before_the_closing_mark_is_not_part_of_the_quote(analyze):
    an = analyze("“We will rebuild the bridge by spring,” said Mayor Ann Cole.")
    assert quote_with(an, "rebuild").span.text == "We will rebuild the bridge by spring"


def test_a_quotation_that_runs_on_is_one_quote(analyze):
    """BBC style: a quotation running on opens again without closing ('"A. "B."')."""
    an = analyze(
        '"We have a deal," said Jane Roe. "It is a good deal. "It will be signed soon. '
        '"Nobody expected it." Her rival disagreed.'
    )
    q = quote_with(an, "It is a good deal")
    assert q is not None
    assert "It will be signed soon" in q.span.text
    assert "Nobody expected it" in q.span.text
    assert an.person(q.speaker).name == "Jane Roe"
    assert len([x for x in an.quotes if x.kind != QuoteKind.INDIRECT]) == 2


def test_a_surname_that_reads_as_a_male_first_name_takes_her_pronouns(analyze):
    # "Howard" is a man's first name in the name list, but here it is her surname; the
    # "She" after a sentence she is the subject of says so (not the last name before it)
    an = analyze(
        "Howard opened the hearing on Tuesday and pressed Tom Becker on the harbour "
        "budget. She then turned to the housing plan.",
        "“Nobody in this room has read the figures,” she said.",
    )
    assert speaker_of(an, "read the figures") == "Howard"


def test_an_epithet_before_a_full_name_inside_a_quotation_is_no_new_person(analyze):
    an = analyze(
        "Maria Lopez and Tom Becker met voters in Leeds on Friday.",
        "Becker said: “It was harder than working Crooked Maria Lopez, believe me.”",
        "Lopez laughed it off. “He is a sore loser,” she said.",
    )
    assert speaker_of(an, "sore loser") == "Maria Lopez"

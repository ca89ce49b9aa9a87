"""Key claims follow the written rule in ``summit.nlp.claims``: whole clauses, one per
sentence, no exclamations, the reporter's hedged forecasts counted. Invented sentences."""

from __future__ import annotations

from summit.nlp.types import ArticleKind, ClaimKind


def _with(an, words: str):
    return [c for c in an.claims if words in c.span.text]


def _assert_kind(an, kind: ClaimKind, *phrases: str, authors: bool = True) -> None:
    """Each phrase stands in a claim of ``kind``, held by the author (or, when not
    ``authors``, by someone the article names)."""
    for words in phrases:
        found = _with(an, words)
        assert found, words
        assert found[0].kind == kind, words
        assert (found[0].holder is None) == authors, words


def test_a_posts_exclamation_is_no_claim_but_its_forecast_is(analyze):
    an = analyze(
        "The mayor posted about the harbour on Sunday evening.",
        "“The new ferry line will carry twice as many passengers by next summer. "
        "We will see very soon – Very Exciting!” Mayor Ana Ruiz wrote.",
    )
    assert not _with(an, "Exciting")
    assert not _with(an, "We will see very soon")
    forecast = _with(an, "twice as many passengers")
    assert forecast
    assert forecast[0].kind == ClaimKind.PREDICTION


def test_an_urged_infinitive_is_claimed_as_the_whole_sentence_that_reports_it(analyze):
    an = analyze(
        "Port director Lena Vos spoke to the council on Monday.",
        "As a first step, Lena Vos urged the city council to sell the old ferry terminal.",
    )
    claim = _with(an, "sell the old ferry terminal")
    assert len(claim) == 1
    assert claim[0].kind == ClaimKind.RECOMMENDATION
    assert claim[0].span.text.startswith("As a first step, Lena Vos urged"), claim[0].span.text
    assert claim[0].span.text.endswith("terminal.")


def test_the_reporters_hedged_forecasts_are_claims_in_news(analyze):
    an = analyze(
        "Ministers from the four coastal states meet in Porto next week.",
        "A ban on night flights may be on the table when the ministers sit down.",
        "A decision on the new bridge is expected before the end of the year.",
        "There are expectations that the fishing quota could be cut by a fifth.",
    )
    _assert_kind(
        an,
        ClaimKind.PREDICTION,
        "ban on night flights",
        "decision on the new bridge",
        "fishing quota",
    )


def test_a_hedge_that_only_sets_the_scene_makes_no_claim(analyze):
    an = analyze(
        "Ministers from the four coastal states met in Porto on Tuesday.",
        "With fears that the ferry may be late, the minister drove to the harbour herself.",
        "Despite the many items both sides could raise, the talks ended before noon.",
        "In May the council met twice to discuss the harbour wall and its cost.",
    )
    assert not _with(an, "ferry may be late")
    assert not _with(an, "could raise")
    assert not _with(an, "In May")


def test_keeping_something_going_predicts_nothing(analyze):
    an = analyze(
        "The festival has lost money for three years in a row.",
        "The mayor and her deputy appear committed to keeping the festival going.",
        byline="Jane Roe",
        kind=ArticleKind.OPINION,
    )
    assert not [c for c in _with(an, "keeping the festival going") if c.kind == "prediction"]


def test_at_most_one_claim_per_sentence(analyze):
    an = analyze(
        "Port director Lena Vos spoke to the council on Monday.",
        "Lena Vos said the ferry will stop running in 2027, adding: "
        "“The city must buy the land before the developers do.”",
        "She believes the harbour will be busier than ever by 2030.",
    )
    sentences = [s for s in an.claims if s.span.paragraph == 1]
    assert len(sentences) <= 1, [c.span.text for c in sentences]


def test_a_question_is_no_claim(analyze):
    an = analyze(
        "The union leader spoke outside the shipyard on Friday.",
        "“How many of these workers are going to lose their jobs by Christmas? "
        "The board must keep the yard open until the new orders arrive,” Tom Baker said.",
    )
    assert not _with(an, "How many")
    assert _with(an, "board must keep the yard open")


def test_likely_voters_are_no_forecast(analyze):
    an = analyze(
        "A new poll of the county was published on Monday morning.",
        "Among likely voters in the county, the mayor leads her rival by 51 percent to 44.",
        "The mayor will likely win a second term if the turnout stays this low.",
    )
    assert not _with(an, "Among likely voters")
    assert _with(an, "will likely win a second term")


def test_an_op_eds_appear_assessment_is_the_authors_and_no_forecast(analyze):
    an = analyze(
        "The harbour plan has been criticised from every side this spring.",
        "The mayor and the unions appear to have a firmer grasp of the port's troubles "
        "than a city board that seems set in its ways.",
        "The board appears committed to keeping the old ferry contract going.",
        byline="Jane Roe",
        kind=ArticleKind.OPINION,
    )
    _assert_kind(an, ClaimKind.BELIEF, "firmer grasp", "keeping the old ferry contract going")


def test_wondering_whether_one_should_recommends_nothing(analyze):
    an = analyze(
        "The festival opened in the rain on Friday evening.",
        "Actor Tom Baker said he had wondered whether he should come after the floods.",
    )
    assert not [c for c in _with(an, "whether he should") if c.kind == "recommendation"]


def test_an_op_eds_evaluative_judgements_are_its_assessments(analyze):
    an = analyze(
        "The city council voted on Tuesday to close the old ferry terminal by spring.",
        "The decision to close the terminal is a mistake for the whole town.",
        "The real problem is the ferry contract, not the terminal itself.",
        "The terminal opened in 1962 and carried two million passengers a year.",
        byline="Jane Roe",
        kind=ArticleKind.OPINION,
    )
    _assert_kind(an, ClaimKind.BELIEF, "is a mistake", "real problem")
    # a fact in the author's voice judges nothing
    assert not _with(an, "opened in 1962")


def test_a_fact_someone_said_is_no_belief_but_a_judgement_or_a_view_is(analyze):
    an = analyze(
        "Port director Lena Vos spoke to the council on Monday morning.",
        "Lena Vos said the old terminal closed in 2019 after a fire in its roof.",
        "Tom Baker said the closure was a reckless decision by the board.",
        "Ana Ruiz believes the terminal closed far too early for the town.",
    )
    assert not _with(an, "closed in 2019")
    _assert_kind(an, ClaimKind.BELIEF, "reckless decision", "closed far too early", authors=False)


def test_a_hedge_on_a_present_verb_is_a_view_not_a_forecast(analyze):
    an = analyze(
        "The harbour plan has been criticised from every side this spring.",
        "The mayor has a stake in the new ferry line since she probably recognizes "
        "that the port is unique among the towns on this coast.",
        "The mayor will probably win a second term on the strength of the ferry line.",
        byline="Jane Roe",
        kind=ArticleKind.OPINION,
    )
    assert not [c for c in _with(an, "probably recognizes") if c.kind == ClaimKind.PREDICTION]
    forecast = _with(an, "will probably win")
    assert forecast
    assert forecast[0].kind == ClaimKind.PREDICTION


def test_an_op_eds_thesis_and_close_are_highlighted_one_a_paragraph(analyze):
    an = analyze(
        "The council is already predicting that the new ferry line will fail.",
        "That view rests on dated thinking about the harbour. "
        "The board has been clearly reluctant to admit the line is working.",
        "The line will carry 4,000 passengers a day by 2027, and fares will fall by 2028.",
        "The old bridge will need new paint within five years, the engineers say.",
        "Ticket sales at the kiosk will rise in the summer as more tourists arrive.",
        "The town hall will open a second office near the harbour in 2026.",
        "The harbour has already improved greatly since the line opened last spring.",
        "It is time for the council to back the ferry line with its own money.",
        byline="Jane Roe",
        kind=ArticleKind.OPINION,
    )
    lit = [c for c in an.claims if c.highlighted]
    assert len(lit) <= 5
    assert len({c.span.paragraph for c in lit}) == len(lit), [c.span.text for c in lit]
    for paragraph, words in ((1, "dated thinking"), (6, "improved greatly"), (7, "It is time")):
        assert [c for c in lit if c.span.paragraph == paragraph and words in c.span.text], words
    # the council's prediction, which the author reports, is not the author's
    assert not [c for c in _with(an, "will fail") if c.holder is None]


def test_a_quotes_sentence_is_not_cut_at_a_decimal_point_or_an_abbreviation(analyze):
    an = analyze(
        "The shipyard's chief spoke to French radio on Monday.",
        "“There is a risk that the new dock will cost about 1bn euros ($1.32bn) more "
        "than planned, and the U.S. buyers will wait a year,” Anna Lind told the station.",
    )
    forecast = _with(an, "will cost about 1bn euros")
    assert forecast
    assert forecast[0].span.text.endswith("will wait a year"), forecast[0].span.text


def test_a_will_that_only_describes_forecasts_nothing(analyze):
    an = analyze(
        "The fact-checkers met the press in Leeds on Friday.",
        "“We are trying to look at the wider picture of how readers will take a figure,” "
        "editor Tom Baker said.",
        "“The new rules will cut the number of checks by half next year,” Tom Baker said.",
    )
    assert not [c for c in _with(an, "how readers will take") if c.kind == ClaimKind.PREDICTION]
    assert _with(an, "will cut the number of checks")


def test_a_view_or_finding_the_reporter_gives_is_not_the_authors(analyze):
    an = analyze(
        "The harbour board lost its case in the appeals court on Tuesday.",
        "The appeals court ruled that the board's fees could drive small boats away "
        "and are not in line with the law.",
        "Though the last merger was smooth, he said, a new one would be bitter and "
        "could lead to a long strike at the docks.",
    )
    for words in ("fees could drive", "could lead to a long strike"):
        assert not [c for c in _with(an, words) if c.holder is None], words


def test_a_course_commended_is_a_recommendation(analyze):
    an = analyze(
        "The harbour plan has been criticised from every side this spring.",
        "The best approach for the town may be to wait for the new board to take office.",
        "It would be a good idea to hold a second vote on the plan in the autumn.",
        byline="Jane Roe",
        kind=ArticleKind.OPINION,
    )
    _assert_kind(an, ClaimKind.RECOMMENDATION, "best approach", "good idea")


def test_a_stance_adverb_alone_is_no_assessment(analyze):
    an = analyze(
        "The park was closed to the public on Saturday afternoon.",
        "“This is normally a big open park and a fun event,” Tom Baker said. "
        "“So obviously they pulled the brakes on it this year.”",
    )
    assert not _with(an, "obviously they pulled")


def test_a_passive_judging_verb_or_a_stock_comparative_judges_nothing(analyze):
    an = analyze(
        "The mayor opened the new town museum on Saturday morning.",
        "Mayor Ana Ruiz said the museum would tell the stories of workers who are often "
        "overlooked in the town's books.",
        "“We remain open to every family that comes here in search of a better life,” "
        "Mayor Ana Ruiz said on Saturday.",
        "Tom Baker said the old museum was a worse place for children than a car park.",
    )
    assert not _with(an, "often overlooked")
    assert not _with(an, "a better life")
    _assert_kind(an, ClaimKind.BELIEF, "worse place for children", authors=False)


def test_a_question_reported_is_no_claim(analyze):
    an = analyze(
        "The harbour board met behind closed doors on Monday.",
        "Tom Baker has yet to explain why the harbour fees should stay as they are.",
    )
    assert not _with(an, "fees should stay")


def test_a_would_that_judges_is_an_assessment_not_a_forecast(analyze):
    an = analyze(
        "The harbour case went to court in Leeds on Monday.",
        "Tom Baker said it would be improper for him to speak on the harbour case while "
        "it is open.",
        "Ana Ruiz said the council would be mistaken to sell the harbour without a plan.",
    )
    _assert_kind(an, ClaimKind.BELIEF, "improper for him", "would be mistaken", authors=False)


def test_a_feeling_is_no_assessment_but_a_change_judged_is(analyze):
    news = analyze(
        "The mayor opened the new town museum on Saturday morning.",
        "“I am greatly honored by the support of the whole council,” Mayor Ana Ruiz said.",
    )
    assert not _with(news, "greatly honored")
    opinion = analyze(
        "The harbour plan has been criticised from every side this spring.",
        "The town's prospects have already improved greatly since the ferry line opened.",
        byline="Jane Roe",
        kind=ArticleKind.OPINION,
    )
    _assert_kind(opinion, ClaimKind.BELIEF, "improved greatly")


def test_a_question_put_and_a_speaker_set_in_the_sentence_hold_their_own_views(analyze):
    an = analyze(
        "Tom Baker, the former mayor, spoke at the town museum on Friday.",
        "Delegates questioned how Tom Baker could turn back on a pledge he made to the town.",
        "To understand the real Tom Baker, Judge Lena Vos said, one should visit this museum.",
    )
    assert not [c for c in _with(an, "could turn back") if c.holder is None]
    visit = _with(an, "one should visit this museum")
    assert visit
    assert visit[0].holder == "lena-vos"


def test_a_hedge_in_a_clause_of_purpose_is_no_forecast(analyze):
    an = analyze(
        "Two councillors wrote to the harbour board on Monday.",
        "Ana Ruiz and Tom Baker said the developers had drawn the zone around the old docks "
        "so they could use the port's funds to build hotels.",
        "Ana Ruiz said the ferry could stop running by the end of next year.",
    )
    assert not [c for c in _with(an, "so they could use") if c.kind == ClaimKind.PREDICTION]
    _assert_kind(an, ClaimKind.PREDICTION, "ferry could stop running", authors=False)

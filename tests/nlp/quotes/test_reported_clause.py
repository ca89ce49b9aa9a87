"""Sieve ``reported_clause``: 'X said that …' — a cue verb with a clause complement."""

from __future__ import annotations

from summit.nlp.types import QuoteKind

from .helpers import said


def test_a_clause_after_said_that(analyze):
    an = analyze("Jane Roe said that the deal would be signed by the end of the month.")
    q, who = said(an, "the deal would be signed")
    assert (q.kind, q.sieve, who) == (QuoteKind.INDIRECT, "reported_clause", "Jane Roe")


def _indirect(an):
    return [q for q in an.quotes if q.kind == QuoteKind.INDIRECT]


def test_a_hypothetical_is_nobodys_speech(analyze):
    """'could argue that': what someone might say is not what anyone said."""
    an = analyze("Critics could argue that the harbour plan is far too expensive for the town.")
    assert _indirect(an) == []


def test_the_reader_is_no_source(analyze):
    an = analyze(
        "You think the mayor has lost her mind, but the numbers tell another story entirely."
    )
    assert _indirect(an) == []


def test_they_with_no_group_named_before_is_no_source(analyze):
    alone = analyze("They say the harbour will close within a decade unless the council acts.")
    assert _indirect(alone) == []
    after_a_group = analyze(
        "Harbour experts gathered in the town hall on Monday.",
        "They say the harbour will close within a decade unless the council acts.",
    )
    q, who = said(after_a_group, "the harbour will close")
    assert who is None  # a group: an unnamed source, never one person
    assert q.speaker_span is not None
    assert q.speaker_span.text == "They"


def test_the_content_ends_at_a_semicolon(analyze):
    an = analyze(
        "Jane Roe said the harbour would close next year; the council has not replied to her."
    )
    q, _who = said(an, "the harbour would close")
    assert "council" not in q.span.text


def test_a_trailing_attribution_is_not_content(analyze):
    an = analyze(
        "Jane Roe said that the harbour would close by the end of next year, the minutes showed."
    )
    q, who = said(an, "the harbour would close")
    assert "minutes" not in q.span.text
    assert who == "Jane Roe"


def test_a_cue_that_opens_a_quotation_reports_nothing_before_it(analyze):
    an = analyze(
        "The harbour will close in the spring, Jane Roe said: “We have no money left for it.”"
    )
    assert _indirect(an) == []
    q, who = said(an, "no money left")
    assert (q.kind, who) == (QuoteKind.DIRECT, "Jane Roe")


def test_an_indefinite_source_is_not_the_next_person_named(analyze):
    """'a harbour official said …' and then a person named before: the official stays
    unnamed."""
    an = analyze(
        "Jane Roe, the mayor, opened the council meeting on Monday.",
        "A harbour official said that the port would close by the end of next year.",
        "Roe said she had heard nothing about it.",
    )
    q, who = said(an, "the port would close")
    assert who is None
    assert q.speaker_span is not None
    assert q.speaker_span.text == "A harbour official"


def test_what_the_speaker_did_next_is_not_content(analyze):
    """'…, but offered no proof': a subjectless verb after the content is the
    speaker's own act, not part of what they said."""
    an = analyze(
        "Jane Roe claimed the harbour board had hidden the losses, but offered no proof of it."
    )
    q, who = said(an, "had hidden the losses")
    assert "offered" not in q.span.text
    assert who == "Jane Roe"


def test_a_trailing_cue_reports_its_whole_sentence(analyze):
    """'A, but B, the source added': both clauses are what the source added, not only
    the one the parse hangs on the cue."""
    an = analyze(
        "The ferry was due in port at noon, but the storm kept it at sea all day, Jane Roe added."
    )
    q, _who = said(an, "the storm kept it at sea")
    assert q.span.text.startswith("The ferry was due")
    assert "Roe" not in q.span.text


def test_the_content_runs_to_the_end_of_its_sentence(analyze):
    an = analyze(
        "Jane Roe said the bridge would reopen in May, because the repairs had gone "
        "faster than the engineers planned."
    )
    q, who = said(an, "the bridge would reopen")
    assert q.span.text.endswith("faster than the engineers planned")
    assert who == "Jane Roe"


def test_the_content_stops_before_another_source_reports(analyze):
    an = analyze(
        "Jane Roe said the harbour toll would double, and John Doe said that the council "
        "would fight the rise in court."
    )
    q, who = said(an, "the harbour toll would double")
    assert "council" not in q.span.text
    assert who == "Jane Roe"
    q, who = said(an, "the council would fight")
    assert who == "John Doe"


def test_the_speakers_next_act_is_not_content(analyze):
    """'said he would order X and warned against Y': the warning is the speaker's
    act, coordinated with the cue, whatever the parse hangs it on."""
    an = analyze(
        "Jane Roe said she would order a full review of the harbour accounts and warned "
        "against further delays by the board."
    )
    q, _who = said(an, "a full review of the harbour accounts")
    assert "warned" not in q.span.text


def test_the_content_stops_before_according_to(analyze):
    an = analyze(
        "The harbour board says the port lost money for the third year running, "
        "according to a local newspaper."
    )
    q, _who = said(an, "the port lost money")
    assert "according" not in q.span.text


def test_a_cue_in_a_relative_clause_reports_what_follows_it(analyze):
    an = analyze(
        "The traders worry about a levy which Jane Roe says will double within the next two years."
    )
    q, who = said(an, "will double within the next two years")
    assert "which" not in q.span.text
    assert who == "Jane Roe"


def test_a_cue_in_capitals_is_a_subheading(analyze):
    an = analyze(
        "EVEN HIS OLDEST FRIENDS SAY THE HARBOUR PLAN IS DEAD",
        "Jane Roe opened the council meeting on Monday morning.",
    )
    assert _indirect(an) == []


def test_a_hedged_cue_is_the_reporters_reading(analyze):
    """'appears to acknowledge that …': the reporter's reading of a stance."""
    an = analyze("The harbour board appears to acknowledge that the ferry plan has failed.")
    assert _indirect(an) == []


def test_what_follows_a_colon_spells_out_the_content(analyze):
    an = analyze(
        "Jane Roe notes that the harbour faces two problems this winter: rents are rising, "
        "wages are flat and the ferry is late."
    )
    q, who = said(an, "the harbour faces two problems")
    assert q.span.text.endswith("the ferry is late")
    assert who == "Jane Roe"


def test_an_aside_between_dashes_reports_only_what_it_holds(analyze):
    """'an ambitious — some say reckless — plan': one word of judgement, no quote, and
    never the sentence around the aside."""
    an = analyze("The mayor leaves an ambitious — some say reckless — plan to rebuild the walls.")
    assert _indirect(an) == []


def test_a_report_the_parse_hangs_on_another_cue_is_not_its_content(analyze):
    an = analyze(
        "The council met on Monday.",
        "“We will not pay,” she said, but the clerk was reading again, and as the mayor "
        "went on, Jane Roe said no, twice, to nobody in particular.",
    )
    assert _indirect(an) == []


def test_a_passive_cue_before_the_cue_is_content(analyze):
    an = analyze(
        "Traders have been warned not to open their stalls for the entire week, "
        "Jane Roe told the local paper on Monday."
    )
    q, who = said(an, "warned not to open their stalls")
    assert who == "Jane Roe"


def test_the_speakers_refusal_after_the_content_is_not_content(analyze):
    an = analyze(
        "Jane Roe said the harbour deal was a good one, although she again refused to "
        "publish the contract."
    )
    q, who = said(an, "the harbour deal was a good one")
    assert "refused" not in q.span.text
    assert who == "Jane Roe"


def test_a_report_may_hold_a_fragment_in_quotation_marks(analyze):
    """'said the plan was “reckless”': the report is the whole clause, the fragment
    included, and it ends after the mark that closes the fragment."""
    an = analyze("Jane Roe said the harbour plan was “reckless and far too costly.”")
    q, who = said(an, "the harbour plan was")
    assert (q.kind, q.sieve, who) == (QuoteKind.INDIRECT, "reported_clause", "Jane Roe")
    assert q.span.text == "the harbour plan was “reckless and far too costly.”"


def test_a_report_never_holds_a_full_quotation(analyze):
    an = analyze(
        "Jane Roe said the harbour would close. “We have no money left for it,” she added."
    )
    for q in _indirect(an):
        assert "money" not in q.span.text


def test_it_with_nothing_named_before_is_no_source(analyze):
    """'It also explains why …': a pronoun that stands for no one named is no speaker."""
    an = analyze(
        "The talks were cut short on Friday. It also explains why the harbour board "
        "focused on the “first principle” of the deal instead of its details."
    )
    assert _indirect(an) == []


def test_a_first_person_naming_no_one_is_no_source(analyze):
    """'I think …', 'we believe …' outside quotation marks, with no one named for the
    pronoun: the writer's own view, not someone's reported speech."""
    for text in (
        "I think the harbour plan will cost the town far more than anyone promised.",
        "We believe the new toll will drive ferry traffic away from the old town.",
    ):
        assert _indirect(analyze(text)) == [], text


def test_who_speaks_for_the_person_it_follows(analyze):
    """'Jane Roe, who says …': the relative pronoun's antecedent is the source, so
    the report stands (only an unresolved 'who' names no one)."""
    an = analyze("Mayor Jane Roe, who says the new tolls are fair to everyone, spoke on Friday.")
    q, who = said(an, "the new tolls are fair")
    assert (q.sieve, who) == ("reported_clause", "Jane Roe")


def test_a_document_speaks_for_the_organisation_that_published_it(analyze):
    """'a survey by the institute says …', 'a Harbour Institute poll says …': the
    publisher named in the phrase is the source, an organisation."""
    for text in (
        "A survey by the Harbour Institute says most residents oppose the new bridge tolls.",
        "A Harbour Institute poll released on Monday says most residents oppose the tolls.",
    ):
        an = analyze(text)
        q, who = said(an, "most residents oppose")
        assert (q.sieve, who) == ("reported_clause", "Harbour Institute"), text


def test_a_group_by_its_role_is_an_unnamed_source(analyze):
    """'Prosecutors said …', 'the police said …': a group speaks as an unnamed source
    (before, such a subject named nobody and the report was lost)."""
    for subject in ("Prosecutors", "The police", "Organizers", "His friends"):
        an = analyze(f"{subject} said the driver had left the harbour town before the storm hit.")
        q, who = said(an, "the driver had left the harbour town")
        assert (q.kind, who) == (QuoteKind.INDIRECT, None)
        assert q.speaker_span is not None
        assert q.speaker_span.text == subject


def test_a_subject_no_one_is_named_in_is_an_unnamed_source(analyze):
    """'the lawsuit alleged that …', 'his cousin added that …': a noun phrase the
    resolver finds no one in still speaks, as an unnamed source given by its words."""
    an = analyze(
        "The lawsuit alleged that the port authority had ignored repeated warnings "
        "about the cranes."
    )
    q, who = said(an, "the port authority had ignored repeated warnings")
    assert (q.kind, q.sieve, who) == (QuoteKind.INDIRECT, "reported_clause", None)
    assert q.speaker_span is not None
    assert q.speaker_span.text == "The lawsuit"


def test_a_share_of_those_polled_and_an_inference_make_no_report(analyze):
    """'sixty percent of members said …' is left out (annotated too rarely to keep
    precision), and 'the figures suggest …' is an inference, not a report."""
    for sentence in (
        "Sixty percent of the members said they would vote against the harbour plan.",
        "The harbour figures suggest the ferry line has been losing money for years.",
    ):
        assert _indirect(analyze(sentence)) == []


def test_an_infinitive_cue_reports_nothing_said(analyze):
    an = analyze(
        "It will be hard for the old guard to claim the council is selling out the "
        "fishing fleet by closing the old pier."
    )
    assert _indirect(an) == []

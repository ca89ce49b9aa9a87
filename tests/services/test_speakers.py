import pytest

from summit.models import Quote, Speaker, SpeakerAlias, SpeakerMerge, SpeakerSplit, Status
from summit.services.speakers import (
    SpeakerEditError,
    speaker_merge,
    speaker_merge_preview,
    speaker_split,
)

pytestmark = pytest.mark.django_db

TEXT = (
    "“Who would say that?” said Kim San-ho, a defector. "
    "Kim smiled. “We are ready,” Kim said. Moon agreed. The talks will fail."
)


@pytest.fixture
def article(make):
    return make.article(TEXT, "“Later,” Kim Jong Un said.")


def test_preview_counts_what_would_move(article, make):
    kim = make.speaker("Kim Jong Un", "Kim", "Chairman Kim")
    dup = make.speaker("Kim Jong-un")
    make.quote(article, "“We are ready,”", kim)
    make.quote(article, "“Later,”", dup)
    make.mention(article, "Kim smiled", speaker_obj=dup)
    make.claim(article, "The talks will fail.", holder=dup)
    rows = {row.speaker.pk: row for row in speaker_merge_preview(speakers=[kim, dup])}
    assert (rows[kim.pk].quotes, rows[kim.pk].aliases) == (1, 2)
    assert (rows[dup.pk].quotes, rows[dup.pk].mentions, rows[dup.pk].claims) == (1, 1, 1)


def test_preview_counts_each_kind_on_its_own(article, make, django_assert_num_queries):
    """A busy speaker's quotes, mentions and claims are counted separately: one query
    joining all three would read quotes x mentions x claims rows (minutes at 10,000s)."""
    kim = make.speaker("Kim Jong Un", "Kim", "Chairman Kim")
    for text in ("“We are ready,”", "“Later,”"):
        make.quote(article, text, kim)
    make.quote(article, "“Who would say that?”", kim, status=Status.REJECTED)  # moves too
    for text in ("Kim smiled", "Kim San-ho"):
        make.mention(article, text, speaker_obj=kim)
    make.claim(article, "The talks will fail.", holder=kim)
    with django_assert_num_queries(1) as captured:
        [row] = speaker_merge_preview(speakers=[kim])
    assert (row.quotes, row.mentions, row.claims, row.aliases) == (3, 2, 1, 2)
    assert " JOIN " not in captured.captured_queries[0]["sql"].upper()


def test_merge_moves_everything_and_records_it(article, make):
    user = make.editor()
    kim = make.speaker("Kim Jong Un", "Kim")
    dup1 = make.speaker("Kim Jong-un", "Kim", "Chairman Kim", description="North Korea's leader")
    dup2 = make.speaker("Chairman Kim Jong Un")
    q1 = make.quote(article, "“Later,”", dup1)
    q2 = make.quote(article, "“We are ready,”", dup2)
    m = make.mention(article, "Kim smiled", speaker_obj=dup1)
    c = make.claim(article, "The talks will fail.", holder=dup2)

    merge = speaker_merge(into=kim, others=[dup1, dup2, kim], by=user)

    assert isinstance(merge, SpeakerMerge)
    assert set(Speaker.objects.values_list("name", flat=True)) == {"Kim Jong Un"}
    for obj in (q1, q2, m):
        obj.refresh_from_db()
        assert obj.speaker == kim
        assert obj.edited
        assert obj.history.latest().history_user == user
    c.refresh_from_db()
    assert c.holder == kim
    kim.refresh_from_db()
    # "Kim Jong-un" normalises like "Kim Jong Un": it is not an alias of its own.
    assert sorted(kim.alias_names()) == ["Chairman Kim", "Chairman Kim Jong Un", "Kim"]
    assert kim.description == "North Korea's leader"
    assert kim.edited
    assert merge.into == kim
    assert merge.by == user
    assert sorted(n["name"] for n in merge.merged_names) == [
        "Chairman Kim Jong Un",
        "Kim Jong-un",
    ]
    assert {k: merge.moved[k] for k in ("quotes", "mentions", "claims", "aliases")} == {
        "quotes": 2,
        "mentions": 1,
        "claims": 1,
        "aliases": 2,
    }
    assert sorted(merge.moved["ids"]["quotes"]) == sorted([q1.pk, q2.pk])
    # The deletion of the merged speakers is in their history, with the editor.
    gone = Speaker.history.filter(id=dup1.pk, history_type="-").get()
    assert gone.history_user == user


def test_merge_keeps_earlier_audit_rows(article, make):
    a, b, c = make.speaker("A One"), make.speaker("B Two"), make.speaker("C Three")
    first = speaker_merge(into=b, others=[c], by=None)
    speaker_merge(into=a, others=[b], by=None)
    first.refresh_from_db()
    assert first.into == a
    assert SpeakerMerge.objects.count() == 2


def test_merge_needs_another_speaker(make):
    kim = make.speaker("Kim Jong Un")
    with pytest.raises(SpeakerEditError):
        speaker_merge(into=kim, others=[kim], by=None)


def test_merge_is_one_transaction(article, make, monkeypatch):
    kim, dup = make.speaker("Kim Jong Un"), make.speaker("Kim Jong-un")
    q = make.quote(article, "“Later,”", dup)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(SpeakerMerge.objects, "create", boom)
    with pytest.raises(RuntimeError):
        speaker_merge(into=kim, others=[dup], by=None)
    q.refresh_from_db()
    assert q.speaker == dup
    assert Speaker.objects.filter(pk=dup.pk).exists()


def test_split_moves_chosen_quotes_and_mentions(article, make):
    user = make.editor()
    kim = make.speaker("Kim Jong Un", "Kim", "Kim San-ho")
    wrong = make.quote(article, "“Who would say that?”", kim)
    right = make.quote(article, "“We are ready,”", kim)
    wrong_mention = make.mention(article, "Kim San-ho", speaker_obj=kim)
    right_mention = make.mention(article, "Kim smiled", speaker_obj=kim)

    new = speaker_split(
        speaker=kim,
        name="  Kim  San-ho ",
        quotes=[wrong],
        mentions=[wrong_mention],
        description="a defector",
        by=user,
    )

    assert new.name == "Kim San-ho"
    assert new.edited
    assert new.description == "a defector"
    wrong.refresh_from_db()
    right.refresh_from_db()
    wrong_mention.refresh_from_db()
    right_mention.refresh_from_db()
    assert wrong.speaker == new
    assert wrong.edited
    assert wrong_mention.speaker == new
    assert right.speaker == kim
    assert right_mention.speaker == kim
    assert wrong.history.latest().history_user == user
    # The alias that named the other person goes with them.
    assert kim.alias_names() == ["Kim"]
    split = SpeakerSplit.objects.get()
    assert (split.source, split.new_speaker, split.by) == (kim, new, user)
    assert split.moved["quotes"] == [wrong.pk]
    assert split.moved["mentions"] == [wrong_mention.pk]


def test_split_moves_aliases_and_claims(article, make):
    kim = make.speaker("Kim Jong Un", "Chairman Kim", "Mr Kim")
    claim = make.claim(article, "The talks will fail.", holder=kim)
    alias = SpeakerAlias.objects.get(name="Mr Kim")
    new = speaker_split(
        speaker=kim,
        name="Kim Yong Chol",
        quotes=[],
        mentions=[],
        claims=[claim],
        aliases=[alias],
        by=None,
    )
    claim.refresh_from_db()
    assert claim.holder == new
    assert new.alias_names() == ["Mr Kim"]
    assert kim.alias_names() == ["Chairman Kim"]


def test_split_refuses_others_quotes_and_empty_choice(article, make):
    kim, moon = make.speaker("Kim Jong Un"), make.speaker("Moon Jae-in")
    q = make.quote(article, "“Later,”", moon)
    with pytest.raises(SpeakerEditError, match="own"):
        speaker_split(speaker=kim, name="X", quotes=[q], mentions=[], by=None)
    with pytest.raises(SpeakerEditError, match="at least one"):
        speaker_split(speaker=kim, name="X", quotes=[], mentions=[], by=None)
    with pytest.raises(SpeakerEditError, match="name"):
        speaker_split(speaker=moon, name="  ", quotes=[q], mentions=[], by=None)
    assert Speaker.objects.count() == 2
    assert Quote.objects.get().speaker == moon


def test_a_merge_racing_another_reports_the_conflict(make):
    """Two editors merge the same pair in opposite directions from pages loaded before
    either merge: the second is told what happened (no server error)."""
    kim, dup = make.speaker("Kim Jong Un"), make.speaker("Kim Jong-un")
    seen_by_first, seen_by_second = (kim, dup), (dup, kim)
    speaker_merge(into=seen_by_first[0], others=[seen_by_first[1]], by=None)
    with pytest.raises(SpeakerEditError, match="another editor merged"):
        speaker_merge(into=seen_by_second[0], others=[seen_by_second[1]], by=None)
    assert list(Speaker.objects.values_list("name", flat=True)) == ["Kim Jong Un"]

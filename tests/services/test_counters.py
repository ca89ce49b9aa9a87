"""The counters a reader sees stay true whichever way they are recounted: a handful of
rows (ingest's case, one statement kept per database and number of rows) or many."""

import pytest

from summit.models import Article, EntityMention, Quote, Speaker, Status
from summit.services import counters
from summit.services.counters import counts_recompute, counts_refresh

pytestmark = pytest.mark.django_db


def _counts():
    speakers = Speaker.objects.order_by("pk").values_list(
        "pk", "quote_count", "quotation_count", "mention_count", "article_count"
    )
    articles = Article.objects.order_by("pk").values_list("pk", "quote_count", "speaker_count")
    return list(speakers), list(articles)


@pytest.mark.parametrize("speakers", [3, counters._KEPT_STATEMENT_IDS + 5])
def test_a_recount_of_few_or_many_rows_counts_what_is_there(make, speakers):
    people = [make.speaker(f"Person Number {n}") for n in range(speakers)]
    one = make.article("“We go,” said Person Number 0. “We stay,” said the other one.")
    two = make.article("“We go,” said Person Number 0.", "Person Number 1 did not.")
    make.quote(one, "We go,", people[0])
    make.quote(one, "We stay,", people[1], status=Status.REJECTED)
    make.quote(two, "We go,", people[0])
    make.mention(two, "Person Number 1", speaker_obj=people[1])
    # Counters made stale behind the services' back, then recounted.
    Speaker.objects.update(quote_count=99, quotation_count=99, mention_count=99, article_count=99)
    Article.objects.update(quote_count=99, speaker_count=99)
    counts_refresh(speakers=[p.pk for p in people] + [None], articles=[one.pk, two.pk, None])
    refreshed = _counts()
    counts_recompute()
    assert refreshed == _counts()
    zero = Speaker.objects.get(pk=people[0].pk)
    assert (zero.quote_count, zero.mention_count) == (2, 0)
    assert Speaker.objects.get(pk=people[1].pk).quote_count == 0  # rejected
    assert Article.objects.get(pk=one.pk).quote_count == 1
    assert EntityMention.objects.count() == 1
    assert Quote.objects.count() == 3


def test_the_kept_statement_is_the_one_django_writes(make):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kim = make.speaker("Kim Pope")
    with CaptureQueriesContext(connection) as queries:
        Speaker.objects.filter(pk__in=[kim.pk]).update(**counters._speaker_counts())
        counts_refresh(speakers=[kim.pk])
    written = [q["sql"] for q in queries if "summit_speaker" in q["sql"]]
    assert len(written) == 2
    assert written[0] == written[1]

"""Data for the API's tests: a small newsroom built by hand."""

from __future__ import annotations

import datetime

import pytest

from summit.models import Quote, Status
from summit.services.counters import counts_recompute


@pytest.fixture
def newsroom(make):
    """Moon quoted 31 times over four articles (one undated), two of them rejected; Kim
    quoted once; mentions and claims, some rejected."""
    moon = make.speaker("Moon Jae-in", "Moon", "President Moon")
    kim = make.speaker("Kim Jong-un", kind="person")
    un = make.speaker("United Nations", kind="organisation")
    dates = [datetime.date(2024, 5, 1), datetime.date(2025, 1, 2), None, datetime.date(2023, 3, 4)]
    articles = []
    for n, published in enumerate(dates):
        texts = [
            f"“Peace number {n}-{i} is near,” Moon said of Kim. It will come." for i in range(8)
        ]
        article = make.article(
            *texts,
            title=f"Summit report {n}",
            published=published,
            outlet="Daily" if n % 2 else "Herald",
            kind="opinion" if n == 3 else "news",
        )
        articles.append(article)
        for i in range(8):
            make.quote(article, f"Peace number {n}-{i} is near,", moon, paragraph=i)
        make.mention(article, "Kim", "PERSON", kim, paragraph=0)
        make.claim(article, "It will come.", moon, paragraph=0)
        make.claim(article, "It will come.", None, paragraph=1, highlighted=False, kind="belief")
    Quote.objects.filter(article=articles[0], paragraph__index__in=[2, 5]).update(
        status=Status.REJECTED
    )
    Quote.objects.filter(article=articles[1], paragraph__index=0).update(status=Status.VERIFIED)
    counts_recompute()  # statuses set behind the services' back: recount, as `recount` does
    extra = make.article("The UN said talks were “a start”.", title="UN view", outlet="Herald")
    make.quote(extra, "a start", un, kind="partial")
    make.mention(extra, "UN", "ORG", un, status=Status.REJECTED)
    return {"moon": moon, "kim": kim, "un": un, "articles": articles, "extra": extra}

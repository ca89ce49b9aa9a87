"""A backup file, however made, either is refused with a message naming where it is
wrong (nothing written) or imports into a site that answers every reader page and API
endpoint without a server error."""

from __future__ import annotations

import copy
import io
import json
from collections import Counter

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summit.models import Article, Quote, Speaker
from summit.services.backup import ImportInvalid, restore
from summit.services.editing import annotation_delete
from summit.services.speakers import speaker_merge, speaker_split
from tests.services.test_backup import wipe

pytestmark = pytest.mark.django_db

COUNTS: Counter = Counter()


def _newsroom(make) -> dict:
    """A small newsroom exported: every section of the file has records."""
    editor = make.editor("desk")
    lee = make.speaker("Ann Lee", "Lee")
    twin = make.speaker("Ann B. Lee")
    bo = make.speaker("Bo Chan", kind="organisation")
    article = make.article(
        "“We won,” said Ann Lee. Bo Chan agreed.",
        "“It will rain tomorrow,” she said, “and all week.",
        "Or so we hope,” Lee added.",
        title="A story",
        published="2024-05-01",
    )
    make.quote(
        article,
        "We won,",
        lee,
        sieve="named",
        confidence=0.9,
        via={"paragraph": 0, "start": 15, "end": 22, "text": "Ann Lee"},
    )
    quote = make.quote(article, "It will rain tomorrow,", lee, paragraph=1)
    make.quote(article, "and all week.", bo, paragraph=1)
    make.mention(article, "Ann Lee", "PERSON", lee, paragraph=0)
    gone = make.mention(article, "Bo Chan", "ORG", bo, paragraph=0)
    make.claim(article, "It will rain tomorrow,", lee, paragraph=1)
    speaker_merge(into=lee, others=[twin], by=editor)
    speaker_split(speaker=lee, name="Ann C. Lee", quotes=[quote], mentions=[], by=editor)
    annotation_delete(annotation=gone, by=editor)
    out = io.StringIO()
    call_command("export", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    wipe()
    return data


# Where a reader or a client can go after an import.
def _addresses() -> list[str]:
    urls = [
        "/",
        "/people/",
        "/quotes/",
        "/quotes/?q=won",
        "/api/v1/articles",
        "/api/v1/speakers",
        "/api/v1/quotes",
        "/api/v1/claims",
        "/api/v1/quotes?q=rain",
        "/articles/1/?layers=quotes,entities,claims",
    ]
    per_row = [
        (Article, "pk", ["/articles/{}/", "/articles/{}/annotations.jsonld"]),
        (Article, "pk", ["/api/v1/articles/{}", "/api/v1/articles/{}/quotes"]),
        (Article, "pk", ["/api/v1/articles/{}/mentions", "/api/v1/articles/{}/claims"]),
        (Speaker, "slug", ["/people/{}/", "/people/{}/card/"]),
        (Speaker, "slug", ["/api/v1/speakers/{}", "/api/v1/speakers/{}/quotes"]),
        (Quote, "pk", ["/quotes/{}/"]),
    ]
    for model, key, patterns in per_row:
        for value in model.objects.values_list(key, flat=True)[:5]:
            urls += [pattern.format(value) for pattern in patterns]
    return urls


def _paths(node, path=()):
    """Every place in a JSON document: (path, value)."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*path, i))


_HOSTILE = st.one_of(
    st.sampled_from(
        [
            -7,
            0,
            -1,
            1,
            2**31,
            2**63,
            -(2**63) - 1,
            10**30,
            1e308,
            -1e308,
            0.5,
            1.5,
            -0.0,
            "",
            "x",
            "a" * 600,
            "2024-02-30",
            "2024-13-01",
            "0000-01-01",
            "9999-12-31T23:59:59+99:00",
            "2024-01-01T00:00:00",
            "not a date",
            "\x00",
            "ann/lee",
            None,
            True,
            False,
            [],
            {},
            [1, 2],
            ["a", "b"],
            {"paragraph": "x"},
            {"paragraph": 0, "start": 5, "end": 2},
            {"paragraph": 99, "start": 0, "end": 1, "text": "?"},
            [{"name": 1}],
        ]
    ),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)


# Values of the right type that a careless or hostile hand may still have written.
_TEXTS = st.sampled_from(
    [
        "",
        " ",
        "\u200b",
        "Dаn Lee",
        "<script>alert(1)</script>",
        "\x02hit\x03",
        "a" * 300,
        "‮evil",
        "Ann Lee",
        "ann-lee",
        "x" * 5000,
        "😀" * 50,
        "{{ x }}",
        "%s",
        "../../etc",
    ]
) | st.text(max_size=30)


def _alike(value):
    """A strategy for a value of ``value``'s JSON type."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.sampled_from([0, 1, 2, 3, 7, 2**31 - 1, 2**63 - 1]) | st.integers(0, 50)
    if isinstance(value, float):
        return st.sampled_from([0.0, 1.0, 0.5, 1e-300])
    if isinstance(value, str):
        return _TEXTS
    return _HOSTILE


@st.composite
def _mutated(draw, base):
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        places = [p for p, _ in _paths(data) if p]
        path = draw(st.sampled_from(places))
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        if isinstance(parent, dict) and draw(st.booleans()) and draw(st.booleans()):
            del parent[path[-1]]
        elif draw(st.booleans()):
            parent[path[-1]] = draw(_alike(parent[path[-1]]))
        else:
            parent[path[-1]] = draw(_HOSTILE)
    return data


def _import_then_browse(data, client) -> str:
    """What became of the file: "refused", or "imported" after every address answered."""
    with transaction.atomic():
        problems = []
        try:
            restore(data)
        except ImportInvalid as exc:
            problems = exc.problems
        if problems:
            assert all(p.path.startswith("$") and p.message for p in problems)
            assert not Article.objects.exists()
            assert not Speaker.objects.exists()
            transaction.set_rollback(True)
            return "refused"
        for cache in caches.all():
            cache.clear()
        for url in _addresses():
            response = client.get(url)
            assert response.status_code < 500, (url, response.status_code)
        transaction.set_rollback(True)
        return "imported"


@pytest.fixture
def base(make):
    return _newsroom(make)


def test_the_newsroom_round_trips(base, client):
    assert _import_then_browse(base, client) == "imported"


def test_any_mutated_backup_is_refused_or_imports_without_server_errors(base, client):
    @given(_mutated(base))
    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    def run(data):
        COUNTS["tried"] += 1
        COUNTS[_import_then_browse(data, client)] += 1

    run()
    print(f"mutated backups: {dict(COUNTS)}")


def _quote(**fields):
    from tests.services.test_backup import _valid_record

    return _valid_record()["quotes"][0] | fields


def _crafted():
    from tests.services.test_backup import _file, _valid_record

    record = _valid_record()
    history_row = {
        "history_id": 1,
        "history_date": "2024-05-01T10:00:00+00:00",
        "history_type": "+",
        "fields": {"id": 1, "title": "A"},
    }
    undo = {
        "speakers": {"3": {"name": "Ann"}},
        "merges": [],
        "redirects": [],
        "split_sources": [],
        "split_new": [],
        "into": {"description": "", "edited": False},
    }
    merge = {
        "into": "ann-lee",
        "at": "2024-05-01T10:00:00+00:00",
        "merged_names": [{"name": "A"}],
        "moved": {},
    }
    return [
        (_file(record | {"id": -7}), "$.articles[0].id"),
        (_file(record | {"id": 2**63}), "$.articles[0].id"),
        (
            _file(record | {"quotes": [_quote(attribution={"via": "paragraph 0"})]}),
            "$.articles[0].quotes[0].attribution.via",
        ),
        (
            _file(record | {"quotes": [_quote(attribution={"via": [0, 5]})]}),
            "$.articles[0].quotes[0].attribution.via",
        ),
        (
            _file(record | {"quotes": [_quote(attribution={"confidence": 1e308})]}),
            "$.articles[0].quotes[0].attribution.confidence",
        ),
        (
            _file(record | {"quotes": [_quote(attribution={"confidence": -0.5})]}),
            "$.articles[0].quotes[0].attribution.confidence",
        ),
        (
            _file(record | {"quotes": [_quote(attribution={"sieve": ["x"]})]}),
            "$.articles[0].quotes[0].attribution.sieve",
        ),
        (_file(record | {"quotes": [_quote(start=2**40)]}), "$.articles[0].quotes[0].start"),
        (_file(record | {"quotes": [_quote(end=5.0)]}), "$.articles[0].quotes[0].end"),
        (_file(record | {"quotes": [_quote(id=4), _quote(id=4)]}), "$.articles[0].quotes[1].id"),
        (_file(record | {"published": "0000-01-01"}), "$.articles[0].published"),
        (_file(record | {"title": "A\x00B"}), "$.articles[0].title"),
        (_file(record | {"byline": "\x02fake highlight\x03"}), "$.articles[0].byline"),
        (
            _file(
                record
                | {
                    "tombstones": [
                        {
                            "model": "quote",
                            "paragraph_hash": "x",
                            "start": 0,
                            "end": 1,
                            "text": "x",
                            "at": "yesterday",
                        }
                    ]
                }
            ),
            "$.articles[0].tombstones[0].at",
        ),
        (
            _file(
                record
                | {
                    "retired_quotes": [
                        {
                            "quote_id": 0,
                            "paragraph_index": 0,
                            "text": "x",
                            "at": "2024-05-01T10:00:00+99:00",
                        }
                    ]
                }
            ),
            "$.articles[0].retired_quotes[0].at",
        ),
        (_file(record) | {"articles": 1.5}, "$.articles"),
        (_file(record, merges=[merge | {"merged_names": "Ann"}]), "$.merges[0].merged_names"),
        (
            _file(record, merges=[merge | {"moved": {"undo": undo}}]),
            "$.merges[0].moved.undo.speakers['3']",
        ),
        (
            _file(record, merges=[merge | {"undone_at": "0001-01-01T00:00:00+05:00"}]),
            "$.merges[0].undone_at",
        ),
        (_file(record, history={"article": [history_row]}), "$.history.article[0].fields.created"),
        (
            _file(
                record, history={"article": [history_row | {"history_date": "2024-02-30T00:00"}]}
            ),
            "$.history.article[0].history_date",
        ),
        (
            _file(record, history={"quote": [history_row | {"fields": {"id": 1, "start": "x"}}]}),
            "$.history.quote[0].fields.start",
        ),
        (
            _file(
                record, history={"quote": [history_row | {"fields": {"id": 1, "confidence": "1"}}]}
            ),
            "$.history.quote[0].fields.confidence",
        ),
        (
            _file(record, history={"article": [history_row, history_row]}),
            "$.history.article[1].history_id",
        ),
        (
            _file(record, history={"speaker": [history_row | {"history_id": 2**31}]}),
            "$.history.speaker[0].history_id",
        ),
        (
            _file(record, history={"article": [history_row, history_row | {"history_id": 1.0}]}),
            "$.history.article[1].history_id",
        ),
        (_file(record | {"id": 1.0}), "$.articles[0].id"),
        (
            _file(record, speakers=[{"name": "Ann", "slug": "ann", "alias_ids": [-1]}]),
            "$.speakers[0].alias_ids[0]",
        ),
    ]


@pytest.mark.parametrize(("data", "path"), _crafted())
def test_a_crafted_backup_is_refused_with_the_path_at_fault(data, path):
    with pytest.raises(ImportInvalid) as refused:
        restore(data)
    assert path in [p.path for p in refused.value.problems], refused.value.problems
    assert not Article.objects.exists()

from pathlib import Path

import pytest

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"

# What a test needs to touch the database (pytest-django's own fixtures and marker).
_DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


def pytest_configure(config):
    if not config.pluginmanager.hasplugin("django"):
        return  # tests/nlp runs without Django too (-p no:django)
    from django.conf import settings

    # The manifest storage needs collectstatic; tests serve static files from the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.STATIC_ROOT = None  # nothing collected: whitenoise serves from the finders
    settings.WHITENOISE_USE_FINDERS = True


def pytest_collection_modifyitems(config, items):
    """Mark every test that uses the database ``db``, so a second database (PostgreSQL)
    can run just those: ``pytest -m "db and not browser"`` (see the Makefile's test-db)."""
    for item in items:
        if item.get_closest_marker("django_db") or _DB_FIXTURES & set(
            getattr(item, "fixturenames", ())
        ):
            item.add_marker(pytest.mark.db)


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Each test starts with an empty cache: the database is rolled back between tests,
    so a content version (summit.pagecache) can come round again with other rows."""
    if not request.config.pluginmanager.hasplugin("django"):
        return
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture
def make():
    """Factories for building articles and annotations by hand (see tests/factories.py)."""
    from tests import factories

    return factories


@pytest.fixture
def editor(make):
    """A member of the editors' group (``make.editor``): what the desk lets them do."""
    return make.editor("ed")


@pytest.fixture
def ed_client(client, editor):
    """The test client signed in as ``editor``."""
    client.force_login(editor)
    return client


class ReplayPipeline:
    """The real language pipeline, remembering what it found for each document.

    Analysing the seeds takes seconds; writing an analysis takes a fraction of one. The
    seeds are analysed once per test run and each test's database gets them through
    the real ingest service, as an operator's ``manage.py ingest`` would write them.
    """

    def __init__(self, pipeline):
        self.pipeline = pipeline
        self.name = pipeline.name
        self._analyses = {}

    def analyze(self, document):
        return next(self.analyze_many([document]))

    def analyze_many(self, documents, *, batch_size=32, n_process=1, gazetteer=None):
        documents = list(documents)
        new = [d for d in documents if (repr(d), gazetteer) not in self._analyses]
        for analysis in self.pipeline.analyze_many(new, batch_size=batch_size, gazetteer=gazetteer):
            self._analyses[repr(analysis.document), gazetteer] = analysis
        return (self._analyses[repr(d), gazetteer] for d in documents)


def page_queries(client, url, params=None) -> tuple[int, str]:
    """The number of queries a GET of ``url`` made, and the page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        html = client.get(url, params).content.decode()
    return len(ctx.captured_queries), html


@pytest.fixture(scope="session")
def seed_pipeline():
    """The real pipeline, remembering its analyses for the whole test run."""
    from summit.services.ingest import get_pipeline

    return ReplayPipeline(get_pipeline())


@pytest.fixture
def seeds(db, seed_pipeline):
    """The two seed articles, ingested through the real ingest service and pipeline."""
    from summit.models import Article
    from summit.services.ingest import articles_ingest

    results = articles_ingest(targets=[str(SEEDS_DIR)], pipeline=seed_pipeline)
    assert not [r for r in results if r.failed], results
    return {a.source_file: a for a in Article.objects.all()}

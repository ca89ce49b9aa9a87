from pathlib import Path

import pytest

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


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


@pytest.fixture
def make():
    """Factories for building articles and annotations by hand (see tests/factories.py)."""
    from tests import factories

    return factories


@pytest.fixture
def seeds(db):
    """The two seed articles, ingested through the real language pipeline."""
    from django.core.management import call_command

    call_command("ingest", str(SEEDS_DIR), "--no-progress", verbosity=0)
    from summit.models import Article

    return {a.source_file: a for a in Article.objects.all()}

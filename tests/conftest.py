import pytest


def pytest_configure(config):
    from django.conf import settings

    # The manifest storage needs collectstatic; tests serve static files from the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def make():
    """Factories for building articles and annotations by hand (see tests/factories.py)."""
    from tests import factories

    return factories

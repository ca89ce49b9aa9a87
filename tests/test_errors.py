"""Error pages: in the site's layout, with a way home, and nothing internal shown."""

import pytest
from django.test import override_settings

pytestmark = [pytest.mark.urls("tests.error_urls"), pytest.mark.django_db]


@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/no/such/page/", 404, "There is nothing at this address"),
        ("/people/nobody-at-all/", 404, "There is nothing at this address"),
        ("/fail/500/", 500, "Something went wrong on our side"),
        ("/fail/403/", 403, "This page is not open to you"),
        ("/fail/400/", 400, "That request could not be understood"),
    ],
)
@override_settings(DEBUG=False)
def test_error_pages_are_the_sites_own(client, url, status, heading):
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == status
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<meta name="color-scheme" content="light dark">' in html
    assert 'class="site-header"' in html
    assert 'href="/"' in html  # a way home
    for leak in ("secret internals", "internal reason", "Traceback", "settings.py", "DEBUG"):
        assert leak not in html
    assert "Content-Security-Policy" in response.headers

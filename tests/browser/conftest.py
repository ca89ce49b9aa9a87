"""Browser fixtures: a headless Chromium (Debian's, never a downloaded one) over Playwright.

``browser`` is one Chromium for the whole session; ``page`` is a fresh context and page
per test, pointed at pytest-django's ``live_server`` (so a test using ``page`` gets
``transactional_db`` and ``page.goto("/")`` reaches the live server). Mark browser
tests ``@pytest.mark.browser``.

Without /usr/bin/chromium the tests skip locally and fail when ``CI`` is set.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM refuses to run
# there unless told it is fine (it is: the loop never runs concurrently with us).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("SUMMIT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    # Tests may assert a page ran without script errors or CSP violations.
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: page.js_errors.append(msg.text) if msg.type == "error" else None,
    )
    yield page
    context.close()


@pytest.fixture
def artifacts() -> Path:
    """The git-ignored folder screenshots go to."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS

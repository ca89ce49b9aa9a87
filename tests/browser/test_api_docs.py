"""The API's interactive docs in a real browser, under the site's Content-Security-Policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_docs_work_from_local_files_under_the_sites_policy(page, transactional_db, live_server):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    response = page.goto("/api/v1/docs")
    assert response.status == 200
    policy = response.headers["content-security-policy"]
    assert "'unsafe-eval'" not in policy
    assert "script-src 'self'" in policy

    expect(page.locator(".swagger-ui .title").first).to_contain_text("Summit API")
    operations = page.locator(".opblock-summary-path")
    expect(operations.first).to_be_visible()
    paths = {operations.nth(i).get_attribute("data-path") for i in range(operations.count())}
    assert "/api/v1/speakers/{slug}/quotes" in paths

    # Try one out: the docs call the API and show its answer.
    page.locator(".opblock-summary", has_text="/api/v1/speakers").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_have_text(
        "200"
    )

    assert all(url.startswith(live_server.url) for url in requested), requested
    assert page.js_errors == []

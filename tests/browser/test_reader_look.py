"""Every reader page and the API's docs at desk and phone sizes, light and dark:
screenshots saved to tests/artifacts/ for a person to look at, and axe-core (bundled by
axe-playwright-python, run offline inside the page) reporting no serious or critical
violation."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from summit.models import Article, Quote, Speaker, Status

pytestmark = pytest.mark.browser

SIZES = {"desk": (1280, 900), "phone": (390, 844)}
SERIOUS = {"serious", "critical"}


@pytest.fixture
def pages(transactional_db, seeds):
    """The reader's pages over the two seeds, one quote verified."""
    news = Article.objects.get(source_file__startswith="000_")
    opinion = Article.objects.get(source_file__startswith="002_")
    quote = Quote.objects.filter(article=news, speaker_text="he").first()
    Quote.objects.filter(pk=quote.pk).update(status=Status.VERIFIED)
    person = quote.speaker
    card = f"{person.get_absolute_url()}card/?quote={quote.pk}"
    return {
        "home": "/",
        "search": "/?q=summit",
        "article-news": news.get_absolute_url(),
        "article-opinion": opinion.get_absolute_url(),
        "people": "/people/",
        "organisations": "/people/?kind=organisation",
        "person": Speaker.objects.get(pk=person.pk).get_absolute_url(),
        "author": Speaker.objects.get(name=opinion.byline).get_absolute_url(),
        "card": card,
        "quotes": "/quotes/",
        "quote": f"/quotes/{quote.pk}/",
        "not-found": "/no/such/page/",
        "api-docs": "/api/v1/docs",
    }


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["desk", "phone"])
def test_every_page_looks_right_and_passes_axe(
    browser, live_server, pages, artifacts, size, scheme
):
    width, height = SIZES[size]
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": height}, color_scheme=scheme
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    axe = Axe()
    problems = {}
    try:
        for name, url in pages.items():
            page.goto(url)
            if name == "api-docs":  # Swagger draws the operations after the page loads
                page.locator(".opblock-summary-path").first.wait_for()
                assert page.evaluate("document.documentElement.lang") == "en"
            full = name not in {"article-news", "article-opinion"}
            page.screenshot(path=str(artifacts / f"{name}-{size}-{scheme}.png"), full_page=full)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (
                f"{name}: no sideways scroll at {width} px"
            )
            results = axe.run(page)
            serious = [
                f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
                for v in results.response["violations"]
                if v["impact"] in SERIOUS
            ]
            if serious:
                problems[name] = serious
    finally:
        context.close()
    assert problems == {}
    # A missing page logs its 404 in the console; nothing else may.
    assert [e for e in errors if "404" not in e] == []

"""The desk's lists fit a 1,280 px screen: every column, status and edited included,
is on screen without scrolling sideways; quotes filter by article and by speaker."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories as make

pytestmark = pytest.mark.browser

LONG = (
    "“The negotiations over the demilitarised zone and the sanctions that go with it will "
    "take far longer than anyone in either capital is willing to admit in public,” "
    "said Kim San-ho, a former defector who now advises the Unification Ministry in Seoul."
)


@pytest.fixture
def desk(page):
    article = make.article(
        LONG,
        title="North and South Korea agree to keep talking about the demilitarised zone "
        "after a long day of negotiations at the border village of Panmunjom",
    )
    sanho = make.speaker("Kim San-ho Pyeong-chang Gyeongsangbuk-do Administration")
    other = make.article("“No,” said Moon.", title="Moon says no")
    moon = make.speaker("Moon Jae-in")
    make.quote(article, LONG[: LONG.index("” said") + 1], sanho, confidence=0.83)
    make.quote(other, "“No,”", moon, confidence=0.5)
    make.mention(article, "Kim San-ho", speaker_obj=sanho)
    make.claim(article, LONG[1 : LONG.index(",”")], holder=sanho)
    editor = make.editor("lists")
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", make.EDITOR_PASSWORD)
    page.click("input[type=submit]")
    return {"article": article, "sanho": sanho, "moon": moon}


@pytest.mark.parametrize(
    ("model", "last"),
    [("quote", "edited_cell"), ("claim", "edited_cell"), ("entitymention", "edited_cell")],
)
def test_lists_fit_the_screen_with_every_column(page, desk, artifacts, model, last):
    page.goto(f"/admin/summit/{model}/")
    expect(page.locator("#result_list")).to_be_visible()
    page.screenshot(path=str(artifacts / f"desk-list-{model}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # The list scrolls inside its own box when too wide: that box shows every column.
    shown = page.locator("#changelist-form .results").bounding_box()
    table = page.locator("#result_list").bounding_box()
    column = page.locator(f"#result_list th.column-{last}").bounding_box()
    assert table["width"] <= shown["width"], f"the {model} list is {table['width']} px wide"
    assert column["x"] + column["width"] <= shown["x"] + shown["width"]


def test_quotes_filter_by_article_and_by_speaker(page, desk):
    page.goto("/admin/summit/quote/")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    # The speaker's cell narrows the list to their quotes; the filter says so and clears.
    rows.filter(has_text="Moon").get_by_role("link", name="Moon Jae-in").click()
    expect(rows).to_have_count(1)
    expect(page.locator("#changelist-filter")).to_contain_text("Moon Jae-in")
    page.locator("#changelist-filter").get_by_role("link", name="All").first.click()
    expect(rows).to_have_count(2)
    rows.filter(has_text="demilitarised").get_by_role("link", name=re.compile("North and")).click()
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("demilitarised")


def test_a_broken_feeds_error_is_on_screen_in_the_feed_list(page, transactional_db, artifacts):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from summit.models import Feed

    error = "is not well-formed XML (<unknown>:2:71: mismatched tag)"
    Feed.objects.create(
        url="https://news.example.org/feeds/regional/harbour-and-estuary/all-stories.rss",
        outlet="Broken Gazette",
        last_polled=timezone.now(),
        last_error=error,
        failures=2,
    )
    Feed.objects.create(
        url="https://news.example.org/valley.rss",
        title="The Valley Courier",
        outlet="The Valley Courier",
        last_polled=timezone.now(),
        last_result="not modified (304) in 0.1 s",
    )
    get_user_model().objects.create_superuser("operator", "op@example.org", "walk-pw-1")
    page.goto("/admin/login/?next=/admin/summit/feed/")
    page.fill("#id_username", "operator")
    page.fill("#id_password", "walk-pw-1")
    page.click("input[type=submit]")
    cell = page.locator("#result_list td.field-status").first
    expect(cell).to_have_text(f"Failed (2 in a row): {error}")
    page.screenshot(path=str(artifacts / "admin-feeds.png"), full_page=True)
    shown = page.locator("#changelist-form .results").bounding_box()
    box = cell.bounding_box()
    assert box["x"] + box["width"] <= shown["x"] + shown["width"], "the error is cut off"
    assert box["width"] >= 200, f"the error is squeezed into {box['width']} px"

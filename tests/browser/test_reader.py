"""The reader in a real browser: what a person using it would notice."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from summit.models import Article, Quote, Speaker

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(transactional_db, seeds):
    """The two seed articles, ingested through the real pipeline (``seeds``)."""
    return {
        "news": Article.objects.get(source_file__startswith="000_"),
        "opinion": Article.objects.get(source_file__startswith="002_"),
        "pinkston": Speaker.objects.get(name="Dan Pinkston"),
        "moon": Speaker.objects.get(name="Moon Jae-in"),
    }


def underline(locator) -> str:
    """A name's mark: the thin underline drawn in its label's colour ("none" when off)."""
    return locator.evaluate("el => getComputedStyle(el).boxShadow")


def test_person_card_in_place_then_person_page_then_back_to_the_paragraph(page, seeded, artifacts):
    news, pinkston = seeded["news"], seeded["pinkston"]
    article_url = news.get_absolute_url()
    page.goto(article_url)
    expect(page.locator("h1")).to_have_text(news.title)

    # Click Dan Pinkston's name where the article names him: his card opens beside the text.
    page.locator(".story__body a.m-ent", has_text="Dan Pinkston").first.click()
    card = page.locator("#card .card")
    expect(card).to_be_visible()
    expect(card.locator(".card__name")).to_have_text("Dan Pinkston")
    expect(card).to_contain_text("Troy University")
    shown = list(Quote.objects.shown().filter(speaker=pinkston).order_by("paragraph__index"))
    expect(card.locator(".card__stats")).to_contain_text(f"{len(shown)} quote")
    expect(card.locator(".card__quote")).to_have_count(min(3, len(shown)))
    assert page.url.endswith(article_url), "the card opens in place, the page stays"
    expect(card.locator(".card__name")).to_be_focused()
    page.screenshot(path=str(artifacts / "article.png"), full_page=False)
    assert page.js_errors == [], page.js_errors  # no script errors, no CSP violations

    # From the card to everything he said.
    card.get_by_role("link", name=re.compile(r"All \d+ quotes? by Dan Pinkston")).click()
    expect(page).to_have_url(re.compile(rf"{pinkston.get_absolute_url()}$"))
    expect(page.locator("h1")).to_have_text("Dan Pinkston")
    items = page.locator(".quote-item")
    expect(items).to_have_count(len(shown))
    for quote in shown:
        expect(page.locator(".quote-item__text", has_text=quote.text[:40]).first).to_be_visible()
    page.screenshot(path=str(artifacts / "person.png"), full_page=True)

    # And back: a quote's link lands on its paragraph, scrolled to and targeted.
    target = shown[-1]
    anchor = f"p{target.paragraph.index + 1}"
    item = items.filter(has_text=target.text[:40]).first
    item.locator(".quote-item__link").click()
    expect(page).to_have_url(re.compile(rf"{article_url}#{anchor}$"))
    paragraph = page.locator(f"#{anchor}")
    expect(paragraph).to_be_in_viewport()
    expect(paragraph).to_contain_text(target.text[:40])
    # the browser applies :target once the fragment is scrolled to: a retrying check
    expect(page.locator(":target")).to_have_id(anchor)


def test_keyboard_opens_and_closes_the_card(page, seeded):
    page.goto(seeded["news"].get_absolute_url())
    person = page.locator("a.m-ent--person", has_text="Dan Pinkston").first
    person.focus()
    page.keyboard.press("Enter")
    name = page.locator("#card .card__name")
    expect(name).to_have_text("Dan Pinkston")
    expect(name).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#card .card")).to_have_count(0)
    expect(person).to_be_focused()


def test_moon_page_lists_both_seed_articles(page, seeded):
    page.goto("/people/")
    page.get_by_role("link", name="Moon Jae-in", exact=True).click()
    expect(page.locator("h1")).to_have_text("Moon Jae-in")
    expect(page.get_by_role("link", name=seeded["news"].title, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=seeded["opinion"].title, exact=True)).to_be_visible()


def test_switching_a_layer_off_hides_its_marks_and_is_remembered(page, seeded):
    page.goto(seeded["news"].get_absolute_url())
    name = page.locator(".m-ent--person").first
    quote = page.locator(".m-quote").first
    assert underline(name) != "none"

    page.get_by_role("checkbox", name=re.compile("^Names")).uncheck()
    assert underline(name) == "none", "names lose their marks"
    assert "underline" in quote.evaluate("el => getComputedStyle(el).textDecorationLine")
    expect(page.locator(".legend__names")).to_be_hidden()

    page.reload()
    expect(page.get_by_role("checkbox", name=re.compile("^Names"))).not_to_be_checked()
    expect(page.get_by_role("checkbox", name=re.compile("Quotes"))).to_be_checked()
    assert underline(page.locator(".m-ent--person").first) == "none"

    page.get_by_role("checkbox", name=re.compile("Quotes")).uncheck()
    assert quote.evaluate("el => getComputedStyle(el).textDecorationLine") == "none"
    expect(page.locator(".q-cite").first).to_be_hidden()

    page.get_by_role("checkbox", name=re.compile("^Names")).check()
    page.reload()
    assert underline(page.locator(".m-ent--person").first) != "none"
    expect(page.get_by_role("checkbox", name=re.compile("Quotes"))).not_to_be_checked()


def test_live_search_from_home(page, seeded):
    news, opinion = seeded["news"], seeded["opinion"]
    page.goto("/")
    expect(page.get_by_role("link", name=opinion.title)).to_be_visible()
    page.get_by_label("Search titles, text and quotes").fill("reinvent the wheel")
    expect(page.get_by_role("link", name=opinion.title)).to_have_count(0)
    expect(page.get_by_role("link", name=news.title)).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?q=reinvent\+the\+wheel$|\?q=reinvent%20the%20wheel$"))
    assert page.js_errors == [], page.js_errors
    page.get_by_role("link", name=news.title).click()
    expect(page.locator("h1")).to_have_text(news.title)


def test_more_quotes_button_appends_the_next_page(page, transactional_db, make):
    speaker = make.speaker("Prolific Speaker")
    article = make.article(*[f"“Quote number {i},” she said." for i in range(30)])
    for i in range(30):
        make.quote(article, f"Quote number {i},", speaker, paragraph=i)
    page.goto(speaker.get_absolute_url())
    expect(page.locator(".quote-item")).to_have_count(25)
    page.get_by_role("link", name=re.compile("More quotes")).click()
    expect(page.locator(".quote-item")).to_have_count(30)
    expect(page.locator("#quotes-page-2")).to_be_focused()  # keyboard users land on it
    expect(page.get_by_role("link", name=re.compile("More quotes"))).to_have_count(0)
    assert page.url.endswith(speaker.get_absolute_url()), "appended in place"


def test_phone_width_reads_and_opens_the_card_as_a_sheet(browser, live_server, seeded, artifacts):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, color_scheme="dark"
    )
    page = context.new_page()
    try:
        page.goto(seeded["news"].get_absolute_url())
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scroll"
        page.locator(".story__body a.m-ent", has_text="Dan Pinkston").first.click()
        card = page.locator("#card .card")
        expect(card).to_be_in_viewport()
        page.screenshot(path=str(artifacts / "article-phone-dark.png"))
    finally:
        context.close()


def test_people_index_filters_by_kind_in_place(page, transactional_db, make):
    article = make.article("“A,” said Ann Person. The Agency said “B.”")
    make.quote(article, "A,", make.speaker("Ann Person"))
    make.quote(article, "B.", make.speaker("The Agency", kind="organisation"))
    page.goto("/people/")
    expect(page.locator(".person-tile")).to_have_count(2)
    page.get_by_role("link", name="Organisations").click()
    expect(page.locator(".person-tile")).to_have_count(1)
    expect(page.locator(".person-tile")).to_contain_text("The Agency")
    expect(page).to_have_url(re.compile(r"/people/\?kind=organisation$"))
    expect(page.get_by_role("link", name="Organisations")).to_have_attribute("aria-current", "page")


def test_a_wire_story_carried_twice_is_listed_once_and_each_page_names_the_other(
    page, transactional_db, tmp_path, artifacts
):
    from tests.services.test_wire_copies import WIRE, ingest, write

    [first] = ingest(write(tmp_path, "a.txt", "Pellworth to rebuild sea wall", WIRE), "Coast Wire")
    copy = write(tmp_path, "b.txt", "Town votes for new harbour defences", WIRE[:4])
    [second] = ingest(copy, "Pellworth Gazette", "2026-03-03")

    page.goto("/")
    expect(page.get_by_role("link", name="Pellworth to rebuild sea wall")).to_be_visible()
    expect(page.get_by_role("link", name="Town votes for new harbour defences")).to_have_count(0)

    page.goto(f"/articles/{first.article_id}/")
    line = page.locator("#also-published")
    expect(line).to_have_text("Also published by Pellworth Gazette 3 Mar 2026.")
    line.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "also-published.png"))
    line.get_by_role("link", name="Pellworth Gazette").click()
    expect(page.locator("h1")).to_have_text("Town votes for new harbour defences")
    expect(page.locator("#also-published")).to_have_text("Also published by Coast Wire.")
    assert f"/articles/{second.article_id}/" in page.url
    assert page.js_errors == [], page.js_errors

"""Trust, context and finding things, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from summit.models import Article, EntityMention, Quote, Status
from summit.rendering import UNCERTAIN_BELOW

pytestmark = pytest.mark.browser


@pytest.fixture
def news(transactional_db, seeds):
    return Article.objects.get(source_file__startswith="000_")


def decoration(locator) -> str:
    return locator.evaluate("el => getComputedStyle(el).textDecorationStyle")


def test_uncertain_and_verified_quotes_are_drawn_differently(page, news):
    verified = Quote.objects.filter(
        article=news, confidence__gte=UNCERTAIN_BELOW, speaker__isnull=False, kind="direct"
    ).first()
    Quote.objects.filter(pk=verified.pk).update(status=Status.VERIFIED)
    # the measured confidences change as the rules improve: make one quote doubtful
    doubtful = (
        Quote.objects.filter(article=news, speaker__isnull=False, kind="indirect")
        .exclude(pk=verified.pk)
        .first()
    )
    Quote.objects.filter(pk=doubtful.pk).update(confidence=UNCERTAIN_BELOW / 2)
    page.goto(news.get_absolute_url())
    sure, unsure = page.locator(f"#q{verified.pk}"), page.locator(f"#q{doubtful.pk}")
    assert decoration(unsure) == "dotted"
    assert decoration(sure) == "solid"
    tick = page.locator(f"#q{verified.pk} ~ .q-after .q-tick").first
    expect(tick).to_be_visible()
    expect(tick).to_have_attribute("aria-label", "Verified by an editor")
    expect(page.locator(f"#q{doubtful.pk} ~ .q-after .q-tick")).to_have_count(0)


def test_the_card_opened_from_a_quote_says_how_its_speaker_was_found(page, news):
    quote = Quote.objects.filter(article=news, speaker_text="he", via__isnull=False).first()
    page.goto(news.get_absolute_url())
    page.locator(f"a.q-cite[hx-get$='?quote={quote.pk}']").click()
    card = page.locator("#card .card")
    expect(card.locator(".card__name")).to_have_text(quote.speaker.name)
    line = card.locator(".provenance__line")
    expect(line).to_contain_text(f"Found through “he” in ¶{quote.paragraph.index + 1}")
    expect(line).to_contain_text(f"→ {quote.speaker.name}, named as “{quote.via['text']}”")
    expect(line).to_contain_text("times in 100")
    assert page.js_errors == [], page.js_errors


def test_cite_copies_the_citation_and_its_link(browser, live_server, news):
    context = browser.new_context(base_url=live_server.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    try:
        quote = Quote.objects.filter(article=news, speaker__isnull=False).first()
        page.goto(f"/quotes/?speaker={quote.speaker.slug}")
        cite = page.locator(".cite-link").first
        cite.click()
        expect(cite).to_have_attribute("data-copied", "")
        expect(page.locator("#status")).to_have_text("Citation copied")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("“") or copied.startswith("Reported:")
        assert f"— {quote.speaker.name}, " in copied
        assert re.search(rf"{re.escape(live_server.url)}/quotes/\d+/$", copied)
        assert page.url.endswith(f"/quotes/?speaker={quote.speaker.slug}"), "copied in place"
    finally:
        context.close()


def test_the_organisations_tab_lists_organisations_named_in_two_articles(page, news, make):
    # A name the model marks as an organisation is listed once a second article names it;
    # named in one article only, it stays a mark in the text.
    named_here = {
        word: EntityMention.objects.filter(
            article=news, label="ORG", speaker=None, text__contains=word
        )
        .values_list("text", flat=True)
        .first()
        for word in ("Asan", "Crisis Group")
    }
    assert all(named_here.values()), named_here
    other = make.article(
        f"{named_here['Asan']} and {named_here['Crisis Group']} met Harbour Trust."
    )
    for text in named_here.values():
        make.mention(other, text, "ORG")
    make.mention(other, "Harbour Trust", "ORG")
    page.goto("/people/")
    page.get_by_role("link", name="Organisations").click()
    expect(page).to_have_url(re.compile(r"/people/\?kind=organisation$"))
    named = page.locator(".named-orgs")
    expect(named.get_by_role("link", name=re.compile("Asan")).first).to_be_visible()
    expect(named.get_by_role("link", name=re.compile("Crisis Group")).first).to_be_visible()
    expect(named.get_by_role("link", name="Harbour Trust")).to_have_count(0)
    expect(page.get_by_text("Nobody here yet")).to_have_count(0)


def test_search_snippets_link_to_the_paragraph(page, news):
    page.goto("/")
    page.get_by_label("Search titles, text and quotes").fill("reinvent the wheel")
    snippet = page.locator(".hits__snippets a.snippet").first
    expect(snippet.locator("mark").first).to_have_text(re.compile("reinvent", re.I))
    expect(page).to_have_url(re.compile(r"/\?q=reinvent(\+|%20)the(\+|%20)wheel$"))
    number = int(snippet.locator(".snippet__where").inner_text().lstrip("¶"))
    snippet.click()
    # The paragraph the snippet named is the one shown, its words on the screen.
    expect(page).to_have_url(re.compile(rf"{news.get_absolute_url()}#p{number}$"))
    target = page.locator(f"#p{number}")
    # the address changes before the page is parsed: wait for the paragraph first
    expect(target).to_contain_text("reinvent the wheel")
    # the browser applies :target once the fragment is scrolled to: a retrying check
    expect(page.locator(":target")).to_have_id(f"p{number}")
    expect(target).to_be_in_viewport()
    assert page.js_errors == [], page.js_errors


def test_search_facets_lead_to_the_quotes_they_count(page, news):
    page.goto("/?q=wheel")
    facet = page.get_by_role("list", name="Quotes by speaker").get_by_role("link").first
    count = facet.locator(".chip__count").inner_text()
    facet.click()
    expect(page).to_have_url(re.compile(r"/quotes/\?q=wheel&speaker=[\w-]+$"))
    expect(page.locator(".results__summary")).to_contain_text(f"{count} quote")
    expect(page.locator(".quote-item").first).to_contain_text("wheel")


def test_clearing_a_filter_leaves_no_empty_parameters(page, news):
    page.goto("/quotes/?kind=direct")
    page.get_by_label("Kind").select_option("")
    expect(page).to_have_url(re.compile(r"/quotes/$"))
    page.get_by_label("Search quotes").fill("wheel")
    expect(page).to_have_url(re.compile(r"/quotes/\?q=wheel$"))


def test_on_a_phone_the_text_starts_on_the_first_screen(browser, live_server, news, artifacts):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(news.get_absolute_url())
        first = page.locator(".story__body .para").first
        box = first.bounding_box()
        assert box["y"] + 60 < 844, f"the first paragraph starts at y={box['y']}"
        # The reading tools and "Quoted here" are there, folded.
        tools = page.locator("details.tools")
        expect(tools).not_to_have_attribute("open", "")
        people = page.locator("details.people")
        people.locator("summary").click()
        expect(people.get_by_role("link").first).to_be_visible()
        page.screenshot(path=str(artifacts / "article-phone-first-screen.png"))
    finally:
        context.close()


def test_a_missing_page_is_the_sites_own_404(page, transactional_db):
    response = page.goto("/no/such/page/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("There is nothing at this address")
    expect(page.locator(".site-header")).to_be_visible()
    page.get_by_role("link", name="The latest articles").click()
    expect(page.locator("h1")).to_have_text("Articles")


def test_copying_a_paragraph_copies_the_articles_words_only(page, news):
    quote = Quote.objects.filter(article=news, speaker_text="he", speaker__isnull=False).first()
    page.goto(news.get_absolute_url())
    chip = page.locator(f"a.q-cite[hx-get$='?quote={quote.pk}']")
    expect(chip).to_have_text(quote.speaker.name)
    copied = chip.evaluate(
        """chip => {
             const range = document.createRange();
             range.selectNodeContents(chip.closest("p"));
             const selection = getSelection();
             selection.removeAllRanges();
             selection.addRange(range);
             return selection.toString();
           }"""
    )
    paragraph = quote.paragraph.text
    assert " ".join(copied.split()) == " ".join(paragraph.split())

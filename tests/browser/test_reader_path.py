"""The reader's second pass, in a real browser: calm text by default, a keyboard path
through the story, unnamed sources shown for what they are, a phone's tap targets."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from summit.models import Article

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def news(transactional_db, seeds):
    return Article.objects.get(source_file__startswith="000_")


@pytest.fixture
def opinion(transactional_db, seeds):
    return Article.objects.get(source_file__startswith="002_")


def underline(locator) -> str:
    return locator.evaluate("el => getComputedStyle(el).boxShadow")


def focused(page) -> dict:
    return page.evaluate(
        """() => {
          const e = document.activeElement;
          const p = e.closest('.para');
          return {text: e.textContent.trim(), cls: e.className || '', para: p ? p.id : '',
                  inText: !!e.closest('.story__body'), inRail: !!e.closest('.rail')};
        }"""
    )


def test_names_are_marked_at_their_first_mention_until_a_reader_asks_for_all(page, news):
    page.goto(news.get_absolute_url())
    first = page.locator(".story__body .m-ent--first").first
    repeat = page.locator(".story__body .m-ent--gpe:not(.m-ent--first)").first
    assert underline(first) != "none"
    assert underline(repeat) == "none", "a repeated name reads as plain text"
    linked_repeat = page.locator(".story__body a.m-ent:not(.m-ent--first)").first
    assert linked_repeat.get_attribute("tabindex") == "-1", "and is no stop for Tab"

    repeats = page.get_by_role("checkbox", name=re.compile("Repeated names"))
    expect(repeats).not_to_be_checked()
    repeats.check()
    assert underline(repeat) != "none"
    assert linked_repeat.get_attribute("tabindex") is None
    page.reload()
    expect(page.get_by_role("checkbox", name=re.compile("Repeated names"))).to_be_checked()
    assert underline(page.locator(".story__body .m-ent--gpe:not(.m-ent--first)").first) != "none"


def test_quotes_are_a_quiet_line_that_comes_up_on_hover(page, news):
    page.goto(news.get_absolute_url())
    quote = page.locator(".story__body q.m-quote--machine").first
    thickness = "el => getComputedStyle(el).textDecorationThickness"
    assert quote.evaluate(thickness) == "1px"
    quote.hover()
    assert quote.evaluate(thickness) == "2px"


def test_a_keyboard_path_through_the_story(page, news):
    page.goto(news.get_absolute_url())
    # The skip link is the first stop and leads into the text, past the reading tools.
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    expect(page.locator(".skip-link")).to_have_text("Skip to the article text")
    page.keyboard.press("Enter")
    presses = 1
    page.keyboard.press("Tab")
    presses += 1
    here = focused(page)
    assert here["inText"], here
    assert "m-ent" in here["cls"], here
    assert presses <= 5

    # By Tab alone (no skip link), the first mark is the fifth stop from the top: skip link,
    # the three sections of the site, the mark (the brand, a second way home, is no stop).
    page.goto(news.get_absolute_url())
    presses = 0
    while presses < 10:
        page.keyboard.press("Tab")
        presses += 1
        if focused(page)["inText"]:
            break
    here = focused(page)
    assert here["inText"], here
    assert "m-ent" in here["cls"], here
    assert presses <= 5, f"{presses} Tab presses from the top to the first mark"
    expect(page.locator(".brand")).to_have_attribute("href", "/")

    # The ¶ markers stay links but are no stops; the text comes before the panel.
    assert page.locator(".pilcrow[tabindex='-1']").count() == page.locator(".pilcrow").count()
    tabs = page.evaluate(
        """() => Array.from(document.querySelectorAll('a[href], button, input, summary'))
                 .filter(e => e.tabIndex >= 0 && e.getClientRects().length)
                 .map(e => e.closest('.story__body') ? 'text' : e.closest('.rail') ? 'rail' : '')
                 .filter(Boolean)"""
    )
    assert tabs.index("rail") > max(i for i, t in enumerate(tabs) if t == "text")

    # Dan Pinkston in ¶21, from the top of the page: 85 presses before this pass.
    page.goto(news.get_absolute_url())
    presses = 0
    while presses < 60:
        page.keyboard.press("Tab")
        presses += 1
        here = focused(page)
        if here["text"] == "Dan Pinkston" and here["para"] == "p21":
            break
    assert presses <= 30, f"{presses} presses to reach Dan Pinkston in ¶21"

    # j and k move from mark to mark (quotes and claims too, which Tab skips).
    page.locator("#story-text").focus()
    page.keyboard.press("j")
    first = focused(page)
    assert first["inText"], first
    assert first["para"] == "p1", first
    page.keyboard.press("j")
    second = focused(page)
    assert second != first
    assert second["inText"]
    page.keyboard.press("k")
    assert focused(page) == first
    for _ in range(12):
        page.keyboard.press("j")
    assert page.evaluate("document.activeElement.tagName") in {"A", "Q", "MARK", "SPAN"}
    assert page.js_errors == []


def test_an_unnamed_source_is_shown_as_a_source(page, opinion):
    page.goto(opinion.get_absolute_url())
    quote = page.locator(".story__body q.m-quote").first
    assert quote.evaluate("el => getComputedStyle(el).textDecorationStyle") != "dotted"
    source = page.locator(".story__body .q-source")
    expect(source).to_have_count(1)
    expect(source).to_have_text("U.S. national security professionals")
    expect(page.locator(".story__counts")).to_contain_text("1 unnamed source")
    expect(page.locator(".story__counts")).not_to_contain_text("0 people quoted")
    expect(page.locator(".story__body")).not_to_contain_text("Unattributed")
    expect(page.locator(".people__unnamed")).to_contain_text("U.S. national security")


def test_on_a_phone_the_speakers_tag_is_a_finger_target_and_panels_show_they_unfold(
    browser, live_server, news, artifacts
):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(news.get_absolute_url())
        tag = page.locator(".story__body a.q-cite").first
        tag.scroll_into_view_if_needed()
        box = tag.bounding_box()
        assert box["height"] >= 24, box
        assert box["width"] >= 24, box
        summary = page.locator(".panel.people > summary")
        chevron = "el => getComputedStyle(el, '::after').transform"
        folded = summary.evaluate(chevron)
        assert folded != "none", "a folded panel shows it unfolds"
        summary.click()
        assert summary.evaluate(chevron) != folded, "and turns when it does"
        page.screenshot(path=str(artifacts / "article-phone-panel-open.png"))
    finally:
        context.close()


def test_the_byline_leads_to_the_authors_page_with_what_they_wrote_and_claim(page, opinion):
    page.goto(opinion.get_absolute_url())
    expect(page.locator("h1")).to_have_text("Opinion by John Burton")
    page.locator(".story__byline").get_by_role("link", name="John Burton").click()
    expect(page.locator("h1")).to_have_text("John Burton")
    expect(page.locator(".person-head__role")).to_have_text("Author of 1 article here.")
    written = page.locator(".person-written")
    expect(written.get_by_role("link", name="Opinion by John Burton")).to_be_visible()
    expect(written.locator(".badge--opinion")).to_be_visible()
    claims = page.locator(".person-claims .claim-item")
    assert claims.count() >= 3, "the op-ed's claims are held by its author"
    expect(claims.first).to_contain_text("Opinion by John Burton, ¶")
    assert page.js_errors == []


def test_the_op_eds_thesis_and_close_are_highlighted_as_its_authors(page, opinion):
    page.goto(opinion.get_absolute_url())
    lit = page.locator(".story__body .m-claim")
    expect(lit).to_have_count(5)
    # its thesis, in its opening paragraph (¶2, after the byline), is the first mark
    first = lit.first
    assert first.evaluate("el => el.closest('.para').id") == "p2"
    expect(first).to_have_attribute("title", re.compile(r"assessment, held by John Burton"))
    # and its closing paragraphs carry its argument's end
    paras = lit.evaluate_all("els => els.map(el => el.closest('.para').id)")
    assert {"p12", "p14"} <= set(paras), paras
    assert len(set(paras)) == len(paras), "one key claim a paragraph"


def test_the_verified_tick_is_legible(page, news):
    from summit.models import Quote, Status

    quote = Quote.objects.filter(article=news, speaker_text="he").first()
    Quote.objects.filter(pk=quote.pk).update(status=Status.VERIFIED)
    page.goto(news.get_absolute_url())
    tick = page.locator(f"#q{quote.pk} ~ .q-after .q-tick").first
    size = tick.evaluate("el => parseFloat(getComputedStyle(el, '::before').fontSize)")
    assert size >= 16, f"a {size}px tick is too small to read"
    weight = tick.evaluate("el => getComputedStyle(el, '::before').fontWeight")
    assert int(weight) >= 700

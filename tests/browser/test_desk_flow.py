"""An editor works the review queue and corrects an article where they read it."""

import re

import pytest
from playwright.sync_api import expect

from summit.models import Quote, Status
from tests import factories as make

pytestmark = pytest.mark.browser

P1 = "“We will talk,” Moon said in Seoul. Moon Jae-in is South Korea's president."
P2 = "“We will talk,” Kim said later. Kim San-ho, a defector, disagreed."
P3 = "“Who would say that?” asked Kim San-ho. The summit will fail, analysts predict."


def _login(page, next_url):
    editor = make.editor("desk")
    page.goto(f"/admin/login/?next={next_url}")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", make.EDITOR_PASSWORD)
    page.click("input[type=submit]")
    return editor


def _select(page, paragraph: str, words: str, occurrence: int = 0) -> None:
    """Select the ``occurrence``-th (from 0) place of ``words`` in the paragraph's text,
    as a mouse would, and let the desk hear it."""
    page.evaluate(
        """([id, words, occurrence]) => {
          const walker = document.createTreeWalker(document.getElementById(id),
                                                   NodeFilter.SHOW_TEXT);
          let node, seen = 0;
          while ((node = walker.nextNode())) {
            let at = node.textContent.indexOf(words);
            while (at >= 0 && seen < occurrence) {
              seen += 1;
              at = node.textContent.indexOf(words, at + 1);
            }
            if (at >= 0) {
              const range = document.createRange();
              range.setStart(node, at);
              range.setEnd(node, at + words.length);
              const sel = window.getSelection();
              sel.removeAllRanges();
              sel.addRange(range);
              break;
            }
          }
          document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }""",
        [paragraph, words, occurrence],
    )


@pytest.fixture
def story():
    article = make.article(P1, P2, P3, title="Summit hopes")
    moon = make.speaker("Moon Jae-in", "Moon")
    kim = make.speaker("Kim Jong Un", "Kim")
    sanho = make.speaker("Kim San-ho")
    make.mention(article, "Moon Jae-in", speaker_obj=moon, paragraph=0)
    make.mention(article, "Kim San-ho", speaker_obj=sanho, paragraph=1)
    quotes = {
        "sure": make.quote(article, "“We will talk,”", moon, paragraph=0, confidence=0.95),
        "doubt": make.quote(article, "“Who would say that?”", kim, confidence=0.35),
        "none": make.quote(article, "“We will talk,”", None, paragraph=1),
    }
    return {"article": article, "quotes": quotes, "sanho": sanho, "kim": kim}


def test_review_queue_most_doubtful_first_one_click_each(page, live_server, story, artifacts):
    _login(page, "/admin/summit/quote/review/")
    expect(page).to_have_url(re.compile(r"/admin/summit/quote/review/$"))
    items = page.locator(".review-item")
    expect(items).to_have_count(3)
    # No speaker first, then the rule measured least often right.
    expect(items.nth(0)).to_contain_text("no speaker")
    expect(items.nth(1)).to_contain_text("Who would say that?")
    expect(items.nth(1).locator(".review-sentence mark")).to_have_text("“Who would say that?”")
    expect(page.locator(".review-count")).to_have_text("0 / 3")
    page.screenshot(path=str(artifacts / "desk-review-queue.png"), full_page=True)

    # Reassign the doubtful one to the speaker its sentence names: an editor chose its
    # speaker, so it is reviewed and leaves the queue; progress moves.
    doubt = story["quotes"]["doubt"]
    row = page.locator(f"#review-{doubt.pk}")
    row.locator("select[name=speaker]").select_option(label="Kim San-ho")
    row.locator("button[value=reassign]").click()
    expect(page.locator(".messagelist")).to_contain_text("now attributed to Kim San-ho")
    expect(page).to_have_url(re.compile(r"/admin/summit/quote/review/$"))
    expect(page.locator(".review-item")).to_have_count(2)
    expect(page.locator(".review-count")).to_have_text("1 / 3")
    doubt.refresh_from_db()
    assert (doubt.speaker, doubt.status) == (story["sanho"], Status.VERIFIED)

    # Verify the sure one: it leaves the queue too.
    page.locator(f"#review-{story['quotes']['sure'].pk} button[value=verify]").click()
    expect(page.locator(".messagelist")).to_contain_text("Verified")
    expect(page.locator(".review-item")).to_have_count(1)
    expect(page.locator(".review-count")).to_have_text("2 / 3")

    # Reject the unattributed one.
    page.locator(f"#review-{story['quotes']['none'].pk} button[value=reject]").click()
    expect(page.locator(".review-item")).to_have_count(0)
    page.screenshot(path=str(artifacts / "desk-review-queue-after.png"), full_page=True)

    # Readers see the verified quote marked as such.
    page.goto(story["article"].get_absolute_url())
    expect(page.locator(f"#q{doubt.pk}")).to_have_class(re.compile(r"m-quote--verified"))
    assert not [e for e in page.js_errors if "Content Security Policy" in e]


def test_correct_where_you_read(page, live_server, story, artifacts):
    article = story["article"]
    _login(page, article.get_absolute_url())
    expect(page.locator("#desk-title")).to_have_text("Correction desk")
    # Every mark has an edit control: names and quotes.
    expect(page.locator("#p1 .m-edit").first).to_be_visible()
    expect(page.locator("#p1 .q-edit").first).to_be_visible()
    # The page is shown before its scripts run: select once the desk listens.
    expect(page.locator("[data-desk-ready]")).to_have_count(1)

    # Select words in ¶3: the desk offers to add them, with everything filled in.
    _select(page, "p3", "The summit will fail")
    expect(page.locator("[data-desk-picked]")).to_have_text("“The summit will fail” in ¶3")
    page.screenshot(path=str(artifacts / "desk-article-selection.png"), full_page=True)
    page.get_by_role("link", name="Add as a quote").click()
    expect(page.locator("#id_text")).to_have_value("The summit will fail")
    expect(page.locator("#id_paragraph_number")).to_have_value("3")
    page.select_option("#id_kind", "indirect")
    page.fill("#id_reason", "The analysts' prediction, reported")
    page.click("input[name=_save]")

    # Back at the article, at that paragraph, with the new quote marked.
    expect(page).to_have_url(re.compile(rf"/articles/{article.pk}/#p3$"))
    added = Quote.objects.get(text="The summit will fail")
    expect(page.locator(f"#q{added.pk}")).to_be_visible()
    assert added.history.latest().history_change_reason == "The analysts' prediction, reported"

    # Correct an existing quote from its edit link, and come back.
    sure = story["quotes"]["sure"]
    page.locator(f"#p1 .q-edit[href*='/quote/{sure.pk}/']").click()
    page.select_option("#id_status", "verified")
    page.click("input[name=_save]")
    expect(page).to_have_url(re.compile(rf"/articles/{article.pk}/#p1$"))
    sure.refresh_from_db()
    assert sure.status == Status.VERIFIED
    page.screenshot(path=str(artifacts / "desk-article-after.png"), full_page=True)
    assert not [e for e in page.js_errors if "Content Security Policy" in e]


def test_words_standing_twice_in_a_paragraph_are_added_where_selected(page, live_server, story):
    from summit.models import EntityMention

    article = story["article"]
    _login(page, article.get_absolute_url())
    expect(page.locator("[data-desk-ready]")).to_have_count(1)
    # ¶2 names Kim twice: "… Kim said later. Kim San-ho, …". The second is selected.
    _select(page, "p2", "Kim", occurrence=1)
    expect(page.locator("[data-desk-picked]")).to_have_text("“Kim” in ¶2")
    page.get_by_role("link", name="Add as a name").click()
    page.select_option("#id_label", "PERSON")
    page.click("input[name=_save]")
    expect(page).to_have_url(re.compile(rf"/articles/{article.pk}/#p2$"))
    added = EntityMention.objects.get(text="Kim")
    assert (added.paragraph.index, added.start) == (1, P2.index("Kim San-ho"))


def test_two_editors_on_one_quote_the_second_sees_the_first_ones_change(
    browser, live_server, story, artifacts
):
    quote = story["quotes"]["doubt"]
    change = f"/admin/summit/quote/{quote.pk}/change/"
    pages = []
    for name in ("ann", "bob"):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        editor = make.editor(name)
        page.goto(f"/admin/login/?next={change}")
        page.fill("#id_username", editor.username)
        page.fill("#id_password", make.EDITOR_PASSWORD)
        page.click("input[type=submit]")
        expect(page.locator("#id_cue")).to_be_visible()
        pages.append(page)
    ann, bob = pages  # both have the quote's form open

    ann.fill("#id_cue", "asked")
    ann.fill("#id_reason", "The sentence says asked")
    ann.click("input[name=_save]")
    expect(ann.locator(".messagelist")).to_contain_text("was changed successfully")

    bob.fill("#id_cue", "claimed")
    bob.click("input[name=_save]")
    error = bob.locator(".errorlist.nonfield")
    expect(error).to_contain_text("ann changed this")
    expect(error).to_contain_text("“said” → “asked”")
    expect(bob.locator("#id_cue")).to_have_value("claimed")  # Bob's words are not lost
    bob.screenshot(path=str(artifacts / "desk-two-editors.png"), full_page=True)
    quote.refresh_from_db()
    assert quote.cue == "asked"

    # Having seen Ann's change, Bob saves his over it on purpose.
    bob.click("input[name=_save]")
    expect(bob.locator(".messagelist")).to_contain_text("was changed successfully")
    quote.refresh_from_db()
    assert quote.cue == "claimed"
    assert quote.history.latest().history_user.username == "bob"
    for page in pages:
        page.context.close()


def test_delete_a_speaker_says_what_it_affects_and_hands_nothing_to_the_author(
    page, live_server, story, artifacts
):
    from summit.models import SpeakerTombstone

    kim = story["kim"]
    claim = make.claim(story["article"], "Who would say that?", holder=kim)
    delete = f"/admin/summit/speaker/{kim.pk}/delete/"
    _login(page, delete)
    footprint = page.locator(".speaker-footprint")
    expect(footprint).to_contain_text("1 quote")
    expect(footprint).to_contain_text("1 claim")
    expect(page.locator(".summit-note")).to_contain_text("The language pipeline made this")
    page.screenshot(path=str(artifacts / "desk-delete-speaker.png"), full_page=True)

    # The link says which quotes: the list of them, filtered.
    with page.expect_navigation():
        footprint.get_by_role("link", name="1 quote").click()
    expect(page.locator("#result_list")).to_contain_text("Who would say that?")
    page.go_back()

    expect(page.get_by_label("Nobody", exact=False)).to_be_checked()
    page.get_by_role("button", name=f"Yes, delete {kim.name}").click()
    expect(page.locator(".messagelist")).to_contain_text("deleted successfully")
    claim.refresh_from_db()
    assert (claim.holder, claim.status) == (None, Status.REJECTED)
    assert Quote.objects.get(pk=story["quotes"]["doubt"].pk).speaker is None
    assert SpeakerTombstone.objects.filter(speaker_id=kim.pk).exists()

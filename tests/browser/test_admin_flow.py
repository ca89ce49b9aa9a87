"""An editor corrects a quote's speaker in the admin; the reader sees it at once."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories as make

pytestmark = pytest.mark.browser

TEXT = "“Who would say such a thing?” said Kim San-ho, a defector. Kim stayed silent."


def test_editor_reassigns_a_quote_and_the_reader_sees_it(page, live_server):
    article = make.article(TEXT, title="Defectors doubt the summit")
    leader = make.speaker("Kim Jong Un", "Kim")
    defector = make.speaker("Kim San-ho")
    quote = make.quote(article, "“Who would say such a thing?”", leader)
    editor = make.editor("desk")

    page.goto("/admin/login/?next=/admin/summit/quote/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", make.EDITOR_PASSWORD)
    page.click("input[type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/summit/quote/$"))

    # Choose the quote and the "Set speaker…" action.
    page.check(f"input[name=_selected_action][value='{quote.pk}']")
    page.select_option("select[name=action]", "set_speaker")
    page.click("button[name=index]")
    expect(page.locator("h1")).to_have_text("Set the speaker of these quotes")

    # The speaker is picked with the admin's autocomplete (select2).
    page.click(".field-speaker .select2-selection")
    page.fill(".select2-search__field", "San-ho")
    page.click(".select2-results__option:has-text('Kim San-ho')")
    page.click("input[name=apply]")
    expect(page.locator(".messagelist")).to_contain_text("now attributed to Kim San-ho")

    quote.refresh_from_db()
    assert quote.speaker == defector
    assert quote.edited
    assert quote.history.latest().history_user == editor

    # The reader's person page shows it under its new speaker, no longer under the old.
    page.goto(f"/people/{defector.slug}/")
    expect(page.locator(".person-quotes")).to_contain_text("Who would say such a thing?")
    page.goto(f"/people/{leader.slug}/")
    expect(page.locator(".person-quotes")).not_to_contain_text("Who would say such a thing?")
    assert not [e for e in page.js_errors if "Content Security Policy" in e]

"""The desk in the admin: the review queue, deletes that say they stick, revert
messages, merges offered and undone from their pages, forgiving autocomplete."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from summit import admin_views
from summit.models import AnnotationTombstone, Quote, Speaker, SpeakerMerge, Status
from summit.services.speakers import speaker_merge

pytestmark = pytest.mark.django_db

P1 = "“We will talk,” Moon said. Moon Jae-in is South Korea's president."
P2 = "“We will talk,” Kim said later. Kim San-ho, a defector, disagreed."
P3 = "“Who would say that?” said Kim San-ho. The summit will fail, analysts predict."


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def article(make):
    return make.article(P1, P2, P3, title="Summit hopes")


def test_review_queue_most_doubtful_first_and_acts_in_place(ed_client, article, make):
    moon = make.speaker("Moon Jae-in", "Moon")
    sanho = make.speaker("Kim San-ho")
    make.mention(article, "Kim San-ho", speaker_obj=sanho, paragraph=2)
    sure = make.quote(article, "“We will talk,”", moon, paragraph=0, confidence=0.95)
    doubtful = make.quote(article, "“Who would say that?”", moon, confidence=0.4)
    nobody = make.quote(article, "“We will talk,”", None, paragraph=1)
    queue = reverse("admin:summit_quote_review")

    page = ed_client.get(queue)
    assert page.status_code == 200
    assert [r["quote"] for r in page.context["rows"]] == [nobody, doubtful, sure]
    html = page.content.decode()
    assert "0 / 3" in html
    assert "said Kim San-ho" in html  # the sentence around the quote

    done = ed_client.post(queue, {"quote": sure.pk, "do": "verify", "next": queue})
    assert done.status_code == 302
    assert done.url == queue
    sure.refresh_from_db()
    assert sure.status == Status.VERIFIED
    ed_client.post(queue, {"quote": doubtful.pk, "do": "reassign", "speaker": sanho.pk})
    doubtful.refresh_from_db()
    assert doubtful.speaker == sanho
    assert doubtful.status == Status.VERIFIED  # an editor chose the speaker: reviewed

    page = ed_client.get(queue)
    assert [r["quote"] for r in page.context["rows"]] == [nobody]
    assert "2 / 3" in page.content.decode()
    evil = ed_client.post(
        queue, {"quote": nobody.pk, "do": "reject", "next": "https://evil.example/"}
    )
    assert evil.url == queue


def test_review_queue_queries_do_not_grow(ed_client, make):
    def add(n):
        for i in range(n):
            a = make.article(f"“Yes {i},” Person said. Person thinks prices will rise.")
            s = make.speaker(f"Person {Speaker.objects.count()}")
            make.mention(a, "Person", speaker_obj=s)
            make.quote(a, f"“Yes {i},”", s, confidence=0.5)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert ed_client.get(reverse("admin:summit_quote_review")).status_code == 200
        return len(ctx.captured_queries)

    add(2)
    few = count()
    add(5)
    assert count() == few


def test_a_deep_review_page_skips_ids_only_and_keeps_the_doubt_order(ed_client, make, monkeypatch):
    monkeypatch.setattr(admin_views, "REVIEW_PER_PAGE", 2)
    s = make.speaker("Person")
    quotes = []
    for i in range(5):
        a = make.article(f"“Yes {i},” Person said.")
        quotes.append(make.quote(a, f"“Yes {i},”", s, confidence=i / 10))
    queue = reverse("admin:summit_quote_review")
    seen = []
    for number in (1, 2, 3):
        with CaptureQueriesContext(connection) as ctx:
            page = ed_client.get(queue, {"page": number})
        seen += [r["quote"] for r in page.context["rows"]]
        # The offset is taken in a query of ids alone; no join runs before it.
        offset = [q["sql"] for q in ctx.captured_queries if "OFFSET" in q["sql"].upper()]
        assert all(" JOIN " not in sql.upper() for sql in offset)
    assert seen == quotes  # the least confident first, every quote once


def test_deleting_a_machine_quote_says_it_sticks(ed_client, article, make):
    quote = make.quote(article, "“We will talk,”", None, paragraph=0)
    url = reverse("admin:summit_quote_delete", args=[quote.pk])
    assert "will not make it again" in ed_client.get(url).content.decode()
    ed_client.post(url, {"post": "yes"})
    assert not Quote.objects.filter(pk=quote.pk).exists()
    assert AnnotationTombstone.objects.filter(text="“We will talk,”").exists()


def test_change_form_returns_to_a_same_site_next_only(ed_client, article, make):
    quote = make.quote(article, "“We will talk,”", None, paragraph=0)
    data = {
        "text": quote.text,
        "paragraph_number": "1",
        "kind": "direct",
        "speaker": "",
        "speaker_text": "",
        "cue": "said",
        "status": "verified",
        "reason": "Checked against the tape",
    }
    url = reverse("admin:summit_quote_change", args=[quote.pk])
    back = ed_client.post(f"{url}?next=/articles/{article.pk}/%23p1", data)
    assert back.url == f"/articles/{article.pk}/#p1"
    assert quote.history.latest().history_change_reason == "Checked against the tape"
    away = ed_client.post(f"{url}?next=//evil.example/", data)
    assert "evil" not in away.url


def test_add_form_is_filled_from_the_article_page(ed_client, article):
    url = reverse("admin:summit_quote_add")
    page = ed_client.get(
        url, {"article": article.pk, "paragraph_number": 3, "text": "The summit will fail"}
    )
    form = page.context["adminform"].form
    assert form.initial["text"] == "The summit will fail"
    assert str(form.initial["paragraph_number"]) == "3"


def test_words_standing_twice_in_a_paragraph_are_added_where_they_were_selected(ed_client, article):
    from summit.models import EntityMention

    url = reverse("admin:summit_entitymention_add")
    second = P2.index("Kim San-ho")
    query = {"article": article.pk, "paragraph_number": 2, "text": "Kim", "offset": second}
    form = ed_client.get(url, query).context["adminform"].form
    assert str(form.initial["offset"]) == str(second)
    data = {**query, "label": "PERSON", "status": "machine", "speaker": "", "reason": ""}
    assert ed_client.post(url, data).status_code == 302
    mention = EntityMention.objects.get(text="Kim")
    assert (mention.paragraph.index, mention.start) == (1, second)


def test_unmerge_from_the_merge_record(ed_client, editor, make):
    kim = make.speaker("Kim Jong Un")
    dup = make.speaker("Kim Jong-un")
    merge = speaker_merge(into=kim, others=[dup], by=editor)
    record = ed_client.get(reverse("admin:summit_speakermerge_change", args=[merge.pk]))
    unmerge = reverse("admin:summit_speakermerge_unmerge", args=[merge.pk])
    assert unmerge in record.content.decode()
    assert ed_client.post(unmerge).status_code == 302
    assert Speaker.objects.filter(pk=dup.pk, name="Kim Jong-un").exists()
    assert SpeakerMerge.objects.get().undone_by == editor


def test_speaker_page_answers_in_the_same_queries_however_many_merges_and_splits(
    ed_client, editor, make
):
    from summit.services.speakers import speaker_split
    from tests.conftest import page_queries

    kim = make.speaker("Kim Jong Un")
    page = reverse("admin:summit_speaker_change", args=[kim.pk])

    def queries():
        return page_queries(ed_client, page)

    def merge_and_split(n):
        speaker_merge(into=kim, others=[make.speaker(f"Kim Jong-un {n}")], by=editor)
        alias = kim.aliases.create(name=f"Chairman Kim {n}")
        speaker_split(
            speaker=kim,
            name=f"Chairman Kim {n}",
            quotes=[],
            mentions=[],
            aliases=[alias],
            by=editor,
        )

    merge_and_split(1)
    queries()  # content types are looked up once a process
    before, _ = queries()
    for n in range(2, 5):
        merge_and_split(n)
    after, html = queries()
    assert "Kim Jong-un 4" in html
    assert "Chairman Kim 4" in html
    assert after == before


def test_merge_offered_on_the_speakers_page_with_hints(ed_client, make):
    us = make.speaker("U.S. national security professionals")
    dup = make.speaker("US national security professionals")
    change = ed_client.get(reverse("admin:summit_speaker_change", args=[us.pk])).content.decode()
    merge_url = reverse("admin:summit_speaker_merge", args=[us.pk])
    assert merge_url in change
    assert "US national security professionals" in change  # a hint
    preview = ed_client.post(merge_url, {"others": [dup.pk]})
    assert preview.status_code == 200
    assert 'id="merge-preview"' in preview.content.decode()
    done = ed_client.post(
        merge_url, {"_selected_action": [us.pk, dup.pk], "apply": "Merge", "into": us.pk}
    )
    assert done.status_code == 302
    assert not Speaker.objects.filter(pk=dup.pk).exists()


def test_autocomplete_matches_across_punctuation_and_accents(ed_client, make):
    make.speaker("U.S. national security professionals")
    make.speaker("Nguyễn Văn An")
    url = reverse("admin:autocomplete")

    def names(term):
        params = {
            "term": term,
            "app_label": "summit",
            "model_name": "quote",
            "field_name": "speaker",
        }
        return [r["text"] for r in ed_client.get(url, params).json()["results"]]

    assert names("US national") == ["U.S. national security professionals"]
    assert names("nguyen van") == ["Nguyễn Văn An"]


def test_clearing_a_speaker_with_a_claim_inside_the_quote_saves(ed_client, article, make):
    from tests.test_admin import quote_form_data

    moon = make.speaker("Moon Jae-in", "Moon")
    quote = make.quote(article, "“Who would say that?”", moon)
    claim = make.claim(article, "Who would say that?", holder=moon)
    response = ed_client.post(
        reverse("admin:summit_quote_change", args=[quote.pk]), quote_form_data(quote, speaker="")
    )
    assert response.status_code == 302
    quote.refresh_from_db()
    claim.refresh_from_db()
    assert quote.speaker is None
    assert claim.holder == moon  # not handed to the article's author


def test_two_editors_on_one_quote_the_stale_save_is_refused(client, article, make):
    from django.test import Client

    from tests.test_admin import quote_form_data

    moon = make.speaker("Moon Jae-in", "Moon")
    sanho = make.speaker("Kim San-ho")
    kim = make.speaker("Kim Jong Un")
    quote = make.quote(article, "“Who would say that?”", moon)
    change = reverse("admin:summit_quote_change", args=[quote.pk])
    ann, bob = Client(), Client()
    ann.force_login(make.editor("ann"))
    bob.force_login(make.editor("bob"))

    ann_version = ann.get(change).context["adminform"].form.initial["version"]
    bob_version = bob.get(change).context["adminform"].form.initial["version"]
    assert ann_version == bob_version
    saved = ann.post(change, quote_form_data(quote, speaker=sanho.pk, version=ann_version))
    assert saved.status_code == 302

    stale = bob.post(change, quote_form_data(quote, speaker=kim.pk, version=bob_version))
    assert stale.status_code == 200
    error = " ".join(stale.context["adminform"].form.non_field_errors())
    assert "ann changed this" in error
    assert "Kim San-ho" in error
    quote.refresh_from_db()
    assert quote.speaker == sanho  # Bob's stale form did not put anything back
    assert quote.history.latest().history_user.username == "ann"

    # Having seen Ann's change, Bob may still save his: the form now carries the new version.
    again = stale.context["adminform"].form["version"].value()
    assert again != bob_version
    done = bob.post(change, quote_form_data(quote, speaker=kim.pk, version=again))
    assert done.status_code == 302
    quote.refresh_from_db()
    assert quote.speaker == kim


def test_the_queue_refuses_an_action_made_on_a_stale_page(article, make):
    from django.test import Client

    moon = make.speaker("Moon Jae-in", "Moon")
    quote = make.quote(article, "“Who would say that?”", moon)
    queue = reverse("admin:summit_quote_review")
    ann, bob = Client(), Client()
    ann.force_login(make.editor("ann"))
    bob.force_login(make.editor("bob"))
    [row] = bob.get(queue).context["rows"]
    [ann_row] = ann.get(queue).context["rows"]

    ann.post(queue, {"quote": quote.pk, "do": "verify", "version": ann_row["version"]})
    stale = bob.post(
        queue, {"quote": quote.pk, "do": "reject", "version": row["version"]}, follow=True
    )
    quote.refresh_from_db()
    assert quote.status == Status.VERIFIED  # Bob's reject, made on a stale page, did nothing
    assert "ann changed this" in stale.content.decode()


def test_the_delete_speaker_page_says_what_it_affects(ed_client, article, make):
    from summit.models import Claim

    sanho = make.speaker("Kim San-ho")
    dup = make.speaker("Kim San Ho")
    make.quote(article, "“Who would say that?”", sanho)
    make.quote(article, "“We will talk,”", sanho, paragraph=1)
    make.mention(article, "Kim San-ho", speaker_obj=sanho, paragraph=1)
    claim = make.claim(article, "The summit will fail", holder=sanho)
    delete = reverse("admin:summit_speaker_delete", args=[sanho.pk])
    page = ed_client.get(delete)
    html = page.content.decode()
    assert "The language pipeline made this speaker" in html
    assert "2 quotes" in html
    assert "1 mention" in html
    assert "1 claim" in html
    assert f"?holder__id__exact={sanho.pk}" in html
    assert "Kim San Ho" in html  # offered as where they may go instead

    done = ed_client.post(delete, {"post": "yes", "give_to": ""})
    assert done.status_code == 302
    assert not Speaker.objects.filter(pk=sanho.pk).exists()
    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.holder, claim.status) == (None, Status.REJECTED)
    assert Quote.objects.filter(speaker__isnull=True).count() == 2
    assert dup.quote_count == 0


@pytest.mark.parametrize("article", ["²", "٣", "9" * 30, "-1", "1e3", " "])
def test_a_malformed_article_filter_on_the_review_queue_is_ignored(ed_client, article):
    response = ed_client.get(reverse("admin:summit_quote_review"), {"article": article})
    assert response.status_code == 200


def test_the_queue_preselects_no_speaker_to_reassign_to(ed_client, article, make):
    moon = make.speaker("Moon Jae-in", "Moon")
    make.mention(article, "Moon Jae-in", speaker_obj=moon, paragraph=0)
    make.quote(article, "“We will talk,”", None, paragraph=0)
    html = ed_client.get(reverse("admin:summit_quote_review")).content.decode()
    assert '<option value="" selected>Choose a speaker…</option>' in html


def test_edit_article_links_come_back_to_the_article(ed_client, article):
    html = ed_client.get(article.get_absolute_url()).content.decode()
    change = reverse("admin:summit_article_change", args=[article.pk])
    assert f'href="{change}?next=' in html
    assert f'href="{change}"' not in html


def test_a_deleted_quote_whose_words_stand_is_not_said_to_be_gone(client, ed_client, article, make):
    from summit.services.editing import annotation_delete

    quote = make.quote(article, "“Who would say that?”", None)
    annotation_delete(annotation=quote, by=None)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "no longer marked as a quote; its words stand in this paragraph" in html
    assert "no longer in the article as it now reads" not in html
    assert "““" not in html


def test_relabelling_a_speaker_as_an_organisation_recolours_its_names(ed_client, article, make):
    from django.test import Client

    from summit.models import EntityMention

    client = Client()  # a reader

    sanho = make.speaker("Kim San-ho")
    mention = make.mention(article, "Kim San-ho", speaker_obj=sanho, paragraph=1)
    assert "m-ent--person" in client.get(article.get_absolute_url()).content.decode()
    change = reverse("admin:summit_speaker_change", args=[sanho.pk])
    form = ed_client.get(change).context["adminform"].form
    data = {
        "name": sanho.name,
        "kind": "organisation",
        "description": "",
        "reason": "A think tank",
        "version": form.initial["version"],
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "merges-TOTAL_FORMS": "0",
        "merges-INITIAL_FORMS": "0",
        "splits-TOTAL_FORMS": "0",
        "splits-INITIAL_FORMS": "0",
    }
    assert ed_client.post(change, data).status_code == 302
    mention = EntityMention.objects.get(pk=mention.pk)
    assert mention.label == "ORG"
    assert mention.history.latest().history_user.username == "ed"
    html = client.get(article.get_absolute_url()).content.decode()
    assert "m-ent--org" in html
    assert "m-ent--person" not in html


def test_a_claim_not_highlighted_has_an_edit_control_for_editors(ed_client, article, make):
    from django.test import Client

    client = Client()  # a reader
    claim = make.claim(article, "The summit will fail", highlighted=False)
    edit = reverse("admin:summit_claim_change", args=[claim.pk])
    html = ed_client.get(article.get_absolute_url()).content.decode()
    assert edit in html
    assert '<span class="m-claim-off"' in html  # not marked as a claim for the editor either
    read = client.get(article.get_absolute_url()).content.decode()
    assert edit not in read
    assert "m-claim-off" not in read


def test_a_bulk_action_made_on_a_stale_list_leaves_out_what_changed_since(article, make):
    from django.test import Client

    from summit.services.editing import quote_set_speaker

    moon = make.speaker("Moon Jae-in", "Moon")
    sanho = make.speaker("Kim San-ho")
    changed = make.quote(article, "“Who would say that?”", moon)
    untouched = make.quote(article, "“We will talk,”", moon, paragraph=0)
    listing = reverse("admin:summit_quote_changelist")
    bob = Client()
    bob.force_login(make.editor("bob"))
    html = bob.get(listing).content.decode()
    versions = dict(re.findall(r'name="_version_(\d+)" value="(\d+)"', html))
    assert set(versions) == {str(changed.pk), str(untouched.pk)}

    # Ann reassigns one quote; Bob, on the list he loaded before, rejects both.
    quote_set_speaker(quotes=[changed], speaker=sanho, by=make.editor("ann"))
    data = {
        "action": "reject",
        "_selected_action": [changed.pk, untouched.pk],
        **{f"_version_{pk}": version for pk, version in versions.items()},
    }
    done = bob.post(listing, data, follow=True)
    html = done.content.decode()
    assert "ann changed this" in html
    assert "1 quote rejected" in html
    changed.refresh_from_db()
    untouched.refresh_from_db()
    assert (changed.status, changed.speaker) == (Status.VERIFIED, sanho)  # Ann's stands
    assert untouched.status == Status.REJECTED

    # Bob, having seen it, rejects it on purpose from the list as it now is.
    html = bob.get(listing).content.decode()
    versions = dict(re.findall(r'name="_version_(\d+)" value="(\d+)"', html))
    data = {
        "action": "reject",
        "_selected_action": [changed.pk],
        **{f"_version_{pk}": version for pk, version in versions.items()},
    }
    bob.post(listing, data)
    changed.refresh_from_db()
    assert changed.status == Status.REJECTED

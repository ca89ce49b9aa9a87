"""The editors' correction desk: the Django admin over annotations, speakers, articles."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench import scale
from summit.models import (
    Article,
    EntityMention,
    Quote,
    Speaker,
    SpeakerKind,
    SpeakerMerge,
    SpeakerSplit,
)
from summit.services.roles import EDITORS_GROUP, editor_permission_codenames

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


P1 = "“We will talk,” Moon said. Moon Jae-in is South Korea's president."
P2 = "“We will talk,” Kim said later. Kim San-ho, a defector, disagreed."
P3 = "“Who would say that?” said Kim San-ho. The summit will fail, analysts predict."


@pytest.fixture
def article(make):
    return make.article(P1, P2, P3, title="Summit hopes")


@pytest.fixture
def people(make):
    return {
        "moon": make.speaker("Moon Jae-in", "Moon"),
        "kim": make.speaker("Kim Jong Un", "Kim"),
        "sanho": make.speaker("Kim San-ho"),
    }


def url(name, *args):
    return reverse(f"admin:summit_{name}", args=args)


def quote_form_data(quote, **changes):
    data = {
        "text": quote.text,
        "paragraph_number": str(quote.paragraph.index + 1),
        "kind": quote.kind,
        "speaker": str(quote.speaker_id or ""),
        "speaker_text": quote.speaker_text,
        "cue": quote.cue,
        "status": quote.status,
    }
    data.update(changes)
    return data


# Changelists ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "query"),
    [
        ("quote", {"q": "talk", "status__exact": "machine", "kind__exact": "direct"}),
        ("entitymention", {"q": "Moon", "label__exact": "PERSON"}),
        ("claim", {"q": "summit", "highlighted__exact": "1"}),
        ("speaker", {"q": "Moon", "kind__exact": "person"}),
        ("article", {"q": "Summit", "kind__exact": "news"}),
        ("speakeralias", {"q": "Moon"}),
        ("speakermerge", {}),
        ("speakersplit", {}),
        ("paragraph", {"q": "defector"}),
    ],
)
def test_changelists_load_with_filters_and_search(ed_client, article, people, make, model, query):
    make.quote(article, "“We will talk,”", people["moon"], paragraph=0)
    make.mention(article, "Moon Jae-in", speaker_obj=people["moon"])
    make.claim(article, "The summit will fail")
    response = ed_client.get(url(f"{model}_changelist"))
    assert response.status_code == 200
    response = ed_client.get(url(f"{model}_changelist"), query)
    assert response.status_code == 200
    assert "errornote" not in response.content.decode()


def test_speaker_search_finds_any_part_of_a_name_through_the_index(ed_client, make):
    make.speaker("U.S. national security professionals")
    renamed = make.speaker("Jane Roe")
    make.speaker("Zed Other", "Jo Bloggs")  # an alias
    renamed.name = "Janet Roeburn"
    renamed.save()  # the index follows a new name

    def names(q):
        with CaptureQueriesContext(connection) as ctx:
            html = ed_client.get(url("speaker_changelist"), {"q": q}).content.decode()
        return {n for n in ("U.S. national", "Janet Roeburn", "Zed Other") if n in html}, ctx

    found, ctx = names("US national")
    assert found == {"U.S. national"}
    index = "summit_speaker_trigrams" if connection.vendor == "sqlite" else "replace(name_key"
    assert any(index in q["sql"] for q in ctx.captured_queries)
    # The matches are one set read first, not a test of every speaker in the listing's
    # order against the names and the aliases (PostgreSQL walked 50,000 that way).
    for q in ctx.captured_queries:
        if index in q["sql"]:
            assert " UNION " in q["sql"], q["sql"]
            if connection.vendor == "postgresql":
                lines = scale.plan(connection, q["sql"])
                assert not any("hashed SubPlan" in line for line in lines), lines
    assert names("etroeb")[0] == {"Janet Roeburn"}
    assert names("Jane Roe")[0] == set()  # its old name is gone from the index
    assert names("bloggs")[0] == {"Zed Other"}
    assert names("Ja")[0] == {"Janet Roeburn"}  # two letters: read without the index


def test_speaker_search_lists_few_finds_by_id_and_many_as_a_set(ed_client, make, monkeypatch):
    """The speakers found are read first and listed by their ids (PostgreSQL joined the
    set to every speaker otherwise); past ``SPEAKER_SEARCH_IDS`` of them, as a set."""
    for name in ("Ann Blairmore", "Bo Blairs", "Cy Stone"):
        make.speaker(name)
    make.speaker("Di Other", "Ed Blairson")  # found by an alias

    def listed(q):
        with CaptureQueriesContext(connection) as ctx:
            response = ed_client.get(url("speaker_changelist"), {"q": q})
        listing = [q["sql"] for q in ctx.captured_queries if "ORDER BY" in q["sql"]]
        return [s.name for s in response.context["cl"].result_list], listing[-1]

    names, sql = listed("blair")
    assert names == ["Ann Blairmore", "Bo Blairs", "Di Other"]
    assert " UNION " not in sql  # the ids, read before
    if connection.vendor == "postgresql":  # as one array, not a placeholder each
        assert "unnest(" in sql, sql
    monkeypatch.setattr("summit.admin.SPEAKER_SEARCH_IDS", 2)
    names, sql = listed("blair")
    assert names == ["Ann Blairmore", "Bo Blairs", "Di Other"]
    assert " UNION " in sql


def test_speaker_search_shows_how_many_it_found_without_counting_them_again(ed_client, make):
    for name in ("Ann Blairmore", "Bo Blairs", "Cy Stone"):
        make.speaker(name)
    make.speaker("Blair Holdings", kind=SpeakerKind.ORGANISATION)

    def found(params):
        with CaptureQueriesContext(connection) as ctx:
            response = ed_client.get(url("speaker_changelist"), params)
        counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"]]
        return response.context["cl"].result_count, len(response.context["cl"].result_list), counts

    assert found({"q": "blair"}) == (3, 3, [])  # the ids read are the count
    count, listed, counts = found({"q": "blair", "kind__exact": "person"})
    assert (count, listed) == (2, 2)
    assert counts  # a filter narrows them: counted


def test_quote_changelist_filters_by_article_and_speaker(ed_client, article, people, make):
    make.quote(article, "“We will talk,”", people["moon"], paragraph=0)
    make.quote(article, "“Who would say that?”", people["sanho"])
    response = ed_client.get(
        url("quote_changelist"), {"speaker__id__exact": people["sanho"].pk, "article": article.pk}
    )
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [Quote.objects.get(speaker=people["sanho"])]


def test_quote_search_finds_words_speaker_and_title_through_the_index(
    ed_client, article, people, make
):
    other = make.article("“Prices will rise,” Moon said.", title="Markets")
    talk = make.quote(article, "“We will talk,”", people["sanho"], paragraph=0)
    rise = make.quote(other, "“Prices will rise,”", people["moon"])
    who = make.quote(article, "“Who would say that?”", people["sanho"])

    def found(q):
        with CaptureQueriesContext(connection) as ctx:
            response = ed_client.get(url("quote_changelist"), {"q": q})
        assert response.status_code == 200
        sql = " ".join(query["sql"] for query in ctx.captured_queries)
        assert "_fts MATCH" in sql or "@@ websearch_to_tsquery" in sql  # the full-text index
        return set(response.context["cl"].result_list)

    assert found("talk") == {talk}
    assert found("prices") == {rise}
    assert found("Moon") == {rise}  # the speaker's name
    assert found("Summit hopes") == {talk, who}  # the article's title
    assert found("nowhere") == set()


def test_annotation_changelists_sort_by_no_column_and_say_so(ed_client, article, make):
    older = make.quote(article, "“Who would say that?”")
    newer = make.quote(article, "“We will talk,”", paragraph=0)
    for model in ("quote", "entitymention", "claim"):
        page = ed_client.get(url(f"{model}_changelist")).content.decode()
        assert "The columns do not sort" in page
        assert "sortable" not in page
    # Asked to sort by text anyway (an old bookmark), the list keeps its order.
    response = ed_client.get(url("quote_changelist"), {"o": "1"})
    assert list(response.context["cl"].result_list) == [newer, older]


def test_quote_changelist_rows_link_escape_and_show_their_values(ed_client, make, people):
    """Each row as the admin's own would be: the text links to its change page (filters
    kept), the checkbox names the quote escaped, icons and values in their columns."""
    a = make.article('“Tags <b>& "marks",” Moon said. “Fine,” Moon said.')
    hostile = make.quote(a, '“Tags <b>& "marks",”', people["moon"], confidence=0.4567)
    plain = make.quote(a, "“Fine,”", people["moon"])
    Quote.objects.filter(pk=plain.pk).update(edited=True)
    html = ed_client.get(url("quote_changelist"), {"status__exact": "machine"}).content.decode()
    for quote in (hostile, plain):
        change = url("quote_change", quote.pk)
        filters = "?_changelist_filters=status__exact%3Dmachine"
        assert f'<th class="field-short_text"><a href="{change}{filters}">' in html
        assert f'name="_selected_action" value="{quote.pk}" class="action-select"' in html
    assert "Tags <b>" not in html
    assert 'aria-label="Select this object for an action - “Tags &lt;b&gt;&amp; &quot;' in html
    assert '<td class="field-confidence_cell">0.46</td>' in html
    assert re.search(
        r'<td class="field-edited_cell"><img src="[^"]+icon-yes.svg" alt="True">', html
    )
    assert re.search(
        r'<td class="field-edited_cell"><img src="[^"]+icon-no.svg" alt="False">', html
    )


def _changelist_queries(client, name):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url(f"{name}_changelist")).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["quote", "entitymention", "claim", "speaker", "article"])
def test_changelist_queries_do_not_grow_with_rows(ed_client, make, name):
    def add_rows(n):
        for _ in range(n):
            s = make.speaker(f"Person {Speaker.objects.count()}")
            a = make.article("“Yes,” Person said. Person thinks prices will rise.")
            make.quote(a, "“Yes,”", s)
            make.mention(a, "Person", speaker_obj=s)
            make.claim(a, "prices will rise", holder=s)

    add_rows(2)
    few = _changelist_queries(ed_client, name)
    add_rows(6)
    assert _changelist_queries(ed_client, name) == few


# Quote actions -------------------------------------------------------------------------


def _action(client, name, action, objs, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objs], **extra}
    return client.post(url(f"{name}_changelist"), data)


def test_mark_verified_and_reject_actions(ed_client, editor, article, make):
    q1 = make.quote(article, "“We will talk,”", paragraph=0)
    q2 = make.quote(article, "“Who would say that?”")
    response = _action(ed_client, "quote", "mark_verified", [q1], index=0)
    assert response.status_code == 302
    _action(ed_client, "quote", "reject", [q2], index=0)
    q1.refresh_from_db()
    q2.refresh_from_db()
    assert (q1.status, q1.edited) == ("verified", True)
    assert (q2.status, q2.edited) == ("rejected", True)
    assert q2.history.latest().history_user == editor


def test_set_speaker_action_has_an_intermediate_page(ed_client, editor, article, people, make):
    q1 = make.quote(article, "“We will talk,”", people["moon"], paragraph=1)
    q2 = make.quote(article, "“Who would say that?”", people["moon"])
    page = _action(ed_client, "quote", "set_speaker", [q1, q2], index=0)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Set the speaker of these quotes" in html
    assert "admin/js/autocomplete.js" in html  # the speaker is chosen by autocomplete
    assert Quote.objects.filter(speaker=people["moon"]).count() == 2

    done = _action(
        ed_client, "quote", "set_speaker", [q1], apply="Set speaker", speaker=people["kim"].pk
    )
    assert done.status_code == 302
    q1.refresh_from_db()
    q2.refresh_from_db()
    assert q1.speaker == people["kim"]
    assert q1.edited
    assert q2.speaker == people["moon"]
    assert q1.history.latest().history_user == editor


def test_set_speaker_action_without_a_choice_shows_the_page_again(ed_client, article, make):
    q = make.quote(article, "“Who would say that?”")
    page = _action(ed_client, "quote", "set_speaker", [q], apply="Set speaker", speaker="")
    assert page.status_code == 200
    assert "This field is required" in page.content.decode()


# Editing a quote: text in, offsets out -------------------------------------------------


def test_edit_quote_text_finds_offsets(ed_client, editor, article, people, make):
    q = make.quote(article, "“Who would say that?”", people["moon"])
    response = ed_client.post(
        url("quote_change", q.pk),
        quote_form_data(q, text="“Who would say that?” said", speaker=people["sanho"].pk),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    q.refresh_from_db()
    assert q.text == "“Who would say that?” said"
    assert q.paragraph.text[q.start : q.end] == q.text
    assert (q.start, q.end, q.speaker, q.edited) == (0, 26, people["sanho"], True)
    assert q.history.latest().history_user == editor


def test_edit_quote_text_moves_it_to_another_paragraph_when_unique(ed_client, article, make):
    q = make.quote(article, "“Who would say that?”")
    response = ed_client.post(
        url("quote_change", q.pk), quote_form_data(q, text="Moon Jae-in is South Korea's")
    )
    assert response.status_code == 302
    q.refresh_from_db()
    assert q.paragraph.index == 0
    assert q.start == P1.index("Moon Jae-in")


def test_edit_quote_text_not_found_is_a_form_error(ed_client, article, make):
    q = make.quote(article, "“Who would say that?”")
    response = ed_client.post(url("quote_change", q.pk), quote_form_data(q, text="Never said"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "is not in the article" in errors["text"][0]
    q.refresh_from_db()
    assert q.text == "“Who would say that?”"
    assert not q.edited


def test_add_quote_ambiguous_text_needs_a_paragraph(ed_client, article, people):
    data = {
        "article": article.pk,
        "text": "“We will talk,”",
        "paragraph_number": "",
        "kind": "direct",
        "speaker": people["kim"].pk,
        "speaker_text": "Kim",
        "cue": "said",
        "status": "machine",
    }
    response = ed_client.post(url("quote_add"), data)
    assert response.status_code == 200
    assert "stands 2 times" in response.context["adminform"].form.errors["text"][0]

    response = ed_client.post(url("quote_add"), {**data, "paragraph_number": "9"})
    assert "has 3 paragraphs" in response.context["adminform"].form.errors["paragraph_number"][0]

    response = ed_client.post(url("quote_add"), {**data, "paragraph_number": "2"})
    assert response.status_code == 302
    q = Quote.objects.get()
    assert (q.paragraph.index, q.start, q.end, q.edited) == (1, 0, 15, True)


def test_quote_change_page_shows_offsets_read_only(ed_client, article, make):
    q = make.quote(article, "“Who would say that?”")
    response = ed_client.get(url("quote_change", q.pk))
    form = response.context["adminform"].form
    assert "start" not in form.fields
    assert "end" not in form.fields
    assert form.initial["paragraph_number"] == 3
    html = response.content.decode()
    assert "<mark>“Who would say that?”</mark>" in html


# Entity mentions and claims ------------------------------------------------------------


def test_add_change_and_delete_mentions(ed_client, article, people):
    response = ed_client.post(
        url("entitymention_add"),
        {
            "article": article.pk,
            "text": "Kim San-ho",
            "paragraph_number": "2",
            "label": "PERSON",
            "speaker": people["sanho"].pk,
            "status": "machine",
        },
    )
    assert response.status_code == 302
    m = EntityMention.objects.get()
    assert (m.paragraph.index, m.start, m.edited) == (1, P2.index("Kim San-ho"), True)

    response = ed_client.post(
        url("entitymention_change", m.pk),
        {
            "text": m.text,
            "paragraph_number": "2",
            "label": "ORG",
            "speaker": "",
            "status": "verified",
        },
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert (m.label, m.speaker, m.status) == ("ORG", None, "verified")

    response = ed_client.post(url("entitymention_delete", m.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not EntityMention.objects.exists()


def test_change_claim_holder_kind_highlight(ed_client, article, people, make):
    c = make.claim(article, "The summit will fail", highlighted=False)
    response = ed_client.post(
        url("claim_change", c.pk),
        {
            "text": c.text,
            "paragraph_number": "3",
            "kind": "belief",
            "holder": people["sanho"].pk,
            "highlighted": "on",
            "status": "machine",
        },
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert (c.kind, c.holder, c.highlighted, c.edited) == ("belief", people["sanho"], True, True)
    _action(ed_client, "claim", "unhighlight", [c], index=0)
    c.refresh_from_db()
    assert c.highlighted is False


# Speakers: aliases, merge, split ------------------------------------------------------


def _speaker_form(speaker, aliases, description=""):
    """The speaker change form's data: ``aliases`` as (id or "", name), in order."""
    data = {
        "name": speaker.name,
        "kind": "person",
        "description": description,
        "aliases-TOTAL_FORMS": str(len(aliases)),
        "aliases-INITIAL_FORMS": str(sum(1 for pk, _ in aliases if pk)),
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
        "merges-TOTAL_FORMS": "0",
        "merges-INITIAL_FORMS": "0",
        "splits-TOTAL_FORMS": "0",
        "splits-INITIAL_FORMS": "0",
    }
    for n, (pk, name) in enumerate(aliases):
        data |= {f"aliases-{n}-id": pk, f"aliases-{n}-speaker": speaker.pk}
        data[f"aliases-{n}-name"] = name
    return data


def test_speaker_change_with_alias_inline(ed_client, editor, people):
    moon = people["moon"]
    alias = moon.aliases.get()
    data = _speaker_form(
        moon, [(alias.pk, "Moon"), ("", "President Moon")], "South Korea's president"
    )
    response = ed_client.post(url("speaker_change", moon.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    moon.refresh_from_db()
    assert moon.description == "South Korea's president"
    assert moon.edited
    assert sorted(moon.alias_names()) == ["Moon", "President Moon"]
    assert moon.history.latest().history_user == editor
    new_alias = moon.aliases.get(name="President Moon")
    assert new_alias.history.get().history_user == editor


def test_alias_only_change_marks_the_speaker_edited(ed_client, people):
    kim = people["kim"]
    alias = kim.aliases.get()
    data = _speaker_form(kim, [(alias.pk, "Chairman Kim")])
    assert ed_client.post(url("speaker_change", kim.pk), data).status_code == 302
    kim.refresh_from_db()
    assert kim.edited
    assert kim.alias_names() == ["Chairman Kim"]


def test_merge_preview_then_merge(ed_client, editor, article, people, make):
    kim, sanho = people["kim"], people["sanho"]
    dup = make.speaker("Kim Jong-un", "Chairman Kim")
    make.quote(article, "“We will talk,”", dup, paragraph=1)
    make.mention(article, "Kim said", speaker_obj=dup)
    make.claim(article, "The summit will fail", holder=dup)
    make.quote(article, "“Who would say that?”", sanho)

    preview = _action(ed_client, "speaker", "merge_speakers", [kim, dup], index=0)
    assert preview.status_code == 200
    rows = {row.speaker.pk: row for row in preview.context["preview"]}
    assert (rows[dup.pk].quotes, rows[dup.pk].mentions, rows[dup.pk].claims) == (1, 1, 1)
    assert rows[dup.pk].aliases == 1
    assert rows[kim.pk].aliases == 1
    assert preview.context["totals"] == {"quotes": 1, "mentions": 1, "claims": 1, "aliases": 2}
    assert 'id="merge-preview"' in preview.content.decode()
    assert preview.context["form"].initial["into"] == dup.pk  # it carries the most
    assert Speaker.objects.filter(pk=dup.pk).exists()  # nothing happened yet

    done = _action(ed_client, "speaker", "merge_speakers", [kim, dup], apply="Merge", into=kim.pk)
    assert done.status_code == 302
    assert done.url == url("speaker_change", kim.pk)
    assert not Speaker.objects.filter(pk=dup.pk).exists()
    assert Quote.objects.get(paragraph__index=1).speaker == kim
    kim.refresh_from_db()
    assert sorted(kim.alias_names()) == ["Chairman Kim", "Kim"]
    merge = SpeakerMerge.objects.get()
    assert merge.by == editor
    assert merge.into == kim

    page = ed_client.get(url("speaker_change", kim.pk)).content.decode()
    assert "merges into this speaker" in page.lower()
    assert "Kim Jong-un" in page
    assert "1 quote, 1 mention, 1 claim, 1 alias" in page
    detail = ed_client.get(url("speakermerge_change", merge.pk))
    assert detail.status_code == 200
    assert not detail.context["has_change_permission"]
    shown = detail.content.decode()
    assert "&quot;ids&quot;" not in shown  # no raw JSON: a list of what moved
    assert "1 quote, 1 mention, 1 claim, 1 alias" in shown
    assert url("quote_change", Quote.objects.get(paragraph__index=1).pk) in shown


def test_merge_needs_two_speakers(ed_client, people):
    response = _action(ed_client, "speaker", "merge_speakers", [people["kim"]], index=0)
    assert response.status_code == 302
    assert Speaker.objects.count() == 3


def test_split_view(ed_client, editor, article, people, make):
    kim = people["kim"]
    wrong = make.quote(article, "“Who would say that?”", kim)
    right = make.quote(article, "“We will talk,”", kim, paragraph=1)
    mention = make.mention(article, "Kim San-ho", speaker_obj=kim, paragraph=1)

    change = ed_client.get(url("speaker_change", kim.pk)).content.decode()
    assert url("speaker_split", kim.pk) in change

    page = ed_client.get(url("speaker_split", kim.pk))
    assert page.status_code == 200
    assert "Who would say that?" in page.content.decode()

    invalid = ed_client.post(url("speaker_split", kim.pk), {"name": "Kim San-ho", "kind": "person"})
    assert invalid.status_code == 200
    assert "Choose at least one" in invalid.content.decode()

    response = ed_client.post(
        url("speaker_split", kim.pk),
        {
            "name": "Kim San-ho (defector)",
            "kind": "person",
            "description": "a defector",
            "quotes": [wrong.pk],
            "mentions": [mention.pk],
        },
    )
    assert response.status_code == 302
    new = Speaker.objects.get(name="Kim San-ho (defector)")
    assert response.url == url("speaker_change", new.pk)
    wrong.refresh_from_db()
    right.refresh_from_db()
    mention.refresh_from_db()
    assert (wrong.speaker, right.speaker, mention.speaker) == (new, kim, new)
    assert SpeakerSplit.objects.get().by == editor


def test_split_needs_add_permission(client, make, people):
    viewer = make.editor("viewer")
    viewer.groups.clear()
    viewer.user_permissions.add(Permission.objects.get(codename="change_speaker"))
    client.force_login(viewer)
    assert client.get(url("speaker_split", people["kim"].pk)).status_code == 403


# Articles -------------------------------------------------------------------------------


def test_article_edit_records_edited_fields(ed_client, editor, article, make):
    make.quote(article, "“Who would say that?”")
    page = ed_client.get(url("article_change", article.pk))
    html = page.content.decode()
    assert "¶3" in html
    assert "Who would say that?" in html
    assert reverse("admin:view_on_site", args=[page.context["content_type_id"], article.pk]) in html

    response = ed_client.post(
        url("article_change", article.pk),
        {
            "title": "Hopes for the summit",
            "byline": article.byline,
            "outlet": "Asia Times",
            "published": "2018-05-01",
            "kind": "news",
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Hopes for the summit"
    assert sorted(article.edited_fields) == ["outlet", "published", "title"]
    assert article.history.latest().history_user == editor
    assert ed_client.get(url("article_add")).status_code == 403


def test_reanalyse_action_recomputes_an_articles_annotations(ed_client, make):
    article = make.article("“We will win the vote,” said Tom Becker on Monday.")
    response = _action(ed_client, "article", "reanalyse", [article], index=0)
    assert response.status_code == 302
    assert [str(m) for m in response.wsgi_request._messages] == ["1 article re-analysed."]
    assert list(article.quotes.values_list("text", "speaker__name")) == [
        ("We will win the vote", "Tom Becker")
    ]


def test_reanalyse_action_reports_a_failed_article_as_failed(ed_client, article, make, settings):
    other = make.article("Another story.")
    kept = make.quote(article, "“We will talk,”", paragraph=0)
    settings.SUMMIT_SPACY_MODEL = "summit_no_such_model"  # the language pipeline cannot load
    response = _action(ed_client, "article", "reanalyse", [article, other], index=0)
    assert response.status_code == 302
    shown = [(m.level_tag, str(m)) for m in response.wsgi_request._messages]
    assert [level for level, _ in shown] == ["error", "error"]
    assert all("could not be re-analysed: OSError" in text for _, text in shown)
    assert list(article.quotes.all()) == [kept]


# History -------------------------------------------------------------------------------


def test_history_recorded_with_user_and_revert_works(ed_client, editor, article, people, make):
    q = make.quote(article, "“Who would say that?”", people["sanho"])
    ed_client.post(url("quote_change", q.pk), quote_form_data(q, speaker=people["kim"].pk))
    q.refresh_from_db()
    assert q.speaker == people["kim"]

    history_page = ed_client.get(url("quote_history", q.pk))
    assert history_page.status_code == 200
    assert editor.username in history_page.content.decode()

    first = q.history.earliest()
    assert first.speaker_id == people["sanho"].pk
    assert first.history_user is None
    revert_url = url("quote_simple_history", q.pk, first.history_id)
    form_page = ed_client.get(revert_url)
    assert form_page.status_code == 200
    assert "Revert" in form_page.content.decode()
    response = ed_client.post(revert_url, quote_form_data(first.instance))
    assert response.status_code == 302, response.context["adminform"].form.errors
    q.refresh_from_db()
    assert q.speaker == people["sanho"]
    latest = q.history.latest()
    assert latest.history_user == editor
    assert latest.speaker_id == people["sanho"].pk
    assert q.history.count() == 3


def test_speaker_history_page(ed_client, people):
    response = ed_client.get(url("speaker_history", people["kim"].pk))
    assert response.status_code == 200


# Roles ----------------------------------------------------------------------------------


def test_editors_group_has_exactly_its_permissions():
    """The group the data migration made on this fresh test database."""
    group = Group.objects.get(name=EDITORS_GROUP)
    held = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }
    assert held == editor_permission_codenames()
    assert "summit.change_quote" in held
    assert "summit.view_historicalquote" in held
    assert not {p for p in held if not p.startswith("summit.")}
    assert "summit.add_article" not in held
    assert "summit.delete_article" not in held


def test_editor_can_change_a_quote_but_not_open_the_user_admin(ed_client, editor):
    assert editor.has_perm("summit.change_quote")
    assert not editor.has_perm("auth.view_user")
    assert ed_client.get(url("quote_changelist")).status_code == 200
    assert ed_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert ed_client.get(reverse("admin:auth_group_changelist")).status_code == 403
    index = ed_client.get(reverse("admin:index")).content.decode()
    assert "Quotes" in index
    assert reverse("admin:auth_user_changelist") not in index


def test_editors_group_ensure_is_idempotent():
    from summit.services.roles import editors_group_ensure

    group = Group.objects.get(name=EDITORS_GROUP)
    group.permissions.add(Permission.objects.get(codename="view_user"))
    editors_group_ensure()
    editors_group_ensure()
    assert Group.objects.filter(name=EDITORS_GROUP).count() == 1
    assert group.permissions.count() == len(editor_permission_codenames())


def test_create_editor_command_no_input(monkeypatch, django_user_model):
    monkeypatch.setenv("SUMMIT_EDITOR_PASSWORD", "a-long-unusual-passphrase")
    call_command("create_editor", "alice", "--email", "alice@example.org", "--no-input")
    alice = django_user_model.objects.get(username="alice")
    assert alice.is_staff
    assert not alice.is_superuser
    assert alice.email == "alice@example.org"
    assert alice.check_password("a-long-unusual-passphrase")
    assert list(alice.groups.values_list("name", flat=True)) == [EDITORS_GROUP]
    assert alice.has_perm("summit.change_quote")


def test_create_editor_command_errors(monkeypatch):
    monkeypatch.delenv("SUMMIT_EDITOR_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="SUMMIT_EDITOR_PASSWORD"):
        call_command("create_editor", "bob", "--no-input")
    with pytest.raises(CommandError, match="too short|too common"):
        call_command("create_editor", "bob", "--password", "abc")


def test_create_editor_command_prompts(monkeypatch, django_user_model):
    answers = iter(["another-long-passphrase", "another-long-passphrase"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("create_editor", "carol")
    assert django_user_model.objects.get(username="carol").check_password("another-long-passphrase")


def test_create_editor_makes_an_existing_user_an_editor(django_user_model):
    django_user_model.objects.create_user("dave", password="x")
    call_command("create_editor", "dave", "--no-input")
    dave = django_user_model.objects.get(username="dave")
    assert dave.is_staff
    assert dave.check_password("x")
    assert dave.groups.filter(name=EDITORS_GROUP).exists()


def test_articles_admin_has_no_add(ed_client):
    assert Article.objects.count() == 0
    assert ed_client.get(url("article_add")).status_code == 403


def test_an_alias_that_looks_like_another_of_the_speaker_is_refused_in_the_form(ed_client, people):
    """Written with look-alike letters ("Mооn" with Cyrillic "о"), a new alias is the
    same name as one the speaker has: the form says so (it was a 500)."""
    moon = people["moon"]
    alias = moon.aliases.get()
    lookalike = alias.name.replace("o", "\u043e")
    data = _speaker_form(moon, [(alias.pk, alias.name), ("", lookalike)])
    response = ed_client.post(url("speaker_change", moon.pk), data)
    assert response.status_code == 200
    assert "is already an alias" in response.content.decode()
    assert moon.aliases.count() == 1

"""render_marks: escaping, nesting, crossing, adjacency, empties, unicode."""

from html.parser import HTMLParser

import pytest
from django.utils.safestring import SafeString

from summit.rendering import Mark, render_marks


class _Checker(HTMLParser):
    """Parses the output, checking tags close in order, and collects the text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.starts: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        self.starts.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        assert self.stack, f"</{tag}> closes nothing"
        assert self.stack[-1] == tag, f"</{tag}> closes {self.stack}"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def check(html: str, text: str) -> _Checker:
    checker = _Checker()
    checker.feed(html)
    checker.close()
    assert checker.stack == [], f"unclosed: {checker.stack}"
    assert "".join(checker.text) == text, "the text must survive unchanged"
    return checker


def ent(start, end, **attrs):
    return Mark(start, end, "entity", {"class": "e", **attrs})


def test_no_marks_escapes_everything():
    text = 'He wrote <script>alert("x")</script> & left'
    html = render_marks(text, [])
    assert isinstance(html, SafeString)
    assert "<script>" not in html
    assert html == "He wrote &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; left"


def test_hostile_text_inside_and_around_marks_is_escaped():
    text = "<b>Kim</b> said <img src=x onerror=alert(1)>"
    html = render_marks(text, [ent(3, 6), Mark(16, len(text), "quote", {"id": "q1"})])
    assert "<b>" not in html
    assert "<img" not in html
    assert '<span class="e">Kim</span>' in html
    check(html, text)


def test_attribute_values_are_escaped():
    html = render_marks("Moon", [ent(0, 4, title='a" onmouseover="x')])
    assert 'title="a&quot; onmouseover=&quot;x"' in html
    assert 'onmouseover="x' not in html


def test_single_mark_wraps_exact_span():
    html = render_marks("Dan Pinkston said", [ent(0, 12)])
    assert html == '<span class="e">Dan Pinkston</span> said'


def test_tags_follow_kind_and_href():
    text = "a b c d"
    html = render_marks(
        text,
        [
            Mark(0, 1, "claim", {}),
            Mark(2, 3, "quote", {}),
            Mark(4, 5, "entity", {}),
            Mark(6, 7, "entity", {"href": "/people/x/"}),
        ],
    )
    assert html == '<mark>a</mark> <q>b</q> <span>c</span> <a href="/people/x/">d</a>'


def test_nested_person_inside_quote():
    text = "“I met Kim Jong Un today,” he said."
    start = text.index("Kim")
    html = render_marks(
        text,
        [Mark(0, 26, "quote", {"id": "q7"}), ent(start, start + len("Kim Jong Un"))],
    )
    assert html.startswith('<q id="q7">“I met <span class="e">Kim Jong Un</span> today,”</q>')
    check(html, text)


def test_identical_spans_nest_by_kind_claim_outside_entity_inside():
    html = render_marks("Moon", [ent(0, 4), Mark(0, 4, "quote", {}), Mark(0, 4, "claim", {})])
    assert html == '<mark><q><span class="e">Moon</span></q></mark>'


def test_crossing_marks_are_split_and_stay_well_formed():
    text = "abcdefghij"
    html = render_marks(
        text, [Mark(0, 6, "claim", {"id": "c1"}), Mark(3, 9, "quote", {"id": "q1"})]
    )
    # The quote opens inside the claim, is closed when the claim ends, and reopens.
    assert html == ('<mark id="c1">abc<q id="q1">def</q></mark><q data-cont="">ghi</q>j')
    checker = check(html, text)
    ids = [attrs.get("id") for _, attrs in checker.starts if attrs.get("id")]
    assert ids == ["c1", "q1"], "an id appears once, on the first segment"


def test_after_html_follows_the_last_segment_only():
    text = "abcdefghij"
    html = render_marks(
        text,
        [Mark(0, 6, "claim", {}), Mark(3, 9, "quote", {}, '<a class="cite">Kim</a>')],
    )
    assert html.count('class="cite"') == 1
    assert html.endswith('<q data-cont="">ghi</q><a class="cite">Kim</a>j')


def test_adjacent_marks_do_not_nest():
    html = render_marks("KimTrump", [ent(0, 3), ent(3, 8)])
    assert html == '<span class="e">Kim</span><span class="e">Trump</span>'


def test_mark_at_end_of_text_closes():
    html = render_marks("said Moon", [ent(5, 9)])
    assert html == 'said <span class="e">Moon</span>'


def test_empty_and_out_of_range_marks_are_ignored():
    assert render_marks("", [ent(0, 0)]) == ""
    assert render_marks("abc", [ent(1, 1), ent(5, 9), ent(2, 1)]) == "abc"


def test_out_of_range_end_is_clamped():
    assert render_marks("abc", [ent(1, 99)]) == 'a<span class="e">bc</span>'


def test_unicode_offsets_are_characters():
    text = "Nguyễn Chí Tuyên nói: “Không” 🇻🇳 — Moon Jae-in\u00a0said"
    start = text.index("Moon")
    html = render_marks(text, [ent(0, 16), ent(start, start + 11)])
    assert '<span class="e">Nguyễn Chí Tuyên</span>' in html
    assert '<span class="e">Moon Jae-in</span>' in html
    check(html, text)


def test_three_way_overlap_stays_well_formed():
    text = "0123456789abcdef"
    marks = [
        Mark(0, 10, "claim", {"id": "c"}),
        Mark(2, 14, "quote", {"id": "q"}),
        ent(5, 12, id="e"),
        ent(12, 16),
    ]
    html = render_marks(text, marks)
    checker = check(html, text)
    ids = [attrs["id"] for _, attrs in checker.starts if "id" in attrs]
    assert ids == ["c", "q", "e"]


def test_tuples_are_accepted():
    assert render_marks("Kim", [(0, 3, "entity", {"class": "e"})]) == '<span class="e">Kim</span>'


def test_unknown_kind_is_a_plain_span_never_its_own_tag():
    assert render_marks("x", [Mark(0, 1, "script", {})]) == "<span>x</span>"


@pytest.mark.parametrize("seed", range(40))
def test_random_marks_are_always_well_formed(seed):
    import random

    rng = random.Random(seed)
    text = "".join(rng.choice("ab<&>\"' é🙂") for _ in range(rng.randint(0, 40)))
    marks = []
    for _ in range(rng.randint(0, 8)):
        a, b = sorted(rng.randint(0, len(text)) for _ in range(2))
        marks.append(Mark(a, b, rng.choice(["claim", "quote", "entity"]), {"id": f"m{_}"}))
    html = render_marks(text, marks)
    checker = check(html, text)
    ids = [attrs["id"] for _, attrs in checker.starts if "id" in attrs]
    assert len(ids) == len(set(ids))


def test_a_quote_underline_takes_in_the_comma_and_closing_mark_after_its_words():
    from summit.rendering import _with_quotation_marks

    text = "Kim will offer “things that are easily reversible,” he said."
    start = text.index("things")
    end = text.index(",”")
    assert text[slice(*_with_quotation_marks(text, start, end, first=True, last=True))] == (
        "“things that are easily reversible,”"
    )

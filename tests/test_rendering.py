"""render_marks: escaping, nesting, crossing, adjacency, empties, unicode."""

from html.parser import HTMLParser

import pytest
from django.utils.safestring import SafeString
from hypothesis import given, settings
from hypothesis import strategies as st

from summit.nlp.types import shorten
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


# Scale: the sweep is O(n log n) in marks, and so is what it draws ---------------------------


class _Drawn(HTMLParser):
    """For each character of the text, the marks drawn around it (outermost first, by the
    ``k`` class each test mark carries); where each mark's ``id`` and ``after`` stand."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, int | None]] = []
        self.covering: list[list[int]] = []
        self.ids: dict[str, list[int]] = {}
        self.after: dict[int, list[tuple[int, list[int]]]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("class") == "after":
            of = int(attrs["data-of"])
            self.after.setdefault(of, []).append((len(self.covering), self._marks()))
            self.open.append((tag, None))
            return
        mark = int(attrs["class"][1:])
        if "id" in attrs:
            self.ids.setdefault(attrs["id"], []).append(len(self.covering))
        self.open.append((tag, mark))

    def handle_endtag(self, tag):
        assert self.open, f"</{tag}> closes nothing"
        assert self.open[-1][0] == tag, f"</{tag}> closes {self.open}"
        self.open.pop()

    def handle_data(self, data):
        self.covering.extend(self._marks() for _ in data)

    def _marks(self) -> list[int]:
        return [m for _, m in self.open if m is not None]


def assert_drawn_as_marked(text: str, marks: list[Mark]) -> None:
    """The page shows every mark where it is and nowhere else: each character inside a
    mark's span (clamped to the text) is inside exactly one of its segments; a mark inside
    another is drawn inside it; its id stands once, at its first character; its ``after``
    once, right after its last."""
    from summit.rendering import KIND_RANK

    html = render_marks(text, marks)
    drawn = _Drawn()
    drawn.feed(html)
    drawn.close()
    assert drawn.open == [], "every element is closed"
    assert len(drawn.covering) == len(text), "the text survives unchanged"
    spans = {i: (max(0, m.start), min(len(text), m.end)) for i, m in enumerate(marks)}
    spans = {i: s for i, s in spans.items() if s[0] < s[1]}
    rank = {i: (a, -b, KIND_RANK.get(marks[i].kind, 9), i) for i, (a, b) in spans.items()}
    depth = []  # per character: each covering mark's depth
    for at, covering in enumerate(drawn.covering):
        expected = {i for i, (a, b) in spans.items() if a <= at < b}
        assert sorted(covering) == sorted(expected), f"character {at}"
        depth.append({i: d for d, i in enumerate(covering)})
    for i, (ai, bi) in spans.items():  # a mark inside another is drawn inside it
        for j, (aj, bj) in spans.items():
            if ai <= aj and bj <= bi and rank[i] < rank[j]:
                assert all(depth[at][i] < depth[at][j] for at in range(aj, bj)), (i, j)
    for i, (a, b) in spans.items():
        assert drawn.ids.get(f"m{i}") == [a], f"m{i}'s id stands once, at its start"
        if marks[i].after:
            ((where, around),) = drawn.after[i]
            assert where == b, f"m{i}'s after follows its last character"
            assert i not in around, f"m{i}'s after follows its last segment"


def _marked(i, a, b, kind, after=False):
    after_html = f'<a class="after" data-of="{i}"></a>' if after else ""
    return Mark(a, b, kind, {"id": f"m{i}", "class": f"k{i}"}, after_html)


_kinds = st.sampled_from(["claim", "quote", "entity"])


@st.composite
def _text_and_marks(draw, max_chars=30, max_marks=10):
    text = draw(st.text(alphabet='ab<&"é🙂\u202e', max_size=max_chars))
    n = len(text)
    raw = draw(
        st.lists(
            st.tuples(st.integers(-2, n + 2), st.integers(-2, n + 2), _kinds, st.booleans()),
            max_size=max_marks,
        )
    )
    return text, [_marked(i, a, b, kind, after) for i, (a, b, kind, after) in enumerate(raw)]


@given(_text_and_marks())
@settings(max_examples=200, deadline=None)
def test_every_mark_is_drawn_over_its_words_nested_or_crossing(case):
    assert_drawn_as_marked(*case)


@given(_text_and_marks(max_chars=40, max_marks=60))
@settings(max_examples=100, deadline=None)
def test_piles_of_crossing_marks_are_drawn_over_their_words(case):
    """Many marks crossing each other (drawn as a segment tree's pieces past a point)."""
    assert_drawn_as_marked(*case)


@pytest.mark.parametrize("shape", ["staircase", "window", "random"])
def test_a_pile_of_crossing_names_is_drawn_over_its_words(shape):
    import random

    rng = random.Random(7)
    text = "Dan Lee " * 150
    n = 400
    if shape == "staircase":  # each name crosses every other
        spans = [(i, i + n) for i in range(n)]
    elif shape == "window":  # each crosses the 40 before and after it
        spans = [(2 * i, 2 * i + 80) for i in range(n)]
    else:
        spans = [(a, a + rng.randint(1, 300)) for a in (rng.randrange(1200) for _ in range(n))]
    marks = [_marked(i, a, b, "entity", after=i % 3 == 0) for i, (a, b) in enumerate(spans)]
    marks.append(_marked(n, 100, 700, "quote", after=True))
    assert_drawn_as_marked(text, marks)


class _CountingMark(Mark):
    """A mark that counts how often the renderer reads its start (a measure of work that
    does not depend on the machine's speed)."""

    reads = 0

    @property
    def start(self):
        _CountingMark.reads += 1
        return tuple.__getitem__(self, 0)


@pytest.mark.parametrize("shape", ["disjoint", "nested"])
def test_rendering_work_grows_linearly_with_marks(shape):
    def reads_for(n):
        text = "ab " * n
        if shape == "disjoint":
            marks = [_CountingMark(3 * i, 3 * i + 2, "entity", {}) for i in range(n)]
        else:  # a quote around each pair of names, all inside one claim
            marks = [_CountingMark(0, len(text), "claim", {})]
            marks += [_CountingMark(3 * i, 3 * i + 2, "entity", {}) for i in range(n)]
        _CountingMark.reads = 0
        html = render_marks(text, marks)
        assert html.count("<span") == n
        return _CountingMark.reads

    small, large = reads_for(300), reads_for(2400)
    # 8× the marks: linear work reads 8× as often; the quadratic renderer read 64×.
    assert large <= 10 * small


@pytest.mark.parametrize("shape", ["staircase", "window"])
def test_what_is_drawn_for_crossing_names_grows_with_the_names_not_their_square(shape):
    """Names that cross each other are split into segments; a pile of them (a crafted
    backup) drew a segment for every pair (1,500 names made an 80 MB page)."""

    def segments(n):
        text = "x" * (3 * n)
        if shape == "staircase":
            spans = [(i, i + n) for i in range(n)]
        else:
            spans = [(i, i + 200) for i in range(n)]
        html = render_marks(text, [Mark(a, b, "entity", {}) for a, b in spans])
        return html.count("<span")

    small, large = segments(300), segments(2400)
    # 8× the names: n log n draws about 11× as many segments; the square drew 64×.
    assert large <= 16 * small, (small, large)


# The rendered paragraphs are cached per article version -----------------------------------


@pytest.mark.django_db
def test_article_html_is_rendered_once_and_rendered_again_after_any_change(
    client, make, monkeypatch
):
    from summit import rendering

    calls = []
    real = rendering.render_marks
    monkeypatch.setattr(rendering, "render_marks", lambda *a: calls.append(1) or real(*a))
    kim = make.speaker("Kim Pope")
    article = make.article("“We will go,” said Kim Pope.", "Another paragraph.")
    quote = make.quote(article, "We will go,", kim)
    url = article.get_absolute_url()

    first = client.get(url).content.decode()
    assert len(calls) == 2
    assert client.get(url).content.decode() == first
    assert len(calls) == 2, "the second request reads the cache"

    quote.status = "rejected"
    quote.save()
    assert f'id="q{quote.pk}"' not in client.get(url).content.decode()
    assert len(calls) == 4, "an annotation change renders again"

    kim.name = "Kim Popeová"
    kim.save()
    quote.status = "verified"
    quote.save()
    assert "Kim Popeová" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Short title", 60, "Short title"),
        ("Exactly ten", 11, "Exactly ten"),
        ("A title that goes on well past the limit", 12, "A title tha…"),
        ("Words end here then", 16, "Words end here…"),  # no space left before "…"
        ("Cafe\u0301 au lait", 5, "Caf…"),  # "é" as e + accent is not split
    ],
)
def test_shorten_cuts_at_the_limit_with_an_ellipsis_and_keeps_accents_with_letters(
    text, limit, expected
):
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit

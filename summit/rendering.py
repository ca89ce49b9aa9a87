"""Annotation marks rendered into paragraph HTML on the server.

``render_marks`` is pure: paragraph text and a list of marks (character offsets, end
exclusive) in, safe HTML out. Every piece of article text goes through ``escape``;
marks that nest (a person inside a quote) nest; marks that cross are split into
segments so the HTML stays well-formed. The first segment of a mark carries its ``id``
(so ``#q12`` lands on the quote's start); its ``after`` HTML follows its last segment.

``article_paragraphs`` turns an article whose annotations were prefetched
(``Article.objects.for_reading()``) into ``(paragraph, html)`` pairs without a query.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import NamedTuple

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from summit.models import EntityLabel
from summit.nlp.lexicon import NAME_LABELS

LABEL_NAMES = dict(EntityLabel.choices)

# Entity labels marked in the text: names of things. Dates, times, amounts and numbers
# are left unmarked; they would bury the names in noise.
MARKED_LABELS = NAME_LABELS  # names are marked; numbers and dates are left as text

# Outer to inner when two marks start at the same place and end at the same place.
KIND_RANK = {"claim": 0, "quote": 1, "entity": 2}
KIND_TAG = {"claim": "mark", "quote": "q", "entity": "span"}
ALLOWED_TAGS = {"a", "span", "mark", "q", "em", "strong", "b", "i", "cite", "abbr"}


class Mark(NamedTuple):
    start: int
    end: int
    kind: str
    attrs: Mapping[str, str] = {}
    after: str = ""  # trusted HTML emitted once, right after the mark's last segment

    @property
    def tag(self) -> str:
        if "href" in self.attrs:
            return "a"
        return KIND_TAG.get(self.kind, "span")


_ATTR_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


@lru_cache(maxsize=8192)
def _attr_value(value: str) -> str:
    """An attribute value, escaped (values repeat a lot: classes, URLs, names)."""
    return escape(value)


def _open_tag(mark: Mark, *, first: bool) -> str:
    parts = [mark.tag]
    for name, value in mark.attrs.items():
        if value is None or value is False:
            continue
        if name == "id" and not first:
            continue  # an id names one element: the first segment
        if not _ATTR_NAME.match(name):
            raise ValueError(f"Unsafe attribute name {name!r}")
        if value is True:
            parts.append(name)
        else:
            parts.append(f'{name}="{_attr_value(str(value))}"')
    if not first:
        parts.append('data-cont=""')
    return "<" + " ".join(parts) + ">"


def render_marks(text: str, marks: Iterable[Mark | tuple]) -> SafeString:
    """``text`` escaped, with each mark wrapped around its span; see the module doc."""
    length = len(text)
    spans: list[Mark] = []
    for raw in marks:
        mark = raw if isinstance(raw, Mark) else Mark(*raw)
        start, end = max(0, mark.start), min(length, mark.end)
        if start >= end:
            continue  # empty or outside the text: nothing to wrap
        if mark.tag not in ALLOWED_TAGS:
            raise ValueError(f"Unsupported tag {mark.tag!r}")
        spans.append(mark._replace(start=start, end=end))
    if not spans:
        return mark_safe(escape(text))

    # Nesting order: earlier start outside, then longer outside, then by kind.
    order = sorted(
        range(len(spans)),
        key=lambda i: (spans[i].start, -spans[i].end, KIND_RANK.get(spans[i].kind, 9), i),
    )
    rank = {i: r for r, i in enumerate(order)}
    points = sorted({0, length, *(m.start for m in spans), *(m.end for m in spans)})

    out: list[str] = []
    stack: list[int] = []  # indexes of the open marks, outermost first
    opened: set[int] = set()

    def close_to(depth: int, at: int) -> None:
        while len(stack) > depth:
            i = stack.pop()
            out.append(f"</{spans[i].tag}>")
            if spans[i].end == at and spans[i].after:
                out.append(str(spans[i].after))

    for a, b in zip(points, points[1:], strict=False):
        covering = (i for i, m in enumerate(spans) if m.start <= a and m.end >= b)
        active = sorted(covering, key=rank.get)
        keep = 0
        while keep < len(stack) and keep < len(active) and stack[keep] == active[keep]:
            keep += 1
        close_to(keep, a)
        for i in active[keep:]:
            out.append(_open_tag(spans[i], first=i not in opened))
            opened.add(i)
            stack.append(i)
        out.append(escape(text[a:b]))
    close_to(0, length)
    return mark_safe("".join(out))


# Marks for an article ---------------------------------------------------------------------


OPENING_MARKS = '“"‘«„'
CLOSING_MARKS = '”"’»“'


def _with_quotation_marks(text: str, start: int, end: int, *, first: bool, last: bool):
    """Widen a quote's span over the quotation marks around it, so its underline and the
    speaker's name after it take them in."""
    if first and 0 < start <= len(text) and text[start - 1] in OPENING_MARKS:
        start -= 1
    if last:
        # The sentence's comma may stand between the words and the closing mark.
        close = end
        while close < len(text) and text[close] in ",;":
            close += 1
        if close < len(text) and text[close] in CLOSING_MARKS:
            end = close + 1
    return start, end


def _quote_segments(quote, paragraphs_by_id, paragraphs_by_index):
    """(paragraph, start, end, is_first, is_last) for each paragraph a quote touches."""
    first = paragraphs_by_id.get(quote.paragraph_id)
    if first is None:
        return
    last = paragraphs_by_id.get(quote.end_paragraph_id) if quote.end_paragraph_id else first
    if last is None or last.index <= first.index:
        last = first
    for index in range(first.index, last.index + 1):
        paragraph = paragraphs_by_index.get(index)
        if paragraph is None:
            continue
        start = quote.start if paragraph is first else 0
        end = quote.end if paragraph is last else len(paragraph.text)
        is_first, is_last = paragraph is first, paragraph is last
        if quote.kind != "indirect":
            start, end = _with_quotation_marks(
                paragraph.text, start, end, first=is_first, last=is_last
            )
        yield paragraph, start, end, is_first, is_last


def article_paragraphs(
    article,
    *,
    edit_url: Callable[[object], str] | None = None,
) -> list[tuple[object, SafeString]]:
    """Each paragraph of a prefetched article with its marks rendered.

    ``edit_url(quote)`` gives the admin link shown after a quote (editors only).
    """
    paragraphs = list(article.paragraphs.all())
    by_id = {p.pk: p for p in paragraphs}
    by_index = {p.index: p for p in paragraphs}
    marks: dict[int, list[Mark]] = defaultdict(list)
    urls: dict[str, tuple[str, str]] = {}

    def speaker_urls(speaker) -> tuple[str, str]:
        if speaker.slug not in urls:
            urls[speaker.slug] = (
                reverse("speaker", args=[speaker.slug]),
                reverse("speaker-card", args=[speaker.slug]),
            )
        return urls[speaker.slug]

    for mention in article.entitymentions.all():
        label = mention.label
        if label not in MARKED_LABELS:
            continue
        attrs = {
            "class": f"m m-ent m-ent--{label.lower()}",
            "data-label": label,
            "title": LABEL_NAMES.get(label, label),
        }
        if mention.speaker is not None:
            page_url, card_url = speaker_urls(mention.speaker)
            attrs.update(
                {
                    "href": page_url,
                    "hx-get": card_url,
                    "hx-target": "#card",
                    "hx-swap": "innerHTML",
                    "title": f"{LABEL_NAMES.get(label, label)}: {mention.speaker.name}",
                }
            )
        marks[mention.paragraph_id].append(Mark(mention.start, mention.end, "entity", attrs))

    for quote in article.quotes.all():
        speaker = quote.speaker
        name = speaker.name if speaker else ""
        kind = quote.get_kind_display().lower()
        attrs = {
            "id": f"q{quote.pk}",
            "class": f"m m-quote m-quote--{quote.kind}",
            "title": f"{name} ({kind} quote)" if name else f"Unattributed {kind} quote",
            "data-speaker": name,
        }
        after = ""
        if speaker is not None:
            page_url, card_url = speaker_urls(speaker)
            after = format_html(
                '<a class="q-cite" href="{}" hx-get="{}" hx-target="#card" '
                'hx-swap="innerHTML" title="Quoted: {}">{}</a>',
                page_url,
                card_url,
                name,
                name,
            )
        if edit_url is not None and (link := edit_url(quote)):
            after += format_html(
                '<a class="q-edit" href="{}" title="Edit this quote in the admin">edit</a>', link
            )
        for paragraph, start, end, first, last in _quote_segments(quote, by_id, by_index):
            seg_attrs = attrs if first else {k: v for k, v in attrs.items() if k != "id"}
            marks[paragraph.pk].append(Mark(start, end, "quote", seg_attrs, after if last else ""))

    for claim in article.claims.all():
        if not claim.highlighted:
            continue
        holder = claim.holder.name if claim.holder else "the author"
        attrs = {
            "class": f"m m-claim m-claim--{claim.kind}",
            "title": f"{claim.get_kind_display()}, held by {holder}",
        }
        marks[claim.paragraph_id].append(Mark(claim.start, claim.end, "claim", attrs))

    return [(p, render_marks(p.text, marks.get(p.pk, ()))) for p in paragraphs]

"""An article's structure from its plain text: title, byline, paragraphs and their kinds.

Plain text as operators hand it to us is messy: no headline, a "By Name" line,
scraping debris such as ``![]() |``, photo captions and subheadings between body
paragraphs, an author bio at the end, non-breaking spaces everywhere. This module
turns it into a :class:`~summit.nlp.types.Document` before any language model runs.
"""

from __future__ import annotations

import re
import unicodedata

from summit.nlp.types import ArticleKind, Document, Paragraph, ParagraphKind
from summit.nlp.vocabulary import INVISIBLE, QUOTE_OPENERS, VISIBLE_SPACES

_SPACES = dict.fromkeys(map(ord, VISIBLE_SPACES), " ")
# A zero-width joiner is kept inside an emoji sequence (👩‍👩‍👧 is one picture; without
# the joiners, three) and dropped everywhere else.
_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE.replace("\u200d", "")), None)
# Control characters (C0 but tab and newline, DEL, C1): no text shows them, and search
# uses two of them (U+0002, U+0003) to mark its matches, which the text must not fake.
_CONTROLS = dict.fromkeys([*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)], None)
_STRAY_ZWJ = re.compile(
    "(?<![\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u20e3])\u200d"
    "|\u200d(?![\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff])"
)

# Optional header lines at the very top: "Title: …", "By: …", "Date: …", "Source: …".
_HEADER = re.compile(
    r"^(?P<key>title|headline|by|byline|author|date|published|source|outlet|kind|type)\s*:\s*"
    r"(?P<value>.+)$",
    re.IGNORECASE,
)
_HEADER_FIELDS = {
    "title": "title",
    "headline": "title",
    "by": "byline",
    "byline": "byline",
    "author": "byline",
    "date": "published",
    "published": "published",
    "source": "outlet",
    "outlet": "outlet",
    "kind": "kind",
    "type": "kind",
}

_NAME_WORD = r"[A-Z][\w.'’-]*"
_BYLINE = re.compile(
    rf"^by\s+(?P<name>{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|de|van|von|der|la|le|da|di|bin)){{0,4}}"
    rf"(?:\s+and\s+{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})?)\s*(?:[,|–—-].*)?$",
    re.IGNORECASE,
)
# Lines that are scraping debris: empty images and links, lone pipes and rules.
_DEBRIS = re.compile(
    r"^(?:!\[[^\]]*\]\([^)]*\)|\[\s*\]\([^)]*\)|[|*_=~#>\s-])+$"
    r"|^(?:advertisement|advertisements|share this article|read more|related)$",
    re.IGNORECASE,
)
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+?)\s*#*$")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
# Photo credits end a caption: "… Photo: AFP / Yomiuri Shimbun", "… Photo AFP/Name".
_CAPTION = re.compile(
    r"(?:^|[.!?)\]]\s+|\s[|–—-]\s)(?:photos?|photograph|picture|image|credit|photo credit)"
    r"(?:\s*:\s*|\s+by\s+|\s+)(?:[A-Z(]|©)[^.!?]{0,80}$",
    re.IGNORECASE,
)
# The next sentence starts after a stop, at a capital or a mark that opens a quotation.
_NEXT_SENTENCE = re.compile(rf"(?<=[.!?])\s+(?=[A-Z{re.escape(QUOTE_OPENERS)}])")
_SENTENCE_END = re.compile(r"[.!?…:;,]['\"’”)\]]*$")
_DATE_IN_NAME = re.compile(r"(?<!\d)(20\d\d|19\d\d)-([01]\d)-([0-3]\d)(?!\d)")
_OPINION_WORDS = re.compile(r"\b(?:opinion|op-ed|oped|commentary|column|editorial)\b", re.I)

TITLE_WORDS = 14


def normalise_text(text: str) -> str:
    """Unicode NFC, one kind of space, one kind of newline, no invisible or control
    characters."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.translate(_SPACES).translate(_INVISIBLE)
    text = _STRAY_ZWJ.sub("", text.translate(_CONTROLS))
    return "\n".join(re.sub(r" {2,}", " ", line).strip() for line in text.split("\n"))


def split_paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; where a text has none, every line is one."""
    if re.search(r"\n\s*\n", text):
        blocks = re.split(r"\n\s*\n", text)
        paragraphs = []
        for block in blocks:
            lines = [line for line in block.split("\n") if line.strip()]
            # A block of short list-like lines keeps its lines; wrapped prose is joined.
            paragraphs.extend(_join_wrapped(lines))
        return [p for p in paragraphs if p]
    return [line for line in text.split("\n") if line.strip()]


# Hard-wrapped prose breaks its lines at a fixed width (72-80 columns, rarely more); a
# block with a longer line before its last is one paragraph a line (text pasted from a
# page after a blank line under the headline), not prose to join.
HARD_WRAP_WIDTH = 100


def _join_wrapped(lines: list[str]) -> list[str]:
    if not lines:
        return []
    if any(len(line) > HARD_WRAP_WIDTH for line in lines[:-1]):
        return [line for line in lines if not _is_debris(line)]
    out = [lines[0]]
    for line in lines[1:]:
        if _is_debris(line) or _is_debris(out[-1]) or _MD_HEADING.match(line):
            out.append(line)
        else:
            out[-1] = f"{out[-1]} {line}"
    return out


def _is_debris(line: str) -> bool:
    return bool(_DEBRIS.match(line.strip()))


def _strip_markdown(line: str) -> str:
    line = _MD_IMAGE.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_EMPHASIS.sub(r"\2", line)
    return line.strip()


def _word_count(text: str) -> int:
    return len(text.split())


def _looks_like_headline(text: str) -> bool:
    """A first line that reads as a headline: short, or title-cased, or in headline style
    ("X: Y", "A; B"), and never a quotation or a byline."""
    words = text.split()
    if not words or len(words) > 40 or len(text) > 300:
        return False
    if text[:1] in QUOTE_OPENERS or _BYLINE.match(text):
        return False
    if not text.endswith((".", ",", ";", ":")) or len(words) <= 16:
        return True
    capitalised = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return capitalised / len(words) >= 0.6 or ";" in text


def _looks_like_subheading(text: str) -> bool:
    return (
        0 < _word_count(text) <= 10
        and len(text) <= 80
        and text[:1].isupper()
        and not _SENTENCE_END.search(text.rstrip("?!"))
        and not text.endswith((".", ",", ";", ":"))
    )


def _is_caption(text: str) -> bool:
    return bool(_CAPTION.search(text))


def derive_title(lead: str, limit: int = TITLE_WORDS) -> str:
    """A readable title from the lead: its first sentence, whole when it is at most a few
    words over ``limit``; else cut at the last phrase boundary (a comma, a dash, or
    before a word that opens a clause) within ``limit``, or failing one, at a word that
    does not leave the phrase hanging ("the", "will") or trailing after it ("today"). A
    cut title ends in "…"."""
    first = _NEXT_SENTENCE.split(lead.strip(), maxsplit=1)[0]
    words = first.split()
    if len(words) <= limit + TITLE_SLACK:
        return first.rstrip(".")
    boundaries = [
        i
        for i in range(TITLE_MIN_WORDS, limit + 1)
        if words[i - 1].endswith((",", ";", ":"))
        or words[i] in {"–", "—", "-"}
        or words[i].lower() in _CLAUSE_OPENERS
    ]
    cut = words[: boundaries[-1]] if boundaries else words[:limit]
    while cut and cut[-1].lower().strip(",;:–—-") in _WEAK_ENDINGS | _AUXILIARIES | _TRAILING:
        cut.pop()
    return " ".join(cut).rstrip(",;:–—-") + "…"


TITLE_SLACK = 4  # a sentence this many words over the limit is kept whole
TITLE_MIN_WORDS = 6  # no phrase boundary before this many words
# Words that open a clause or phrase: a title may stop just before one.
_CLAUSE_OPENERS = {
    "as",
    "after",
    "before",
    "because",
    "since",
    "while",
    "when",
    "where",
    "although",
    "though",
    "which",
    "who",
    "whose",
    "but",
    "amid",
    "despite",
    "following",
}
# Words that leave a phrase hanging when a cut title ends on them.
_AUXILIARIES = {
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
    "be",
    "been",
    "has",
    "have",
    "had",
    "do",
    "does",
    "did",
    "not",
}


# Adverbs that trail after the phrase they belong to: a cut title ending on one reads as
# if the words that mattered were cut ("… flags and uniforms today…").
_TRAILING = {
    "today",
    "tonight",
    "yesterday",
    "tomorrow",
    "now",
    "again",
    "also",
    "already",
    "still",
}


_WEAK_ENDINGS = {
    "a",
    "an",
    "the",
    "and",
    "or",
    "but",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "with",
    "by",
    "as",
    "from",
    "that",
    "which",
    "who",
    "is",
    "are",
    "was",
    "were",
    "",
    "its",
    "their",
}


def parse_structure(
    text: str,
    *,
    source: str = "",
    title: str = "",
    byline: str = "",
    outlet: str = "",
    published: str = "",
    markdown: bool | None = None,
) -> Document:
    """Recognise an article's parts in ``text``.

    Metadata passed in (from HTML extraction, say) wins over what the text suggests.
    """
    if markdown is None:
        markdown = source.lower().endswith((".md", ".markdown"))
    meta = {"title": title, "byline": byline, "outlet": outlet, "published": published, "kind": ""}
    lines = normalise_text(text).split("\n")

    # Header lines ("Title: …") only at the very top.
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and (m := _HEADER.match(lines[0].strip())):
        field = _HEADER_FIELDS[m["key"].lower()]
        meta[field] = meta[field] or m["value"].strip()
        lines.pop(0)

    raw_paragraphs = split_paragraphs("\n".join(lines))
    items: list[tuple[ParagraphKind, str]] = []
    for raw in raw_paragraphs:
        if _is_debris(raw):
            continue
        if markdown and (m := _MD_HEADING.match(raw)):
            items.append((ParagraphKind.HEADING, _strip_markdown(m["text"])))
            continue
        cleaned = _strip_markdown(raw) if markdown else _MD_IMAGE.sub("", raw).strip(" |")
        if cleaned:
            items.append((ParagraphKind.BODY, cleaned))

    # The headline: the first line when it reads as one.
    title_derived = False
    if not meta["title"] and len(items) > 1 and items[0][0] is ParagraphKind.BODY:
        if _looks_like_headline(items[0][1]) and not _BYLINE.match(items[0][1]):
            meta["title"] = items.pop(0)[1]
    elif items and items[0][0] is ParagraphKind.HEADING and not meta["title"]:
        meta["title"] = items.pop(0)[1]

    paragraphs: list[tuple[ParagraphKind, str]] = []
    for position, (kind, para) in enumerate(items):
        if kind is ParagraphKind.BODY:
            kind = _classify(para, position, items, meta)
        paragraphs.append((kind, para))

    # The author bio: a last paragraph that starts with the byline's name.
    author = meta["byline"]
    if author and paragraphs:
        kind, last = paragraphs[-1]
        if kind is ParagraphKind.BODY and _starts_with_name(last, author):
            paragraphs[-1] = (ParagraphKind.BIO, last)

    if not meta["title"]:
        lead = next((p for k, p in paragraphs if k is ParagraphKind.BODY), "")
        meta["title"] = derive_title(lead) if lead else _title_from_source(source)
        title_derived = True

    published = meta["published"] or _date_from_name(source)
    has_bio = any(k is ParagraphKind.BIO for k, _ in paragraphs)
    kind_hint = meta["kind"].lower()
    if kind_hint in {"news", "opinion"}:
        article_kind = ArticleKind(kind_hint)
    elif _OPINION_WORDS.search(f"{kind_hint} {source}") or has_bio:
        article_kind = ArticleKind.OPINION
    else:
        article_kind = ArticleKind.NEWS

    if title_derived and article_kind is ArticleKind.OPINION and author:
        # An opinion piece often opens on the view it argues against ("Critics are
        # already predicting failure."): a title made of its first words would put that
        # view in its author's mouth. Without a headline, it is known by its author.
        meta["title"] = f"Opinion by {author}"

    return Document(
        title=meta["title"][:500],
        title_derived=title_derived,
        paragraphs=[Paragraph(i, kind, text) for i, (kind, text) in enumerate(paragraphs)],
        byline=author,
        outlet=meta["outlet"],
        published=published,
        kind=article_kind,
        source=source,
    )


def _classify(para: str, position: int, items: list, meta: dict) -> ParagraphKind:
    if position <= 2 and (m := _BYLINE.match(para)):
        meta["byline"] = meta["byline"] or m["name"].strip()
        return ParagraphKind.BYLINE
    if meta["byline"] and para == meta["byline"] and position <= 2:
        return ParagraphKind.BYLINE
    if _is_caption(para):
        return ParagraphKind.CAPTION
    following = items[position + 1][1] if position + 1 < len(items) else ""
    if (
        position > 0
        and following
        and _looks_like_subheading(para)
        and _word_count(following) > _word_count(para) * 2
    ):
        return ParagraphKind.HEADING
    return ParagraphKind.BODY


def _starts_with_name(text: str, name: str) -> bool:
    first_name = re.split(r"\s+and\s+|,", name)[0].strip()
    return bool(first_name) and text.startswith(first_name) and len(text) > len(first_name) + 1


def _date_from_name(source: str) -> str:
    m = _DATE_IN_NAME.search(source.rsplit("/", 1)[-1])
    return f"{m[1]}-{m[2]}-{m[3]}" if m else ""


def _title_from_source(source: str) -> str:
    stem = source.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return re.sub(r"[_-]+", " ", stem).strip().capitalize() or "Untitled article"

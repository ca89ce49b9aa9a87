"""Reading articles from where operators keep them: files, folders and URLs.

Every problem becomes a :class:`SourceError` with a message a person can act on;
the caller reports it and goes on with the rest of the batch.
"""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
HTML_SUFFIXES = {".html", ".htm"}
USER_AGENT = "Summit/0.1 (+news annotation; ingest)"


class SourceError(Exception):
    """An article could not be read; the message says why."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass(frozen=True)
class RawArticle:
    """An article's text as read, before structure or language."""

    source: str  # absolute path or URL: the article's identity
    source_file: str  # base name, as exports show it
    text: str
    markdown: bool = False
    meta: dict[str, str] = field(default_factory=dict)  # title, byline, outlet, published

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def expand(targets: list[str]) -> Iterator[str | SourceError]:
    """Every article path or URL that ``targets`` name, folders walked recursively."""
    for target in targets:
        if is_url(target):
            yield target
            continue
        path = Path(target).expanduser()
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in ARTICLE_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                yield SourceError(target, "the folder holds no articles (.txt, .md, .html files)")
            yield from (str(p) for p in found)
        elif path.exists():
            yield str(path)
        elif "://" in target:
            yield SourceError(target, "only http:// and https:// addresses can be fetched")
        else:
            yield SourceError(target, "no such file or folder")


def read(target: str, *, max_bytes: int, timeout: float = 20.0) -> RawArticle:
    if is_url(target):
        return _read_url(target, max_bytes=max_bytes, timeout=timeout)
    return _read_file(Path(target), max_bytes=max_bytes)


def _read_file(path: Path, *, max_bytes: int) -> RawArticle:
    source = str(path.resolve())
    if path.suffix.lower() not in ARTICLE_SUFFIXES:
        raise SourceError(
            source, f"“{path.suffix or path.name}” files are not articles (use .txt, .md or .html)"
        )
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(source, f"too large ({_size(size)}; the limit is {_size(max_bytes)})")
        data = path.read_bytes()
    except PermissionError:
        raise SourceError(source, "cannot be read (permission denied)") from None
    except OSError as exc:
        raise SourceError(source, f"cannot be read ({exc.strerror or exc})") from None
    if path.suffix.lower() in HTML_SUFFIXES:
        return _from_html(source, path.name, data)
    text = _decode(source, data)
    return RawArticle(
        source=source,
        source_file=path.name,
        text=text,
        markdown=path.suffix.lower() in {".md", ".markdown"},
    )


def _read_url(url: str, *, max_bytes: int, timeout: float) -> RawArticle:
    parts = urlsplit(url)
    if not parts.hostname:
        raise SourceError(url, "not a valid address (no host name)")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(max_bytes + 1)
            content_type = response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        raise SourceError(url, f"the server answered {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise SourceError(url, f"cannot be reached ({exc.reason})") from None
    except (TimeoutError, OSError, ValueError) as exc:
        raise SourceError(url, f"cannot be fetched ({exc})") from None
    if len(data) > max_bytes:
        raise SourceError(url, f"too large (over {_size(max_bytes)})")
    name = parts.path.rstrip("/").rsplit("/", 1)[-1] or parts.hostname
    if content_type in {"text/html", "application/xhtml+xml"}:
        raw = _from_html(url, name, data)
        if not raw.meta.get("outlet"):
            raw.meta["outlet"] = parts.hostname.removeprefix("www.")
        return raw
    if not content_type.startswith("text/"):
        raise SourceError(url, f"is not an article (content type {content_type})")
    return RawArticle(
        source=url,
        source_file=name,
        text=_decode(url, data),
        meta={"outlet": parts.hostname.removeprefix("www.")},
    )


def _from_html(source: str, name: str, data: bytes) -> RawArticle:
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    if not data.strip():
        raise SourceError(source, "is empty")
    if b"\x00" in data[:8192]:
        raise SourceError(source, "is a binary file, not text")
    result = trafilatura.bare_extraction(
        data,
        url=source if is_url(source) else None,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
    )
    text = (getattr(result, "text", None) or "").strip() if result else ""
    if not text:
        raise SourceError(source, "no article text could be found in the page")
    meta = {
        "title": getattr(result, "title", None) or "",
        "byline": getattr(result, "author", None) or "",
        "outlet": getattr(result, "sitename", None) or "",
        "published": (getattr(result, "date", None) or "")[:10],
    }
    return RawArticle(
        source=source, source_file=name, text=text, meta={k: v for k, v in meta.items() if v}
    )


def _decode(source: str, data: bytes) -> str:
    if not data.strip():
        raise SourceError(source, "is empty")
    if b"\x00" in data[:8192]:
        raise SourceError(source, "is a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            source,
            f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at position {exc.start}); "
            "convert it to UTF-8 and ingest it again",
        ) from None
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 8:
        raise SourceError(source, "looks like a binary file, not text")
    if not text.strip():
        raise SourceError(source, "is empty")
    return text


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"

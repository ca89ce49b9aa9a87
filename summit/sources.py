"""Reading articles from where operators keep them: files, folders and URLs.

Every problem becomes a :class:`SourceError` with a message a person can act on;
the caller reports it and goes on with the rest of the batch.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import socket
import stat
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

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
    """Every article path or URL that ``targets`` name, folders walked recursively.

    A folder (or subfolder) that cannot be read, anything named like an article that is
    not a regular file (a FIFO, a device), and a link to a file outside the folder, is
    reported, never skipped in silence (nor followed).
    """
    for target in targets:
        if is_url(target):
            yield target
            continue
        path = Path(target).expanduser()
        if path.is_dir():
            yield from _walk(target, path)
        elif path.exists():
            yield str(path)
        elif "://" in target:
            yield SourceError(target, "only http:// and https:// addresses can be fetched")
        else:
            yield SourceError(target, "no such file or folder")


def _walk(target: str, root: Path) -> Iterator[str | SourceError]:
    found: list[Path] = []
    problems: list[SourceError] = []

    def refused(exc: OSError) -> None:
        where = exc.filename or target
        problems.append(SourceError(str(where), f"the folder cannot be read ({_why(exc)})"))

    inside = root.resolve()
    for folder, dirs, files in os.walk(root, onerror=refused, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.startswith(".") or Path(name).suffix.lower() not in ARTICLE_SUFFIXES:
                continue
            path = Path(folder) / name
            if path.is_symlink() and not path.resolve().is_relative_to(inside):
                # A folder given to ingest is what gets published, not what it links to.
                problems.append(
                    SourceError(str(path), "is a link to a file outside the folder (not read)")
                )
                continue
            try:
                mode = path.stat().st_mode  # follows a symlink to what it points at
            except OSError as exc:
                problems.append(SourceError(str(path), f"cannot be read ({_why(exc)})"))
                continue
            if stat.S_ISREG(mode):
                found.append(path)
            else:
                problems.append(SourceError(str(path), "is not a regular file"))
    if not found and not problems:
        yield SourceError(target, "the folder holds no articles (.txt, .md, .html files)")
    yield from (str(p) for p in sorted(found))
    yield from problems


def _why(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    return (exc.strerror or str(exc)).lower()


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
        data = _read_regular_file(source, path, max_bytes=max_bytes)
    except OSError as exc:
        raise SourceError(source, f"cannot be read ({_why(exc)})") from None
    if path.suffix.lower() in HTML_SUFFIXES:
        return _from_html(source, path.name, data)
    text = _decode(source, data)
    return RawArticle(
        source=source,
        source_file=path.name,
        text=text,
        markdown=path.suffix.lower() in {".md", ".markdown"},
    )


def _read_regular_file(source: str, path: Path, *, max_bytes: int) -> bytes:
    """At most ``max_bytes`` of a regular file. A FIFO, a device (``/dev/zero``) or a
    symlink to one is refused before it is opened for reading (a FIFO's open would wait
    for a writer); the open itself never blocks, and the read stops at the limit even if
    the file grows meanwhile."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise SourceError(source, "is not a regular file")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):  # replaced between the check and the open
            raise SourceError(source, "is not a regular file")
        if info.st_size > max_bytes:
            raise SourceError(
                source, f"too large ({_size(info.st_size)}; the limit is {_size(max_bytes)})"
            )
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SourceError(source, f"too large (over {_size(max_bytes)})")
    return data


def parse_url(url: str) -> SplitResult:
    """``url`` split, or a :class:`SourceError` saying what is wrong with it."""
    try:
        parts = urlsplit(url)
        port = parts.port  # a port that is no number raises here
    except ValueError as exc:
        raise SourceError(url, f"not a valid address ({exc})") from None
    if parts.scheme.lower() not in {"http", "https"}:
        raise SourceError(url, "only http:// and https:// addresses can be fetched")
    if not parts.hostname:
        raise SourceError(url, "not a valid address (no host name)")
    if port == 0:
        raise SourceError(url, "not a valid address (port 0)")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise SourceError(url, "not a valid address (it holds spaces or control characters)")
    return parts


@dataclass(frozen=True)
class Download:
    """What a server sent: ``status`` 304 (not modified) comes with no body."""

    url: str
    status: int
    body: bytes
    headers: Message


class _Deadline:
    """One deadline for a whole download: connecting, the status line and headers, every
    redirect and the body together. Each connection made for it connects within what is
    left, and at the deadline its socket is shut, so no read can outlast it however
    slowly a server drips."""

    def __init__(self, seconds: float):
        self.at = time.monotonic() + seconds
        self.passed = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def remaining(self) -> float:
        left = self.at - time.monotonic()
        if left <= 0:
            raise TimeoutError("the deadline passed")
        return left

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self.passed:
                sock.close()
                raise TimeoutError("the deadline passed")
            self._sockets.append(sock)

    def _expire(self) -> None:
        with self._lock:
            self.passed = True
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self):
        self._timer.start()
        return self

    def __exit__(self, *exc_info):
        self._timer.cancel()


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    """urllib's opener for one download: connections under ``deadline``, redirects
    followed only to http(s) addresses."""

    def connection(base):
        class Connection(base):
            response_class = _Response

            def connect(self):
                self.timeout = deadline.remaining()
                super().connect()
                deadline.watch(self.sock)

        return Connection

    class HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(connection(http.client.HTTPConnection), req)

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(connection(http.client.HTTPSConnection), req, context=self._context)

    class RedirectHandler(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):
            parse_url(urllib.parse.urljoin(req.full_url, newurl))  # http(s) only
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return urllib.request.build_opener(HTTPHandler, HTTPSHandler, RedirectHandler)


def fetch(
    url: str, *, max_bytes: int, timeout: float, headers: dict[str, str] | None = None
) -> Download:
    """GET ``url`` (with extra request ``headers``, e.g. for a conditional GET) within one
    overall deadline (connecting, headers, redirects and body together), following
    redirects to http(s) addresses only, at most ``max_bytes``, the body exactly as long
    as its Content-Length; any failure is a :class:`SourceError` saying what went wrong.
    A 304 is an answer, not a failure."""
    parse_url(url)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})
    with _Deadline(timeout) as deadline:
        try:
            with _opener(deadline).open(request, timeout=timeout) as response:
                data = _read_body(url, response, max_bytes=max_bytes, deadline=deadline.at)
                return Download(response.url or url, response.status, data, response.headers)
        except SourceError:
            raise
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return Download(url, 304, b"", exc.headers)
            raise SourceError(url, f"the server answered {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, TimeoutError, OSError, http.client.HTTPException) as exc:
            if deadline.passed or isinstance(getattr(exc, "reason", exc), TimeoutError):
                raise SourceError(
                    url, "the download took too long (SUMMIT_FETCH_TIMEOUT)"
                ) from None
            if isinstance(exc, http.client.IncompleteRead):
                raise SourceError(
                    url, f"the download was cut short after {len(exc.partial)} bytes (truncated)"
                ) from None
            if isinstance(exc, urllib.error.URLError):
                raise SourceError(url, f"cannot be reached ({exc.reason})") from None
            raise SourceError(url, f"cannot be fetched ({type(exc).__name__}: {exc})") from None
        except ValueError as exc:
            raise SourceError(url, f"cannot be fetched ({type(exc).__name__}: {exc})") from None


def _read_url(url: str, *, max_bytes: int, timeout: float) -> RawArticle:
    parts = parse_url(url)
    host = parts.hostname or ""  # parse_url refuses an address without one
    download = fetch(url, max_bytes=max_bytes, timeout=timeout)
    data, content_type = download.body, download.headers.get_content_type()
    name = parts.path.rstrip("/").rsplit("/", 1)[-1] or host
    if content_type in {"text/html", "application/xhtml+xml"}:
        raw = _from_html(url, name, data)
        if not raw.meta.get("outlet"):
            raw.meta["outlet"] = host.removeprefix("www.")
        return raw
    if not content_type.startswith("text/"):
        raise SourceError(url, f"is not an article (content type {content_type})")
    return RawArticle(
        source=url,
        source_file=name,
        text=_decode(url, data),
        meta={"outlet": host.removeprefix("www.")},
    )


_CHUNK = 64 * 1024


def _read_body(url: str, response, *, max_bytes: int, deadline: float) -> bytes:
    """The whole body, within ``deadline`` (a server that drips bytes is cut off), at most
    ``max_bytes``, and complete: fewer bytes than Content-Length, or a chunked body
    without its last chunk, is refused rather than stored as if it were the article."""
    declared = response.headers.get("Content-Length")
    if declared is not None and declared.strip().isdigit() and int(declared) > max_bytes:
        raise SourceError(
            url, f"too large ({_size(int(declared))}; the limit is {_size(max_bytes)})"
        )
    chunks: list[bytes] = []
    total = 0
    while not response.isclosed():  # http.client closes it once the body is all read
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise SourceError(url, "the download took too long (SUMMIT_FETCH_TIMEOUT)")
        if (sock := _socket_of(response)) is not None:
            sock.settimeout(remaining)  # no single read outlasts the deadline
        try:
            chunk = response.read1(min(_CHUNK, max_bytes + 1 - total))  # what has come
        except TimeoutError:
            raise SourceError(url, "the download took too long (SUMMIT_FETCH_TIMEOUT)") from None
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            raise SourceError(url, f"too large (over {_size(max_bytes)})")
    if time.monotonic() >= deadline:  # the socket was shut at the deadline
        raise SourceError(url, "the download took too long (SUMMIT_FETCH_TIMEOUT)")
    left = getattr(response, "length", None)
    if left:  # http.client counts down what Content-Length promised
        raise SourceError(
            url, f"the download was cut short: {total} of {total + left} bytes (truncated)"
        )
    if isinstance(response, _Response) and response.overran():
        raise SourceError(
            url, f"the server sent a body longer than its Content-Length ({declared.strip()})"
        )
    return b"".join(chunks)


# How long to wait, after a body as long as its Content-Length, for bytes beyond it.
_OVERRUN_WAIT = 0.2


class _Response(http.client.HTTPResponse):
    """A response that notes whether the server sent more than its Content-Length (one
    request a connection, so anything beyond it is a longer body, not another answer)."""

    def __init__(self, sock, *args, **kwargs):
        super().__init__(sock, *args, **kwargs)
        self._sock = sock

    def overran(self) -> bool:
        """Whether bytes follow a body read to the length its Content-Length declared."""
        if self.chunked or self.length != 0 or self.fp is None:
            return False
        try:
            self._sock.settimeout(_OVERRUN_WAIT)
            return bool(self.fp.peek(1))
        except (TimeoutError, OSError, ValueError):
            return False


def _socket_of(response):
    """The socket under an http.client response, where it can be reached."""
    raw = getattr(getattr(response, "fp", None), "raw", None)
    sock = getattr(raw, "_sock", None)
    return sock if hasattr(sock, "settimeout") else None


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

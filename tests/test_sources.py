"""Reading articles: every bad input gets a clear reason."""

import contextlib
import http.server
import itertools
import os
import socket
import threading
import time

import pytest

from summit import sources


def read(path, max_bytes=5 * 1024 * 1024):
    return sources.read(str(path), max_bytes=max_bytes)


def test_reads_utf8_text_and_names_it(tmp_path):
    f = tmp_path / "story.txt"
    f.write_text("Hello — world.", encoding="utf-8")
    raw = read(f)
    assert raw.text == "Hello — world."
    assert raw.source == str(f.resolve())
    assert raw.source_file == "story.txt"
    assert len(raw.content_hash) == 64


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "is empty"),
        (b"   \n\n ", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        ("Caf\u00e9 au lait".encode("latin-1"), "not valid UTF-8"),
    ],
)
def test_bad_files_are_refused_with_a_reason(tmp_path, content, reason):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    with pytest.raises(sources.SourceError, match=reason):
        read(f)


def test_a_file_over_the_limit_is_refused(tmp_path):
    f = tmp_path / "huge.txt"
    f.write_text("word " * 1000)
    with pytest.raises(sources.SourceError, match="too large"):
        read(f, max_bytes=1000)


def test_unreadable_file(tmp_path, monkeypatch):
    f = tmp_path / "secret.txt"
    f.write_text("text")

    real_open = sources.os.open

    def refuse(path, *args, **kwargs):
        if str(path) == str(f):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    # As root every file is readable, so the refusal is simulated where it would happen.
    monkeypatch.setattr(sources.os, "open", refuse)
    with pytest.raises(sources.SourceError, match="permission denied"):
        read(f)


def test_folders_are_walked_recursively_and_an_empty_one_is_an_error(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("x")
    (tmp_path / "two.md").write_text("x")
    (tmp_path / "notes.pdf").write_text("x")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "three.txt").write_text("x")
    (tmp_path / "empty").mkdir()
    found = list(sources.expand([str(tmp_path), str(tmp_path / "empty"), "nope/none.txt"]))
    names = [f.rsplit("/", 1)[-1] for f in found if isinstance(f, str)]
    assert names == ["one.txt", "two.md"]
    errors = [e.reason for e in found if isinstance(e, sources.SourceError)]
    assert errors == [
        "the folder holds no articles (.txt, .md, .html files)",
        "no such file or folder",
    ]


def test_html_is_reduced_to_its_article_text_and_metadata(tmp_path):
    f = tmp_path / "page.html"
    paragraphs = "".join(
        f"<p>Paragraph {i} of the story, with enough words to count as "
        f"article text for the extractor.</p>"
        for i in range(6)
    )
    f.write_text(
        f"<html><head><title>Big News Today</title>"
        f"<meta name='author' content='Jane Roe'></head><body><nav>Menu</nav>"
        f"<article><h1>Big News Today</h1>{paragraphs}</article></body></html>"
    )
    raw = read(f)
    assert "Paragraph 3 of the story" in raw.text
    assert "Menu" not in raw.text
    assert raw.meta.get("title") == "Big News Today"


@pytest.fixture
def http_server(tmp_path):
    (tmp_path / "story.txt").write_text("A story served over HTTP.", encoding="utf-8")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(tmp_path), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_urls_are_fetched_and_errors_explained(http_server):
    raw = sources.read(f"{http_server}/story.txt", max_bytes=10_000)
    assert raw.text == "A story served over HTTP."
    assert raw.source_file == "story.txt"
    with pytest.raises(sources.SourceError, match="404"):
        sources.read(f"{http_server}/missing.txt", max_bytes=10_000)
    with pytest.raises(sources.SourceError, match="cannot be reached"):
        sources.read("http://127.0.0.1:9/none", max_bytes=10_000, timeout=2)
    with pytest.raises(sources.SourceError, match="no host"):
        sources.read("http:///path", max_bytes=10_000)
    assert isinstance(next(sources.expand(["ftp://example.org/x"])), sources.SourceError)


# Hostile sources ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://[::1", "not a valid address"),
        ("http://example.org:port/story.txt", "not a valid address"),
        ("http://example.org:99999/story.txt", "not a valid address"),
        ("http://exa mple.org/story.txt", "not a valid address"),
        ("http://:80/story.txt", "no host name"),
    ],
)
def test_malformed_urls_are_refused_before_fetching(url, reason):
    with pytest.raises(sources.SourceError, match=reason):
        sources.read(url, max_bytes=10_000, timeout=2)


@pytest.mark.django_db
def test_a_malformed_url_fails_alone_and_the_batch_goes_on():
    from summit.services.ingest import articles_ingest

    results = articles_ingest(
        targets=["http://[::1", "http://example.org:port/x"], pipeline=object()
    )
    assert [r.outcome for r in results] == ["failed", "failed"]
    assert all("not a valid address" in r.message for r in results)


def _raw_server(respond):
    """A one-connection-at-a-time TCP server answering with ``respond(conn)``."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    stop = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                conn.recv(65536)
                with contextlib.suppress(OSError):
                    respond(conn, stop)

    threading.Thread(target=serve, daemon=True).start()
    return f"http://127.0.0.1:{listener.getsockname()[1]}/story.txt", stop, listener


@pytest.fixture
def raw_server():
    servers = []

    def start(respond):
        url, stop, listener = _raw_server(respond)
        servers.append((stop, listener))
        return url

    yield start
    for stop, listener in servers:
        stop.set()
        listener.close()


HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"


def test_a_slow_drip_is_cut_off_at_the_overall_deadline(raw_server):
    def drip(conn, stop):
        conn.sendall(HEAD + b"Content-Length: 100000\r\n\r\n")
        while not stop.is_set():
            conn.sendall(b"x")
            time.sleep(0.05)  # never idle long enough for a per-read timeout

    url = raw_server(drip)
    started = time.monotonic()
    with pytest.raises(sources.SourceError, match="took too long"):
        sources.read(url, max_bytes=1_000_000, timeout=1.0)
    assert time.monotonic() - started < 3


@pytest.mark.parametrize(
    ("length", "reason"),
    [(5000, "truncated"), (10, "longer than its Content-Length")],
    ids=["shorter", "longer"],
)
def test_a_body_other_than_its_content_length_is_refused(raw_server, length, reason):
    def respond(conn, stop):
        conn.sendall(HEAD + f"Content-Length: {length}\r\n\r\n".encode())
        conn.sendall(b"Only the first words of the story")

    with pytest.raises(sources.SourceError, match=reason):
        sources.read(raw_server(respond), max_bytes=1_000_000, timeout=5)


def test_a_chunked_body_without_its_last_chunk_is_refused(raw_server):
    def cut(conn, stop):
        conn.sendall(HEAD + b"Transfer-Encoding: chunked\r\n\r\n10\r\nOnly the first w\r\n")

    with pytest.raises(sources.SourceError, match="truncated"):
        sources.read(raw_server(cut), max_bytes=1_000_000, timeout=5)


def test_a_complete_chunked_body_is_read(raw_server):
    def whole(conn, stop):
        conn.sendall(HEAD + b"Transfer-Encoding: chunked\r\n\r\n5\r\nHello\r\n0\r\n\r\n")

    assert sources.read(raw_server(whole), max_bytes=1_000, timeout=5).text == "Hello"


def _finishes(call, seconds=10):
    outcome = {}

    def run():
        try:
            outcome["value"] = call()
        except Exception as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the read never ended"
    return outcome


def test_a_fifo_named_like_an_article_is_refused_not_read_forever(tmp_path):
    fifo = tmp_path / "story.txt"
    os.mkfifo(fifo)
    outcome = _finishes(lambda: read(fifo))
    assert isinstance(outcome.get("error"), sources.SourceError)
    assert "not a regular file" in str(outcome["error"])


def test_a_symlink_to_dev_zero_is_refused(tmp_path):
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    outcome = _finishes(lambda: read(link))
    assert "not a regular file" in str(outcome.get("error"))
    found = list(sources.expand([str(tmp_path)]))
    assert [e.reason for e in found] == ["is a link to a file outside the folder (not read)"]


def test_an_unreadable_subfolder_is_reported(tmp_path, monkeypatch):
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "one.txt").write_text("x")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "two.txt").write_text("x")
    real = os.scandir

    def scandir(path="."):
        if str(path).endswith("locked"):  # as root nothing is unreadable: simulated
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = list(sources.expand([str(tmp_path)]))
    assert [f.rsplit("/", 1)[-1] for f in found if isinstance(f, str)] == ["one.txt"]
    errors = [e for e in found if isinstance(e, sources.SourceError)]
    assert [(e.source.rsplit("/", 1)[-1], e.reason) for e in errors] == [
        ("locked", "the folder cannot be read (permission denied)")
    ]


def _dripping(data: bytes):
    def drip(conn, stop):
        for byte in data:
            if stop.is_set():
                return
            conn.sendall(bytes([byte]))
            time.sleep(0.05)  # never idle long enough for a per-read timeout
        while not stop.is_set():
            time.sleep(0.05)

    return drip


@pytest.mark.parametrize(
    "data",
    [
        b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"y" * 400 + b"\r\n\r\n",  # headers drip
        b"HTTP/1.1 200 " + b"O" * 400,  # the status line drips
    ],
)
def test_dripping_headers_are_cut_off_at_the_overall_deadline(raw_server, data):
    url = raw_server(_dripping(data))
    started = time.monotonic()
    with pytest.raises(sources.SourceError, match="took too long"):
        sources.read(url, max_bytes=1_000_000, timeout=1.0)
    assert time.monotonic() - started < 3


def test_a_chain_of_slow_redirects_is_cut_off_at_the_overall_deadline(raw_server):
    hops = itertools.count()

    def slow_redirect(conn, stop):
        time.sleep(0.4)  # each answer well inside a per-read timeout
        where = f"/story-{next(hops)}.txt".encode()  # never the same: no loop to detect
        conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: " + where + b"\r\nContent-Length: 0\r\n\r\n")

    started = time.monotonic()
    with pytest.raises(sources.SourceError, match="took too long|redirect"):
        sources.read(raw_server(slow_redirect), max_bytes=1_000_000, timeout=1.0)
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("target", ["ftp://127.0.0.1/story.txt", "file:///etc/passwd"])
def test_a_redirect_elsewhere_than_http_is_refused(raw_server, target):
    def redirect(conn, stop):
        conn.sendall(
            b"HTTP/1.1 302 Found\r\nLocation: " + target.encode() + b"\r\nContent-Length: 0\r\n\r\n"
        )

    with pytest.raises(sources.SourceError, match="only http|not allowed"):
        sources.read(raw_server(redirect), max_bytes=1_000_000, timeout=5)


def test_a_link_in_a_folder_to_a_file_outside_it_is_not_read(tmp_path):
    secret = tmp_path / "private" / "notes.txt"
    secret.parent.mkdir()
    secret.write_text("Not for publishing.", encoding="utf-8")
    secret.chmod(0o600)
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "story.txt").write_text("A story.", encoding="utf-8")
    (folder / "leak.txt").symlink_to(secret)
    (folder / "again.txt").symlink_to(folder / "story.txt")  # inside: fine
    found = list(sources.expand([str(folder)]))
    paths = [f for f in found if isinstance(f, str)]
    assert paths == [str(folder / "again.txt"), str(folder / "story.txt")]
    [refused] = [f for f in found if isinstance(f, sources.SourceError)]
    assert "leak.txt" in str(refused)
    assert "outside the folder" in str(refused)

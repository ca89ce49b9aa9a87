"""Reading articles: every bad input gets a clear reason."""

import http.server
import threading

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

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    # As root every file is readable, so the refusal is simulated where it would happen.
    monkeypatch.setattr(type(f), "read_bytes", refuse)
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

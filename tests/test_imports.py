"""What Summit imports only when first needed is installed: a broken install shows here, at
the start of the suite, not at an operator's first HTML article (trafilatura, which needs
lxml_html_clean since lxml 6), first progress bar or first PostgreSQL connection."""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest
import spacy

SUMMIT = Path(__file__).resolve().parent.parent / "summit"


def _deferred_imports() -> list[tuple[str, str | None]]:
    """(module, name) for every import made inside a function or a TYPE_CHECKING block."""
    found = set()
    for path in sorted(SUMMIT.rglob("*.py")):
        package = ".".join(path.relative_to(SUMMIT.parent).with_suffix("").parts[:-1])
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = {id(node) for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)}
        for node in ast.walk(tree):
            if id(node) in top:
                continue
            if isinstance(node, ast.Import):
                found.update((alias.name, None) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                module = importlib.util.resolve_name(
                    "." * node.level + (node.module or ""), package
                )
                found.update((module, alias.name) for alias in node.names)
    return sorted(found, key=lambda item: (item[0], item[1] or ""))


DEFERRED = _deferred_imports()


def test_the_deferred_imports_are_found():
    assert ("trafilatura", None) in DEFERRED


@pytest.mark.parametrize(("module", "name"), DEFERRED, ids=lambda v: v or "")
def test_every_deferred_import_resolves(module, name):
    imported = importlib.import_module(module)
    if name is not None and not hasattr(imported, name):
        importlib.import_module(f"{module}.{name}")  # a submodule, e.g. from x import y


def test_the_database_drivers_and_the_configured_spacy_pipeline_are_installed(settings):
    importlib.import_module("psycopg")  # PostgreSQL, when DATABASE_URL names it
    assert spacy.util.is_package(settings.SUMMIT_SPACY_MODEL), settings.SUMMIT_SPACY_MODEL

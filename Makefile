# Summit — the two commands a newcomer needs:
#   make serve   set everything up, ingest the seed articles, serve http://127.0.0.1:8000/
#   make test    set everything up and run the whole test suite
#   make check   what CI runs: lint, format, migrations, types, then make test
# Both need only Python 3.11+ and make; they create .venv and install into it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The tests run in one process per core (pytest-xdist); PYTEST_ARGS= runs them in one.
PYTEST_ARGS ?= -n auto

.PHONY: serve test test-db check lint typecheck setup browser bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Summit needs Python 3.11 or newer (found $$($(PYTHON) --version))."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

serve: setup
	$(BIN)/python manage.py ingest seeds/
	@echo "Summit is at http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

# Browser tests drive Debian's Chromium; install it when it is missing and we may.
browser:
	@test -x /usr/bin/chromium || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; \
		elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
			(sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; \
		else echo "note: /usr/bin/chromium is missing, so browser tests will be skipped"; fi; }

test: $(STAMP) browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The tests that use the database, alone: for a second database, e.g.
#   DATABASE_URL=postgres://user:pass@host:5432/summit make test-db
# (the language layer's and the browser's tests do not depend on it and run under `make test`).
test-db: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS) -m "db and not browser"

# Style and consistency: lint (Python and templates), formatting, no model change
# without its migration.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(BIN)/python manage.py makemigrations --check --dry-run

typecheck: $(STAMP)
	$(BIN)/mypy

# Everything CI holds the code to, then the whole suite (the README's `make test`).
check: lint typecheck test

# Benchmarks print figures; they are not tests. Every script in bench/, each with its
# defaults (bench/_setup.py is what they share); a missed target is reported, not fatal.
bench: setup
	@for script in bench/[a-z]*.py; do \
		echo "== $$script"; \
		$(BIN)/python $$script || echo "($$script exited with $$?)"; \
	done

clean:
	rm -rf $(VENV) staticfiles .pytest_cache tests/artifacts

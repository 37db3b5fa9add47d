# JoinedUp — every developer and CI command. `make run` and `make test` are the quick start.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_BOOT ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
CSS := build/static/css/application.css
JS := build/static/js/application.mjs
CHROMIUM ?= /usr/bin/chromium

# Development settings for the server and operator targets; the test targets name their own.
export DJANGO_SETTINGS_MODULE ?= joinedup.config.settings.development
TEST_SETTINGS := --ds=joinedup.config.settings.test

.PHONY: help setup run serve test test-fast lint format migrate demo worker bench bench-insights check-deploy browser clean demo-linkage deploy-check reliability

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

setup: $(VENV)/.installed node_modules/.installed $(CSS) $(JS) ## install Python and npm packages, compile the GOV.UK Frontend CSS

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON_BOOT) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "JoinedUp needs Python 3.11; found " + sys.version)'
	test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check --upgrade pip
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(CSS): node_modules/.installed $(wildcard assets/scss/*.scss)
	mkdir -p $(dir $@)
	npx sass --pkg-importer=node --style=compressed --no-source-map --quiet-deps assets/scss/application.scss $@

$(JS): node_modules/.installed $(wildcard assets/js/*)
	mkdir -p $(dir $@) build/static/images
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js build/static/js/govuk-frontend.min.js
	cp assets/js/* build/static/js/
	cp assets/images/* build/static/images/

PDF_FONT ?= /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf

browser: ## Debian's Chromium for the browser tests (never `playwright install`) and the font police PDFs embed
	@if [ ! -x $(CHROMIUM) ] || [ ! -f $(PDF_FONT) ]; then \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; \
	  else echo "Needs Debian's chromium and fonts-dejavu-core: sudo apt-get install -y chromium fonts-dejavu-core" >&2; exit 1; fi; \
	fi

migrate: setup ## apply database migrations
	$(MANAGE) migrate --no-input

demo: migrate ## load the demo partnership (once; it is skipped when already loaded)
	$(MANAGE) demo_data --if-empty

run: demo ## install, migrate SQLite, load demo data, serve on http://127.0.0.1:8000 with the worker and deadline checks
	$(MANAGE) demo_data --print-sign-ins
	@# As in production: a background worker sends notifications, deadlines are checked every 5 minutes.
	@# Both stop with the server (Ctrl+C).
	@trap 'kill $$worker $$deadlines 2>/dev/null; wait' EXIT INT TERM; \
	  $(MANAGE) worker --interval 2 & worker=$$!; \
	  $(MANAGE) check_deadlines --every 300 & deadlines=$$!; \
	  $(MANAGE) runserver $(HOST):$(PORT)

worker: migrate ## run a background worker (notifications) with the heartbeat /readyz reads
	$(MANAGE) worker

deploy-check: setup ## boot production settings with gunicorn after collectstatic; fetch a page and /readyz (DATABASE_URL)
	bash .ci/deploy-check

lint: setup ## ruff, mypy (django-stubs) and the import-linter contracts
	$(VENV)/bin/ruff check src tests benchmarks conftest.py
	$(VENV)/bin/ruff format --check src tests benchmarks conftest.py
	$(VENV)/bin/mypy src
	cd src && ../$(VENV)/bin/lint-imports --config ../pyproject.toml

format: setup ## apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix src tests benchmarks conftest.py
	$(VENV)/bin/ruff format src tests benchmarks conftest.py

check-deploy: setup ## Django's deployment checks under production settings, warnings fail
	DJANGO_SETTINGS_MODULE=joinedup.config.settings.production DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  ALLOWED_HOSTS=joinedup.example $(MANAGE) check --deploy --fail-level WARNING

test: setup browser lint check-deploy ## install everything and run the whole suite (DATABASE_URL picks the database)
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest $(TEST_SETTINGS) $(PYTEST_ARGS)

test-fast: setup ## the suite without the browser tests
	$(VENV)/bin/pytest $(TEST_SETTINGS) -m "not browser" $(PYTEST_ARGS)

bench: setup ## performance ratios against a same-run baseline, then the load run (see benchmarks/README.md); BENCH_LINKAGE="--sizes 100000" adds linkage
	$(PY) benchmarks/run.py $(BENCH_ARGS)
	$(PY) benchmarks/load.py $(LOAD_ARGS)
	@if [ -n "$(BENCH_LINKAGE)" ]; then $(PY) benchmarks/linkage.py $(BENCH_LINKAGE); fi

bench-insights: setup ## dashboards over aggregates equal to 10M incidents, and the refresh cost (PostgreSQL; benchmarks/README.md)
	$(PY) benchmarks/insights.py $(BENCH_ARGS)

LINKAGE_DEMO := build/linkage-demo
demo-linkage: demo ## one generated CSV per demo agency, imported and linked (about 3,000 records; see docs/linkage.md)
	PYTHONPATH=src $(PY) -m joinedup.linkage.synthetic --records 3000 --out $(LINKAGE_DEMO)
	for file in $(LINKAGE_DEMO)/*.csv; do $(MANAGE) import_people $$file --agency $$(basename $$file .csv) --no-progress || exit 1; done
	$(MANAGE) link_people

RELIABILITY_ARGS ?=
reliability: setup ## schemathesis, locust, concurrency, kill -9 and database stop, backup/restore on a throwaway PostgreSQL
	$(PY) benchmarks/reliability/run.py $(RELIABILITY_ARGS)

clean: ## remove installed and built files (keeps the database)
	rm -rf $(VENV) node_modules build .pytest_cache .mypy_cache .ruff_cache

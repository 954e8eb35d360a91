# Petits Pas — the two commands are `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTHON3 ?= python3
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo test quality fix test-sqlite test-postgres test-browser bench clean

install: $(STAMP) $(NODE_STAMP)
	scripts/ensure-pdf-libraries.sh

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON3) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.lock
	$(PIP) install --quiet --no-deps -e .
	$(PIP) check
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $(NODE_STAMP)

demo: install
	mkdir -p var
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

quality: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/djlint petitspas --lint
	$(VENV)/bin/lint-imports
	DEBUG=1 $(PY) manage.py check
	DEBUG=1 DATABASE_URL=sqlite:///:memory: $(PY) manage.py makemigrations --check --dry-run

fix: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test-sqlite: install
	DATABASE_URL= $(VENV)/bin/pytest -m "not browser" -n 2 -q

test-postgres: install
	scripts/with-postgres.sh $(VENV)/bin/pytest -m "not browser" -n 2 -q
	# Again with a streaming replica: the router and the replica's lag (core/tests/test_replica.py).
	PG_REPLICA=1 scripts/with-postgres.sh $(VENV)/bin/pytest petitspas/core/tests/test_replica.py -q

test-browser: install
	scripts/ensure-chromium.sh
	DATABASE_URL= $(VENV)/bin/pytest -m browser -q

test: quality test-sqlite test-postgres test-browser

# Département scale by default (about 8 min on 2 cores); `make bench BENCH_SCALE=town` for a
# quick run. Results: bench/results.json and the table printed at the end (bench/README.md).
BENCH_SCALE ?= departement
bench: install
	$(PIP) install --quiet -r bench/requirements.lock  # DuckDB, the analyst's reference
	bench/ensure-wrk.sh
ifeq ($(BENCH_SCALE),region)
# Eight départements, PostgreSQL only, with a streaming replica for the figures.
	PG_REPLICA=1 scripts/with-postgres.sh $(PY) bench/run.py --scale region --databases postgres
else
	scripts/with-postgres.sh $(PY) bench/run.py --scale $(BENCH_SCALE)
endif

clean:
	rm -rf $(VENV) node_modules staticfiles

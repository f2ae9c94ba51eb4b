# pmo — the two commands a new user needs: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
# Python 3.12 or newer: python3.13, python3.12, or python3 when it is new enough (pyenv reads
# .python-version). Override with `make run PYTHON=/path/to/python3.12`.
PYTHON ?= $(shell for candidate in python3.13 python3.12 python3; do \
	  path=$$(command -v $$candidate 2>/dev/null) || continue; \
	  $$path -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$path; break; }; \
	done)

.PHONY: help run test bench bench-psplib lint contracts migrations-check browser clean

help:
	@echo "make run    set up .venv, migrate, load the demo when empty, serve on http://127.0.0.1:8000"
	@echo "make test   set up .venv with test tools, then lint, import contracts, migrations check, tests"
	@echo "make bench  run every benchmark at its default size (PSPLIB on a sample)"
	@echo "make bench-psplib  the whole PSPLIB table: j30 and j60, pmo beside PyJobShop (about 90 minutes)"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "pmo needs Python 3.12 or newer: install it, or pass PYTHON=/path/to/python3.12"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv

$(VENV)/.runtime-installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $@

$(VENV)/.test-installed: $(VENV)/.runtime-installed requirements-test.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements-test.lock
	@touch $@

# Benchmarks also compare with other solvers (PyJobShop for PSPLIB), which the product never loads.
$(VENV)/.bench-installed: $(VENV)/.test-installed requirements-bench.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements-bench.lock
	@touch $@

run: $(VENV)/.runtime-installed
	$(BIN)/pmo migrate --verbosity 0
	$(BIN)/pmo demo --if-empty
	$(BIN)/pmo serve

browser:
	@command -v chromium >/dev/null || { echo "Installing the system Chromium for browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; }

lint: $(VENV)/.test-installed
	$(BIN)/ruff check src tests benchmarks

contracts: $(VENV)/.test-installed
	$(BIN)/lint-imports --no-cache

migrations-check: $(VENV)/.test-installed
	PMO_VAR_DIR=$$(mktemp -d) $(BIN)/pmo manage makemigrations --check --dry-run

# PMO_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) runs the Django suite on
# PostgreSQL; the engine's tests use no database, so they run only without it (make test on SQLite).
# The Django suite runs on two processes (a test file stays on one, so its module fixtures are built
# once); PMO_TEST_PROCESSES=1 runs it on one.
test: $(VENV)/.test-installed browser lint contracts migrations-check
	@if [ -z "$${PMO_TEST_DATABASE_URL}" ]; then $(BIN)/pytest tests/engine -p no:django -q; \
	  else echo "Engine tests: they use no database, so they ran in make test without PMO_TEST_DATABASE_URL"; fi
	PMO_DATABASE_URL="$${PMO_TEST_DATABASE_URL:-sqlite:///:memory:}" PMO_VAR_DIR=$$(mktemp -d) PMO_DATABASE_CONN_MAX_AGE=0 \
	  DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -q -p no:cacheprovider --ignore=tests/engine \
	  -n $${PMO_TEST_PROCESSES:-2} --dist loadfile

bench: $(VENV)/.bench-installed
	$(BIN)/pmo bench cpm
	$(BIN)/pmo bench capacity
	$(BIN)/pmo bench lists
	$(BIN)/pmo bench rebalance
	$(BIN)/pmo bench capacity_pages
	$(BIN)/pmo bench mpsplib
	$(BIN)/pmo bench psplib --limit 20
	$(BIN)/pmo bench psplib ../shared/data/psplib/j60 --heuristic-only

# The whole PSPLIB table, pmo and PyJobShop side by side: j30 with up to 60 s per instance (the
# hardest few need 10-30 s to be proven optimal; most take a fraction of a second), j60 at 10 s,
# and the heuristic alone on j60. About an hour and a half on two cores.
bench-psplib: $(VENV)/.bench-installed
	$(BIN)/pmo bench psplib ../shared/data/psplib/j30 --time-limit 60
	$(BIN)/pmo bench psplib ../shared/data/psplib/j60 --time-limit 10
	$(BIN)/pmo bench psplib ../shared/data/psplib/j60 --heuristic-only --schedules 5000

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

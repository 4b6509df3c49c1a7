# SDM Kesos. `make demo` and `make test` work on a fresh machine with python3.11, npm and make.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
VENDOR := src/sdmkesos/static/vendor
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/sdmkesos
PYTEST_ARGS ?=
WORKERS ?= 2

.PHONY: help install assets demo seed serve test test-sqlite test-pg lint typecheck browser bench-registry messages clean

help:
	@echo "make demo   - install, set up SQLite with reference + demo data, serve on http://127.0.0.1:8000"
	@echo "make test   - the whole suite (SQLite; PostgreSQL too when CI=true or TEST_PG=1)"

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==0.13.8

$(VENV)/.synced: $(BIN)/uv pyproject.toml uv.lock
	$(BIN)/uv sync --frozen --quiet --compile-bytecode
	@touch $@

$(VENDOR)/.stamp: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp frontend/node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp frontend/node_modules/bootstrap/dist/css/bootstrap.min.css $(VENDOR)/
	cp frontend/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/
	@touch $@

install: $(VENV)/.synced $(VENDOR)/.stamp

assets: $(VENDOR)/.stamp

demo: install
	$(BIN)/sdmkesos setup
	$(BIN)/sdmkesos demo

seed: install
	$(BIN)/sdmkesos setup
	$(BIN)/sdmkesos demo --no-serve

serve: install
	$(BIN)/sdmkesos serve

# Chromium for the browser journeys (Debian package; needs root). Without it they are skipped.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "chromium not installed: browser journeys will be skipped"; }

test: install browser
	$(MAKE) test-sqlite
	@if [ "$${CI:-}" = "true" ] || [ -n "$${TEST_PG:-}" ]; then $(MAKE) test-pg; fi

test-sqlite:
	env -u DATABASE_URL $(BIN)/pytest -n $(WORKERS) $(PYTEST_ARGS)

test-pg:
	DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -n $(WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install
	$(BIN)/mypy

messages: install
	cd src/sdmkesos && ../../$(BIN)/sdmkesos makemessages -l en --no-obsolete && ../../$(BIN)/sdmkesos compilemessages

bench-registry: install
	$(BIN)/python bench/registry.py

clean:
	rm -rf $(VENV) var frontend/node_modules $(VENDOR)

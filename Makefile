# trafikplan: `make run` runs the whole chain on the sample, `make test` runs every test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= data/measurements
OUT ?= out

.PHONY: run test test-fast typecheck install lint sample bench clean chromium

# What the chain needs (make run) ...
$(BIN)/trafikplan: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

# ... and the test tools and the web app's libraries on top (make test, lint, fuzz, bench).
$(VENV)/.test-tools: pyproject.toml $(BIN)/trafikplan
	$(BIN)/pip install --quiet -e '.[test,serve]'
	touch $@

install: $(VENV)/.test-tools

run: $(BIN)/trafikplan
	$(BIN)/trafikplan run $(DATA) -o $(OUT)

test: install chromium
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 --nbmake tests notebooks

# The quick loop while working: every test but the end-to-end ones (@pytest.mark.slow).
test-fast: install
	$(BIN)/python -m pytest -n 2 -q -m "not slow" tests

# Static types with pandas-stubs (also part of `make test`).
typecheck: install
	$(BIN)/mypy

# Headless Chromium renders the PDFs and the browser tests; installed from Debian only when missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core; }

lint: install
	$(BIN)/ruff check src tests benchmarks

sample: $(BIN)/trafikplan
	$(BIN)/python -m trafikplan.sample $(DATA)

bench: install
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(OUT) $(DATA)/.trafikplan

# Long property-based fuzzing of every reader and the import (>= FUZZ cases; prints the count).
FUZZ ?= 10000
.PHONY: fuzz
fuzz: install
	TRAFIKPLAN_FUZZ=$(FUZZ) $(BIN)/python -m pytest -s -q -p no:cacheprovider tests/test_fuzz_readers.py

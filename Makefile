# trafikplan: `make run` runs the whole chain on the sample, `make test` runs every test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= data/measurements
OUT ?= out

.PHONY: run test install lint sample bench clean

$(BIN)/trafikplan: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/trafikplan

run: install
	$(BIN)/trafikplan run $(DATA) -o $(OUT)

test: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -n 2 --nbmake tests notebooks

lint: install
	$(BIN)/ruff check src tests benchmarks

sample: install
	$(BIN)/python -m trafikplan.sample $(DATA)

bench: install
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(OUT) $(DATA)/.trafikplan

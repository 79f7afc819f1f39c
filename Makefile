# Two commands on a fresh machine with Python 3.11, make and git:
#   make demo   set up, start the local sandbox, run the main job on the example policies
#   make test   set up and run every check (tests, ruff, mypy) through tox
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup demo test test-fast lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: setup
	$(BIN)/python scripts/demo.py

test: setup
	$(BIN)/tox run

test-fast: setup
	$(BIN)/pytest -q -x

lint: setup
	$(BIN)/ruff check opskit tests benchmarks
	$(BIN)/mypy

bench: setup
	$(BIN)/python benchmarks/validate.py

clean:
	rm -rf $(VENV) .tox .mypy_cache .ruff_cache .pytest_cache .hypothesis build dist

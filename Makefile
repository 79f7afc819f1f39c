# Two commands on a fresh machine with Python 3.11, make and git:
#   make demo   set up, start the local sandbox, run the main job on the example policies
#   make test   set up and run every check (tests, ruff, mypy) through tox
# Both install the exact versions in requirements/dev.lock, refreshed by `make lock`;
# `make test-latest` runs the same checks on the newest versions pyproject.toml allows.
# The page tests (tests/browser) also want Debian's Chromium and npm, for axe-core; without
# them they skip, except under CI=true, where .ci/run installs both first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Hash-checked, nothing resolved, wheels only: set-up chooses and builds nothing itself.
LOCKED_INSTALL := -m pip install --quiet --require-hashes --no-deps --only-binary :all:
UV_VERSION := 0.13.9
# One lock for every platform (x86_64 and aarch64 Linux among them) with the hash of every
# file, at the newest versions pyproject.toml's ranges allow.
LOCK_FLAGS := --universal --python-version 3.11 --generate-hashes --upgrade \
	--custom-compile-command 'make lock'
NPM := $(shell command -v npm)
BROWSER_STAMP := tests/browser/node_modules/.installed-stamp

.PHONY: setup browser-setup demo test test-latest test-fast lint bench lock clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements/dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python $(LOCKED_INSTALL) -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# axe-core at the version tests/browser/package-lock.json pins, again only when that changes;
# nothing without npm (the page tests skip then)
browser-setup: $(if $(NPM),$(BROWSER_STAMP))

$(BROWSER_STAMP): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund
	touch $(BROWSER_STAMP)

demo: setup
	$(BIN)/python scripts/demo.py

test: setup browser-setup
	$(BIN)/tox run

test-latest: setup browser-setup
	$(BIN)/tox run -e latest

test-fast: setup browser-setup
	$(BIN)/pytest -q -x

lint: setup
	$(BIN)/ruff check opskit tests benchmarks action
	$(BIN)/mypy
	$(BIN)/mypy --strict action/run.py action/opskit_action

bench: setup
	$(BIN)/python benchmarks/run.py

# Re-resolves both locks with a pinned uv from a throwaway venv; commit what it writes.
lock:
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(PYTHON) -m venv "$$tmp" && \
	"$$tmp/bin/python" -m pip install --quiet uv==$(UV_VERSION) && \
	"$$tmp/bin/uv" pip compile $(LOCK_FLAGS) pyproject.toml --all-extras requirements/dev.in \
		-o requirements/dev.lock && \
	"$$tmp/bin/uv" pip compile $(LOCK_FLAGS) pyproject.toml requirements/runtime.in \
		-c requirements/dev.lock -o requirements/runtime.lock

clean:
	rm -rf $(VENV) .tox .mypy_cache .ruff_cache .pytest_cache .hypothesis build dist \
		tests/browser/node_modules

# `make` builds every PDF into out/; `make test` runs the test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: all build check test lint clean messages

all: build

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/booklet build

check: $(STAMP)
	$(BIN)/booklet check

test: $(STAMP)
	$(BIN)/ruff check booklet tests
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check booklet tests

# Re-extract interface strings from the layouts and merge them into the committed .po files.
messages: $(STAMP)
	$(BIN)/python -m booklet.i18n_tools

clean:
	rm -rf out .pytest_cache

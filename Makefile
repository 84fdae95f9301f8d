# `make` builds every PDF into out/; `make test` runs the test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: all build check test lint clean messages references

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

# After an intended change of the layout or the texts: redraw the visual references
# (tests/references/*.png) and the layout README's page images; review them before committing.
references: $(STAMP)
	$(BIN)/python -m tests.refresh_references --docs

clean:
	rm -rf out .pytest_cache

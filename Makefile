# `make` builds every PDF into out/; `make test` runs the test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

LOCK := requirements.lock

.PHONY: all build check test lint clean messages references lock mutants bench

all: build

# Every dependency comes from the hashed lock (exact versions, verified files); booklet itself is
# installed editable on top, without resolving anything again.
$(STAMP): pyproject.toml $(LOCK)
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# After changing the dependencies in pyproject.toml: resolve them again, with every file's hash.
lock:
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet 'uv>=0.4'
	echo "setuptools>=68  # the build backend of pyproject.toml, for --no-build-isolation" \
		| $(BIN)/uv pip compile pyproject.toml - --extra test --generate-hashes --universal \
		--python-version 3.11 --index-url https://pypi.org/simple --quiet -o $(LOCK)

build: $(STAMP)
	$(BIN)/booklet build

check: $(STAMP)
	$(BIN)/booklet check

# Stage times, floor (plain WeasyPrint), no-op, one-edit and watch latency, peak memory: on the
# shipped corpus and a 20× corpus. Writes the tables to bench.md (the README quotes them).
bench: $(STAMP)
	$(BIN)/python -m booklet.bench --times 20 --repeat 3 --output bench.md

# The EPUB tests validate with Debian's epubcheck (Java): installed here when missing and we may
# (root with apt-get); otherwise those tests fail and say how to install it (see tests/test_epub.py).
EPUBCHECK := /usr/share/java/epubcheck.jar

# Two workers (pytest-xdist) that take tests from each other when idle (worksteal), so both end
# together; each real build several test files read is made once per session for both workers
# (tests/conftest.py: once_per_session). `pytest tests/test_x.py` alone runs in one process as usual.
# Python's bytecode cache is written even where the environment turns it off (PYTHONDONTWRITEBYTECODE,
# set on this machine kind): otherwise each worker, and each `booklet` process a test starts, compiles
# booklet and rewrites the tests' asserts anew on every run (≈ 2 s of CPU a worker; __pycache__ is ignored by git).
test: $(STAMP) $(EPUBCHECK)
	$(BIN)/ruff check booklet tests
	$(BIN)/mypy
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n 2 --dist worksteal

$(EPUBCHECK):
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get install -y --no-install-recommends epubcheck || \
		 (apt-get update && apt-get install -y --no-install-recommends epubcheck)) >/dev/null; \
	else echo "epubcheck is not installed and cannot be installed here: the EPUB tests will fail"; fi

lint: $(STAMP)
	$(BIN)/ruff check booklet tests
	$(BIN)/mypy

# Re-extract interface strings from the layouts and merge them into the committed .po files.
messages: $(STAMP)
	$(BIN)/python -m booklet.editorial.i18n_tools

# After an intended change of the layout or the texts: redraw the visual references
# (tests/references/*.png) and the layout README's page images; review them before committing.
references: $(STAMP)
	$(BIN)/python -m tests.refresh_references --docs

# Mutation testing of the pure modules against their own tests ([tool.mutmut] in pyproject.toml);
# slow (≈ 4000 mutants, about an hour on 2 cores), so not part of `make test`. Prints the score and
# the surviving mutants; `.venv/bin/mutmut show NAME` shows one. One module at a time:
# `make mutants MODULE=booklet.press.publish` (a mutant name pattern: `MODULE=booklet.press.impose.x_creep*`
# narrows to one function); the table then lists the other modules' mutants as unrun.
MODULE ?=
mutants: $(STAMP)
	$(BIN)/mutmut run --max-children 2 $(if $(MODULE),'$(MODULE)*') > /dev/null || true
	$(BIN)/mutmut results --all true | $(BIN)/python -m tests.mutation_score

clean:
	rm -rf out .pytest_cache

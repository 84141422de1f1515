# newsdesk: the habits, one command each. `make run` and `make test` set everything up on a fresh machine.
# `make run` installs only what running needs; the test, benchmark and LLM-serving extras come with `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
STAMP := $(VENV)/.installed
PORT ?= 8080
DEMO_PORT ?= 8090

.PHONY: run test lint bench screenshots eval demo clean

$(VENV)/bin/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e .
	touch $(RUN_STAMP)

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $(STAMP) $(RUN_STAMP)

tests/web/node_modules/axe-core/axe.min.js: tests/web/package.json
	npm install --silent --no-audit --no-fund --prefix tests/web

run: $(RUN_STAMP)
	$(BIN)/newsdesk run --port $(PORT) --demo-port $(DEMO_PORT)

test: $(STAMP) tests/web/node_modules/axe-core/axe.min.js
	$(BIN)/ruff check newsdesk tests bench scripts
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check newsdesk tests bench scripts
	$(BIN)/python -m mypy

bench: $(STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/cluster.py
	$(BIN)/python bench/ai.py
	$(BIN)/python bench/serve.py

screenshots: $(STAMP) tests/web/node_modules/axe-core/axe.min.js
	$(BIN)/python scripts/screenshots.py

eval: $(STAMP)
	$(BIN)/python ../shared/eval/ingest/check.py --cli $(BIN)/newsdesk
	$(BIN)/python ../shared/eval/clustering/check.py --cli $(BIN)/newsdesk
	$(BIN)/python ../shared/eval/ai/check.py --cli $(BIN)/newsdesk

demo: $(RUN_STAMP)
	$(BIN)/newsdesk demo

clean:
	rm -rf $(VENV) data .pytest_cache tests/web/node_modules

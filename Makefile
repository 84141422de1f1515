# newsdesk: the habits, one command each. `make run` and `make test` set everything up on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench screenshots eval demo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $(STAMP)

tests/web/node_modules/axe-core/axe.min.js: tests/web/package.json
	npm install --silent --no-audit --no-fund --prefix tests/web

run: $(STAMP)
	$(BIN)/newsdesk run --port 8080

test: $(STAMP) tests/web/node_modules/axe-core/axe.min.js
	$(BIN)/ruff check newsdesk tests bench scripts
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check newsdesk tests bench scripts

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

demo: $(STAMP)
	$(BIN)/newsdesk demo

clean:
	rm -rf $(VENV) data .pytest_cache tests/web/node_modules

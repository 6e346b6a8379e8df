# Two commands matter: `make run` (set up + chat UI) and `make test` (set up + every test).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501
# Test processes: one per core by default (pytest-xdist); TEST_WORKERS=0 runs everything in this one process.
TEST_WORKERS ?= auto

.PHONY: setup knowledge run serve test eval bench soak lint browser postgres clean

setup: $(STAMP)

$(STAMP): pyproject.toml Makefile
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,postgres,server]'
	@touch $(STAMP)

# Refreshes the built-in source only: --prune without paths never removes other sources' documents (other
# hosts' on a shared Chroma server, or your own folders); older stores are migrated to source-relative ids.
knowledge: setup
	$(BIN)/consultant ingest --prune --quiet

run: setup knowledge
	@echo "Serving the consultant on http://localhost:$(PORT)"
	$(BIN)/consultant ui --port $(PORT)

# The LangGraph Agent Server (in-memory, for development) on http://127.0.0.1:$(SERVE_PORT); langgraph.json names the
# graph. The variables keep it offline: no CLI analytics, no version check against PyPI, no LangSmith tracing.
SERVE_PORT ?= 2024
serve: setup knowledge
	LANGGRAPH_CLI_NO_ANALYTICS=1 LANGGRAPH_NO_VERSION_CHECK=true LANGSMITH_TRACING=$${LANGSMITH_TRACING:-false} \
		$(BIN)/langgraph dev --no-browser --host 127.0.0.1 --port $(SERVE_PORT) --no-reload

browser:
	@bash scripts/ensure-chromium.sh
	@bash scripts/ensure-axe.sh

postgres:
	@bash scripts/ensure-postgres.sh

lint: setup
	$(BIN)/ruff check consultant tests evals scripts
	$(BIN)/mypy consultant

test: setup lint browser postgres
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal

eval: setup knowledge
	$(BIN)/python -m evals.report

bench: setup knowledge
	$(BIN)/python -m evals.bench

# Bounded (~4 min): kill -9 mid-turn x10, 2 processes x 8 threads for 30 s, 4 sessions for 2 min; prints figures.
soak: setup
	$(BIN)/python scripts/soak.py

clean:
	rm -rf .consultant evals/reports .pytest_cache .mypy_cache .ruff_cache .cache/axe

# Two entry points for a fresh machine: `make demo` (the main job on the embedded default data)
# and `make test` (the whole test suite). Each makes its own virtual environment and installs what it
# needs: torch==2.13.0 first (the CPU build on local disk), then the project.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_HOME ?= $(CURDIR)/demo-home

.PHONY: demo test bench bench-quick clean-demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.core: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.core

demo: $(VENV)/.core
	rm -rf $(DEMO_HOME)
	CURATE_HOME=$(DEMO_HOME) $(BIN)/curate generate --tissue liver
	CURATE_HOME=$(DEMO_HOME) $(BIN)/curate generate --tissue all
	CURATE_HOME=$(DEMO_HOME) $(BIN)/curate versions

test: $(VENV)/.dev
	$(BIN)/python -m pytest -q

bench: $(VENV)/.dev
	$(BIN)/python bench/run.py

bench-quick: $(VENV)/.dev
	$(BIN)/python bench/run.py --quick

clean-demo:
	rm -rf $(DEMO_HOME)

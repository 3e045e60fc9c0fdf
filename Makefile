# Wild Rydes module 2 kit. `make workshop` and `make test` set everything up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMPS := .make
# JupyterLab refuses to run as root unless told; containers and CI machines often are root.
ROOT_OK := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: setup workshop test test-fast lint run bench clean website-words

setup: $(STAMPS)/python $(STAMPS)/npm $(STAMPS)/amplify $(STAMPS)/axe

# Re-installs only when pyproject.toml changes (incremental, not every time).
$(STAMPS)/python: pyproject.toml
	@mkdir -p $(STAMPS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

# The website's Amazon Cognito Identity SDK, exactly as the lock file pins it.
$(STAMPS)/npm: website/package-lock.json
	@mkdir -p $(STAMPS)
	cd website && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Amplify JS v6, the test suite's fourth independent Cognito client, as its lock file pins it.
$(STAMPS)/amplify: tests/integration/amplify/package-lock.json
	@mkdir -p $(STAMPS)
	cd tests/integration/amplify && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# axe-core, the accessibility engine the browser tests run on every page, as its lock file pins it.
$(STAMPS)/axe: tests/browser/axe/package-lock.json
	@mkdir -p $(STAMPS)
	cd tests/browser/axe && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# What the workshop runs, and nothing it does not: the kit with its browser extra (notebook 07's
# walk in Chromium) and the website's SDK; no test or lint tools, no Amplify (`make setup` and
# `make test` add those). A no-op once `make setup` has installed everything.
$(STAMPS)/kit: pyproject.toml
	@mkdir -p $(STAMPS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[browser]"
	@touch $@

# Module 1 only (the website bucket): notebooks 01-03 create the pool, client and config.js;
# a second run says where the learner is and what is next. JupyterLab opens on workspace/, the
# learner's gitignored copy of notebooks/; `make workshop ARGS="--port 8899 --no-browser"`
# hands ARGS to JupyterLab.
workshop: $(STAMPS)/kit $(STAMPS)/npm
	$(BIN)/wildrydes local start
	$(BIN)/wildrydes module1
	$(BIN)/wildrydes workspace
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=workspace $(ROOT_OK) $(ARGS)

# Every tier, on one pytest-xdist worker per logical CPU (WORKERS=0: all in this process). Each
# worker starts its own embedded backend, browser and JupyterLab as its tests need them; tests
# are handed out one by one in collection order (slow tiers first, pyproject.toml), except that
# a browser module or the aws tier stays on one worker (tests/conftest.py).
WORKERS ?= logical
test: setup lint
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup --no-loadscope-reorder

# The quick loop: the unit, in-process service and integration tiers (no notebooks, browser
# or JupyterLab), on two workers (pytest-xdist): each worker starts its own embedded backend.
test-fast: setup
	$(BIN)/python -m pytest -q -n 2 tests/unit tests/service tests/integration

# Style, format, types (mypy strict) and the layers (import-linter's contracts in pyproject.toml).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# The website's next steps and password words, generated from the Python table (committed).
website-words: setup
	$(BIN)/python -m wildrydes.tools.website_words

run: setup
	$(BIN)/python -m wildrydes.tools.batch $(ARGS)

bench: setup
	$(BIN)/python benchmarks/floors.py
	$(BIN)/python benchmarks/srp_bench.py
	$(BIN)/python benchmarks/signin_bench.py
	$(BIN)/python benchmarks/up_bench.py
	$(BIN)/python benchmarks/cognito_bench.py
	$(BIN)/python benchmarks/server_limits.py

clean:
	-$(BIN)/wildrydes local stop
	rm -rf $(VENV) $(STAMPS) website/node_modules tests/integration/amplify/node_modules tests/browser/axe/node_modules runs .pytest_cache .ruff_cache .mypy_cache .import_linter_cache

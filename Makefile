# Two commands on a fresh machine (Python 3.11+ and make): `make demo`, then `make test`.
PYTHON ?= python3
UV_VERSION := 0.13.8
UV := .tools/bin/uv
VENV := .venv

.PHONY: demo test test-fast lint format setup dev bench clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	touch $@

setup: $(VENV)/.synced

demo: setup
	$(VENV)/bin/gongkai demo

test: setup
	$(VENV)/bin/pytest

test-fast: setup  # everything but the tests marked slow (whole pipeline runs, subprocesses, property searches)
	$(VENV)/bin/pytest -m "not slow"

lint: setup  # what CI runs before the tests: formatting, lint rules, strict types on schemas/ and the tables stage
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

dev: setup
	DAGSTER_HOME=$(CURDIR)/data/dagster $(VENV)/bin/python -c "from pipelines.settings import dagster_home; dagster_home()"
	DAGSTER_HOME=$(CURDIR)/data/dagster $(VENV)/bin/dagster dev

bench: $(UV)
	$(UV) sync --frozen --compile-bytecode --group bench --python $(PYTHON)
	$(VENV)/bin/gongkai bench --scale $(or $(SCALE),province)
	rm -f $(VENV)/.synced  # the next `make test` syncs back to the default groups

clean:
	rm -rf data/warehouse data/dagster

# Two commands on a fresh clone: `make run` and `make test`. Each installs what it needs.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)

.PHONY: run test bench lint setup

$(UV):
	python3 -m pip install --user --quiet uv

setup: $(UV)
	$(UV) sync --quiet --frozen

run: setup
	$(UV) run --frozen dondoc parse src/dondoc/samples/1317-CV-TU.md

test: setup
	$(UV) run --frozen pytest

bench: setup
	$(UV) run --frozen python -m benchmarks

lint: setup
	$(UV) run --frozen ruff check src tests benchmarks

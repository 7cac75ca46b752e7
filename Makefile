# Two commands on a fresh clone: `make run` and `make test`. Each installs what it needs.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3 2>/dev/null || echo python3)
# Where `pip install --user` puts scripts (usually ~/.local/bin); the uv installer fallback uses it too.
USER_BIN := $(shell $(PYTHON) -m site --user-base 2>/dev/null || echo $(HOME)/.local)/bin
UV ?= $(shell command -v uv 2>/dev/null || echo $(USER_BIN)/uv)

.PHONY: run test test-postgresql bench lint setup

# uv from PyPI into the user site (allowed past PEP 668: it touches no system package),
# or, without pip, astral's standalone installer into the same directory.
$(UV):
	$(PYTHON) -m pip install --user --quiet uv 2>/dev/null \
	  || $(PYTHON) -m pip install --user --quiet --break-system-packages uv 2>/dev/null \
	  || curl -LsSf https://astral.sh/uv/install.sh | env UV_UNMANAGED_INSTALL="$(USER_BIN)" sh
	@test -x "$(UV)" || { echo "uv not found at $(UV) after installing it" >&2; exit 1; }

setup: $(UV)
	$(UV) sync --quiet --frozen

# The seed letter read and parsed; then, in the SQLite registry (loaded with the Đắk Nông sample the first
# time), the bodies its phrases mean on its date, and what the rule checks find on that day.
SEED := src/dondoc/samples/1317-CV-TU.md
run: setup
	$(UV) run --frozen dondoc parse $(SEED)
	@echo
	$(UV) run --frozen python manage.py migrate --noinput -v 0
	$(UV) run --frozen python manage.py load_sample_registry --if-empty
	@echo
	$(UV) run --frozen python manage.py resolve_directive $(SEED)
	@echo
	$(UV) run --frozen python manage.py check_registry --on 2023-04-17

# Every test on SQLite, then the tests that touch the database again on PostgreSQL.
test: setup
	scripts/system-packages.sh
	$(UV) run --frozen ruff check src tests benchmarks
	$(UV) run --frozen mypy
	$(UV) run --frozen pytest
	@$(MAKE) --no-print-directory test-postgresql

# scripts/postgres.sh finds a local server with the dondoc role, or installs and starts one.
test-postgresql: setup
	scripts/postgres.sh
	DONDOC_DATABASE=postgresql PGHOST=127.0.0.1 PGPORT=5432 PGUSER=dondoc PGPASSWORD=dondoc PGDATABASE=dondoc \
	  $(UV) run --frozen pytest --database-only

bench: setup
	$(UV) run --frozen python -m benchmarks

lint: setup
	$(UV) run --frozen ruff check src tests benchmarks
	$(UV) run --frozen mypy

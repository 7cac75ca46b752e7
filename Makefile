# Two commands on a fresh clone: `make run` and `make test`. Each installs what it needs.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3 2>/dev/null || echo python3)
# Where `pip install --user` puts scripts (usually ~/.local/bin); the uv installer fallback uses it too.
USER_BIN := $(shell $(PYTHON) -m site --user-base 2>/dev/null || echo $(HOME)/.local)/bin
UV ?= $(shell command -v uv 2>/dev/null || echo $(USER_BIN)/uv)

.PHONY: run test test-postgresql bench lint setup

# The production settings with throwaway values must pass Django's deployment checks with no warning.
DEPLOY_CHECK = DJANGO_SETTINGS_MODULE=dondoc.settings.production DONDOC_ALLOWED_HOSTS=dondoc.example \
  DONDOC_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))') \
  $(UV) run --frozen python manage.py check --deploy --fail-level WARNING

# uv from PyPI into the user site (allowed past PEP 668: it touches no system package),
# or, without pip, astral's standalone installer into the same directory.
$(UV):
	$(PYTHON) -m pip install --user --quiet uv 2>/dev/null \
	  || $(PYTHON) -m pip install --user --quiet --break-system-packages uv 2>/dev/null \
	  || curl -LsSf https://astral.sh/uv/install.sh | env UV_UNMANAGED_INSTALL="$(USER_BIN)" sh
	@test -x "$(UV)" || { echo "uv not found at $(UV) after installing it" >&2; exit 1; }

setup: $(UV)
	$(UV) sync --quiet --frozen

# The whole application on http://127.0.0.1:8000: the SQLite database migrated, the Đắk Nông sample registry
# loaded the first time, the seed letter imported and published once, a fresh password for each demo user (one
# per role, printed); then the server, with the task worker (background parsing of uploads) beside it, both
# stopped by Ctrl-C; reminders queued at start and every hour (manage.py send_reminders, idempotent).
# runserver --insecure serves the static files without DEBUG. The worker is started again
# whenever it stops: a loop in the background runs it, and on the TERM the trap sends it when the server ends,
# stops the worker (or its pause) and itself.
ADDRESS := 127.0.0.1:8000
run: setup
	$(UV) run --frozen python manage.py migrate --noinput -v 0
	$(UV) run --frozen python manage.py load_sample_registry --if-empty >/dev/null
	$(UV) run --frozen python manage.py setup_demo --url http://$(ADDRESS)
	@( trap 'kill $$child 2>/dev/null; wait $$child 2>/dev/null; exit' TERM; \
	   while :; do \
	     $(UV) run --frozen python manage.py run_worker -v 0 & child=$$!; wait $$child; \
	     sleep 5 & child=$$!; wait $$child; \
	     echo "make run: the task worker had stopped; it starts again" >&2; \
	   done ) & worker=$$!; \
	  ( trap 'kill $$child 2>/dev/null; exit' TERM; \
	   while :; do \
	     $(UV) run --frozen python manage.py send_reminders -v 0 & child=$$!; wait $$child; \
	     sleep 3600 & child=$$!; wait $$child; \
	   done ) & reminders=$$!; \
	  trap 'kill $$worker $$reminders 2>/dev/null; wait $$worker $$reminders 2>/dev/null' EXIT; \
	  $(UV) run --frozen python manage.py runserver --insecure $(ADDRESS)

# Every test on SQLite and, at the same time, the tests that touch the database again on PostgreSQL: one
# process each, so that a machine with two cores takes about as long as the longer run rather than the sum.
# The PostgreSQL run's output follows the SQLite run's; its screenshots and rendered pages go to their own
# folders. `make test-postgresql` runs the second half alone.
POSTGRESQL_TESTS = DONDOC_DATABASE=postgresql PGHOST=127.0.0.1 PGPORT=5432 PGUSER=dondoc PGPASSWORD=dondoc \
  PGDATABASE=dondoc DONDOC_BROWSER_TESTS=required $(UV) run --frozen pytest --database-only
test: setup
	scripts/system-packages.sh
	$(UV) run --frozen ruff format --check src tests benchmarks
	$(UV) run --frozen ruff check src tests benchmarks
	$(UV) run --frozen mypy
	$(UV) run --frozen lint-imports
	$(DEPLOY_CHECK)
	scripts/postgres.sh
	@log=$$(mktemp); \
	  DONDOC_SCREENSHOTS=var/screenshots/postgresql DONDOC_ARTEFACTS=var/artefacts/postgresql \
	    $(POSTGRESQL_TESTS) > "$$log" 2>&1 & postgresql=$$!; \
	  DONDOC_BROWSER_TESTS=required $(UV) run --frozen pytest; sqlite=$$?; \
	  wait $$postgresql; postgresql_status=$$?; \
	  echo "--- the tests that touch the database, on PostgreSQL ---"; cat "$$log"; rm -f "$$log"; \
	  test $$sqlite -eq 0 && test $$postgresql_status -eq 0

# scripts/postgres.sh finds a local server with the dondoc role, or installs and starts one.
test-postgresql: setup
	scripts/postgres.sh
	$(POSTGRESQL_TESTS)

bench: setup
	$(UV) run --frozen python -m benchmarks

lint: setup
	$(UV) run --frozen ruff format --check src tests benchmarks
	$(UV) run --frozen ruff check src tests benchmarks
	$(UV) run --frozen mypy
	$(UV) run --frozen lint-imports
	$(DEPLOY_CHECK)

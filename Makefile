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
# per role, printed), the static files collected (hashed names, compressed copies); then `manage.py serve`:
# gunicorn's workers with WhiteNoise for the static files, the task worker beside them (started again if it
# stops), reminders queued at start and every hour, all under the production settings (DEBUG off), served
# over plain HTTP to this machine alone (DONDOC_LOCAL_ONLY, which refuses any host but a loopback one), with
# the secret key the set-up steps keep in the data folder. Ctrl-C or a TERM stops all of it.
ADDRESS := 127.0.0.1:8000
LOCAL_PRODUCTION = DJANGO_SETTINGS_MODULE=dondoc.settings.production DONDOC_LOCAL_ONLY=1 \
  DONDOC_SECRET_KEY_FILE="$${DONDOC_DATA_DIR:-var}/secret_key" \
  DONDOC_ALLOWED_HOSTS=$(firstword $(subst :, ,$(ADDRESS))),127.0.0.1,localhost
run: setup
	$(UV) run --frozen python manage.py migrate --noinput -v 0
	$(UV) run --frozen python manage.py load_sample_registry --if-empty >/dev/null
	$(UV) run --frozen python manage.py setup_demo --url http://$(ADDRESS)
	$(UV) run --frozen python manage.py collectstatic --noinput -v 0
	exec env $(LOCAL_PRODUCTION) $(UV) run --frozen python manage.py serve --address $(ADDRESS)

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
	  DONDOC_BROWSER_TESTS=required DONDOC_REDIS_TESTS=required $(UV) run --frozen pytest; sqlite=$$?; \
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

# Haven: `make run` starts a demo school at http://montsaye.localhost:8000, `make test` checks everything.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Python 3.12: from PATH, or from pyenv's versions directory on machines that have one.
PYTHON312 := $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do \
	$$p -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1 && { echo $$p; break; }; done)
# Settings for lint-only imports (mypy's Django plugin loads settings but connects to nothing).
LINT_ENV := DATABASE_URL=postgres://lint@127.0.0.1:1/lint REDIS_URL=redis://127.0.0.1:1/0 S3_ENDPOINT_URL=http://127.0.0.1:1 HAVEN_SECRET_KEY=lint
# Tests run with production settings (DEBUG off) and their own embedded services' data.
TEST_ENV := HAVEN_SECRET_KEY=test-only-secret-key-$$RANDOM$$RANDOM HAVEN_SSL_REDIRECT=0 HAVEN_DATA_DIR=$(CURDIR)/.haven/test

.PHONY: install run test lint pytest bench drill frontend frontend-test browser schema clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON312)" || { echo "Python 3.12 is required (python3.12 not found)"; exit 1; }
	@test -x $(PY) || $(PYTHON312) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

frontend:
	@if [ -f frontend/package.json ]; then cd frontend && npm ci --no-audit --no-fund && npm run build; fi

# The web app's unit tests (vitest).
frontend-test: frontend
	cd frontend && npm test

# The end-to-end tests drive Debian's chromium (never a downloaded browser).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	  else echo "The end-to-end tests need Debian's chromium: sudo apt-get install -y chromium"; exit 1; fi; }

run: install frontend
	$(PY) -m config.runner

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(LINT_ENV) $(VENV)/bin/mypy .

pytest: install frontend
	$(TEST_ENV) $(VENV)/bin/pytest

test: lint frontend-test browser pytest

bench: install
	$(TEST_ENV) $(VENV)/bin/pytest tests/bench -q -s -p no:randomly --no-header

# Restore drill (pgBackRest point-in-time recovery, one-school restore) and PgBouncer check,
# against real servers; installs Debian's pgbackrest and pgbouncer when missing. PgBouncer
# connects over TCP to the PostgreSQL of DATABASE_URL (default: the machine's own).
drill: install
	@command -v pgbackrest >/dev/null && command -v pgbouncer >/dev/null || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbackrest pgbouncer; }
	$(TEST_ENV) DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} \
		$(VENV)/bin/pytest tests/drill -q -s -p no:randomly

schema: install
	$(LINT_ENV) HAVEN_DEBUG=1 $(PY) manage.py export_graphql_schema

clean:
	rm -rf $(VENV) .haven

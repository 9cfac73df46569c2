# Partnerhub: `make run` for the demo, `make test` for the whole suite. See README.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
POSTGRES_TEST_URL ?= postgres://postgres@127.0.0.1:5432/partnerhub
# The first run is on SQLite whatever DATABASE_URL (and DATABASE_OWNER_URL) the shell carries;
# those are for the PostgreSQL run.
SQLITE_TEST_URL := sqlite:///$(CURDIR)/partnerhub.sqlite3
# Does the server answer? Asked of its maintenance database: the test database may not exist yet.
export POSTGRES_PROBE := import psycopg, sys, urllib.parse; \
	psycopg.connect(urllib.parse.urlsplit(sys.argv[1])._replace(path="/postgres").geturl(), connect_timeout=3).close()
CHROMIUM ?= /usr/bin/chromium
PYTEST_WORKERS ?= 2
# The slowest tests are named at the end of each run, to see where the time goes.
PYTEST_FLAGS := -n $(PYTEST_WORKERS) -q --durations=15

# Settings for local runs and tests; production sets its own (README, "Configuration").
# The local demo's mail goes to files in ./outbox, shown at /outbox/, not to the terminal.
LOCAL_ENV := DJANGO_DEBUG=true EMAIL_URL=filemail://
TEST_ENV := DJANGO_DEBUG=true DJANGO_SECRET_KEY=test-only-secret-key-not-for-production \
	EMAIL_URL=consolemail:// PARTNERHUB_MFA_REQUIRED=true

.PHONY: run test lint bench bench-compare load assets install install-test chromium clean prod-check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

static/build/partnerhub.css: node_modules/.package-lock.json frontend/partnerhub.scss frontend/build.mjs
	npm run --silent build

assets: static/build/partnerhub.css

run: install assets
	$(LOCAL_ENV) PARTNERHUB_MFA_REQUIRED=false $(BIN)/python manage.py migrate --no-input
	$(LOCAL_ENV) PARTNERHUB_MFA_REQUIRED=false $(BIN)/python manage.py seed_demo
	@echo "Partnerhub is starting on http://127.0.0.1:$(PORT)/ (multi-factor sign-in is off in this local demo only)"
	$(LOCAL_ENV) PARTNERHUB_MFA_REQUIRED=false $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		echo "Installing Chromium from Debian's packages for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
			|| echo "Could not install Chromium"; \
	fi

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

test: install-test assets chromium lint
	@echo "== The suite on SQLite"
	$(TEST_ENV) DATABASE_URL="$(SQLITE_TEST_URL)" DATABASE_OWNER_URL= $(BIN)/pytest $(PYTEST_FLAGS) -m "not browser"
	@postgres_url="$${DATABASE_URL:-$(POSTGRES_TEST_URL)}"; \
	case "$$postgres_url" in postgres://*|postgresql://*) ;; *) postgres_url="$(POSTGRES_TEST_URL)" ;; esac; \
	if $(BIN)/python -c "$$POSTGRES_PROBE" "$$postgres_url" 2>/dev/null; then \
		echo "== The suite again on PostgreSQL"; \
		$(TEST_ENV) DATABASE_URL="$$postgres_url" $(BIN)/pytest $(PYTEST_FLAGS) -m "not browser and not site_crawl" || exit 1; \
		echo "== The production stack on PostgreSQL (make prod-check)"; \
		PROD_CHECK_POSTGRES_URL="$$postgres_url" $(BIN)/python -m tests.operations.prod_check || exit 1; \
		echo "== The backup drill on PostgreSQL"; \
		$(TEST_ENV) $(BIN)/python deploy/drill.py --server "$$postgres_url" || exit 1; \
	elif [ "$${CI:-}" = "true" ]; then \
		echo "PostgreSQL is not reachable and CI=true: refusing to skip it"; exit 1; \
	else \
		echo "== PostgreSQL is not reachable: skipped its run (CI refuses to skip it)"; \
	fi
	@if [ -x "$(CHROMIUM)" ]; then \
		echo "== Browser tests in Chromium"; \
		$(TEST_ENV) DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -m browser -q -p no:xdist --durations=15 || exit 1; \
	elif [ "$${CI:-}" = "true" ]; then \
		echo "Chromium is not installed and CI=true: refusing to skip the browser tests"; exit 1; \
	else \
		echo "== Chromium is not installed: skipped the browser tests (CI refuses to skip them)"; \
	fi

# Back up a demo database, restore it into a fresh one and verify it (README, "Backups and
# restore"); `make test` runs it too, after the PostgreSQL suite.
.PHONY: drill
drill: install
	@postgres_url="$${DATABASE_URL:-$(POSTGRES_TEST_URL)}"; \
	case "$$postgres_url" in postgres://*|postgresql://*) ;; *) postgres_url="$(POSTGRES_TEST_URL)" ;; esac; \
	$(TEST_ENV) $(BIN)/python deploy/drill.py --server "$$postgres_url"

# The benchmark and the load test (docs/performance.md): PostgreSQL's partnerhub_bench when the
# server answers, seeded once at BENCH_SIZE (uk there, small on SQLite) and kept for the next run.
$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(VENV)/.installed $(VENV)/.installed-test $@

# Gunicorn, the worker and the timers' commands with production settings on a fresh PostgreSQL
# database, used over HTTP, then stopped and dropped (README, "Running in production").
prod-check: install-test assets
	PROD_CHECK_POSTGRES_URL="$${DATABASE_URL:-$(POSTGRES_TEST_URL)}" $(BIN)/python -m tests.operations.prod_check

bench: install-test assets
	$(TEST_ENV) $(BIN)/python -m tests.bench

# Two checkouts of the code taking turns request by request on the bench database `make bench`
# seeded: BASE names the other checkout (a git worktree), PAGES the labels, separated by |.
bench-compare: install-test assets
	$(TEST_ENV) $(BIN)/python -m tests.bench.paired --base "$(BASE)" --pages "$(PAGES)"

load: $(VENV)/.installed-bench assets
	$(BIN)/python -m tests.bench.load

clean:
	rm -rf $(VENV) node_modules static/build staticfiles audit-checkpoints

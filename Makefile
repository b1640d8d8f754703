# Two commands for a newcomer: `make demo` and `make test`. Everything else is an alias.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Laptop defaults: SQLite in var/, Celery eager, e-mails as files in var/mail/.
# `make demo PORT=8010` serves on another port; the seed prints that address and e-mail links
# use it (SITE_URL, unless set).
DEV_ENV := DEBUG=$${DEBUG:-true} HOST=$(HOST) PORT=$(PORT)
# The demo signs documents with a throwaway certificate that seed_demo writes once into
# var/demo-signing/, so that the agencies' e-mails go out (docs/record.md → Signatures).
DEMO_SIGNING := DOCUMENT_SIGNING_P12=$(CURDIR)/var/demo-signing/organisation.p12 \
	DOCUMENT_SIGNING_P12_PASSWORD=demo-signing \
	DOCUMENT_SIGNING_TRUST_ROOTS=$(CURDIR)/var/demo-signing/root.pem

.PHONY: install demo run test test-services test-e2e lint format worker beat bench load soak faults faults-quick messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(DEV_ENV) $(PY) manage.py migrate --no-input
	$(DEV_ENV) $(DEMO_SIGNING) $(PY) manage.py seed_demo $(if $(CITY),--city $(CITY))
	$(DEV_ENV) $(DEMO_SIGNING) $(PY) manage.py runserver $(HOST):$(PORT)

run: install
	$(DEV_ENV) $(PY) manage.py migrate --no-input
	$(DEV_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# Both cores by default (pytest-xdist); PYTEST_ARGS="-n0" runs in one process.
PYTEST_WORKERS ?= auto
test: install
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# The same suite on PostgreSQL and Redis, e.g.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/doanravao REDIS_URL=redis://127.0.0.1:6379/15
# DATABASE_URL logs in as the owner (it creates and migrates the test database); the code under
# test works as the restricted application role DATABASE_SET_ROLE, with production's grants
# (tests/db_roles.py, docs/production.md). The tests create that NOLOGIN role when missing.
# The read replica (config/db/replica.py) is the test database itself, through a second connection.
TEST_APP_ROLE ?= doanravao_test_app
test-services: install
	@test -n "$$DATABASE_URL" || (echo "DATABASE_URL must point at PostgreSQL" && exit 2)
	@test -n "$$REDIS_URL" || (echo "REDIS_URL must point at Redis" && exit 2)
	CELERY_TASK_ALWAYS_EAGER=true DATABASE_SET_ROLE=$(TEST_APP_ROLE) \
	  DATABASE_REPLICA_URL="$${DATABASE_REPLICA_URL:-$$DATABASE_URL}" \
	  $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup --create-db $(PYTEST_ARGS)

# ruff (PLC0415 included: imports at module top), the floors contract (docs/architecture.md),
# and mypy in strict mode on the application packages.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	DEBUG=true $(VENV)/bin/mypy .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: install
	$(VENV)/bin/celery -A config worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A config beat --loglevel=INFO

# The fault suite (docs/production.md): its own Redis, SMTP sink and worker; kill -9, Redis
# stopped, pg_terminate_backend; exits non-zero when an invariant fails. It DROPS and recreates
# the database of FAULTS_DATABASE_URL (default doanravao_faults on 127.0.0.1).
faults: install
	$(PY) -m tests.faults.run

faults-quick: install
	$(PY) -m tests.faults.run --quick

# Benchmarks (QUALITY.md P1-P4): print a table, exit non-zero when a target is missed. On
# PostgreSQL: DATABASE_URL=postgres://… REDIS_URL=redis://… make bench (BENCH_TASKS scales it).
bench: install
	$(PY) -m pytest -m bench -p no:cacheprovider -s -n0 $(if $(DATABASE_URL),--create-db) tests/bench

# Full HTTP approval steps against gunicorn + PostgreSQL + a real worker (tests/load/run.py);
# needs DATABASE_URL and REDIS_URL. LOAD_RATE, LOAD_SECONDS, LOAD_USERS tune it.
load: install
	$(PY) -m pip install --quiet -e '.[dev,load]'
	$(PY) -m tests.load.run

# QUALITY.md P6: approval steps and list reads mixed for 30 minutes (tests/load/soak.py); the
# p95 drift and each process group's memory growth, first window against last. Needs
# DATABASE_URL and REDIS_URL. SOAK_MINUTES, LOAD_RATE, SOAK_READ_RATE tune it.
soak: install
	$(PY) -m pip install --quiet -e '.[dev,load]'
	$(PY) -m tests.load.soak

messages: install
	cd $(CURDIR) && $(PY) manage.py makemessages -l vi -l en --ignore='.venv/*' --ignore='var/*'
	$(PY) manage.py compilemessages --ignore='.venv/*'

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# GFMD Tracker — the two commands: `make run` and `make test`.
# Needs only Python 3.11+ and make; everything else goes into .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000

# `make bench SIZE=medium` (30,000 recommendations; small, 500; large, 300,000, the default; xlarge, 1,000,000,
# on demand), each size in a database of its own: BENCH_DATABASE for large, BENCH_DATABASE_<size> for the others.
# Several sizes, `make bench SIZE="medium large"` (or SIZE=growth, the same), measure on each only the rows whose
# cost may grow with the data, then print them side by side (tools/growth.py; the runs saved in BENCH_RESULTS).
SIZE ?= large
BENCH_SIZES := $(patsubst growth,medium large,$(SIZE))
BENCH_DATABASE ?= postgres://postgres@127.0.0.1:5432/gfmd_bench
BENCH_DATABASE_URL ?= $(BENCH_DATABASE)$(if $(filter-out large,$(SIZE)),_$(SIZE))
BENCH_RESULTS ?= bench-results

.PHONY: run test e2e lint bench venv messages check clean mutants

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

venv: $(STAMP)

# The translations (README, "Languages"): each app's locale/*.po compiled to the .mo files Django reads (not
# committed; only the .po files that changed). Needs GNU gettext's msgfmt: installs Debian's with apt if missing.
messages: venv
	@command -v msgfmt >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null)
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

# Demo server: migrate, seed the report, create demo accounts (passwords printed), build the open data, serve.
run: venv messages
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_gfmd
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py create_demo_users
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py build_open_data
	@echo "Serving on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)"
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The whole suite: SQLite by default, PostgreSQL when DATABASE_URL is set.
test: venv messages
	$(BIN)/python -m pytest

# Real-browser journeys (Playwright driving Debian's Chromium against a live server). Screenshots
# and the printed PDFs land in e2e-artifacts/. Installs chromium and poppler-utils (pdftotext) with apt if missing.
e2e: venv messages
	@command -v chromium >/dev/null && command -v pdftotext >/dev/null || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null)
	$(BIN)/python -m pytest e2e

lint: venv
	$(BIN)/ruff check .

# Performance targets on a synthetic dataset (PostgreSQL; built the first time, in minutes; SIZE above), with
# the development tools installed (tools.settings; the production settings leave them out).
BENCH_SETTINGS := DJANGO_SETTINGS_MODULE=tools.settings DEBUG=0 SECRET_KEY=benchmark-only-key SECURE_SSL_REDIRECT=False \
	ALLOWED_HOSTS=testserver,127.0.0.1,localhost
BENCH_ENV := $(BENCH_SETTINGS) DATABASE_URL=$(BENCH_DATABASE_URL)
bench: venv
ifeq ($(words $(BENCH_SIZES)),1)
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	@psql "$(BENCH_DATABASE_URL)" -c "select 1" >/dev/null 2>&1 || \
		psql "$(dir $(BENCH_DATABASE_URL))postgres" -c "CREATE DATABASE $(notdir $(BENCH_DATABASE_URL))"
	$(BENCH_ENV) $(BIN)/python manage.py migrate --noinput -v0
	$(BENCH_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(BENCH_ENV) $(BIN)/python manage.py bench --size $(SIZE) $(BENCH_ARGS)
else
	@mkdir -p $(BENCH_RESULTS)
	@set -e; for size in $(BENCH_SIZES); do \
		$(MAKE) --no-print-directory bench SIZE=$$size BENCH_ARGS="--growth --save $(BENCH_RESULTS)/$$size.json"; \
	done
	@$(BENCH_SETTINGS) $(BIN)/python manage.py bench --compare $(BENCH_SIZES:%=$(BENCH_RESULTS)/%.json)
endif

# Mutation pass over the follow-up rules (scripts/mutants.py): each of a fixed list of small changes
# to the rules must make the tests fail. Minutes, not in CI; run it before calling a rules change done.
# The PostgreSQL-only mutants (row locks, COPY) run when MUTANTS_DATABASE_URL's server answers.
MUTANTS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/gfmd_mutants
mutants: venv
	$(BIN)/python scripts/mutants.py --postgres $(MUTANTS_DATABASE_URL)

check: venv
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) .pytest_cache

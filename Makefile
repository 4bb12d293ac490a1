# Kinerjaku: `make run` serves the demo on http://127.0.0.1:5000, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# make run's server: one process (the live stream's in-process broker needs it), threads for
# the streams held open and the requests beside them; bench/make_run.py measures it.
RUN_GUNICORN := --workers 1 --worker-class gthread --threads 32 --config deploy/gunicorn_app.py
export FLASK_APP := app

.PHONY: run test install install-test translations extract-messages bench load lighthouse lint clean \
	screenshots

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Kinerjaku needs Python 3.11 or newer")'
	@$(PYTHON) -m venv $(VENV) || { echo "Creating the virtualenv failed: on Debian, apt-get install python3-venv"; exit 1; }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

# The pinned axe-core (and Lighthouse) the accessibility tests and the benchmark run.
node_modules/.package-lock.json: package-lock.json
	@command -v npm >/dev/null || { echo "The accessibility tests need npm: apt-get install npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

translations: install
	@$(BIN)/pybabel compile -d app/translations >/dev/null

extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

run: translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	@echo "Kinerjaku: http://$(HOST):$(PORT)/ (and the task worker: reminders, push)"
	@$(BIN)/flask worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn $(RUN_GUNICORN) --bind $(HOST):$(PORT) --access-logfile - 'app:create_app()'

# Three workers on two cores: much of the suite waits on browsers, servers and sockets. Tests
# go out in order (all SQLite runs, then PostgreSQL), so each worker builds each database once.
TEST_WORKERS ?= 3
test: install-test translations node_modules/.package-lock.json
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# Every page of every role at 360 px into screenshots/<role>/<page>.png (git-ignored), from the
# demo and from the demo with every value as long as allowed; axe-core checks each page too.
screenshots: install-test translations node_modules/.package-lock.json
	rm -rf screenshots
	KINERJAKU_SCREENSHOTS=screenshots $(BIN)/pytest -q -p no:cacheprovider \
		tests/browser/test_every_page.py -k sqlite

# Figures of issue 3 against GET /healthz, on a throwaway PostgreSQL database (~5 minutes),
# make run's server on SQLite with the live streams open (issue 16, ~40 s), issue 5's
# live-event latency with 1,000 open streams (gevent + Redis, ~20 s), and issue 13's bulk
# import of a 10,000-person XLSX (dry run, apply, re-import, pages), the deadline day (make
# load) and Lighthouse.
# Each step records its figures in bench/results/latest.json; the last prints them as one table
# (each figure, its reference from the same run, the ratio), with the cores and the settings.
bench: install translations
	$(BIN)/python bench/results.py --reset
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/make_run.py $(RUN_GUNICORN)
	$(BIN)/python bench/dashboards.py
	$(BIN)/python bench/progress.py
	$(BIN)/python bench/stream.py
	$(BIN)/python bench/push.py
	$(BIN)/python bench/imports.py
	$(BIN)/python bench/deadline.py
	$(BIN)/python bench/lighthouse.py
	$(BIN)/python bench/results.py

# The deadline day (issue 19): 10,000 people each sync 4 activities through the scale-out
# stack on loopback (PostgreSQL primary + streaming replica, PgBouncer, Redis, two app
# instances, the worker, nginx; apt-get install -y pgbouncer nginx), bounded at 10 minutes.
load: install translations
	$(BIN)/python bench/deadline.py $(LOAD_ARGS)

lighthouse: install translations
	$(BIN)/python bench/lighthouse.py

lint: install-test
	$(BIN)/ruff check app tests migrations

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache node_modules screenshots

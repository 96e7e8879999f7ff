# The two commands: `make run` and `make test`. Both do all of their own set-up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
# The browser tests' JavaScript (axe-core, pinned in package-lock.json), from the npm registry.
NODE_STAMP := node_modules/.installed-$(shell cat package-lock.json | cksum | cut -d' ' -f1)
# Local demonstration on the embedded defaults: SQLite and the filesystem broker in var/.
RUN_ENV := DEBUG=true

.PHONY: run test install system-deps lint check bench bench-scale production-check clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

# `make run` needs no node: without npm the browser accessibility tests skip (fail in CI).
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --loglevel=error && rm -f node_modules/.installed-* && touch $@; \
	else \
	  echo "npm is missing (Debian: apt-get install npm): the accessibility tests need axe-core." >&2; \
	fi

install: $(STAMP) $(NODE_STAMP)

system-deps:
	@bash scripts/system-deps.sh

run: system-deps install
	$(RUN_ENV) $(PY) manage.py migrate --noinput -v 0
	$(RUN_ENV) $(PY) manage.py load_demo --logins
	$(RUN_ENV) $(PY) manage.py refresh_statuses
	$(RUN_ENV) $(PY) manage.py send_reminders
	@echo ""
	@echo "  Portal  http://127.0.0.1:8000/"
	@echo "  Admin   http://127.0.0.1:8000/admin/"
	@echo "  API     http://127.0.0.1:8000/api/v1/   (docs: http://127.0.0.1:8000/api/docs/)"
	@echo "  Demo logins (local demonstration only), password demo-pass-2026:"
	@echo "    secretariat (staff), atameken (editor, Kazakhstan), tobb (viewer, Türkiye)"
	@echo "  Reminders: e-mails are printed by the worker (set EMAIL_URL for a mail server);"
	@echo "    staff see what falls due at http://127.0.0.1:8000/reminders/due/"
	@echo "  Ctrl-C stops the web server, the Celery worker and beat."
	@echo ""
	$(RUN_ENV) $(VENV)/bin/honcho --procfile Procfile --app-root . start

# system-deps first: it installs npm, which `install` needs for axe-core.
test: system-deps install
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DEBUG=true $(VENV)/bin/mypy

check: install
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	DEBUG=true $(PY) manage.py check

bench: install
	$(PY) bench/chamber_lists.py
	$(PY) bench/reminders_scan.py
	$(PY) bench/agenda_pack.py

# The largest federation on PostgreSQL (BENCH_DATABASE_URL), each endpoint beside its floor.
bench-scale: install
	$(PY) bench/scale.py $(BENCH_ARGS)

# The README's deployment on PostgreSQL and Redis: gunicorn, worker, beat, mail and a webhook.
production-check: install
	$(PY) scripts/production_check.py

clean:
	rm -rf $(VENV) var

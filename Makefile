# Jatim Sosial Care: `make run` to start everything, `make test` for every check.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) backend/manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint typecheck pytest pwa-test bench clean pwa

$(VENV)/.installed: requirements/dev.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/dev.lock
	touch $@

frontend_pwa/dist/.built: $(shell find frontend_pwa/src frontend_pwa/public -type f 2>/dev/null) frontend_pwa/package-lock.json
	@if [ -f frontend_pwa/package.json ]; then \
		cd frontend_pwa && npm ci --no-audit --no-fund --loglevel=error && npm run build \
		&& ../$(PY) -m whitenoise.compress --quiet --no-brotli dist && touch dist/.built; \
	fi

install: $(VENV)/.installed pwa

pwa:
	@if [ -f frontend_pwa/package.json ]; then $(MAKE) --no-print-directory frontend_pwa/dist/.built; fi

run: install
	$(PY) backend/manage.py run_embedded --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check backend tests bench
	$(VENV)/bin/ruff format --check backend tests bench

typecheck: $(VENV)/.installed
	cd backend && ../$(VENV)/bin/mypy . ../tests ../bench

pytest: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

pwa-test: pwa
	@if [ -f frontend_pwa/package.json ]; then cd frontend_pwa && npm test; fi

test: lint typecheck pwa-test pytest

bench: install
	$(PY) bench/run.py

clean:
	rm -rf var/static var/celery

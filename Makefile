# ConcertES ERP — the two commands users need: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DATABASE ?= concertes
MODULES := $(notdir $(patsubst %/tryton.cfg,%,$(wildcard addons/*/tryton.cfg)))
SAO_VERSION := 8.0
# PostgreSQL server used by `make test` for the second run (empty: SQLite only)
CONCERTES_TEST_POSTGRESQL ?=

CONFIG := $(CURDIR)/trytond.conf
# trytond lets its configuration file win over the environment: the keys that
# vary between machines are given here, from the environment when it has them.
TRYTOND_DATABASE__URI ?= sqlite://
TRYTOND_DATABASE__PATH ?= $(CURDIR)/var
TRYTOND_DATABASE__LANGUAGE ?= fr
TRYTOND_WEB__ROOT ?= $(CURDIR)/var/sao/package
SERVER_ENV := TRYTOND_CONFIG=$(CONFIG) \
	TRYTOND_DATABASE__URI=$(TRYTOND_DATABASE__URI) \
	TRYTOND_DATABASE__PATH=$(TRYTOND_DATABASE__PATH) \
	TRYTOND_DATABASE__LANGUAGE=$(TRYTOND_DATABASE__LANGUAGE) \
	TRYTOND_WEB__ROOT=$(TRYTOND_WEB__ROOT)
export PYTHONDONTWRITEBYTECODE := 1
MAKEFLAGS += --no-print-directory

.PHONY: run serve install sao database demo test test-sqlite test-postgresql \
	lint report bench clean-cache browser po

## Setup ----------------------------------------------------------------------
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip setuptools wheel

$(VENV)/.installed: requirements.txt $(wildcard addons/*/pyproject.toml) | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps $(foreach m,$(MODULES),-e addons/$(m))
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(BIN)/pip install -q -r requirements-test.txt
	touch $@

install: $(VENV)/.installed

var/sao/package/index.html:
	mkdir -p var/sao
	cd var/sao && rm -rf package && npm pack --silent tryton-sao@$(SAO_VERSION) >/dev/null \
		&& tar xzf tryton-sao-*.tgz && rm -f tryton-sao-*.tgz
	cd var/sao/package && npm install --silent --omit=dev --legacy-peer-deps --no-audit --no-fund
	test -f $@

# sao's index.html loads these customisation hooks: missing, the server
# answers 405 and the browser logs errors
SAO_CUSTOM = var/sao/package/custom.js var/sao/package/custom.css
$(SAO_CUSTOM): var/sao/package/index.html
	touch $@

# jsQR decodes the QR codes the phone's camera sees on the door check-in
# page; trytond serves it from its web root as /jsqr/dist/jsQR.js
JSQR_VERSION := 1.4.0
JSQR := var/sao/package/jsqr/dist/jsQR.js
$(JSQR): var/sao/package/index.html
	cd var/sao/package && rm -rf jsqr jsqr-*.tgz \
		&& npm pack --silent jsqr@$(JSQR_VERSION) >/dev/null \
		&& mkdir jsqr && tar xzf jsqr-*.tgz -C jsqr --strip-components=1 \
		&& rm -f jsqr-*.tgz
	test -f $@

sao: var/sao/package/index.html $(SAO_CUSTOM) $(JSQR)

## Run ------------------------------------------------------------------------
database: install
	$(SERVER_ENV) $(BIN)/python tools/setup_db.py --database $(DATABASE)

demo: database
	$(SERVER_ENV) $(BIN)/python demo/build.py --database $(DATABASE)

# Without TRYTOND_EMAIL__URI, e-mail goes to the local catcher (var/mail/)
.PHONY: mail
MAIL_PORT ?= 8025
RUN_PROCESSES := web cron worker $(if $(TRYTOND_EMAIL__URI),,mail)
RUN_EMAIL_URI := $(or $(TRYTOND_EMAIL__URI),smtp://127.0.0.1:$(MAIL_PORT))
run: install sao converter demo
	@echo "ConcertES: http://$(HOST):$(PORT)/ (database $(DATABASE), user admin," \
		"password in var/$(DATABASE).admin-password unless CONCERTES_ADMIN_PASSWORD)"
	@echo "E-mail: $(if $(TRYTOND_EMAIL__URI),$(TRYTOND_EMAIL__URI),kept in var/mail/ (make mail lists it))"
	$(SERVER_ENV) TRYTOND_WEB__LISTEN=$(HOST):$(PORT) \
		TRYTOND_DATABASE_NAMES=$(DATABASE) TRYTOND_QUEUE__WORKER=True \
		TRYTOND_EMAIL__URI=$(RUN_EMAIL_URI) CONCERTES_DATABASE=$(DATABASE) \
		CONCERTES_MAIL_PORT=$(MAIL_PORT) \
		exec $(BIN)/honcho -f Procfile start $(RUN_PROCESSES)

# The e-mails kept by the local catcher of `make run`
mail: install
	@$(BIN)/python tools/mailcatcher.py --list

YEAR ?= $(shell date -d "last year" +%Y)
# The year's figures in JSON on stdout (the demo database is made first if needed)
report: install
	@$(MAKE) -s demo DATABASE=$(DATABASE) >&2
	@$(SERVER_ENV) $(BIN)/python tools/report.py --database $(DATABASE) --year $(YEAR)

.PHONY: kbo-import
kbo-import: database
	@test -n "$(FILE)" || { echo "usage: make kbo-import FILE=<extract.zip> [DATABASE=...] [SCOPE=known|all]" >&2; exit 2; }
	$(SERVER_ENV) $(BIN)/python tools/kbo_import.py --database $(DATABASE) --scope $(or $(SCOPE),known) $(FILE)

## Tests ----------------------------------------------------------------------
browser:
	@command -v chromium >/dev/null || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

# LibreOffice without its GUI converts the ODT reports to PDF (trytond's
# default [report] convert_command, soffice --headless)
.PHONY: converter
converter:
	@command -v soffice >/dev/null || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends \
		libreoffice-writer-nogui fonts-dejavu-core >/dev/null; }

lint: $(VENV)/.installed-test
	$(BIN)/flake8 addons tests tools demo bench
	$(BIN)/isort --check-only --diff addons tests tools demo bench

# Seconds of malformed requests the fuzz test sends on each database
# (tests/test_fuzz_public.py; longer by hand: make test FUZZ_SECONDS=100)
FUZZ_SECONDS ?= 30

test-sqlite: $(VENV)/.installed-test
	env -u TRYTOND_DATABASE__URI FUZZ_SECONDS=$(FUZZ_SECONDS) \
		$(BIN)/python tools/runtests.py --repo-tests

test-postgresql: $(VENV)/.installed-test
	@if [ -n "$(CONCERTES_TEST_POSTGRESQL)" ]; then \
		TRYTOND_DATABASE__URI=$(CONCERTES_TEST_POSTGRESQL) \
		FUZZ_SECONDS=$(FUZZ_SECONDS) \
		$(BIN)/python tools/runtests.py --repo-tests; \
	else echo "CONCERTES_TEST_POSTGRESQL unset: PostgreSQL run skipped"; fi

# The SQLite and PostgreSQL runs go side by side (most of their time is spent
# waiting on servers and browsers); each one's output is printed whole when it
# ends, and the two closing lines "N passed, N failed, N skipped" come last.
test: $(VENV)/.installed-test sao browser converter
	$(MAKE) lint
	rm -f var/test-summary-*.txt
	$(MAKE) -j2 --output-sync=recurse test-sqlite test-postgresql
	@cat var/test-summary-*.txt

clean-cache:
	rm -rf var/cache

# Write each module's locale/*.po from the code (new strings come untranslated)
# (make po PO_MODULES=concertes_events PO_DB=po_events: one module, own database)
PO_DB ?= po
po: install
	rm -f var/$(PO_DB).sqlite var/$(PO_DB).modules-hash
	CONCERTES_ADMIN_PASSWORD=po $(SERVER_ENV) TRYTOND_DATABASE__URI=sqlite:// \
		TRYTOND_DATABASE__LANGUAGE=en $(BIN)/python tools/setup_db.py \
		--database $(PO_DB) --export-translations $(if $(PO_MODULES),--modules $(PO_MODULES))

# Benchmarks on PostgreSQL (make bench BENCH_SCALES=1,10,100 for x100)
BENCH_POSTGRESQL ?= postgresql://postgres@127.0.0.1:5432/
BENCH_SCALES ?= 1,10
bench: $(VENV)/.installed-test
	TRYTOND_DATABASE__URI=$(BENCH_POSTGRESQL) $(BIN)/python bench/run \
		--scales $(BENCH_SCALES)

## Backup ---------------------------------------------------------------------
.PHONY: backup restore
# One archive of the database and its attachments under var/backups/
backup: install
	$(SERVER_ENV) $(BIN)/python tools/backup.py backup --database $(DATABASE)

# Put an archive back (make restore FILE=var/backups/concertes-....tar.gz)
restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/<archive>.tar.gz" >&2; exit 2; }
	$(SERVER_ENV) $(BIN)/python tools/backup.py restore "$(FILE)" --database $(DATABASE)

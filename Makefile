# Sanxiang — two commands: `make demo` and `make test`. Everything else is a step they call.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# PostgreSQL is part of the test run unless explicitly disabled with SANXIANG_TEST_DATABASE_URL=off.
SANXIANG_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
export SANXIANG_TEST_DATABASE_URL
# Debian packages the tests need: ffmpeg (ffprobe for recordings), chromium (browser tests; chromium-l10n for
# its Chinese date and file widgets), CJK fonts;
# for 执法文书: LibreOffice Writer (DOCX → PDF), poppler (pdftoppm previews), zbar (QR decoding in tests),
# AR PL UKai (楷, standing in for 仿宋) and BabelStone Han (CJK Extension B names).
# The platform itself (make demo) needs the first group; the tests add the second.
RUNTIME_PACKAGES := ffmpeg fonts-noto-cjk libreoffice-writer-nogui python3-uno fonts-arphic-ukai fonts-babelstone-han
APT_PACKAGES := $(RUNTIME_PACKAGES) chromium chromium-l10n chromium-driver postgresql-client wrk poppler-utils zbar-tools

.PHONY: demo test venv system-deps runtime-deps lint typecheck migrations-check pytest pytest-sqlite pytest-postgres bench serve clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

system-deps runtime-deps: PACKAGES = $(if $(filter runtime-deps,$@),$(RUNTIME_PACKAGES),$(APT_PACKAGES))
system-deps runtime-deps:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

demo: runtime-deps $(STAMP)
	$(BIN)/sanxiang migrate --no-input
	$(BIN)/sanxiang demo
	$(BIN)/sanxiang serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy + django-stubs on the service layer; the files and strictness are in pyproject.toml [tool.mypy].
typecheck: $(STAMP)
	$(BIN)/mypy

migrations-check: $(STAMP)
	SANXIANG_VAR_DIR=var/check $(BIN)/python manage.py makemigrations --check --dry-run

pytest-sqlite: $(STAMP)
	@echo "== test suite on SQLite"
	env -u DATABASE_URL SANXIANG_VAR_DIR=$(CURDIR)/var/test-sqlite $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

pytest-postgres: $(STAMP)
	@if [ "$(SANXIANG_TEST_DATABASE_URL)" = "off" ]; then \
	  echo "!! PostgreSQL run DISABLED by SANXIANG_TEST_DATABASE_URL=off — this is not a full test run" >&2; exit 0; fi
	@echo "== test suite on PostgreSQL ($(SANXIANG_TEST_DATABASE_URL))"
	$(BIN)/python -m sanxiang.testing.require_postgres "$(SANXIANG_TEST_DATABASE_URL)"
	DATABASE_URL="$(SANXIANG_TEST_DATABASE_URL)" SANXIANG_VAR_DIR=$(CURDIR)/var/test-postgres $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

# The two passes run side by side (each with its own var directory); each pass's output is printed
# whole when it ends, so the two logs do not interleave.
pytest: $(STAMP)
	$(MAKE) --no-print-directory --output-sync=target -j2 pytest-sqlite pytest-postgres

test: system-deps $(STAMP) lint typecheck migrations-check pytest

bench: $(STAMP)
	$(BIN)/python -m benches.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var

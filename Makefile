# Two entry points: `make demo` and `make test`. Both install what they need first.
VENV ?= .venv
BIN := $(VENV)/bin
# The demo needs Apertium and its pairs; the tests also use Apertium's Spanish into Asturian (a
# reader language without written interface text) and start an APY server, Chromium and a real
# WordPress with MariaDB, PostgreSQL and Redis (as processes of their own, not as system services).
APT_DEMO := apertium apertium-eng-spa apertium-eng-cat apertium-spa-cat apertium-por-cat
APT_PACKAGES := $(APT_DEMO) apertium-spa-ast apertium-apy chromium fonts-dejavu-core wordpress mariadb-server php-cli php-mysql \
  postgresql redis-server
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup system-packages demo test lint bench

system-packages:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	python3 -c 'import ensurepip' 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BIN)/newsrelay: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

setup: system-packages $(BIN)/newsrelay

demo: APT_PACKAGES := $(APT_DEMO)
demo: setup
	$(BIN)/newsrelay demo --output site

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

# The suite on SQLite, then every test that opens a store again on a PostgreSQL the tests start.
test: lint
	$(BIN)/pytest; code=$$?; if [ $$code -eq 5 ]; then echo "pytest collected no tests"; exit 0; fi; exit $$code
	NEWSRELAY_TEST_DATABASE=postgresql $(BIN)/pytest -q

bench: setup
	$(BIN)/python bench/pipeline.py

# shuangjian — set-up and everyday commands. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test lint bench venv system-deps messages assets demo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# Debian packages the browser tests, charts and PDF reports need (installed once, as root).
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  echo "Installing Debian packages: chromium fonts-noto-cjk poppler-utils"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk poppler-utils >/dev/null; \
	fi

# ECharts from the npm registry, pinned by assets/package-lock.json, served as our own static files.
assets:
	@test -f assets/node_modules/echarts/dist/echarts.min.js || npm ci --prefix assets --no-audit --no-fund --silent

# Compile the English catalogue (Babel: no GNU gettext needed).
messages: $(STAMP)
	@for po in $$(find src/shuangjian/locale -name django.po 2>/dev/null); do \
	  $(BIN)/pybabel compile -i $$po -o $${po%.po}.mo >/dev/null; done

run: $(STAMP) messages assets
	SHUANGJIAN_DEMO=1 $(BIN)/shuangjian migrate --noinput
	SHUANGJIAN_DEMO=1 $(BIN)/shuangjian createcachetable
	SHUANGJIAN_DEMO=1 $(BIN)/shuangjian load-regions
	SHUANGJIAN_DEMO=1 $(BIN)/shuangjian demo load --scale small
	SHUANGJIAN_DEMO=1 $(BIN)/shuangjian demo-accounts
	@echo "双减监管平台: http://127.0.0.1:8000/  (Ctrl-C to stop)"
	SHUANGJIAN_DEMO=1 $(BIN)/shuangjian runserver 127.0.0.1:8000

test: $(STAMP) system-deps messages assets
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src benchmarks
	$(BIN)/mypy src

bench: $(STAMP)
	@for f in benchmarks/*.py; do [ -e "$$f" ] || continue; echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) var

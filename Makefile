# shuangjian — set-up and everyday commands. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

LOCK := requirements/lock.txt
BENCH_LOCK := requirements/bench.txt
UV_LOCK := requirements/uv.txt

.PHONY: run dev test test-fast lint bench venv system-deps messages assets demo clean lock

# Every install comes from the lock file (exact versions, sha256 hashes); pyproject.toml keeps the
# ranges. `make lock` re-resolves both lock files after a change to pyproject.toml.
# uv (itself pinned with hashes in $(UV_LOCK)) installs the lock in ~30 s where pip takes ~3 min on
# a machine with no cache; pip stays the fallback when uv cannot be installed or fails.
$(STAMP): pyproject.toml $(LOCK) $(UV_LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(call install_lock,$(LOCK))
	$(BIN)/uv pip install --python $(BIN)/python --quiet --no-deps -e . 2>/dev/null \
	|| $(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

define install_lock
	( $(BIN)/python -m pip install --quiet --require-hashes -r $(UV_LOCK) \
	  && $(BIN)/uv pip install --python $(BIN)/python --quiet --require-hashes -r $(1) ) \
	|| $(BIN)/python -m pip install --quiet --require-hashes -r $(1)
endef

lock:
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal --python-version 3.11 \
	  --index-url https://pypi.org/simple --quiet -o $(LOCK)
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra bench --generate-hashes --universal --python-version 3.11 \
	  --index-url https://pypi.org/simple --quiet -c $(LOCK) -o $(BENCH_LOCK)
	echo uv | $(BIN)/uv pip compile - --generate-hashes --universal --python-version 3.11 \
	  --index-url https://pypi.org/simple --quiet -c $(LOCK) -o $(UV_LOCK)

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

# Production server (gunicorn, workers from the cores, DEBUG off) + task worker; the demo province
# loads in the background while the site already answers. Logins are printed first.
run: $(STAMP) messages assets
	SHUANGJIAN_DEMO=1 DJANGO_SETTINGS_MODULE=shuangjian.settings.production $(BIN)/shuangjian serve --bind 127.0.0.1:8000

# Developers: Django's autoreloading server with DEBUG on.
dev: $(STAMP) messages assets
	SHUANGJIAN_DEMO=1 $(BIN)/shuangjian migrate --noinput
	SHUANGJIAN_DEMO=1 $(BIN)/shuangjian createcachetable
	SHUANGJIAN_DEMO=1 $(BIN)/shuangjian load-regions
	SHUANGJIAN_DEMO=1 $(BIN)/shuangjian demo load --scale small
	SHUANGJIAN_DEMO=1 $(BIN)/shuangjian demo-accounts
	@echo "双减监管平台 (development server): http://127.0.0.1:8000/  (Ctrl-C to stop)"
	# HUEY_IMMEDIATE=1: background tasks (uploads, reports, scans) run inside the request; no worker needed.
	SHUANGJIAN_DEMO=1 DEBUG=1 HUEY_IMMEDIATE=1 $(BIN)/shuangjian runserver 127.0.0.1:8000

test: $(STAMP) system-deps messages assets
	$(BIN)/pytest $(PYTEST_ARGS)

# A developer's quick loop: every test but those marked slow (the demo province), browser (chromium
# through Playwright) or processes (servers, consumers, subprocesses), on a test database kept between
# runs (var/test-fast.sqlite3, or test_shuangjian_fast_<checkout> on PostgreSQL), so migrations run once.
# CI runs `make test`: every test, each run on a fresh database.
test-fast: $(STAMP) system-deps messages assets
	SHUANGJIAN_TEST_KEEPDB=1 $(BIN)/pytest --reuse-db -m "not slow and not browser and not processes" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src benchmarks
	$(BIN)/ruff format --check src benchmarks
	$(BIN)/mypy src
	cd src && ../$(BIN)/lint-imports --config ../pyproject.toml

# The load test runs short (--quick, a few minutes) here; `make bench LOAD_ARGS=` runs it in full.
LOAD_ARGS ?= --quick
bench: $(STAMP) $(BENCH_LOCK)
	$(call install_lock,$(BENCH_LOCK))
	@for f in benchmarks/*.py; do [ -e "$$f" ] || continue; echo "== $$f"; \
	  args=""; [ "$$f" = benchmarks/load.py ] && args="$(LOAD_ARGS)"; \
	  $(BIN)/python $$f $$args || exit 1; done

clean:
	rm -rf $(VENV) var

# The two commands of the README: `make demo` and `make test`. Everything they need they install.
SHELL := /bin/bash
PYTHON313 := $(shell scripts/find-python)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_CASE := examples/demo-case.json
# The demo's own platform keys, made once: the repository's development keys protect nothing. The demo runs the
# platform in development mode (PLATFORM_DEBUG=1: plain HTTP on 127.0.0.1) with these keys.
DEMO_KEYS := var/demo-keys.env
DEMO_PLATFORM := set -a && . ./$(DEMO_KEYS) && set +a && export PLATFORM_DEBUG=1 && export PLATFORM_EMAIL_BACKEND=inleg.platform.app.outbox.DatabaseBackend &&

# Debian packages the tests need: a real PostgreSQL server for the production path, chromium for pages, gettext for
# the check that every marked text is in the catalogues.
SYSTEM_PACKAGES := postgresql chromium gettext

.PHONY: demo test install system-deps standalone lint typecheck imports migrations unit bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON313) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# A platform database of an earlier demo holds tokens under the old development key: it is set aside, not lost.
$(DEMO_KEYS): | $(STAMP)
	mkdir -p $(dir $@)
	if [ -e var/platform.sqlite3 ]; then mv var/platform.sqlite3 var/platform.sqlite3.before-demo-keys; fi
	umask 077 && $(VENV)/bin/inleg platform new-keys > $@.new && mv $@.new $@

# Waits until something answers on 127.0.0.1:PORT (bash's /dev/tcp), at most a minute.
AWAIT_PORT = { for i in $$(seq 120); do (exec 3<>/dev/tcp/127.0.0.1/$(1)) 2>/dev/null && break; sleep 0.5; done; \
	(exec 3<>/dev/tcp/127.0.0.1/$(1)) 2>/dev/null; }
PORT_FREE = ! (exec 3<>/dev/tcp/127.0.0.1/$(1)) 2>/dev/null || { echo "demo: port $(1) is in use; stop what runs there first" >&2; exit 1; }

# The servers start in the background; once the sandbox and the platform answer, `inleg platform demo-seed` makes
# the demo company (coupled, a scheme written, a period paid and received; a second `make demo` finds it). Then the
# rule waits on the servers: Ctrl-C stops them all.
demo: $(STAMP) $(DEMO_KEYS)
	$(VENV)/bin/inleg funds calc $(DEMO_CASE) --format table
	$(VENV)/bin/inleg sandbox seed --employers 3 --employees 60 --no-inleg-values
	$(DEMO_PLATFORM) $(VENV)/bin/inleg platform migrate
	$(call PORT_FREE,8000); $(call PORT_FREE,8001)
	$(DEMO_PLATFORM) pids=""; trap 'kill $$pids 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	$(VENV)/bin/inleg platform worker & pids="$$pids $$!"; \
	$(VENV)/bin/inleg platform serve --port 8000 & pids="$$pids $$!"; \
	$(VENV)/bin/inleg sandbox serve --port 8001 & pids="$$pids $$!"; \
	{ $(call AWAIT_PORT,8001) && $(call AWAIT_PORT,8000); } || { echo "demo: the servers did not start" >&2; exit 1; }; \
	$(VENV)/bin/inleg platform demo-seed || echo "demo: demo-seed failed (above); register a company by hand instead"; \
	echo; \
	echo "  Sleutels            het platform gebruikt gegenereerde demo-sleutels uit $(DEMO_KEYS)"; \
	echo "  Werkgeversplatform  http://127.0.0.1:8000/  log in als werkgever@demo.inleg.nl, wachtwoord demo-inleg-2026"; \
	echo "                      (Demo Bakkerij B.V.: gekoppeld aan werkgever 20001, regeling geschreven, verloond,"; \
	echo "                      ontvangen); of registreer een eigen bedrijf en koppel (Loket-gebruiker kantoor)"; \
	echo "  Loket.nl (sandbox)  http://127.0.0.1:8001/  gebruiker koppeling, wachtwoord loket-sandbox-2024"; \
	echo "  Loket Classic       http://127.0.0.1:8001/classic/  gebruiker beheerder (zelfde wachtwoord)"; \
	echo "  Stoppen: Ctrl-C"; \
	echo; \
	wait

# The repository stands alone: no tracked file names a path beside the checkout (tests/conftest.py guards reads).
standalone:
	scripts/check-standalone

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

# mypy's Django plugin loads one project's settings per run (as pytest does per session): one run per project,
# each with its own cache. The platform's run also checks what is not Django (funds, loket, the command, benches).
MYPY_SANDBOX := src/inleg/sandbox bench/sandbox.py
MYPY_PLATFORM := src/inleg/platform src/inleg/funds src/inleg/loket src/inleg/cli.py bench/funds.py bench/sync.py bench/contributions.py \
	bench/platform_against_sandbox.py \
	bench/reconcile.py bench/road.py bench/fund_settings.py

typecheck: $(STAMP)
	DJANGO_SETTINGS_MODULE=inleg.sandbox.settings $(VENV)/bin/mypy --cache-dir .mypy_cache/sandbox $(MYPY_SANDBOX)
	PLATFORM_DEBUG=1 DJANGO_SETTINGS_MODULE=inleg.platform.settings \
		$(VENV)/bin/mypy --cache-dir .mypy_cache/platform $(MYPY_PLATFORM)

imports: $(STAMP)
	$(VENV)/bin/lint-imports

# A model change without its migration fails here, not on somebody's database.
migrations: $(STAMP)
	DJANGO_SETTINGS_MODULE=inleg.sandbox.settings $(PY) -m django makemigrations --check --dry-run
	PLATFORM_DEBUG=1 DJANGO_SETTINGS_MODULE=inleg.platform.settings $(PY) -m django makemigrations --check --dry-run

system-deps:
	scripts/apt-ensure $(SYSTEM_PACKAGES)

# Each Django project is its own pytest session: Django's settings are global to a process.
unit: $(STAMP) system-deps
	$(VENV)/bin/pytest tests/test_standalone.py tests/test_translations.py tests/funds
	DJANGO_SETTINGS_MODULE=inleg.sandbox.settings $(VENV)/bin/pytest tests/sandbox
	DJANGO_SETTINGS_MODULE=inleg.sandbox.settings $(VENV)/bin/pytest tests/loket
	DJANGO_SETTINGS_MODULE=inleg.sandbox.settings $(PY) -m inleg.sandbox.pgtemp $(VENV)/bin/pytest tests/sandbox -p no:cacheprovider
	DJANGO_SETTINGS_MODULE=inleg.platform.settings $(VENV)/bin/pytest tests/platform
	DJANGO_SETTINGS_MODULE=inleg.platform.settings $(PY) -m inleg.sandbox.pgtemp $(VENV)/bin/pytest tests/platform -p no:cacheprovider
	$(VENV)/bin/pytest tests/e2e -p no:cacheprovider

test: standalone lint typecheck imports migrations unit

bench: $(STAMP) system-deps
	$(PY) bench/funds.py --rows 1000000
	$(PY) bench/sandbox.py
	$(PY) bench/sync.py
	$(PY) bench/contributions.py
	$(PY) bench/reconcile.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis

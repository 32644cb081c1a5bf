# The two commands a newcomer needs: `make run` (demo platform) and `make test` (whole suite).
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
# `make run PORT=8080` serves on another port; SITE_URL (e-mail links, certificate QR codes) follows it.
PORT ?= 8000

.PHONY: run test setup setup-dev system-deps system-deps-test lint messages clean

run: setup system-deps
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py compilemessages -v0 --ignore=.venv
	DEBUG=1 PORT=$(PORT) $(PY) manage.py seed_demo
	DEBUG=1 PORT=$(PORT) scripts/run_platform.sh

test: setup-dev system-deps-test node_modules/.package-lock.json
	$(PY) manage.py compilemessages -v0 --ignore=.venv
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# Two locks: requirements.lock holds what the platform runs on (also all the Docker image installs);
# requirements-dev.lock adds the test and lint tools, at the same versions for the shared packages.
setup: $(VENV)/.installed

setup-dev: $(VENV)/.installed-dev

$(VENV)/.installed: requirements.lock | $(VENV)/bin/uv
	$(VENV)/bin/uv pip install -q --python $(PY) -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(VENV)/bin/uv
	$(VENV)/bin/uv pip install -q --python $(PY) -r requirements-dev.lock
	touch $@ $(VENV)/.installed

$(VENV)/bin/uv:
	@command -v python3 >/dev/null || { echo "Python 3.11 or newer is needed: install python3 and python3-venv"; exit 1; }
	@python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed (found $$(python3 --version))"; exit 1; }
	test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q uv==$(UV_VERSION)

system-deps:
	@echo "make run needs ffmpeg and gettext; missing ones are installed now."
	scripts/install_system_deps.sh ffmpeg gettext

system-deps-test:
	@echo "make test needs ffmpeg, gettext, chromium and npm; missing ones are installed now."
	scripts/install_system_deps.sh ffmpeg gettext chromium npm

# axe-core for the accessibility checks in the browser tests, from the npm registry with a lock file.
node_modules/.package-lock.json: package-lock.json
	@echo "Installing axe-core (accessibility checks) with npm ci into node_modules/..."
	npm ci --no-audit --no-fund --loglevel=error

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run

messages: setup-dev
	$(PY) scripts/makemessages.py

clean:
	rm -rf $(VENV) .data .staticfiles node_modules

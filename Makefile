# `make site` and `make test` are the whole setup contract on a fresh clone: each
# installs what it needs, pinned, when missing or older than its lock file.
PYTHON ?= python3
VENV := .venv
PIP_INSTALL := $(VENV)/bin/pip install --quiet --disable-pip-version-check
SITE_STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
NPM_STAMP := node_modules/.installed

.PHONY: site test clean

# The build's packages only: `make site` needs neither the test tools nor npm.
$(SITE_STAMP): requirements.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements.txt
	touch $@

# Test and lint tools on top (requirements-dev.txt starts with -r requirements.txt).
$(DEV_STAMP): requirements-dev.txt $(SITE_STAMP)
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $@

# The quality gates' pinned vnu-jar and axe-core (npm ci wipes node_modules, stamp included).
$(NPM_STAMP): package-lock.json
	@command -v npm >/dev/null || { echo "make test needs npm: see README.md's Debian packages" >&2; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

site: $(SITE_STAMP)
	$(VENV)/bin/invoke build

test: $(DEV_STAMP) $(NPM_STAMP)
	$(VENV)/bin/invoke test

clean:
	rm -rf output .output-spare .cache

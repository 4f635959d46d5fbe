# Two commands do all set-up on a fresh Debian 12/13 as root, idempotently:
#   make demo   build the demo street and run gridgov on it
#   make test   run every test (QGIS included, offscreen)
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Debian's own Python: the one python3-qgis is built for (not a pyenv shim).
SYSTEM_PYTHON := /usr/bin/python3
APT_PACKAGES := qgis python3-qgis qgis-providers python3-venv \
                fonts-wqy-microhei poppler-utils
DEMO_OUT ?= out/demo
export QT_QPA_PLATFORM := offscreen

.PHONY: setup system demo test clean

setup: system $(VENV)/.installed

# Install only the Debian packages that are missing, so a second run is quick.
system:
	@missing=$$(for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:" $$missing; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

# The venv sees Debian's site-packages (qgis, PyQt5); geopandas & co. come from PyPI.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(SYSTEM_PYTHON) -m venv --system-site-packages $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $@

demo: setup
	$(VENV)/bin/gridgov demo --out $(DEMO_OUT)

test: setup
	$(PY) -m pytest

clean:
	rm -rf out build *.egg-info .pytest_cache

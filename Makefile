# Two commands do all set-up on a fresh Debian 12/13 as root, idempotently:
#   make demo   build the demo street and run gridgov on it
#   make test   run every test (QGIS included, offscreen)
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := PIP_CONSTRAINT=$(CURDIR)/constraints.txt $(PY) -m pip install -q --disable-pip-version-check
# Debian's own Python: the one python3-qgis is built for (not a pyenv shim).
SYSTEM_PYTHON := /usr/bin/python3
DEMO_OUT ?= out/demo
export QT_QPA_PLATFORM := offscreen

# Qt's own tools from Debian (qttools5-dev-tools, pyqt5-dev-tools), not qtchooser's shims
LRELEASE := /usr/lib/qt5/bin/lrelease
TRANSLATIONS := resources/i18n/gridgov_zh_CN.ts

.PHONY: setup system demo test lint styles templates models translations package wheelhouse clean

setup: $(VENV)/.installed cockpit/node_modules/.installed $(TRANSLATIONS:.ts=.qm)

system:
	@./scripts/install-debian-packages

# The venv sees Debian's site-packages (qgis, PyQt5); geopandas & co. come from PyPI,
# with pyogrio and pyproj built on Debian's GDAL and PROJ (see constraints.txt).
$(VENV)/.installed: pyproject.toml constraints.txt | system
	test -x $(PY) || $(SYSTEM_PYTHON) -m venv --system-site-packages $(VENV)
	$(PIP) --no-binary pyogrio,shapely -e '.[test,city]'
	# pyproj 3.6 builds only with Cython < 3.1 (pyogrio only with newer): rebuilt last, unisolated
	$(PIP) "cython<3.1" setuptools wheel
	PROJ_DIR=/usr $(PIP) --no-build-isolation --no-binary pyproj --force-reinstall --no-deps "pyproj>=3.4,<3.7"
	touch $@

# Leaflet and friends for the web map, from the npm registry, pinned by the lock file.
cockpit/node_modules/.installed: cockpit/package-lock.json | system
	npm ci --prefix cockpit --no-audit --no-fund --loglevel=error
	touch $@

# The plugin's Chinese interface: .ts (in git, translated by people) → .qm (built).
resources/i18n/%.qm: resources/i18n/%.ts | system
	$(LRELEASE) -silent $< -qm $@

# After changing the interface's texts: bring the new ones into the .ts, then translate them there.
translations:
	pylupdate5 -noobsolete plugin/*.py plugin/algorithms/*.py -ts $(TRANSLATIONS)

demo: setup
	$(VENV)/bin/gridgov demo --out $(DEMO_OUT)

# Then the core's tests a second time, on the packages the plugin installs into QGIS (resources/requirements-qgis.txt:
# pandas 2.2, shapely 2.0, geopandas 1.0 where the venv has the newest) first on the path: code that only the newest
# accept fails here, not in a planner's QGIS.  The command line, city runs and packaging (not in QGIS) run once.
PLUGIN_PINS := out/plugin-pins
NOT_IN_QGIS := $(addprefix --ignore=tests/,test_cli.py test_city.py test_city_split.py test_package.py test_packaging.py)

test: setup lint
	$(PY) -m pytest
	$(PY) scripts/plugin_pins.py --out $(PLUGIN_PINS)
	PYTHONPATH=$(CURDIR)/$(PLUGIN_PINS) $(PY) -m pytest -p no:cacheprovider -m "not qgis and not browser and not postgis and not slow" \
		$(NOT_IN_QGIS)

lint: setup
	$(PY) -m ruff check .

# QGIS styles are generated from resources/palette.toml (a test checks they are current).
styles: setup
	$(PY) -m gridgov.coloring.palette

# The example model (gather → colour → coverage → field maps) from the algorithms' parameters (a test checks it is current).
models: setup
	QT_HASH_SEED=0 $(PY) -m gridgov.plugin.write_model     # a fixed hash seed: the same model, the same bytes

# The field-map layout as a .qpt (for QGIS's layout manager), built on the demo street.
templates: demo
	$(PY) -m gridgov.atlas.export $(DEMO_OUT)/gridgov_demo.gpkg

# The plugin's dependencies as wheels for offline QGIS machines (Debian's QGIS and the Windows installers):
# dist/gridgov-wheelhouse-linux.zip and -windows.zip, for the plugin's *Install from a wheelhouse…*.
wheelhouse: setup
	$(PY) scripts/wheelhouse.py

# The plugin zip for plugins.qgis.org (dist/gridgov-VERSION.zip).
package: setup
	$(PY) scripts/package.py

clean:
	rm -rf out build dist *.egg-info .pytest_cache

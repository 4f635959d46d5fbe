"""The package as QGIS and Python see it."""
import subprocess
import sys
from configparser import ConfigParser
from pathlib import Path

import gridgov

ROOT = Path(gridgov.__file__).parent
REQUIRED_METADATA = {"name", "qgisMinimumVersion", "description", "about", "version", "author", "email",
                     "repository", "tracker"}


def metadata():
    meta = ConfigParser()
    meta.optionxform = str   # keep camelCase keys as QGIS reads them
    meta.read(ROOT / "metadata.txt", encoding="utf-8")
    return meta["general"]


def test_metadata_has_what_plugins_qgis_org_requires():
    meta = metadata()
    assert REQUIRED_METADATA <= set(meta)
    assert meta["qgisMinimumVersion"] == "3.22" and meta["hasProcessingProvider"] == "yes"
    assert (ROOT / meta["icon"]).exists()
    for dependency in ("geopandas", "OSGeo4W", "Linux"):
        assert dependency in meta["about"]


def test_one_version():
    assert gridgov.__version__ == metadata()["version"]
    from importlib.metadata import version
    assert version("gridgov") == gridgov.__version__


def test_licence_is_gpl2():
    assert "GNU GENERAL PUBLIC LICENSE" in (ROOT / "LICENSE").read_text() and "Version 2" in (ROOT / "LICENSE").read_text()


def test_core_imports_without_qgis():
    code = ("import sys, gridgov, gridgov.layers, gridgov.demo, gridgov.cli; "
            "print('qgis' in sys.modules or 'PyQt5' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"

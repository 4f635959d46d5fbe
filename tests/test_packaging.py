"""`make package` builds a zip that plugins.qgis.org accepts: checked the way it checks."""
import configparser
import json
import runpy
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REQUIRED = {"name", "qgisMinimumVersion", "description", "about", "version", "author", "email", "repository",
            "tracker"}


@pytest.fixture(scope="module")
def plugin_zip(tmp_path_factory):
    build = runpy.run_path(str(ROOT / "scripts" / "package.py"))["build"]
    return build(tmp_path_factory.mktemp("dist") / "gridgov.zip")


def test_zip_as_plugins_qgis_org_checks_it(plugin_zip):
    with zipfile.ZipFile(plugin_zip) as archive:
        names = archive.namelist()
        tops = {name.split("/")[0] for name in names}
        assert tops == {"gridgov"} and "gridgov".isidentifier()
        assert not [n for n in names if n.endswith(".pyc") or "__pycache__" in n]
        assert "gridgov/LICENSE" in names and "gridgov/__init__.py" in names
        assert "gridgov/cockpit/node_modules/leaflet/dist/leaflet.js" in names     # the web map works offline
        assert "gridgov/resources/i18n/gridgov_zh_CN.qm" in names                # Chinese without lrelease
        assert not [n for n in names if n.startswith(("gridgov/tests/", "gridgov/bench/"))]
        meta = configparser.ConfigParser()
        meta.optionxform = str
        meta.read_string(archive.read("gridgov/metadata.txt").decode("utf-8"))
        assert REQUIRED <= set(meta["general"])
    assert plugin_zip.stat().st_size < 25 * 1024 * 1024


def test_bandit_finds_nothing_of_high_severity(plugin_zip, tmp_path):
    with zipfile.ZipFile(plugin_zip) as archive:
        archive.extractall(tmp_path)
    result = subprocess.run([sys.executable, "-m", "bandit", "-r", str(tmp_path / "gridgov"), "-f", "json", "-q"],
                            capture_output=True, text=True)
    findings = json.loads(result.stdout)["results"]
    assert [f for f in findings if f["issue_severity"] == "HIGH"] == []

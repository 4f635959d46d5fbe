"""A fresh QGIS profile gets from the plugin zip to a finished Run all with one install click and no terminal:
Debian's QGIS on Debian's own Python (no virtual environment on the path), the plugin from the zip
`make package` builds, its *Install dependencies* dialog installing from a local wheelhouse with no index,
then the analysis on the demo layers through Processing and the dock's Run all, and QGIS exiting cleanly
(one GDAL and one PROJ in the process: exit code 0)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

import gridgov

pytestmark = [pytest.mark.qgis, pytest.mark.slow]

SYSTEM_PYTHON = "/usr/bin/python3"        # the Python Debian's QGIS runs, without the venv's packages
ROOT = Path(gridgov.PACKAGE_DIR)
ARTIFACTS = ROOT / "out" / "test-artifacts"

DRIVER = textwrap.dedent('''
    import json, sys
    from pathlib import Path
    from unittest.mock import MagicMock

    from qgis.testing import start_app
    app = start_app()
    sys.path.append("/usr/share/qgis/python/plugins")
    from processing.core.Processing import Processing
    Processing.initialize()
    from qgis.PyQt.QtCore import QEventLoop, QTimer
    from qgis.PyQt.QtWidgets import QMainWindow

    wheelhouse, demo, out, artifacts = map(Path, sys.argv[1:5])
    iface = MagicMock()
    window = QMainWindow()
    iface.mainWindow.return_value = window
    import gridgov
    plugin = gridgov.classFactory(iface)
    before = list(plugin.missing)
    plugin.initGui()
    dialog = plugin.install_dialog
    loop = QEventLoop()
    dialog.installed.connect(lambda complete: loop.quit())
    QTimer.singleShot(900_000, loop.quit)
    dialog.install(wheelhouse)
    loop.exec_()
    artifacts.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(artifacts / "install_dialog.png"))
    import processing
    kinds = ("houses", "grids", "patrol_zones", "defense_zones", "communities", "people", "units", "events",
             "sensors", "bases", "roads")
    result = processing.run("gridgov:analyse", {**{k.upper(): f"{demo}|layername={k}" for k in kinds},
                                                "OUTPUT": str(out)})
    from gridgov.results import read_results
    houses = read_results(out, names=("houses",)).layers["houses"]
    from qgis.core import QgsProject, QgsVectorLayer
    for kind in kinds + ("water",):
        QgsProject.instance().addMapLayer(QgsVectorLayer(f"{demo}|layername={kind}", kind, "ogr"))
    plugin.actions[0].setChecked(True)                   # the toolbar button: the dock
    dock = plugin.dock
    dock.buttons["run_all"].click()
    import time
    from qgis.PyQt.QtCore import QCoreApplication
    started = time.monotonic()
    while (dock.busy or dock.queue) and time.monotonic() - started < 600:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    dock.grab().save(str(artifacts / "dock_after_install.png"))
    run_all = sorted(path.name for path in (Path.home() / "gridgov").glob("*"))
    print("RESULT " + json.dumps({
        "run_all": run_all, "status": dock.status.text(),
        "before": before, "after": plugin.missing, "log": dialog.log.toPlainText()[-2000:],
        "folder": str(dialog.folder), "red": result["RED"], "covered": result["COVERED_SHARE"],
        "houses": len(houses), "red_houses": int((houses["risk_level"] == "red").sum()),
        "pyogrio": "pyogrio" in sys.modules, "pandas": __import__("pandas").__file__}))
    plugin.unload()
''')


@pytest.fixture(scope="module")
def wheelhouse():
    """The Linux wheelhouse `make wheelhouse` builds (downloaded once into out/wheelhouse, then reused)."""
    subprocess.run([sys.executable, str(ROOT / "scripts" / "wheelhouse.py"), "--platform", "linux"], check=True,
                   capture_output=True, timeout=900)
    return ROOT / "dist" / "gridgov-wheelhouse-linux.zip"


@pytest.fixture(scope="module")
def plugin_zip(tmp_path_factory):
    """The zip a planner installs (`make package`)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from package import build

    return build(tmp_path_factory.mktemp("zip") / f"gridgov-{gridgov.__version__}.zip")


def test_a_fresh_profile_installs_from_a_wheelhouse_and_runs_all(wheelhouse, plugin_zip, tiny_demo_dir, tmp_path):
    home, plugins = tmp_path / "home", tmp_path / "plugins"
    home.mkdir()
    with zipfile.ZipFile(plugin_zip) as archive:              # as Install from ZIP unpacks it
        archive.extractall(plugins)
    (tmp_path / "driver.py").write_text(DRIVER, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env.update({"HOME": str(home), "PYTHONPATH": str(plugins), "PYTHONNOUSERSITE": "1", "QT_QPA_PLATFORM": "offscreen",
                "PATH": "/usr/local/bin:/usr/bin:/bin"})
    run = subprocess.run([SYSTEM_PYTHON, str(tmp_path / "driver.py"), str(wheelhouse),
                          str(tiny_demo_dir / "gridgov_demo.gpkg"), str(tmp_path / "result.gpkg"), str(ARTIFACTS)],
                         env=env, capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]        # QGIS exits cleanly
    line = next(line for line in run.stdout.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    assert "pandas" in result["before"] and "geopandas" in result["before"] and result["after"] == [], result["log"]
    assert result["folder"].endswith("profiles/default/python/dependencies/gridgov")       # the fresh profile's
    assert result["pandas"].startswith(result["folder"])
    assert not result["pyogrio"]                                  # the core read and wrote through QGIS's GDAL
    assert result["houses"] > 50 and result["red_houses"] == result["red"] > 0 and 0.5 < result["covered"] <= 1
    assert {"gridgov_result.gpkg", "field_maps.pdf", "cockpit.html"} <= set(result["run_all"]), result["status"]

"""The plugin in a real QGIS (offscreen).  QGIS missing here is a failure, not a skip."""
import os
import sys

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.append("/usr/share/qgis/python/plugins")   # Processing, as Debian's QGIS installs it

from unittest.mock import MagicMock  # noqa: E402

from qgis.core import QgsApplication  # noqa: E402
from qgis.gui import QgisInterface  # noqa: E402
from qgis.PyQt.QtWidgets import QMainWindow  # noqa: E402
from qgis.testing import start_app  # noqa: E402


@pytest.fixture(scope="module")
def qgis_app():
    app = start_app()
    from processing.core.Processing import Processing

    Processing.initialize()
    yield app


@pytest.fixture
def iface(qgis_app):
    """QGIS's interface, recording calls, with a real main window to parent actions and dialogs."""
    iface = MagicMock(spec=QgisInterface)
    window = QMainWindow()
    iface.mainWindow.return_value = window
    yield iface
    window.deleteLater()


LOAD_AS_QGIS_DOES = """
import sys
from pathlib import Path
from unittest.mock import MagicMock
from qgis.core import QgsApplication
from qgis.gui import QgisInterface
from qgis.PyQt.QtWidgets import QMainWindow
from qgis.testing import start_app
import qgis.utils

app = start_app()
plugins_dir = sys.argv[1]
qgis.utils.plugin_paths = [plugins_dir]
sys.path.insert(0, plugins_dir)
iface = MagicMock(spec=QgisInterface)
iface.mainWindow.return_value = QMainWindow()
qgis.utils.iface = iface
qgis.utils.updateAvailablePlugins()
assert "gridgov" in qgis.utils.available_plugins, qgis.utils.available_plugins
assert qgis.utils.pluginMetadata("gridgov", "name") == "gridgov"
assert qgis.utils.loadPlugin("gridgov")
assert qgis.utils.startPlugin("gridgov")
assert Path(sys.modules["gridgov"].__file__).parent == Path(plugins_dir) / "gridgov"
assert iface.addToolBarIcon.call_count == 1 and iface.addPluginToMenu.call_count == 1
assert QgsApplication.processingRegistry().providerById("gridgov") is not None
assert qgis.utils.unloadPlugin("gridgov")
assert iface.removeToolBarIcon.call_count == 1 and iface.removePluginMenu.call_count == 1
assert QgsApplication.processingRegistry().providerById("gridgov") is None
print("plugin loaded and unloaded")
"""


def test_qgis_loads_starts_and_unloads_the_plugin_from_its_folder(tmp_path):
    """As QGIS does it: find the folder, read metadata.txt, import, classFactory, initGui, unload."""
    import subprocess

    import gridgov

    (tmp_path / "gridgov").symlink_to(gridgov.PACKAGE_DIR, target_is_directory=True)
    result = subprocess.run([sys.executable, "-c", LOAD_AS_QGIS_DOES, str(tmp_path)], capture_output=True,
                            text=True, timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert "plugin loaded and unloaded" in result.stdout
    assert "Traceback" not in result.stderr


def test_class_factory_init_gui_unload_twice(iface):
    import gridgov

    plugin = gridgov.classFactory(iface)
    for _ in range(2):
        plugin.initGui()
        assert len(plugin.actions) == 1 and plugin.actions[0].isEnabled()
        plugin.unload()
        assert plugin.actions == [] and plugin.provider is None


def test_processing_algorithms_run(iface, tiny_demo_dir, tmp_path):
    import gridgov
    import processing

    plugin = gridgov.classFactory(iface)
    plugin.initProcessing()
    try:
        algorithms = {a.id() for a in QgsApplication.processingRegistry().providerById("gridgov").algorithms()}
        assert {"gridgov:validate", "gridgov:demo"} <= algorithms
        result = processing.run("gridgov:validate", {"PROJECT": str(tiny_demo_dir / "gridgov_demo.toml"),
                                                     "REPORT": str(tmp_path / "report.json")})
        assert result["ERRORS"] == 0 and (tmp_path / "report.json").exists()
        result = processing.run("gridgov:demo", {"AREA": 2, "SCALE": 0.02, "SEED": 1, "OUTPUT": str(tmp_path / "d")})
        assert os.path.exists(result["GEOPACKAGE"])
    finally:
        plugin.unload()


def test_palette_styles_load_in_qgis(qgis_app):
    from qgis.core import QgsVectorLayer

    from gridgov.coloring.palette import PALETTE, STYLES

    layer = QgsVectorLayer("Polygon?crs=EPSG:4549&field=risk_level:string&field=building:string"
                           "&field=risk_score:double", "houses", "memory")
    message, ok = layer.loadNamedStyle(str(STYLES / "houses_risk.qml"))
    assert ok, message
    renderer = layer.renderer()
    assert renderer.type() == "categorizedSymbol" and renderer.classAttribute() == "risk_level"
    assert [c.value() for c in renderer.categories()] == ["red", "yellow", "green"]
    assert [c.symbol().color().name() for c in renderer.categories()] == \
        [PALETTE["levels"][level]["color"] for level in ("red", "yellow", "green")]
    assert not layer.labelsEnabled()
    message, ok = layer.loadNamedStyle(str(STYLES / "houses_risk_labelled.qml"))
    assert ok and layer.labelsEnabled()
    assert "risk_score" in layer.labeling().settings().fieldName
    points = QgsVectorLayer("Point?crs=EPSG:4549&field=grade:string", "warnings", "memory")
    message, ok = points.loadNamedStyle(str(STYLES / "warnings_grade.qml"))
    assert ok and [c.value() for c in points.renderer().categories()] == ["major", "urgent", "routine"]

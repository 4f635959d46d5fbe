"""QGIS without a screen: for the command line and for benchmarks against QGIS's own algorithms."""
from __future__ import annotations

import os
import sys

PROCESSING_PLUGINS = "/usr/share/qgis/python/plugins"   # where Debian's QGIS keeps Processing
_app = None


def start_qgis():
    """A running QgsApplication with Processing ready (started once per process)."""
    global _app
    if _app is not None:
        return _app
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if PROCESSING_PLUGINS not in sys.path and os.path.isdir(PROCESSING_PLUGINS):
        sys.path.append(PROCESSING_PLUGINS)
    from qgis.core import QgsApplication

    if QgsApplication.instance() is not None:     # a QGIS already running here (tests, the QGIS app)
        _app = QgsApplication.instance()
    else:
        QgsApplication.setPrefixPath("/usr", True)
        _app = QgsApplication([], False)
        _app.initQgis()
    from processing.core.Processing import Processing

    Processing.initialize()
    return _app


def run_algorithm(algorithm: str, parameters: dict) -> dict:
    """processing.run in a headless QGIS."""
    start_qgis()
    import processing

    return processing.run(algorithm, parameters)


def vector_layer(path: str, layer: str, subset: str = ""):
    """A layer of a GeoPackage, optionally filtered by an SQL subset string."""
    start_qgis()
    from qgis.core import QgsVectorLayer

    loaded = QgsVectorLayer(f"{path}|layername={layer}", layer, "ogr")
    if not loaded.isValid():
        raise ValueError(f"QGIS cannot open {path} [{layer}]")
    if subset:
        loaded.setSubsetString(subset)
    return loaded

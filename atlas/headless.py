"""QGIS without a screen, for the command line's field maps (and the benchmarks against QGIS)."""
from __future__ import annotations

import os
import sys

PROCESSING_PLUGINS = "/usr/share/qgis/python/plugins"   # where Debian's QGIS keeps Processing
_app = None


def start_qgis():
    """A running QgsApplication with Processing ready (started once per process).

    Processing lives outside Python's path in Debian's QGIS (QGIS adds it
    itself when it starts its own Python); headless, it is added here, once.
    """
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

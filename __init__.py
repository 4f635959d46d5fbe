"""gridgov: grid governance for Chinese city streets.

The repository root is both the QGIS plugin folder and the Python package
``gridgov``.  Nothing here imports QGIS at import time, so ``import gridgov``
works in plain Python; QGIS calls :func:`classFactory` to get the plugin.
"""
from configparser import ConfigParser
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _read_version() -> str:
    """The version lives once, in metadata.txt, where QGIS reads it too."""
    meta = ConfigParser()
    meta.read(PACKAGE_DIR / "metadata.txt", encoding="utf-8")
    return meta.get("general", "version")


__version__ = _read_version()


def classFactory(iface):  # noqa: N802 (name fixed by QGIS)
    """QGIS entry point: import the plugin (and QGIS) only when QGIS asks."""
    from .plugin.main import GridGovPlugin

    return GridGovPlugin(iface)

"""QGIS's own algorithms as the reference a benchmark measures gridgov against."""
from __future__ import annotations

from gridgov.atlas.headless import start_qgis


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

"""A result GeoPackage as styled layers in the project's `gridgov` group (declared in result_layers.toml)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qgis.core import (QgsFillSymbol, QgsLayerTreeGroup, QgsMarkerSymbol, QgsProject, QgsVectorLayer,
                       QgsWkbTypes)

from .. import RESOURCES
from ..coloring.palette import STYLES
from ..layers.toml import read_toml
from .inputs import RESULT_GROUP

SIMPLE_SYMBOLS = {QgsWkbTypes.PointGeometry: QgsMarkerSymbol, QgsWkbTypes.PolygonGeometry: QgsFillSymbol}


@dataclass(frozen=True)
class ResultLayer:
    name: str
    zh: str
    en: str
    qml: str = ""
    symbol: dict = field(default_factory=dict)
    visible: bool = True

    def title(self, chinese: bool) -> str:
        return self.zh if chinese else self.en


RESULT_LAYERS = [ResultLayer(**entry) for entry in read_toml(RESOURCES / "result_layers.toml")["layers"]]


def remove_results(project: QgsProject):
    """Take an earlier run's layers out (so its file can be replaced)."""
    root = project.layerTreeRoot()
    group = root.findGroup(RESULT_GROUP)
    if group is not None:
        project.removeMapLayers(group.findLayerIds())
        root.removeChildNode(group)


def add_results(project: QgsProject, gpkg: Path, chinese: bool) -> QgsLayerTreeGroup:
    """The run's layers, styled, in a `gridgov` group at the top of the layer tree."""
    remove_results(project)
    group = project.layerTreeRoot().insertGroup(0, RESULT_GROUP)
    for entry in RESULT_LAYERS:
        layer = QgsVectorLayer(f"{gpkg}|layername={entry.name}", entry.title(chinese), "ogr")
        if not layer.isValid():
            continue        # a street without bases has no coverage layers
        _style(layer, entry)
        project.addMapLayer(layer, False)
        group.addLayer(layer).setItemVisibilityChecked(entry.visible)
    return group


def _style(layer: QgsVectorLayer, entry: ResultLayer):
    if entry.qml:
        message, ok = layer.loadNamedStyle(str(STYLES / entry.qml))
        if not ok:
            raise RuntimeError(f"{entry.qml}: {message}")
    elif entry.symbol and layer.geometryType() in SIMPLE_SYMBOLS:
        layer.renderer().setSymbol(SIMPLE_SYMBOLS[layer.geometryType()].createSimple(entry.symbol))

"""A result GeoPackage as styled layers in the project's `gridgov` group, as the result contract displays them."""
from __future__ import annotations

from pathlib import Path

from qgis.core import QgsFillSymbol, QgsLayerTreeGroup, QgsMarkerSymbol, QgsProject, QgsVectorLayer, QgsWkbTypes

from ..coloring.palette import MAP_COLORS, rgba
from ..resources import STYLES
from ..results import CONTRACT
from .inputs import RESULT_GROUP

SIMPLE_SYMBOLS = {QgsWkbTypes.PointGeometry: QgsMarkerSymbol, QgsWkbTypes.PolygonGeometry: QgsFillSymbol}
COLOR_KEYS = ("color", "outline_color")


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
    for entry in CONTRACT.displayed:
        display = entry.display
        layer = QgsVectorLayer(f"{gpkg}|layername={entry.name}", display["zh" if chinese else "en"], "ogr")
        if not layer.isValid():
            continue        # a street without bases has no coverage layers
        _style(layer, display)
        project.addMapLayer(layer, False)
        group.addLayer(layer).setItemVisibilityChecked(display.get("visible", True))
    return group


RECORD_KINDS = ("people", "units", "events", "sensors")
RECORDS_FROM_SCALE = 10_000     # record points are drawn only when zoomed in closer than 1:10,000


def quiet_inputs(project: QgsProject, layer_ids: dict):
    """After a run the results speak: the input record layers (tens of thousands of points) are switched
    off, and drawn only when zoomed in close, when switched back on."""
    root = project.layerTreeRoot()
    for kind in RECORD_KINDS:
        layer = project.mapLayer(layer_ids.get(kind, ""))
        node = root.findLayer(layer.id()) if layer is not None else None
        if node is None:
            continue
        node.setItemVisibilityChecked(False)
        layer.setScaleBasedVisibility(True)
        layer.setMinimumScale(RECORDS_FROM_SCALE)


def symbol_properties(symbol: dict) -> dict:
    """A declared symbol's QGIS properties: colours named by their palette role, with an optional alpha."""
    properties = {key: value for key, value in symbol.items() if key != "alpha"}
    for key in COLOR_KEYS:
        if key in properties and properties[key] in MAP_COLORS:
            alpha = symbol.get("alpha", 255) if key == "color" else 255
            properties[key] = rgba(MAP_COLORS[properties[key]], alpha)
    return properties


def _style(layer: QgsVectorLayer, display: dict):
    if display.get("qml"):
        message, ok = layer.loadNamedStyle(str(STYLES / display["qml"]))
        if not ok:
            raise RuntimeError(f"{display['qml']}: {message}")
    elif display.get("symbol") and layer.geometryType() in SIMPLE_SYMBOLS:
        layer.renderer().setSymbol(SIMPLE_SYMBOLS[layer.geometryType()].createSimple(
            symbol_properties(display["symbol"])))

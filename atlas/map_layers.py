"""The field map's layers from a result GeoPackage, styled for paper."""
from __future__ import annotations

from pathlib import Path

from qgis.core import QgsFillSymbol, QgsLineSymbol, QgsMarkerSymbol, QgsProject, QgsRuleBasedRenderer, QgsVectorLayer

from ..coloring.palette import MAP_COLORS, rgba
from ..resources import STYLES
from ..results import check_result_file

# the layers a field map shows, bottom to top; grids over houses, so neighbours are dimmed
MAP_LAYERS = ("water", "roads", "houses", "grids", "bases")
TITLES = {"houses": "房屋风险 houses by risk", "grids": "网格 grids", "roads": "道路 roads", "water": "水系 water",
          "bases": "驻点 bases"}


def load_layers(gpkg: Path, project: QgsProject, group=None) -> dict:
    """The layers, styled, added to the project (top layer last); into ``group`` unticked when one is given
    (their atlas styles are for the page, not the canvas)."""
    present = check_result_file(gpkg, need=("houses", "grids"), steps=("risk",))
    layers = {name: QgsVectorLayer(f"{gpkg}|layername={name}", TITLES[name], "ogr")
              for name in MAP_LAYERS if name in present}
    _style(layers)
    for layer in reversed(list(layers.values())):
        project.addMapLayer(layer, group is None)
        if group is not None:
            group.insertLayer(0, layer).setItemVisibilityChecked(False)
    return layers


def _style(layers: dict):
    layers["houses"].loadNamedStyle(str(STYLES / "houses_risk.qml"))
    layers["grids"].setRenderer(_this_grid_and_its_neighbours())
    if "roads" in layers:
        layers["roads"].renderer().setSymbol(QgsLineSymbol.createSimple({"color": MAP_COLORS["roads"],
                                                                         "width": "0.3"}))
    if "water" in layers:
        layers["water"].renderer().setSymbol(QgsFillSymbol.createSimple({"color": MAP_COLORS["water"],
                                                                         "outline_style": "no"}))
    if "bases" in layers:
        layers["bases"].renderer().setSymbol(QgsMarkerSymbol.createSimple(
            {"name": "star", "color": MAP_COLORS["base"], "size": "4", "outline_color": "white"}))


def _this_grid_and_its_neighbours() -> QgsRuleBasedRenderer:
    """The atlas grid stands out; its neighbours are dimmed."""
    renderer = QgsRuleBasedRenderer(QgsFillSymbol.createSimple({}))
    root = renderer.rootRule()
    root.removeChildAt(0)
    root.appendChild(QgsRuleBasedRenderer.Rule(QgsFillSymbol.createSimple(
        {"style": "no", "outline_color": MAP_COLORS["grid_focus"], "outline_width": "0.8"}), 0, 0,
        "@atlas_featureid = $id", "本网格 this grid"))
    root.appendChild(QgsRuleBasedRenderer.Rule(QgsFillSymbol.createSimple(
        {"color": rgba("#ffffff", 150), "outline_color": MAP_COLORS["grid_dimmed"], "outline_width": "0.2"}), 0, 0,
        "ELSE", "相邻网格 neighbouring grids"))
    return renderer

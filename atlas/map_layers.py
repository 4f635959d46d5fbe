"""The field map's layers from a result GeoPackage, styled for paper."""
from __future__ import annotations

from pathlib import Path

from qgis.core import QgsFillSymbol, QgsLineSymbol, QgsMarkerSymbol, QgsProject, QgsRuleBasedRenderer, QgsVectorLayer

from ..coloring.palette import MAP_COLORS, rgba
from ..grid_tools.compare import changes_file
from ..resources import STYLES
from ..results import check_result_file

# the layers a field map shows, bottom to top; grids over houses, so neighbours are dimmed
MAP_LAYERS = ("water", "roads", "houses", "turned_red", "grids", "bases")
TITLES = {"houses": "房屋风险 houses by risk", "grids": "网格 grids", "roads": "道路 roads", "water": "水系 water",
          "bases": "驻点 bases", "turned_red": "较上次新增红色 newly red"}
TURNED_RED = "\"new_level\" = 'red' AND coalesce(\"old_level\", '') <> 'red'"


def load_layers(gpkg: Path, project: QgsProject, group=None, changes=None) -> dict:
    """The layers, styled, added to the project (top layer last); into ``group`` unticked when one is given
    (their atlas styles are for the page, not the canvas).  With ``changes`` (gridgov compare's file), the
    houses turned red since the last run are marked."""
    present = check_result_file(gpkg, need=("houses", "grids"), steps=("risk",))
    sources = {name: f"{gpkg}|layername={name}" for name in MAP_LAYERS if name in present}
    if changes:
        sources["turned_red"] = f"{changes_file(changes)}|layername=level_changes"
    layers = {name: QgsVectorLayer(sources[name], TITLES[name], "ogr") for name in MAP_LAYERS if name in sources}
    if "turned_red" in layers:
        layers["turned_red"].setSubsetString(TURNED_RED)
    _style(layers)
    for layer in reversed(list(layers.values())):
        _add(project, layer, group)
    return layers


def overdue_events(gpkg: Path, project: QgsProject, group=None) -> QgsVectorLayer | None:
    """The result's open events past their deadline, for each page's list of its grid's; None when the run
    had no event times (no closed loop)."""
    layer = QgsVectorLayer(f"{gpkg}|layername=events_matched", "超期未办结事件 overdue events", "ogr")
    if not layer.isValid() or min(layer.fields().indexOf(name) for name in ("overdue", "grid_id", "reported_at")) < 0:
        return None
    layer.setSubsetString('"overdue" = 1')
    _add(project, layer, group, shown=False)
    return layer


def _add(project: QgsProject, layer: QgsVectorLayer, group, shown: bool = True):
    """Into the project's layer tree when no group is given (a headless run), else unticked into the group."""
    project.addMapLayer(layer, group is None and shown)
    if group is not None:
        group.insertLayer(0, layer).setItemVisibilityChecked(False)


def _style(layers: dict):
    layers["houses"].loadNamedStyle(str(STYLES / "houses_risk.qml"))
    layers["grids"].setRenderer(_this_grid_and_its_neighbours())
    if "roads" in layers:
        layers["roads"].renderer().setSymbol(QgsLineSymbol.createSimple({"color": MAP_COLORS["roads"],
                                                                         "width": "0.3"}))
    if "water" in layers:
        layers["water"].renderer().setSymbol(QgsFillSymbol.createSimple({"color": MAP_COLORS["water"],
                                                                         "outline_style": "no"}))
    if "turned_red" in layers:      # an outline of its own over the red fill: the house was not red last time
        layers["turned_red"].renderer().setSymbol(QgsFillSymbol.createSimple(
            {"style": "no", "outline_color": MAP_COLORS["turned_red"], "outline_width": "0.7", "outline_style": "dash"}))
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

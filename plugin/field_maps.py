"""Field maps for grid supervisors: one printed page per grid (a QGIS atlas), in QGIS or headless.

The page: the map zoomed to the grid with houses coloured by risk and the
neighbouring grids dimmed, the grid boundary and bases; a title with the grid,
its community, patrol and defense zone; a legend of what is on the page; a
scale bar; a north arrow; the date and data sources with the OpenStreetMap
attribution; the red (then yellow) houses to visit, with address and reasons;
and a small overview of the street.  No names, ID-card or phone numbers are on
the page: the houses layer carries counts and reasons only.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from qgis.core import (QgsFillSymbol, QgsLayoutExporter, QgsLayoutItemAttributeTable,
                       QgsLayoutItemLabel, QgsLayoutItemLegend, QgsLayoutItemMap, QgsLayoutItemPicture,
                       QgsLayoutItemScaleBar, QgsLayoutMeasurement, QgsLayoutPoint, QgsLayoutSize,
                       QgsLayoutTableColumn, QgsLayoutFrame, QgsLegendStyle, QgsLineSymbol, QgsMarkerSymbol,
                       QgsPrintLayout, QgsProject, QgsReadWriteContext, QgsRectangle, QgsRuleBasedRenderer, QgsScaleBarSettings,
                       QgsLayoutTable, QgsPathResolver, QgsRenderContext, QgsSymbolLayerUtils, QgsUnitTypes,
                       QgsVectorLayer, QgsTextFormat)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QFont
from qgis.PyQt.QtXml import QDomDocument

from .. import RESOURCES
from ..coloring.palette import STYLES
from ..layers.errors import InputError

FONT = "WenQuanYi Micro Hei"
PAPERS = {"A4": (210, 297), "A3": (297, 420)}      # portrait, mm
MARGIN = 10
TEMPLATE = RESOURCES / "layouts" / "field_map_a4.qpt"
NORTH_ARROW = "arrows/NorthArrow_02.svg"      # from QGIS's own SVG search paths
LAYER_NAMES = {"houses": "房屋 houses", "grids": "网格 grids", "roads": "道路 roads", "water": "水系 water",
               "bases": "驻点 bases"}
# the layers a field map shows, bottom to top, from the result GeoPackage
MAP_LAYERS = ("water", "roads", "houses", "grids", "bases")   # grids over houses: neighbours dimmed
TABLE_ROWS = 18


def _font(size: float, bold: bool = False) -> QFont:
    font = QFont(FONT)
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


def _text_format(size: float, bold: bool = False) -> QgsTextFormat:
    text = QgsTextFormat()
    text.setFont(_font(size, bold))
    text.setSize(size)
    return text


def load_layers(gpkg: Path, project: QgsProject, group=None) -> dict:
    """The field map's layers from a result GeoPackage, styled, added to the project (top layer last);
    into ``group`` unticked when one is given (their atlas styles are for the page, not the canvas)."""
    if not Path(gpkg).exists():
        raise InputError("file not found", str(gpkg))
    layers = {}
    for name in MAP_LAYERS:
        layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
        if not layer.isValid():
            if name in ("grids", "houses"):
                raise InputError(f"has no layer {name!r}: give the GeoPackage that `gridgov run` or "
                                 "`gridgov demo` wrote", str(gpkg))
            continue
        layers[name] = layer
    if layers["houses"].fields().indexOf("risk_level") < 0:
        raise InputError("its houses have no risk level: give the result of `gridgov run` or `gridgov score` "
                         "(Processing: Analyse the street, or Colour houses by risk)", str(gpkg))
    _style(layers)
    for layer in reversed(list(layers.values())):
        project.addMapLayer(layer, group is None)
        if group is not None:
            group.insertLayer(0, layer).setItemVisibilityChecked(False)
    return layers


def _style(layers: dict):
    houses = layers["houses"]
    houses.loadNamedStyle(str(STYLES / "houses_risk.qml"))
    houses.setName("房屋风险 houses by risk")
    # the atlas grid stands out; its neighbours are dimmed
    grid_rules = QgsRuleBasedRenderer(QgsFillSymbol.createSimple({}))
    root = grid_rules.rootRule()
    root.removeChildAt(0)
    this = QgsRuleBasedRenderer.Rule(QgsFillSymbol.createSimple(
        {"style": "no", "outline_color": "#1f3a93", "outline_width": "0.8"}), 0, 0, "@atlas_featureid = $id",
        "本网格 this grid")
    others = QgsRuleBasedRenderer.Rule(QgsFillSymbol.createSimple(
        {"color": "255,255,255,150", "outline_color": "#9e9e9e", "outline_width": "0.2"}), 0, 0, "ELSE",
        "相邻网格 neighbouring grids")
    root.appendChild(this)
    root.appendChild(others)
    layers["grids"].setRenderer(grid_rules)
    layers["grids"].setName("网格 grids")
    if "roads" in layers:
        layers["roads"].renderer().setSymbol(QgsLineSymbol.createSimple({"color": "#bdbdbd", "width": "0.3"}))
        layers["roads"].setName("道路 roads")
    if "water" in layers:
        layers["water"].renderer().setSymbol(QgsFillSymbol.createSimple({"color": "#c6dbef", "outline_style": "no"}))
        layers["water"].setName("水系 water")
    if "bases" in layers:
        layers["bases"].renderer().setSymbol(QgsMarkerSymbol.createSimple(
            {"name": "star", "color": "#1f3a93", "size": "4", "outline_color": "white"}))
        layers["bases"].setName("驻点 bases")


def _fitted(extent: QgsRectangle, width_mm: float, height_mm: float) -> QgsRectangle:
    """The extent widened to the item's proportions: a map item given an extent of other proportions
    reshapes itself to them (and its atlas pages then run off the paper)."""
    ratio = width_mm / height_mm
    centre = extent.center()
    if extent.width() < extent.height() * ratio:
        return QgsRectangle(centre.x() - extent.height() * ratio / 2, extent.yMinimum(),
                            centre.x() + extent.height() * ratio / 2, extent.yMaximum())
    return QgsRectangle(extent.xMinimum(), centre.y() - extent.width() / ratio / 2,
                        extent.xMaximum(), centre.y() + extent.width() / ratio / 2)


def _label(layout, text: str, x, y, w, h, size=8.0, bold=False, item_id=""):
    label = QgsLayoutItemLabel(layout)
    label.setText(text)
    label.setFont(_font(size, bold))
    label.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    label.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    label.setId(item_id)
    layout.addLayoutItem(label)
    return label


def build_layout(project: QgsProject, layers: dict, paper: str = "A4") -> QgsPrintLayout:
    """The field-map layout, with an atlas over the grids."""
    width, height = PAPERS[paper]
    scale = width / 210
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName(f"gridgov field maps {paper}")
    page = layout.pageCollection().page(0)
    page.setPageSize(QgsLayoutSize(width, height, QgsUnitTypes.LayoutMillimeters))
    grids = layers["grids"]
    atlas = layout.atlas()
    atlas.setCoverageLayer(grids)
    atlas.setEnabled(True)
    atlas.setPageNameExpression('"grid_id"')
    atlas.setSortFeatures(True)
    atlas.setSortExpression('"grid_id"')
    atlas.setFilenameExpression("'field_map_' || \"grid_id\"")

    _label(layout, _title(project, grids), MARGIN, MARGIN, width - 2 * MARGIN - 25 * scale, 16 * scale, 13 * scale,
           True, "title")

    map_top, map_height = MARGIN + 18 * scale, height * 0.52
    main = QgsLayoutItemMap(layout)
    main.setId("main_map")
    main.attemptMove(QgsLayoutPoint(MARGIN, map_top, QgsUnitTypes.LayoutMillimeters))
    main.attemptResize(QgsLayoutSize(width - 2 * MARGIN, map_height, QgsUnitTypes.LayoutMillimeters))
    main.setCrs(grids.crs())
    main.setLayers([layers[n] for n in reversed(MAP_LAYERS) if n in layers])
    main.setFrameEnabled(True)
    main.setAtlasDriven(True)
    main.setAtlasScalingMode(QgsLayoutItemMap.Auto)
    main.setAtlasMargin(0.12)
    layout.addLayoutItem(main)
    main.setExtent(_fitted(grids.extent(), width - 2 * MARGIN, map_height))

    overview = QgsLayoutItemMap(layout)
    overview.setId("overview")
    size = 38 * scale
    overview.attemptMove(QgsLayoutPoint(width - MARGIN - size - 1, map_top + 1, QgsUnitTypes.LayoutMillimeters))
    overview.attemptResize(QgsLayoutSize(size, size, QgsUnitTypes.LayoutMillimeters))
    overview.setLayers([grids] + ([layers["water"]] if "water" in layers else []))
    overview.setFrameEnabled(True)
    overview.setBackgroundColor(QColor(255, 255, 255, 230))
    overview.setCrs(grids.crs())          # the data's CRS, whatever the project's
    layout.addLayoutItem(overview)
    overview.setExtent(_fitted(grids.extent(), size, size))
    overview.overview().setLinkedMap(main)

    arrow = QgsLayoutItemPicture(layout)
    arrow.setId("north_arrow")
    arrow.setPicturePath(QgsSymbolLayerUtils.svgSymbolNameToPath(NORTH_ARROW, QgsPathResolver()))
    arrow.attemptMove(QgsLayoutPoint(width - MARGIN - 14 * scale, MARGIN, QgsUnitTypes.LayoutMillimeters))
    arrow.attemptResize(QgsLayoutSize(12 * scale, 14 * scale, QgsUnitTypes.LayoutMillimeters))
    arrow.setLinkedMap(main)
    layout.addLayoutItem(arrow)

    bar = QgsLayoutItemScaleBar(layout)
    bar.setId("scale_bar")
    bar.setStyle("Single Box")
    bar.setLinkedMap(main)
    bar.setUnits(QgsUnitTypes.DistanceMeters)
    bar.setUnitLabel("m")
    bar.setNumberOfSegments(2)
    bar.setNumberOfSegmentsLeft(0)
    bar.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeFitWidth)
    bar.setMinimumBarWidth(25 * scale)
    bar.setMaximumBarWidth(45 * scale)
    bar.setTextFormat(_text_format(7 * scale))
    bar.attemptMove(QgsLayoutPoint(MARGIN + 2, map_top + map_height - 12 * scale, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(bar)

    below = map_top + map_height + 3
    legend = QgsLayoutItemLegend(layout)
    legend.setId("legend")
    legend.setTitle("图例 Legend")
    legend.setLinkedMap(main)
    legend.setAutoUpdateModel(False)      # its own layers, whatever the layer tree holds or hides
    legend_root = legend.model().rootGroup()
    legend_root.removeAllChildren()
    for layer in reversed(list(layers.values())):
        legend_root.addLayer(layer)
    legend.setLegendFilterByMapEnabled(True)
    for style in (QgsLegendStyle.Title, QgsLegendStyle.Group, QgsLegendStyle.Subgroup, QgsLegendStyle.SymbolLabel):
        legend.setStyleFont(style, _font((9 if style == QgsLegendStyle.Title else 7) * scale,
                                         style == QgsLegendStyle.Title))
    legend.attemptMove(QgsLayoutPoint(MARGIN, below, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(legend)

    table = QgsLayoutItemAttributeTable.create(layout)
    table.setVectorLayer(layers["houses"])
    table.setDisplayOnlyVisibleFeatures(False)
    table.setFilterFeatures(True)
    table.setFeatureFilter("\"risk_level\" IN ('red', 'yellow') AND \"grid_id\" = attribute(@atlas_feature, 'grid_id')")
    table.setMaximumNumberOfFeatures(TABLE_ROWS)
    columns = []
    short_address = "regexp_replace(\"address\", '^.*?[市区县]([^市区县]*?[路街巷弄道])', '\\\\1')"
    level_zh = "CASE WHEN \"risk_level\" = 'red' THEN '红' ELSE '黄' END"
    text_width = width - MARGIN - (MARGIN + 52 * scale) - 2
    for attribute, heading, width_mm in ((level_zh, "等级", 9 * scale), (short_address, "地址 Address", 40 * scale),
                                         ("\"risk_score\"", "分值", 9 * scale),
                                         ("\"risk_reasons\"", "原因 Reasons", text_width - 58 * scale)):
        column = QgsLayoutTableColumn(heading)
        column.setAttribute(attribute)
        column.setWidth(width_mm)
        columns.append(column)
    table.setColumns(columns)
    order = QgsLayoutTableColumn()
    order.setAttribute("CASE WHEN \"risk_level\" = 'red' THEN 0 ELSE 1 END * 1000 - \"risk_score\"")
    order.setSortOrder(Qt.AscendingOrder)
    table.setSortColumns([order])
    table.setHeaderTextFormat(_text_format(7 * scale, True))
    table.setContentTextFormat(_text_format(6.5 * scale))
    table.setWrapBehavior(QgsLayoutTable.WrapText)
    table.setEmptyTableBehavior(QgsLayoutTable.ShowMessage)
    table.setEmptyTableMessage("本网格无红色、黄色房屋 No red or yellow houses in this grid")
    layout.addMultiFrame(table)
    left = MARGIN + 52 * scale
    frame = QgsLayoutFrame(layout, table)
    frame.setId("visit_table")
    frame.attemptMove(QgsLayoutPoint(left, below, QgsUnitTypes.LayoutMillimeters))
    frame.attemptResize(QgsLayoutSize(width - MARGIN - left, height - below - MARGIN - 10 * scale,
                                      QgsUnitTypes.LayoutMillimeters))
    table.addFrame(frame)
    _label(layout, "待走访房屋（红色在前）Houses to visit, red first", left, below - 0.5, 100, 5, 8 * scale, True,
           "table_title")
    frame.attemptMove(QgsLayoutPoint(left, below + 5 * scale, QgsUnitTypes.LayoutMillimeters))

    _label(layout, "[% format_date(now(), 'yyyy-MM-dd') %] · 第 [% @atlas_featurenumber %]/[% @atlas_totalfeatures %] 页 · "
           + data_sources(layers), MARGIN, height - MARGIN - 8 * scale, width - 2 * MARGIN, 8 * scale, 6 * scale,
           item_id="sources")
    return layout


def _title(project: QgsProject, grids: QgsVectorLayer) -> str:
    """The page title from what the data has: the grid's name and ID, then its community, patrol and defense
    zone where the layers that name them are there (communities, for one, are optional)."""
    fields = grids.fields()
    has = lambda name: fields.indexOf(name) >= 0  # noqa: E731
    first = ('[% "name" %]（[% "grid_id" %]）' if has("name") else '网格 [% "grid_id" %]')
    parts = []
    if has("community_id"):
        parts.append("[% coalesce(attribute(get_feature('communities', 'community_id', \"community_id\"), 'name'), "
                     "\"community_id\") %]" if project.mapLayersByName("communities") else '[% "community_id" %]')
    if has("patrol_zone_id"):
        parts.append('巡区 [% "patrol_zone_id" %]')
        if project.mapLayersByName("patrol_zones"):
            parts.append("防区 [% coalesce(attribute(get_feature('patrol_zones', 'patrol_zone_id', "
                         "\"patrol_zone_id\"), 'defense_zone_id'), '—') %]")
    return first + ("\n" + " · ".join(parts) if parts else "")


def data_sources(layers: dict) -> str:
    """The page's data line from the layers' own `source` values (synthetic demo data says so; real data
    names its origin, OpenStreetMap with its attribution)."""
    by_source = {}
    for name, layer in layers.items():
        index = layer.fields().indexOf("source")
        values = sorted(str(v) for v in layer.uniqueValues(index, 3) if v not in (None, "")) if index >= 0 else []
        text = "; ".join(values) or "来源未注明 source not stated"
        by_source.setdefault(text, []).append(LAYER_NAMES.get(name, name))
    return "数据 Data: " + " · ".join(f"{'、'.join(names)}: {text}" for text, names in by_source.items())


def save_template(layout: QgsPrintLayout, path: Path = TEMPLATE) -> Path:
    """The layout as a .qpt; its legend follows the layers of whatever project loads it."""
    layout.itemById("legend").setAutoUpdateModel(True)
    path.parent.mkdir(parents=True, exist_ok=True)
    layout.saveAsTemplate(str(path), QgsReadWriteContext())
    return path


def export(layout: QgsPrintLayout, out: Path, per_grid: bool = False, grid_ids=None, feedback=None) -> list:
    """One multi-page PDF (or one PDF per grid) for all grids or the ones named.

    ``feedback`` (a QgsFeedback) receives the progress page by page and can cancel.
    """
    atlas = layout.atlas()
    if grid_ids:
        quoted = ", ".join("'" + g.replace("'", "''") + "'" for g in grid_ids)
        atlas.setFilterFeatures(True)
        atlas.setFilterExpression(f'"grid_id" IN ({quoted})')
        if atlas.updateFeatures() == 0:
            raise InputError(f"no grid has the ID(s) {', '.join(grid_ids)}")
    settings = QgsLayoutExporter.PdfExportSettings()
    settings.rasterizeWholeImage = False
    settings.forceVectorOutput = True
    settings.textRenderFormat = QgsRenderContext.TextFormatAlwaysText   # searchable, fonts embedded
    # written under temporary names and renamed when complete: never half a PDF at the given path
    if per_grid:   # QGIS names each file by the atlas expression, in the folder of the path given
        out.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".field-maps-", dir=out))
        try:
            result, error = QgsLayoutExporter.exportToPdfs(atlas, str(staging / "field_map.pdf"), settings,
                                                           feedback)
            _check(result, error)
            written = []
            for pdf in sorted(staging.glob("*.pdf")):
                os.replace(pdf, out / pdf.name)
                written.append(out / pdf.name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return written
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.stem}.partial.pdf")
    try:
        _check(*QgsLayoutExporter.exportToPdf(atlas, str(partial), settings, feedback))
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return [out]


def _check(result, error):
    if result == QgsLayoutExporter.Canceled:
        raise InputError("field maps cancelled 已取消作战图导出")
    if result != QgsLayoutExporter.Success:
        raise RuntimeError(f"QGIS could not export the field maps: {error}")


def add_field_maps(project: QgsProject, gpkg, paper: str = "A4", group=None) -> QgsPrintLayout:
    """Load a result GeoPackage's layers into the project and add the field-map layout to it
    (editable in QGIS before printing)."""
    layers = load_layers(Path(gpkg), project, group)
    for extra in ("communities", "patrol_zones"):      # read by the title's expressions
        layer = QgsVectorLayer(f"{gpkg}|layername={extra}", extra, "ogr")
        if layer.isValid():
            project.addMapLayer(layer, False)
    if not project.crs().isValid():
        project.setCrs(layers["grids"].crs())
    layout = build_layout(project, layers, paper)
    existing = project.layoutManager().layoutByName(layout.name())
    if existing is not None:
        project.layoutManager().removeLayout(existing)
    project.layoutManager().addLayout(layout)
    return layout


def make_field_maps(gpkg, out, paper: str = "A4", per_grid: bool = False, grid_ids=None, qgz=None) -> list:
    """Headless: a fresh project with the results, the layout, the PDF(s); optionally the .qgz beside."""
    from .headless import start_qgis

    start_qgis()
    project = QgsProject.instance()     # get_feature() in the title looks layers up in this project
    project.clear()
    layout = add_field_maps(project, gpkg, paper)
    paths = export(layout, Path(out), per_grid, grid_ids)
    if qgz:
        project.write(str(qgz))
    return paths


if __name__ == "__main__":   # `make templates`: the layout as a .qpt, built on the demo street
    import sys

    from .headless import start_qgis

    start_qgis()
    QgsProject.instance().clear()
    print(save_template(add_field_maps(QgsProject.instance(), sys.argv[1])))

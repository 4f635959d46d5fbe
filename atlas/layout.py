"""The field-map page: an atlas over the grids, one small function per item on the page.

The page: the map zoomed to the grid with houses coloured by risk and the
neighbouring grids dimmed, the grid boundary and bases; a title with the grid,
its community, patrol and defense zone; a legend of what is on the page; a
scale bar; a north arrow; the date and data sources with the OpenStreetMap
attribution; the red (then yellow) houses to visit, with address and reasons;
the grid's open events past their deadline, oldest first (when the run had event
times); with gridgov compare's file, the houses turned red since the last run
outlined and marked in the list; and a small overview of the street.  No names, ID-card or phone numbers are on
the page: the houses layer carries counts and reasons only.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qgis.core import (
    QgsLayoutFrame,
    QgsLayoutItemAttributeTable,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutTable,
    QgsLayoutTableColumn,
    QgsLegendRenderer,
    QgsLegendStyle,
    QgsPathResolver,
    QgsPrintLayout,
    QgsProject,
    QgsReadWriteContext,
    QgsRectangle,
    QgsScaleBarSettings,
    QgsSymbolLayerUtils,
    QgsTextFormat,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QFont

from ..options import PAPERS
from ..resources import LAYOUTS
from ..results import CONTRACT
from .map_layers import MAP_LAYERS, TITLES

FONT = "WenQuanYi Micro Hei"
MARGIN = 10
TEMPLATE = LAYOUTS / "field_map_a4.qpt"
NORTH_ARROW = "arrows/NorthArrow_02.svg"      # from QGIS's own SVG search paths
TABLE_ROWS = 18
OVERDUE_ROWS = 4
MM = QgsUnitTypes.LayoutMillimeters


@dataclass(frozen=True)
class Page:
    """Where things go on a page of this paper (A4 is the unit; A3 scales up)."""
    width: float
    height: float

    @property
    def scale(self) -> float:
        return self.width / 210

    @property
    def map_top(self) -> float:
        return MARGIN + 18 * self.scale

    @property
    def map_height(self) -> float:
        return self.height * 0.48

    @property
    def map_width(self) -> float:
        return self.width - 2 * MARGIN

    @property
    def below_map(self) -> float:
        return self.map_top + self.map_height + 3

    @property
    def table_left(self) -> float:
        return MARGIN + 52 * self.scale

    @property
    def overdue_top(self) -> float:
        """The overdue list's place at the foot of the left column, under the legend."""
        return self.height - MARGIN - 10 * self.scale - 38 * self.scale


def build_layout(project: QgsProject, layers: dict, paper: str = "A4",
                 overdue: QgsVectorLayer | None = None) -> QgsPrintLayout:
    """The field-map layout, with an atlas over the grids; ``overdue`` (the result's overdue events) lists
    each grid's."""
    page = Page(*PAPERS[paper])
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName(f"gridgov field maps {paper}")
    layout.pageCollection().page(0).setPageSize(QgsLayoutSize(page.width, page.height, MM))
    _atlas(layout, layers["grids"])
    _label(layout, _title(project, layers["grids"]), MARGIN, MARGIN, page.width - 2 * MARGIN - 25 * page.scale,
           16 * page.scale, 13 * page.scale, True, "title")
    main = _main_map(layout, layers, page)
    _overview(layout, layers, page, main)
    _north_arrow(layout, page, main)
    _scale_bar(layout, page, main)
    _legend(layout, layers, page, main)
    _visit_table(layout, layers["houses"], page, layers.get("turned_red"))
    if overdue is not None:
        _overdue_table(layout, overdue, page)
    _label(layout, "[% format_date(now(), 'yyyy-MM-dd') %] · 第 [% @atlas_featurenumber %]/[% @atlas_totalfeatures %] "
           "页 · " + data_sources(layers), MARGIN, page.height - MARGIN - 8 * page.scale, page.map_width,
           8 * page.scale, 6 * page.scale, item_id="sources")
    return layout


def _atlas(layout, grids: QgsVectorLayer):
    atlas = layout.atlas()
    atlas.setCoverageLayer(grids)
    atlas.setEnabled(True)
    atlas.setPageNameExpression('"grid_id"')
    atlas.setSortFeatures(True)
    atlas.setSortExpression('"grid_id"')
    atlas.setFilenameExpression("'field_map_' || \"grid_id\"")


def _main_map(layout, layers: dict, page: Page) -> QgsLayoutItemMap:
    main = QgsLayoutItemMap(layout)
    main.setId("main_map")
    main.attemptMove(QgsLayoutPoint(MARGIN, page.map_top, MM))
    main.attemptResize(QgsLayoutSize(page.map_width, page.map_height, MM))
    main.setCrs(layers["grids"].crs())
    main.setLayers([layers[n] for n in reversed(MAP_LAYERS) if n in layers])
    main.setFrameEnabled(True)
    main.setAtlasDriven(True)
    main.setAtlasScalingMode(QgsLayoutItemMap.Auto)
    main.setAtlasMargin(0.12)
    layout.addLayoutItem(main)
    main.setExtent(_fitted(layers["grids"].extent(), page.map_width, page.map_height))
    return main


def _overview(layout, layers: dict, page: Page, main: QgsLayoutItemMap):
    overview = QgsLayoutItemMap(layout)
    overview.setId("overview")
    size = 38 * page.scale
    overview.attemptMove(QgsLayoutPoint(page.width - MARGIN - size - 1, page.map_top + 1, MM))
    overview.attemptResize(QgsLayoutSize(size, size, MM))
    overview.setLayers([layers["grids"]] + ([layers["water"]] if "water" in layers else []))
    overview.setFrameEnabled(True)
    overview.setBackgroundColor(QColor(255, 255, 255, 230))
    overview.setCrs(layers["grids"].crs())          # the data's CRS, whatever the project's
    layout.addLayoutItem(overview)
    overview.setExtent(_fitted(layers["grids"].extent(), size, size))
    overview.overview().setLinkedMap(main)


def _north_arrow(layout, page: Page, main: QgsLayoutItemMap):
    arrow = QgsLayoutItemPicture(layout)
    arrow.setId("north_arrow")
    arrow.setPicturePath(QgsSymbolLayerUtils.svgSymbolNameToPath(NORTH_ARROW, QgsPathResolver()))
    arrow.attemptMove(QgsLayoutPoint(page.width - MARGIN - 14 * page.scale, MARGIN, MM))
    arrow.attemptResize(QgsLayoutSize(12 * page.scale, 14 * page.scale, MM))
    arrow.setLinkedMap(main)
    layout.addLayoutItem(arrow)


def _scale_bar(layout, page: Page, main: QgsLayoutItemMap):
    bar = QgsLayoutItemScaleBar(layout)
    bar.setId("scale_bar")
    bar.setStyle("Single Box")
    bar.setLinkedMap(main)
    bar.setUnits(QgsUnitTypes.DistanceMeters)
    bar.setUnitLabel("m")
    bar.setNumberOfSegments(2)
    bar.setNumberOfSegmentsLeft(0)
    bar.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeFitWidth)
    bar.setMinimumBarWidth(25 * page.scale)
    bar.setMaximumBarWidth(45 * page.scale)
    bar.setTextFormat(_text_format(7 * page.scale))
    bar.attemptMove(QgsLayoutPoint(MARGIN + 2, page.map_top + page.map_height - 12 * page.scale, MM))
    layout.addLayoutItem(bar)


def _legend(layout, layers: dict, page: Page, main: QgsLayoutItemMap):
    legend = QgsLayoutItemLegend(layout)
    legend.setId("legend")
    legend.setTitle("图例 Legend")
    legend.setLinkedMap(main)
    legend.setAutoUpdateModel(False)      # its own layers, whatever the layer tree holds or hides
    root = legend.model().rootGroup()
    root.removeAllChildren()
    for name, layer in reversed(list(layers.items())):
        node = root.addLayer(layer)
        if name == "grids":     # its two entries say "this grid" and "neighbouring grids" themselves
            QgsLegendRenderer.setNodeLegendStyle(node, QgsLegendStyle.Hidden)
    legend.setLegendFilterByMapEnabled(True)
    for style in (QgsLegendStyle.Title, QgsLegendStyle.Group, QgsLegendStyle.Subgroup, QgsLegendStyle.SymbolLabel):
        title = style == QgsLegendStyle.Title
        legend.setStyleFont(style, _font((9 if title else 7) * page.scale, title))
        legend.rstyle(style).setMargin(QgsLegendStyle.Top, (1 if style == QgsLegendStyle.SymbolLabel else 2) * page.scale)
    legend.setSymbolHeight(3.5 * page.scale)        # compact: the overdue list shares the column
    legend.attemptMove(QgsLayoutPoint(MARGIN, page.below_map, MM))
    layout.addLayoutItem(legend)


THIS_GRID = "\"grid_id\" = attribute(@atlas_feature, 'grid_id')"
SHORT_ADDRESS = "regexp_replace(\"address\", '^.*?[市区县]([^市区县]*?[路街巷弄道])', '\\\\1')"


def _visit_table(layout, houses: QgsVectorLayer, page: Page, turned_red: QgsVectorLayer | None):
    """The grid's red, then yellow, houses: level (红↑ where it was not red last run), short address,
    score and the reasons."""
    level_zh = "CASE WHEN \"risk_level\" = 'red' THEN '红' ELSE '黄' END"
    title = "待走访房屋（红色在前）Houses to visit, red first"
    if turned_red is not None:
        level_zh = (f"{level_zh} || CASE WHEN get_feature('{turned_red.id()}', 'house_id', \"house_id\") "
                    "IS NOT NULL THEN '↑' ELSE '' END")
        title = "待走访房屋（红色在前；↑ 较上次新增红色）Houses to visit, red first, ↑ newly red"
    width = page.width - MARGIN - page.table_left
    table = _table(layout, houses, page, width, f"\"risk_level\" IN ('red', 'yellow') AND {THIS_GRID}", TABLE_ROWS, (
        (level_zh, "等级", 9), (_cut(SHORT_ADDRESS), "地址 Address", 40), ("\"risk_score\"", "分值", 9),
        (_breakable(_cut("\"risk_reasons\""), 24), "原因 Reasons", None)),
        "CASE WHEN \"risk_level\" = 'red' THEN 0 ELSE 1 END * 1000 - \"risk_score\"",
        "本网格无红色、黄色房屋 No red or yellow houses in this grid")
    top = page.below_map + 5 * page.scale
    _frame(layout, table, "visit_table", page.table_left, top, width, page.height - page.below_map - MARGIN - 10 * page.scale)
    _label(layout, title, page.table_left, page.below_map - 0.5, page.width - MARGIN - page.table_left, 5,
           8 * page.scale, True, "table_title")


def _overdue_table(layout, events: QgsVectorLayer, page: Page):
    """The grid's open events past their deadline, oldest first: what the supervisor chases on the round."""
    width = page.table_left - MARGIN - 2
    table = _table(layout, events, page, width, THIS_GRID, OVERDUE_ROWS, (
        ("format_date(\"reported_at\", 'yy-MM-dd')", "上报日期", 12), ("\"category\"", "类别", 10),
        (_breakable(_cut(SHORT_ADDRESS), 10), "地址", None)),
        "to_string(\"reported_at\")", "本网格无超期未办结事件 No overdue events")
    top = page.overdue_top + 8 * page.scale
    _frame(layout, table, "overdue_table", MARGIN, top, width, page.height - top - MARGIN - 9 * page.scale)
    count = (f"aggregate(layer:='{events.id()}', aggregate:='count', expression:=\"grid_id\", "
             f"filter:={THIS_GRID})")
    _label(layout, f"超期未办结事件 [% {count} %] 件（最早在前）\nOverdue events, oldest {OVERDUE_ROWS} listed", MARGIN,
           page.overdue_top, width, 8 * page.scale, 7 * page.scale, True, "overdue_title")


def _table(layout, layer: QgsVectorLayer, page: Page, width: float, where: str, rows: int, columns, order: str,
           empty: str) -> QgsLayoutItemAttributeTable:
    """An attribute table of the atlas grid's features, ``width`` mm wide: (expression, heading, width in A4
    mm, None for the rest) columns, sorted by ``order``, wrapping its text."""
    table = QgsLayoutItemAttributeTable.create(layout)
    fixed = sum(w * page.scale for _, _, w in columns if w)
    rest = width - fixed - len(columns) * 2 * table.cellMargin() - (len(columns) + 1) * table.gridStrokeWidth() - 0.5
    table.setVectorLayer(layer)
    table.setDisplayOnlyVisibleFeatures(False)
    table.setFilterFeatures(True)
    table.setFeatureFilter(where)
    table.setMaximumNumberOfFeatures(rows)
    made = []
    for attribute, heading, w in columns:
        column = QgsLayoutTableColumn(heading)
        column.setAttribute(attribute)
        column.setWidth(w * page.scale if w else rest)
        made.append(column)
    table.setColumns(made)
    sort = QgsLayoutTableColumn()
    sort.setAttribute(order)
    sort.setSortOrder(Qt.AscendingOrder)
    table.setSortColumns([sort])
    table.setHeaderTextFormat(_text_format(7 * page.scale, True))
    table.setContentTextFormat(_text_format(6.5 * page.scale))
    table.setWrapBehavior(QgsLayoutTable.WrapText)
    table.setEmptyTableBehavior(QgsLayoutTable.ShowMessage)
    table.setEmptyTableMessage(empty)
    layout.addMultiFrame(table)
    return table


def _frame(layout, table, item_id: str, x: float, y: float, width: float, height: float):
    frame = QgsLayoutFrame(layout, table)
    frame.setId(item_id)
    frame.attemptMove(QgsLayoutPoint(x, y, MM))
    frame.attemptResize(QgsLayoutSize(width, height, MM))
    table.addFrame(frame)


def _breakable(expression: str, run: int) -> str:
    """Spaces after Chinese punctuation and inside long unbroken runs: a layout table wraps only at
    spaces, and Chinese text has none, so without them a line runs off the page."""
    spaced = f"regexp_replace({expression}, '([；，、：）号弄])', '\\\\1 ')"
    return f"regexp_replace({spaced}, '([^ ]{{{run}}})(?=[^ ])', '\\\\1 ')"


def _cut(expression: str) -> str:
    """The expression's text cut where a printout stops showing it, with the contract's note."""
    limit, note = CONTRACT.shown["max_chars"], CONTRACT.shown["cut_note"].replace("'", "''")
    return f"CASE WHEN length({expression}) > {limit} THEN left({expression}, {limit}) || '{note}' ELSE {expression} END"


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
        by_source.setdefault(text, []).append(TITLES.get(name, name))
    return "数据 Data: " + " · ".join(f"{'、'.join(names)}: {text}" for text, names in by_source.items())


def save_template(layout: QgsPrintLayout, path: Path = TEMPLATE) -> Path:
    """The layout as a .qpt; its legend follows the layers of whatever project loads it."""
    layout.itemById("legend").setAutoUpdateModel(True)
    path.parent.mkdir(parents=True, exist_ok=True)
    layout.saveAsTemplate(str(path), QgsReadWriteContext())
    return path


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


def _label(layout, text: str, x, y, w, h, size=8.0, bold=False, item_id=""):
    label = QgsLayoutItemLabel(layout)
    label.setText(text)
    label.setFont(_font(size, bold))
    label.attemptMove(QgsLayoutPoint(x, y, MM))
    label.attemptResize(QgsLayoutSize(w, h, MM))
    label.setId(item_id)
    layout.addLayoutItem(label)
    return label

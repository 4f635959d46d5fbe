"""Build the cockpit page with folium: the street's layers, risk, coverage, warnings and a summary.

Offline by default: Leaflet and the heat-map plugin are inlined, no tiles are
loaded, and the page asks for nothing.  Other basemaps (OpenStreetMap,
Tianditu with the user's key, AMap in GCJ-02) load tiles from their servers;
for AMap a display copy of the data is shifted to GCJ-02.  No personal data is
on the page unless asked for, and then ID-card and phone numbers are masked.
Every value reaches the page as JSON data and is escaped when shown.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from folium.plugins import HeatMap
from folium.utilities import JsCode
from jinja2 import Template

from ..coloring.backtest import level_bars
from ..coloring.palette import MAP_COLORS, PALETTE, ordered
from ..grid_tools.compare import changes_file
from ..layers import vector_io
from ..layers.errors import InputError
from ..layers.gcj02 import wgs84_to_gcj02
from ..layers.geopackage import write_text
from ..layers.street import OSM_ATTRIBUTION
from ..options import OPTIONS
from ..results import read_results, shortened
from .assets import script_tag, style_tag

BASEMAPS = OPTIONS["basemap"].choices
PRECISION = 5            # decimal degrees: about 1 m
SIMPLIFY_M = 1.0
ESCAPE_JS = "function esc(v){return String(v===null||v===undefined?'':v).replace(/[&<>\"']/g," \
            "function(c){return {'&':'&amp;','<':'&lt;','>':'&gt;','\"':'&quot;',\"'\":'&#39;'}[c];});}"


@dataclass
class CockpitOptions:
    basemap: str = "none"
    tianditu_key: str = ""
    with_people: bool = False
    title: str = "gridgov 数字驾驶舱 cockpit"


class OfflineMap(folium.Map):
    """A folium map that loads no script or stylesheet from a CDN: Leaflet is inlined instead."""
    default_js = []
    default_css = []


class InlineHeatMap(HeatMap):
    default_js = []


def _display(frame: gpd.GeoDataFrame | None, basemap: str) -> gpd.GeoDataFrame | None:
    """A display copy: WGS84, simplified, rounded, and for AMap shifted to GCJ-02 (master data never is)."""
    if frame is None or frame.empty:
        return None
    drawable = ~(frame.geometry.isna() | frame.geometry.is_empty).to_numpy()    # nothing to draw: left off the map
    frame = frame[drawable].copy()
    if frame.empty:
        return None
    frame.geometry = frame.geometry.simplify(SIMPLIFY_M)
    frame = frame.to_crs(4326)
    if basemap == "amap":
        frame.geometry = shapely.transform(frame.geometry.to_numpy(), lambda xy: np.column_stack(
            wgs84_to_gcj02(xy[:, 0], xy[:, 1])))
    geometry = frame.geometry.to_numpy()
    rounded = shapely.set_precision(geometry, 10 ** -PRECISION)
    # a footprint smaller than the page's precision (a sliver of a few cm²) is drawn as its point
    collapsed = shapely.is_empty(rounded)
    rounded[collapsed] = shapely.set_precision(shapely.point_on_surface(geometry[collapsed]), 10 ** -PRECISION)
    frame.geometry = rounded
    for column in frame.columns:
        if column != frame.geometry.name and (frame[column].dtype == object
                                              or pd.api.types.is_string_dtype(frame[column])):
            frame[column] = shortened(frame[column])
    return frame


def _geojson(frame, columns) -> dict:
    keep = [c for c in columns if c in frame.columns]
    data = json.loads(frame[keep + [frame.geometry.name]].to_json(na="null", drop_id=True))
    return data


def _popup_js(rows: list, constants: dict | None = None) -> JsCode:
    """Bind a popup whose every value is escaped: rows of (label, property); constants fill in
    properties that are the same for the whole layer."""
    cells = "+".join(f"'<tr><th>{html.escape(label)}</th><td>'+esc(p[{json.dumps(prop)}])+'</td></tr>'"
                     for label, prop in rows)
    fill = f"Object.assign(p, {json.dumps(constants or {})});"
    return JsCode(f"function(feature, layer){{{ESCAPE_JS} var p = feature.properties; {fill}"
                  f"layer.bindPopup('<table class=\"gg\">'+{cells}+'</table>', {{maxWidth: 360}});}}")


def _style(color, fill=None, weight=1.0, fill_opacity=0.85, dash=None):
    style = {"color": color, "weight": weight, "fillColor": fill or color, "fillOpacity": fill_opacity,
             "opacity": 1.0}
    if dash:
        style["dashArray"] = dash
    return lambda feature: style


def _basemap(fmap, options: CockpitOptions):
    if options.basemap == "osm":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", attr=OSM_ATTRIBUTION).add_to(fmap)
    elif options.basemap == "tianditu":
        if not options.tianditu_key:
            raise InputError("the Tianditu basemap needs your key (tk): --tianditu-key")
        for layer, name in (("vec", "天地图 矢量"), ("cva", "天地图 注记")):
            folium.TileLayer(
                tiles=f"https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
                      f"&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}"
                      f"&TILECOL={{x}}&tk={options.tianditu_key}",
                attr="天地图 Tianditu", name=name, subdomains="01234567", overlay=layer == "cva").add_to(fmap)
    elif options.basemap == "amap":
        folium.TileLayer(tiles="https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
                               "&x={x}&y={y}&z={z}", attr="高德地图 AMap (GCJ-02)", name="高德 AMap",
                         subdomains="1234").add_to(fmap)


def mask_id(value) -> str:
    text = str(value or "")
    return text[:6] + "*" * 8 + text[-4:] if len(text) >= 15 else "*" * len(text)


def mask_phone(value) -> str:
    text = str(value or "")
    return text[:3] + "****" + text[-4:] if len(text) >= 7 else "*" * len(text)


def build_cockpit(layers: dict, tables: dict, options: CockpitOptions | None = None) -> str:
    """The page as one HTML string."""
    fmap = street_map(layers, options or CockpitOptions())
    root = fmap.get_root()
    root.header.add_child(folium.Element(PAGE_STYLE), name="page_style")
    root.html.add_child(folium.Element(_legend() + _title(options or CockpitOptions()) + _summary(layers, tables)),
                        name="panels")
    return root.render()


def street_map(layers: dict, options: CockpitOptions, colors: dict = MAP_COLORS,
               collapsed_layers: bool = False) -> OfflineMap:
    """The street's map with every layer the results have, Leaflet inlined; ``colors`` by role (the
    command-centre screen draws on a dark ground)."""
    if options.basemap not in BASEMAPS:
        raise InputError(f"unknown basemap {options.basemap!r}; choose one of {', '.join(BASEMAPS)}")
    shown = {name: _display(frame, options.basemap) for name, frame in layers.items()}
    extent = shown.get("grids") if shown.get("grids") is not None else shown["houses"]
    west, south, east, north = extent.total_bounds
    fmap = OfflineMap(location=[(south + north) / 2, (west + east) / 2], tiles=None, prefer_canvas=True,
                      control_scale=True, zoom_start=14, zoom_snap=0.25)   # the street fills the map, not a zoom step
    root = fmap.get_root()
    root.header.add_child(folium.Element(style_tag("leaflet.css")), name="leaflet_css")
    root.header.add_child(folium.Element(script_tag("leaflet.js")), name="leaflet_js")
    root.header.add_child(folium.Element(script_tag("leaflet-heat.js")), name="leaflet_heat_js")
    root.header.add_child(folium.Element(f"<title>{html.escape(options.title)}</title>"), name="title")
    _basemap(fmap, options)
    _zones(fmap, shown, colors)
    _houses(fmap, shown.get("houses"))
    _coverage(fmap, shown, colors)
    _warnings(fmap, shown.get("warnings"))
    _changes(fmap, shown.get("level_changes"))
    _visits(fmap, shown.get("visits"), colors)
    _events(fmap, shown.get("events_matched"))
    if options.with_people:
        _people(fmap, shown.get("people_matched"))
    folium.LayerControl(collapsed=collapsed_layers).add_to(fmap)
    fmap.fit_bounds([[south, west], [north, east]])
    return fmap


def _zones(fmap, shown, colors):
    for name, label, weight in (("defense_zones", "防区 defense zones", 3.0), ("patrol_zones", "巡区 patrol zones", 2.0),
                                ("grids", "网格 grids", 0.8)):
        frame = shown.get(name)
        if frame is None:
            continue
        id_field = {"defense_zones": "defense_zone_id", "patrol_zones": "patrol_zone_id", "grids": "grid_id"}[name]
        folium.GeoJson(_geojson(frame, [id_field, "name"]), name=label,
                       style_function=_style(colors[name[:-1]], None, weight, 0.0),
                       on_each_feature=_popup_js([("编号 ID", id_field), ("名称 name", "name")])).add_to(fmap)


HOUSE_FIELDS = ["address", "risk_score", "risk_reasons", "people", "floating", "events", "grid_id", "reach_s"]
HOUSE_POPUP = [("风险 level", "level"), ("地址 address", "address"), ("分值 score", "risk_score"),
               ("原因 reasons", "risk_reasons"), ("人口 people", "people"), ("流动 floating", "floating"),
               ("事件 events", "events"), ("网格 grid", "grid_id"), ("响应 reach (s)", "reach_s")]
ADDRESS_PREFIX = r"^.*?[省市区县](?=[^省市区县]*?[路街巷弄道])"


class CompactPolygons(MacroElement):
    """Polygons sent as delta-coded integer rings and property rows, rebuilt as GeoJSON in the
    browser: houses are most of the page, and this carries them in about a third of the bytes."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var data = {{ this.payload|tojson }}, k = data.scale, features = [];
  for (var i = 0; i < data.rings.length; i++) {
    var r = data.rings[i], x = r[0], y = r[1], ring = [[x / k, y / k]];
    for (var j = 2; j < r.length; j += 2) { x += r[j]; y += r[j + 1]; ring.push([x / k, y / k]); }
    ring.push(ring[0]);
    var p = {};
    for (var f = 0; f < data.fields.length; f++) { p[data.fields[f]] = data.rows[i][f]; }
    features.push({type: "Feature", properties: p, geometry: {type: "Polygon", coordinates: [ring]}});
  }
  L.geoJSON(features, {style: function () { return {{ this.style|tojson }}; },
                       onEachFeature: {{ this.on_each_feature }}}).addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
""")

    def __init__(self, frame, fields, style: dict, on_each_feature: JsCode):
        super().__init__()
        self._name = "CompactPolygons"
        scale = 10 ** PRECISION
        rings = []
        for geometry in frame.geometry:
            polygon = max(shapely.get_parts(geometry), key=lambda part: part.area)
            xy = np.round(np.asarray(polygon.exterior.coords)[:-1] * scale).astype(np.int64)
            rings.append(np.r_[xy[0], np.diff(xy, axis=0).ravel()].tolist())
        rows = frame[fields].astype(object).where(frame[fields].notna(), None).values.tolist()
        self.payload = {"scale": scale, "fields": fields, "rows": rows, "rings": rings}
        self.style = style
        self.on_each_feature = on_each_feature.js_code


def _houses(fmap, houses):
    if houses is None or "risk_level" not in houses:
        return
    houses = houses.assign(address=houses["address"].str.replace(ADDRESS_PREFIX, "", regex=True))
    fields = [f for f in HOUSE_FIELDS if f in houses]
    areal = houses.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    for level, entry in ordered("levels"):
        at_level = (houses["risk_level"] == level).to_numpy()
        if not at_level.any():
            continue
        group = folium.FeatureGroup(name=f"房屋 {entry['zh']} · {entry['en']}")
        popup = _popup_js(HOUSE_POPUP, {"level": entry["zh"]})
        footprints, points = houses[at_level & areal], houses[at_level & ~areal]
        if len(footprints):
            style = {"color": PALETTE["outline"]["color"], "weight": 0.3, "fillColor": entry["color"], "fillOpacity": 0.9,
                     "opacity": 1.0}
            CompactPolygons(footprints, fields, style, popup).add_to(group)
        if len(points):       # point houses (address points), and footprints too small to draw
            folium.GeoJson(_geojson(points, fields), on_each_feature=popup,
                           marker=folium.CircleMarker(radius=4, color=PALETTE["outline"]["color"], weight=0.5,
                                                      fill_color=entry["color"], fill_opacity=0.9)).add_to(group)
        group.add_to(fmap)


def _coverage(fmap, shown, colors):
    areas = shown.get("reach_areas")
    if areas is not None:
        folium.GeoJson(_geojson(areas, ["base_id", "road_km", "method"]), name="五分钟响应圈 5-minute reach",
                       style_function=_style(colors["reach"], colors["reach"], 0.5, 0.12),
                       on_each_feature=_popup_js([("驻点 base", "base_id"), ("道路 km", "road_km"),
                                                  ("方法 method", "method")])).add_to(fmap)
    uncovered = shown.get("uncovered_houses")
    if uncovered is not None:
        folium.GeoJson(_geojson(uncovered, ["address", "reach_s", "reach_base"]), name="未覆盖房屋 uncovered houses",
                       style_function=_style(colors["uncovered"], colors["uncovered"], 2.0, 0.3),
                       marker=folium.CircleMarker(radius=7, color=colors["uncovered"], weight=2,
                                                  fill=False),   # point houses
                       on_each_feature=_popup_js([("地址 address", "address"), ("响应 reach (s)", "reach_s"),
                                                  ("驻点 base", "reach_base")])).add_to(fmap)
    bases = shown.get("bases")
    if bases is not None:
        group = folium.FeatureGroup(name="驻点 bases")
        folium.GeoJson(_geojson(bases, ["base_id", "name", "vehicles", "staff"]),
                       marker=folium.CircleMarker(radius=7, color="white", weight=2, fill_color=colors["base"],
                                                  fill_opacity=1.0),
                       on_each_feature=_popup_js([("驻点 base", "base_id"), ("名称 name", "name"),
                                                  ("车辆 vehicles", "vehicles"), ("人员 staff", "staff")])).add_to(group)
        group.add_to(fmap)


def _warnings(fmap, warnings):
    if warnings is None:
        return
    for grade, entry in ordered("grades"):
        frame = warnings[warnings["grade"] == grade]
        if frame.empty:
            continue
        folium.GeoJson(_geojson(frame, ["address", "grade_zh", "signals", "channels", "span_days", "route_zh"]),
                       name=f"冒烟预警 {entry['zh']}",
                       marker=folium.CircleMarker(radius=6, color="white", weight=1, fill_color=entry["color"],
                                                  fill_opacity=0.95),
                       on_each_feature=_popup_js([("地址 address", "address"), ("等级 grade", "grade_zh"),
                                                  ("信号 signals", "signals"), ("渠道 channels", "channels"),
                                                  ("天数 days", "span_days"), ("流转 route", "route_zh")])).add_to(fmap)


def _changes(fmap, changes):
    """Houses whose level changed since the last run (gridgov compare): the ones turned red stand out."""
    if changes is None or changes.empty:
        return
    for name, picked, color, show in (("较上次新增红色 turned red since the last run", changes["new_level"] == "red",
                                       PALETTE["levels"]["red"]["color"], True),
                                      ("其他等级变化 other level changes", changes["new_level"] != "red", "#555555", False)):
        frame = changes[picked]
        if frame.empty:
            continue
        folium.GeoJson(_geojson(frame, ["address", "old_level", "new_level", "reasons_in", "reasons_out"]), name=name,
                       show=show, style_function=_style(color, weight=3, fill_opacity=0, dash="6 3"),
                       on_each_feature=_popup_js([("地址 address", "address"), ("原等级 was", "old_level"),
                                                  ("现等级 now", "new_level"), ("新增原因 reasons in", "reasons_in"),
                                                  ("消失原因 reasons out", "reasons_out")])).add_to(fmap)


def _visits(fmap, visits, colors):
    """The enterprise watch's visit tasks (八必访), at each unit's house."""
    if visits is None or visits.empty:
        return
    located = visits[visits.geometry.notna()]
    folium.GeoJson(_geojson(located, ["name", "reason_zh", "reason_en", "changed_at", "grid_id"]),
                   name="八必访 enterprise visits", show=False,
                   marker=folium.CircleMarker(radius=5, color="white", weight=1, fill_color=colors["visit"],
                                              fill_opacity=0.95),
                   on_each_feature=_popup_js([("单位 unit", "name"), ("原因 reason", "reason_zh"), ("reason", "reason_en"),
                                              ("变更日期 changed", "changed_at"), ("网格 grid", "grid_id")])).add_to(fmap)


def _events(fmap, events):
    if events is None:
        return
    points = shapely.get_coordinates(shapely.point_on_surface(events.geometry.dropna().to_numpy()))
    if len(points):
        InlineHeatMap(np.round(points[:, ::-1], PRECISION).tolist(), name="事件热力 events heat map",
                      radius=12, blur=15, show=False).add_to(fmap)


def _people(fmap, people):
    """Only on request: people as points, names shown, ID-card and phone numbers masked."""
    if people is None:
        return
    people = people.assign(id_masked=people.get("id_number", pd.Series(dtype=object)).map(mask_id),
                           phone_masked=people.get("phone", pd.Series(dtype=object)).map(mask_phone))
    folium.GeoJson(_geojson(people, ["name", "id_masked", "phone_masked", "address"]), name="人口 people (opt-in)",
                   marker=folium.CircleMarker(radius=2, color=MAP_COLORS["people"], fill_opacity=0.6), show=False,
                   on_each_feature=_popup_js([("姓名 name", "name"), ("身份证 ID", "id_masked"),
                                              ("电话 phone", "phone_masked"), ("地址 address", "address")])).add_to(fmap)


PAGE_STYLE = """<style>
body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif; }
.leaflet-container { background: BACKGROUND; }
.gg-panel { position: fixed; z-index: 1000; background: rgba(255,255,255,0.93); border-radius: 6px;
            box-shadow: 0 1px 5px rgba(0,0,0,0.3); padding: 8px 10px; font-size: 12px; }
#gg-title { top: 10px; left: 60px; font-size: 18px; font-weight: bold; }
#gg-legend { bottom: 50px; left: 10px; }
#gg-summary { top: 60px; left: 60px; max-width: 380px; }
.gg-swatch { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: middle; }
table.gg th { text-align: left; padding-right: 8px; white-space: nowrap; } table.gg td { max-width: 240px; }
</style>""".replace("BACKGROUND", MAP_COLORS["background"])


def _title(options: CockpitOptions) -> str:
    return f'<div id="gg-title" class="gg-panel">{html.escape(options.title)}</div>'


def _legend() -> str:
    rows = [f'<div><span class="gg-swatch" style="background:{e["color"]}"></span>{html.escape(e["zh"])} '
            f'{html.escape(e["en"])}</div>' for _, e in ordered("levels")]
    rows += [f'<div><span class="gg-swatch" style="background:{e["color"]};border-radius:6px"></span>'
             f'{html.escape(e["zh"])}</div>' for _, e in ordered("grades")]
    rows.append(f'<div><span class="gg-swatch" style="background:{MAP_COLORS["reach"]};opacity:.4"></span>'
                '五分钟响应圈 5-minute reach</div>')
    rows.append(f'<div><span class="gg-swatch" style="border:2px solid {MAP_COLORS["uncovered"]}"></span>'
                '未覆盖房屋 uncovered</div>')
    rows.append(f'<div style="margin-top:4px;color:#666">{html.escape(OSM_ATTRIBUTION)}</div>')
    return '<div id="gg-legend" class="gg-panel"><b>图例 Legend</b>' + "".join(rows) + "</div>"


def _bars(values: list, colors: list, labels: list, width=340, height=90, fit=False) -> str:
    """A stacked column chart as inline SVG: values[i] is the stack of column i; ``fit`` stretches it over
    its box (the command-centre screen's tiles)."""
    if not values:
        return ""
    top = max(sum(v) for v in values) or 1
    step = width / len(values)
    parts = []
    for i, stack in enumerate(values):
        y = height
        for value, color in zip(stack, colors):
            h = height * value / top
            y -= h
            parts.append(f'<rect x="{i * step:.1f}" y="{y:.1f}" width="{max(step - 1, 1):.1f}" height="{h:.1f}" '
                         f'fill="{color}"><title>{html.escape(str(labels[i]))}: {value}</title></rect>')
    size = (f'viewBox="0 0 {width} {height}" preserveAspectRatio="none" width="100%" height="100%"' if fit
            else f'width="{width}" height="{height}"')
    return f'<svg {size} role="img">{"".join(parts)}</svg>'


def _summary(layers: dict, tables: dict) -> str:
    houses = layers.get("houses")
    parts = ['<div id="gg-summary" class="gg-panel"><b>概况 Summary</b>']
    if houses is not None and "risk_level" in houses:
        counts = houses["risk_level"].value_counts()
        parts.append("<div>" + " · ".join(f'{html.escape(PALETTE["levels"][lv]["zh"])} {int(counts.get(lv, 0)):,}'
                                          for lv, _ in ordered("levels")) + "</div>")
    by_grid = tables.get("risk_by_grid")
    if by_grid is not None and len(by_grid):
        levels = [lv for lv, _ in ordered("levels")]
        parts.append("<div>各网格风险房屋 Risk by grid</div>")
        parts.append(_bars([[int(r[lv]) for lv in levels if lv != "green"] for _, r in by_grid.iterrows()],
                           [PALETTE["levels"][lv]["color"] for lv in levels if lv != "green"],
                           list(by_grid["grid_id"])))
    coverage = tables.get("coverage_by_defense_zone")
    if coverage is not None and len(coverage):
        parts.append("<div>各防区五分钟覆盖 5-minute coverage by defense zone</div>")
        for row in coverage.itertuples():
            share = float(row.houses_share)
            parts.append(f'<div>{html.escape(str(row.defense_zone_id))} '
                         f'<svg width="200" height="10"><rect width="200" height="10" fill="#eee"/>'
                         f'<rect width="{200 * share:.0f}" height="10" fill="{MAP_COLORS["reach"]}"/></svg> '
                         f'{share:.1%}</div>')
    parts.append(_closed_loop(tables))
    parts.append(_backtest(tables))
    parts.append("</div>")
    return "".join(parts)


def _closed_loop(tables: dict) -> str:
    """Closure, overdue events and each stage's median against its target, when the events had times."""
    summary, stages = tables.get("loop_summary"), tables.get("loop_stages")
    if summary is None or not len(summary):
        return ""
    row = summary.iloc[0]
    parts = [f'<div id="gg-loop"><div>闭环 Closed loop: 办结率 closed {row["closure_rate"]:.1%} · 未办结 open '
             f'{int(row["open"]):,} · 超期 overdue {int(row["overdue"]):,} · 日均 {row["per_day"]:.1f} a day</div>']
    for stage in (stages.itertuples() if stages is not None else []):
        if stage.events:
            parts.append(f'<div>{html.escape(stage.stage_zh)} {html.escape(stage.stage)}: 中位 median '
                         f'{stage.median_min:,.0f} min · 达标 within {stage.target_min:,.0f} min {stage.within_share:.0%}</div>')
    months = tables.get("loop_by_month")
    if months is not None and len(months):
        recent = months.tail(12)
        parts.append("<div>逐月事件（已办结 / 未办结）Events by month (closed / open)</div>")
        parts.append(_bars([[int(r.closed), int(r.open)] for r in recent.itertuples()],
                           [MAP_COLORS["reach"], PALETTE["levels"]["red"]["color"]],
                           [f"{r.month}: {int(r.events)} 事件, 办结率 {r.closure_rate:.1%}" for r in recent.itertuples()]))
    return "".join(parts) + "</div>"


def _backtest(tables: dict) -> str:
    """Do red houses really have more trouble?  The back-test's lift and bars, when the run made one."""
    summary, levels = tables.get("backtest"), tables.get("backtest_levels")
    if summary is None or levels is None or not len(summary):
        return ""
    row = summary.iloc[0]
    return (f'<div id="gg-backtest"><div>回测 Back-test: 以 {html.escape(str(row["date"]))} 前数据评分，其后 '
            f'{int(row["horizon_days"])} 天 scored on {html.escape(str(row["date"]))}, {int(row["horizon_days"])} days '
            f'after</div><div>红色提升 red lift {row["lift_red"]:.1f}× · 黄色 yellow {row["lift_yellow"]:.1f}× · '
            f'AUC {row["auc"]:.2f} · 红色命中率 red precision {row["red_precision"]:.0%}</div>'
            f'<div>每户其后事件 events per house after</div>{level_bars(levels, width=160)}</div>')


def write_cockpit(path, layers: dict, tables: dict, options: CockpitOptions | None = None) -> Path:
    """Write the page atomically."""
    return write_text(path, build_cockpit(layers, tables, options), suffixes=(".html", ".htm"))


SHOWN_LAYERS = ("houses", "grids", "patrol_zones", "defense_zones", "bases", "reach_areas", "uncovered_houses",
                "warnings", "events_matched", "visits")
SHOWN_TABLES = ("risk_by_grid", "coverage_by_defense_zone", "backtest", "backtest_levels", "loop_summary", "loop_stages",
                "loop_by_month", "loop_recent", "loop_levels", "visits_by_grid")


def read_cockpit_results(gpkg, with_people: bool = False) -> tuple:
    """(layers, tables) the cockpit shows, from a result (or demo) GeoPackage whose houses carry risk;
    people only when asked for."""
    names = SHOWN_LAYERS + SHOWN_TABLES + (("people_matched",) if with_people else ())
    results = read_results(gpkg, need=("houses",), names=names, steps=("risk",), with_people=with_people)
    return results.layers, results.tables


def read_changes(path) -> gpd.GeoDataFrame:
    """The houses whose level changed, from a changes.gpkg that gridgov compare wrote."""
    return vector_io.read_dataframe(changes_file(path), layer="level_changes")

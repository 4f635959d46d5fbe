"""The city cockpit: one page with every street, coloured by its share of red houses or by its five-minute
coverage, a table of the streets, and a link to each street's own cockpit page.

Offline like the street page (Leaflet inlined, no tiles unless asked).  Red shares
are compared with care: the default rules set levels by share within each street,
so a city of such streets shows similar red shares; absolute rules make them
comparable, and the page says which the streets used.
"""
from __future__ import annotations

import html

import folium
import geopandas as gpd
from branca.colormap import LinearColormap

from ..coloring.palette import PALETTE
from ..layers.geopackage import write_text
from ..layers.street import OSM_ATTRIBUTION
from .assets import script_tag, style_tag
from .page import PAGE_STYLE, OfflineMap, _geojson, _popup_js

COLUMNS = (("street", "街道 street"), ("status", "状态 status"), ("houses", "房屋 houses"), ("red", "红 red"),
           ("yellow", "黄 yellow"), ("red_share", "红色占比 red share"), ("warnings", "预警 warnings"),
           ("covered_share", "五分钟覆盖 covered"), ("matched_share", "匹配率 matched"), ("seconds", "用时 s"),
           ("error", "错误 error"))
SHARES = ("red_share", "covered_share", "matched_share")
VIEWS = (("red_share", "红色房屋占比 share of red houses", ("#f7f7f7", PALETTE["levels"]["red"]["color"])),
         ("covered_share", "五分钟覆盖率 five-minute coverage", (PALETTE["levels"]["red"]["color"], "#f7f7f7",
                                                          "#2b8cbe")))


def build_city_page(streets: gpd.GeoDataFrame, title: str) -> str:
    """The page as one HTML string, from the `streets` layer of the city result."""
    shown = streets[streets.geometry.notna()].to_crs("EPSG:4326")
    west, south, east, north = shown.total_bounds if len(shown) else (119.9, 30.0, 120.5, 30.5)
    fmap = OfflineMap(location=[(south + north) / 2, (west + east) / 2], tiles=None, control_scale=True, zoom_start=11)
    root = fmap.get_root()
    root.header.add_child(folium.Element(style_tag("leaflet.css")), name="leaflet_css")
    root.header.add_child(folium.Element(script_tag("leaflet.js")), name="leaflet_js")
    root.header.add_child(folium.Element(f"<title>{html.escape(title)}</title>"), name="title")
    root.header.add_child(folium.Element(PAGE_STYLE + CITY_STYLE), name="page_style")
    legends = []
    for number, (column, label, colours) in enumerate(VIEWS):
        values = shown[column].dropna()
        if values.empty:
            continue
        low, high = float(values.min()), float(values.max())
        ramp = LinearColormap(colours, vmin=low, vmax=high if high > low else low + 1e-9, caption=label)
        colour = {street: ramp(value) if value == value else "#bbb" for street, value in zip(shown["street"], shown[column])}
        folium.GeoJson(_geojson(shown, [c for c, _ in COLUMNS] + ["page"]), name=label, show=number == 0,
                       style_function=lambda feature, colour=colour: {
                           "color": "#333", "weight": 1.5, "fillOpacity": 0.75,
                           "fillColor": colour.get(feature["properties"]["street"], "#bbb")},
                       on_each_feature=_popup_js([(text, c) for c, text in COLUMNS if c != "error"])).add_to(fmap)
        legends.append(f"<div>{html.escape(label)}: {low:.1%} – {high:.1%}</div>")
    folium.LayerControl(collapsed=False).add_to(fmap)
    fmap.fit_bounds([[south, west], [north, east]])
    panel = (f'<div id="gg-title" class="gg-panel">{html.escape(title)}</div>'
             f'<div id="gg-city" class="gg-panel"><b>街道 Streets</b>{"".join(legends)}{_table(streets)}'
             f'<div class="gg-note">{html.escape(OSM_ATTRIBUTION)}</div></div>')
    root.html.add_child(folium.Element(panel), name="panels")
    return root.render()


def _table(streets) -> str:
    head = "".join(f"<th>{html.escape(label)}</th>" for _, label in COLUMNS)
    rows = []
    for row in streets.itertuples():
        cells = []
        for column, _ in COLUMNS:
            value = getattr(row, column)
            if value is None or value != value:
                text = ""
            elif column in SHARES:
                text = f"{value:.1%}"
            elif isinstance(value, float):
                text = f"{value:,.1f}"
            else:
                text = f"{value:,}" if isinstance(value, int) else str(value)
            cell = html.escape(text)
            if column == "street" and isinstance(row.page, str):
                cell = f'<a href="{html.escape(row.page)}">{cell}</a>'
            cells.append(f"<td>{cell}</td>")
        rows.append(f'<tr class="{html.escape(row.status)}">{"".join(cells)}</tr>')
    return f'<table class="gg gg-streets"><tr>{head}</tr>{"".join(rows)}</table>'


CITY_STYLE = """<style>
#gg-city{position:absolute;bottom:48px;left:10px;z-index:1000;max-height:45vh;overflow:auto;max-width:75vw}
.gg-streets td,.gg-streets th{padding:2px 6px;border-bottom:1px solid #ddd;white-space:nowrap}
.gg-streets tr.failed td{color:#b00}
.gg-note{margin-top:4px;color:#666}
</style>"""


def write_city_page(path, streets: gpd.GeoDataFrame, title: str):
    return write_text(path, build_city_page(streets, title), suffixes=(".html", ".htm"))

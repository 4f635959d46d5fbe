"""The command-centre screen: the street's map in the middle of a dark full-screen wall, figures around it.

Street command centres show their street on a video wall: a map in the middle,
tiles of figures around it.  This page is that wall from one run's results:
houses by level, open and overdue events, closure today / this month / in all,
each response stage against its promise, coverage per defense zone, warnings
by grade, the 1:3:6 resolving levels, the enterprise visits, the month series
and the risk by grid.  One offline file (Leaflet inlined, as the cockpit page),
laid out by CSS grid for a 16:9 screen (1920×1080) and, from an aspect ratio
of 3:1, for a 32:9 wall (3840×1080); every text in Chinese and English, the
language switched by a button or by opening the page with ``#en``.
"""
from __future__ import annotations

import html
from pathlib import Path

import folium
import pandas as pd

from ..coloring.palette import MAP_COLORS, PALETTE, ordered
from ..layers.geopackage import write_text
from ..layers.street import OSM_ATTRIBUTION
from .page import CockpitOptions, _bars, street_map

WALL = PALETTE["wall"]
WALL_COLORS = {**MAP_COLORS, **WALL}
WALL_PAGE = "wall.html"
STAGE_EN = {"dispatch": "Dispatch", "arrive": "On site", "feedback": "First reply", "close": "Closed"}
LEVEL_EN = {"district": "District", "street": "Street", "community": "Community / grid"}
MOST_ZONES = 8          # coverage rows a tile holds; the weakest zones first


def both(zh: str, en: str) -> str:
    """A label in both languages; the page shows the one chosen."""
    return f'<span class="zh">{html.escape(zh)}</span><span class="en">{html.escape(en)}</span>'


def build_wall(layers: dict, tables: dict, options: CockpitOptions | None = None) -> str:
    """The wall as one HTML string."""
    options = options or CockpitOptions(title="gridgov 街道指挥中心 command centre")
    fmap = street_map(layers, options, WALL_COLORS, collapsed_layers=True)
    root = fmap.get_root()
    root.header.add_child(folium.Element(WALL_STYLE), name="wall_style")
    left = _levels_tile(layers.get("houses")) + _events_tile(tables) + _closure_tile(tables) + \
        _warnings_tile(layers.get("warnings"))
    right = _stages_tile(tables) + _coverage_tile(tables) + _resolving_tile(tables) + _visits_tile(tables)
    foot = _months_tile(tables) + _grids_tile(tables)
    root.html.add_child(folium.Element(
        _head(options, tables) + f'<div id="wall-left" class="wall-side">{left}</div>'
        f'<div id="wall-right" class="wall-side">{right}</div><div id="wall-foot">{foot}</div>' + LANGUAGE_SCRIPT),
        name="wall")
    return root.render()


def write_wall(path, layers: dict, tables: dict, options: CockpitOptions | None = None) -> Path:
    """Write the wall atomically."""
    return write_text(path, build_wall(layers, tables, options), suffixes=(".html", ".htm"))


def _head(options: CockpitOptions, tables: dict) -> str:
    recent = _rows(tables, "loop_recent", "period")
    as_of = recent.loc["today", "since"] if recent is not None and "today" in recent.index else ""
    stamp = both(f"数据截至 {as_of}", f"as of {as_of}") if as_of else ""
    return (f'<div id="wall-head"><div id="wall-title">{html.escape(options.title)}</div>'
            f'<div class="muted">{stamp} · {html.escape(OSM_ATTRIBUTION)}</div>'
            '<button id="wall-lang" type="button" onclick="ggLanguage()">中文 / EN</button></div>')


def _tile(zh: str, en: str, body: str, tile_id: str, weight: float = 1.0) -> str:
    return (f'<section id="{tile_id}" class="tile" style="flex:{weight}"><h3>{both(zh, en)}</h3>'
            f'<div class="tile-body">{body}</div></section>')


def _figures(items: list) -> str:
    """A row of headline figures: (value, zh, en, colour or None)."""
    cells = "".join(f'<div class="figure"><div class="big" style="color:{color or WALL["accent"]}">'
                    f'{html.escape(value)}</div><div class="muted">{both(zh, en)}</div></div>'
                    for value, zh, en, color in items)
    return f'<div class="figures">{cells}</div>'


def _share_bar(share: float, color: str, target: float | None = None) -> str:
    """A horizontal bar of a share, with the target as a tick."""
    tick = (f'<div class="tick" style="left:{100 * min(max(target, 0), 1):.1f}%"></div>'
            if target is not None else "")
    return (f'<div class="bar"><div style="width:{100 * min(max(share, 0), 1):.1f}%;background:{color}"></div>'
            f'{tick}</div>')


def _no_data() -> str:
    return f'<div class="muted">{both("本次结果无此项", "not in this result")}</div>'


def _rows(tables: dict, name: str, key: str) -> pd.DataFrame | None:
    table = tables.get(name)
    return None if table is None or not len(table) else table.set_index(key)


def _count(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{int(value):,}"


def _share(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:.1%}"


def _minutes(value) -> str:
    if value is None or pd.isna(value):
        return "—"
    return f"{value / 1440:.1f} d" if value >= 1440 else f"{value / 60:.1f} h" if value >= 120 else f"{value:.0f} min"


def _levels_tile(houses) -> str:
    if houses is None or "risk_level" not in houses:
        return _tile("房屋风险", "Houses by risk", _no_data(), "tile-levels")
    counts = houses["risk_level"].value_counts()
    entries = ordered("levels")
    total = max(len(houses), 1)
    stack = "".join(f'<div style="width:{100 * counts.get(level, 0) / total:.2f}%;background:{entry["color"]}"></div>'
                    for level, entry in entries)
    body = _figures([(_count(counts.get(level, 0)), entry["zh"], entry["en"], entry["color"]) for level, entry in entries])
    return _tile("房屋风险", f"Houses by risk ({total:,})", body + f'<div class="bar stack">{stack}</div>', "tile-levels")


def _events_tile(tables: dict) -> str:
    summary = tables.get("loop_summary")
    if summary is None or not len(summary):
        return _tile("事件", "Events", _no_data(), "tile-events")
    row = summary.iloc[0]
    overdue_color = PALETTE["levels"]["red"]["color"] if row["overdue"] else None
    return _tile("事件", "Events", _figures([
        (_count(row["open"]), "未办结", "open", None), (_count(row["overdue"]), "超期", "overdue", overdue_color),
        (f'{row["per_day"]:.1f}', "日均", "a day", None)]), "tile-events")


def _closure_tile(tables: dict) -> str:
    recent = _rows(tables, "loop_recent", "period")
    if recent is None:
        return _tile("办结率", "Closure rate", _no_data(), "tile-closure")
    return _tile("办结率", "Closure rate", _figures([
        (_share(recent.loc[period, "closure_rate"]), f"{zh} {_count(recent.loc[period, 'events'])} 件",
         f"{en}, {_count(recent.loc[period, 'events'])} events", None)
        for period, zh, en in (("today", "今日", "today"), ("this_month", "本月", "this month"), ("all", "累计", "in all"))]),
        "tile-closure")


def _warnings_tile(warnings) -> str:
    counts = warnings["grade"].value_counts() if warnings is not None and "grade" in warnings else pd.Series(dtype=int)
    return _tile("冒烟预警", "Warnings by grade", _figures([
        (_count(counts.get(grade, 0)), entry["zh"].split("（")[0], entry["en"].split(" (")[0], entry["color"])
        for grade, entry in ordered("grades")]), "tile-warnings")


def _stages_tile(tables: dict) -> str:
    stages = tables.get("loop_stages")
    timed = stages[stages["events"] > 0] if stages is not None else None
    if timed is None or timed.empty:
        return _tile("环节用时", "Response stages", _no_data(), "tile-stages", 1.3)
    rows = "".join(
        f'<div class="row"><span class="name">{both(s.stage_zh, STAGE_EN.get(s.stage, s.stage))}</span>'
        f'<span class="value">{_minutes(s.median_min)} / {_minutes(s.target_min)}</span>'
        f'{_share_bar(s.within_share, WALL["accent"])}<span class="value">{_share(s.within_share)}</span></div>'
        for s in timed.itertuples())
    return _tile("环节用时（中位 / 承诺，达标率）", "Stages: median / promise, share within", rows, "tile-stages", 1.3)


def _coverage_tile(tables: dict) -> str:
    coverage = tables.get("coverage_by_defense_zone")
    if coverage is None or not len(coverage):
        return _tile("防区五分钟覆盖", "5-minute coverage by defense zone", _no_data(), "tile-coverage", 1.3)
    weakest = coverage.sort_values("houses_share").head(MOST_ZONES)
    rows = "".join(f'<div class="row"><span class="name">{html.escape(str(z.defense_zone_id))}</span>'
                   f'{_share_bar(z.houses_share, MAP_COLORS["reach"])}<span class="value">{_share(z.houses_share)}</span></div>'
                   for z in weakest.itertuples())
    more = len(coverage) - len(weakest)
    if more:
        rows += f'<div class="muted">{both(f"另有 {more} 个防区", f"{more} more zones")}</div>'
    return _tile("防区五分钟覆盖", "5-minute coverage by defense zone", rows, "tile-coverage", 1.3)


def _resolving_tile(tables: dict) -> str:
    levels = tables.get("loop_levels")
    if levels is None or not levels["events"].sum():
        return _tile("化解层级 1:3:6", "Resolved at, target 1:3:6", _no_data(), "tile-resolving")
    rows = "".join(f'<div class="row"><span class="name">{both(r.level_zh, LEVEL_EN.get(r.level, r.level))}</span>'
                   f'{_share_bar(r.share, WALL["accent"], r.target)}<span class="value">{_share(r.share)}</span></div>'
                   for r in levels.itertuples())
    return _tile("化解层级（竖线为目标 1:3:6）", "Resolved at (tick: the 1:3:6 target)", rows, "tile-resolving")


def _visits_tile(tables: dict) -> str:
    visits = tables.get("visits_by_grid")
    if visits is None or not len(visits):
        return _tile("八必访", "Enterprise visits", _no_data(), "tile-visits", 0.8)
    return _tile("八必访", "Enterprise visits", _figures([
        (_count(visits["visits"].sum()), "走访任务", "visit tasks", MAP_COLORS["visit"]),
        (_count(visits["units"].sum()), "涉及单位", "units", None),
        (_count((visits["visits"] > 0).sum()), "涉及网格", "grids", None)]), "tile-visits", 0.8)


def _months_tile(tables: dict) -> str:
    months = tables.get("loop_by_month")
    if months is None or not len(months):
        return _tile("逐月事件", "Events by month", _no_data(), "tile-months", 2.0)
    recent = months.tail(24)
    chart = _bars([[int(r.closed), int(r.open)] for r in recent.itertuples()],
                  [MAP_COLORS["reach"], PALETTE["levels"]["red"]["color"]],
                  [f"{r.month}: {int(r.events)}, {r.closure_rate:.1%}" for r in recent.itertuples()],
                  width=600, height=120, fit=True)
    axis = f'<div class="axis"><span>{html.escape(recent["month"].iloc[0])}</span>' \
           f'<span>{html.escape(recent["month"].iloc[-1])}</span></div>'
    return _tile("逐月事件（蓝：已办结，红：未办结）", "Events by month (blue closed, red open)",
                 f'<div class="chart">{chart}</div>{axis}', "tile-months", 2.0)


def _grids_tile(tables: dict) -> str:
    by_grid = tables.get("risk_by_grid")
    if by_grid is None or not len(by_grid):
        return _tile("各网格风险房屋", "Risk by grid", _no_data(), "tile-grids", 1.5)
    worst = by_grid.sort_values(["red", "yellow"], ascending=False)
    chart = _bars([[int(r.red), int(r.yellow)] for r in worst.itertuples()],
                  [PALETTE["levels"]["red"]["color"], PALETTE["levels"]["yellow"]["color"]],
                  [f"{r.grid_id}: {int(r.red)} / {int(r.yellow)}" for r in worst.itertuples()],
                  width=400, height=120, fit=True)
    axis = f'<div class="axis"><span>{html.escape(str(worst["grid_id"].iloc[0]))}</span>' \
           f'<span>{both(f"{len(worst)} 个网格，红色最多者居左", f"{len(worst)} grids, most red first")}</span></div>'
    return _tile("各网格红色与黄色房屋", "Red and yellow houses by grid", f'<div class="chart">{chart}</div>{axis}',
                 "tile-grids", 1.5)


LANGUAGE_SCRIPT = """<script>
function ggLanguage(lang) {
  var root = document.documentElement;
  root.lang = lang || (root.lang === "en" ? "zh" : "en");
  if (history.replaceState) { history.replaceState(null, "", root.lang === "en" ? "#en" : "#zh"); }
}
ggLanguage(location.hash === "#en" ? "en" : "zh");
</script>"""

WALL_STYLE = """<style>
html, body { margin: 0; height: 100%; overflow: hidden; }
body { background: BACKGROUND; color: TEXT; font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif;
       font-size: 1.45vh; box-sizing: border-box; height: 100vh; padding: 0.8vh !important; display: grid; gap: 0.8vh;
       grid-template-columns: minmax(0, 23fr) minmax(0, 54fr) minmax(0, 23fr);
       grid-template-rows: 5.5vh minmax(0, 1fr) 24vh;
       grid-template-areas: "head head head" "left map right" "foot foot foot"; }
html[lang=zh] .en, html[lang=en] .zh { display: none; }
.folium-map { grid-area: map; position: relative !important; width: auto !important; height: auto !important;
              left: 0 !important; top: 0 !important; border: 1px solid EDGE; border-radius: 4px; }
.leaflet-container { background: MAPGROUND; font-size: 1.2vh; }
#wall-head { grid-area: head; display: flex; align-items: center; justify-content: space-between; gap: 2vh;
             border-bottom: 2px solid EDGE; }
#wall-title { font-size: 3vh; font-weight: bold; color: ACCENT; letter-spacing: 0.1em; white-space: nowrap; }
#wall-lang { background: PANEL; color: TEXT; border: 1px solid EDGE; border-radius: 4px; font-size: 1.6vh;
             padding: 0.4vh 1.2vh; cursor: pointer; }
.wall-side, #wall-foot { display: flex; flex-direction: column; gap: 0.8vh; min-height: 0; min-width: 0; }
#wall-left { grid-area: left; } #wall-right { grid-area: right; }
#wall-foot { grid-area: foot; flex-direction: row; }
.tile { background: PANEL; border: 1px solid EDGE; border-radius: 4px; padding: 0.7vh 1vh; overflow: hidden;
        min-height: 0; min-width: 0; display: flex; flex-direction: column; }
.tile h3 { margin: 0 0 0.5vh; font-size: 1.5vh; font-weight: normal; color: MUTED; white-space: nowrap;
           overflow: hidden; text-overflow: ellipsis; }
.tile-body { flex: 1; min-height: 0; display: flex; flex-direction: column; justify-content: space-evenly; }
.figures { display: flex; justify-content: space-around; text-align: center; }
.figure .big { font-size: 3.4vh; font-weight: bold; color: ACCENT; line-height: 1.1; }
.muted { color: MUTED; font-size: 1.25vh; }
.row { display: grid; grid-template-columns: 34% 1fr 16%; align-items: center; gap: 0.6vh; line-height: 1.25; }
#tile-stages .row { grid-template-columns: 22% 34% 1fr 14%; }
.row .value { text-align: right; white-space: nowrap; }
.row .name { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.bar { position: relative; height: 1.1vh; background: rgba(255,255,255,0.08); border-radius: 2px; }
.bar > div { height: 100%; border-radius: 2px; }
.bar.stack { display: flex; height: 1.4vh; margin-top: 0.6vh; }
.bar .tick { position: absolute; top: -0.3vh; width: 2px; height: 1.7vh; background: TEXT; }
.chart { flex: 1; min-height: 0; }
.axis { display: flex; justify-content: space-between; color: MUTED; font-size: 1.2vh; }
@media (min-aspect-ratio: 3/1) {
  body { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr) minmax(0, 1.9fr) minmax(0, 1fr) minmax(0, 1fr);
         grid-template-rows: 5.5vh minmax(0, 1fr);
         grid-template-areas: "head head head head head" "left left map right foot"; }
  #wall-left { display: grid; grid-template-columns: 1fr 1fr; grid-template-rows: 1fr 1fr; }
  #wall-foot { flex-direction: column; }
  .figure .big { font-size: 5.5vh; } .figure .muted { font-size: 1.6vh; }
}
</style>""".replace("BACKGROUND", WALL["background"]).replace("MAPGROUND", WALL["map_background"]) \
    .replace("PANEL", WALL["panel"]).replace("EDGE", WALL["panel_edge"]).replace("TEXT", WALL["text"]) \
    .replace("MUTED", WALL["muted"]).replace("ACCENT", WALL["accent"])
